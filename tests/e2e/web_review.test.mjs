// web_review.test.mjs - the management review page and the nonconformity
// list in the browser: the list shows the nonconformity whose corrective
// action is overdue first, with the states as links; the review is recorded
// as held from its page (the inputs are compiled and frozen, one section per
// 9.3.2 input, the nonconformity among them), its decisions are recorded in
// the form, and another manager approves the minutes with one click.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { aimsOk, setup } from './lib.mjs';
import { openBrowser, shot, signIn, submit } from './browser.mjs';
import { strictWrites } from './lib.mjs';

// Every change these journeys make goes through the server's writer.
strictWrites();

const ANN = 'ann@example.com';
const BEN = 'ben@example.com';
const TOM = 'tom@example.com';

let env;
let b;

function cli(args, json, as = ANN) {
  return JSON.parse(aimsOk(['record', ...args, '--org', 'acme', '--db', env.db, '--as', as,
    '--format', 'json', '--json', JSON.stringify(json)]).stdout);
}

async function confirmAndSubmit(page, selector) {
  const asked = [];
  page.removeAllListeners('dialog');	// the watcher would dismiss it
  page.once('dialog', async (d) => { asked.push(d.message()); await d.accept(); });
  const [resp] = await Promise.all([page.waitForNavigation(), page.click(selector)]);
  return { status: resp ? resp.status() : 0, asked };
}

before(async () => {
  env = await setup();
  for (const [email, name, role] of [[ANN, 'Ann Smith', 'manager'], [BEN, 'Ben Jones', 'manager'],
    [TOM, 'Tom Chief', 'admin']]) {
    aimsOk(['user', 'add', email, '--name', name, '--password-stdin', '--db', env.db],
      { input: 'correct horse battery staple\n' });
    aimsOk(['member', 'add', email, '--org', 'acme', '--role', role, '--db', env.db]);
  }
  cli(['create', 'nonconformities'], { title: 'Closed long ago', source: 'complaint',
    description: 'No action due.', owner: ANN });
  cli(['create', 'nonconformities'], { title: 'Supplier reviews skipped',
    source: 'self_identified', description: 'Two AI suppliers were not reviewed.', owner: ANN,
    corrective_actions: [{ action: 'Schedule the reviews', owner: ANN, due: '2026-02-01' }] });
  cli(['create', 'nonconformities'], { title: '<img src=x onerror=alert(1)>',
    source: 'complaint', description: 'Escaped everywhere.', owner: ANN,
    corrective_actions: [{ action: 'x', owner: ANN, due: '2026-01-15' }] });
  cli(['create', 'management-reviews'], { title: 'Management review 2026',
    planned_date: '2026-03-10' });
  b = await openBrowser();
});
after(async () => {
  await b?.close();
  await env?.cleanup();
});

test('the nonconformity list shows the overdue one first, and the states as links', async () => {
  const { page } = b;
  await signIn(page, env.url, ANN);
  await page.goto(`${env.url}/o/acme/nonconformities`);
  const overdue = page.locator('section.overdue');
  assert.equal(await overdue.count(), 1);
  assert.match(await overdue.textContent(), /NC-2.*Supplier reviews skipped.*corrective action.*2026-02-01/s);
  assert.doesNotMatch(await overdue.textContent(), /NC-1/);
  // Oldest first; a title is text, never markup.
  assert.match(await overdue.textContent(), /NC-3.*<img src=x onerror=alert\(1\)>.*NC-2/s);
  assert.equal(await overdue.locator('img').count(), 0);
  assert.deepEqual(b.watch.dialogs, []);
  const states = page.locator('nav.states a');
  assert.deepEqual(await states.allTextContents(), ['All', 'Open', 'In progress', 'Verifying', 'Closed']);
  await Promise.all([page.waitForNavigation(), page.click('nav.states a:has-text("Open")')]);
  assert.match(page.url(), /status=open/);
  assert.equal(await page.getAttribute('nav.states a:has-text("Open")', 'aria-current'), 'page');
  await shot(page, 'nonconformities-overdue-first');
});

test('the review is held from its page, shows its frozen inputs, and records decisions', async () => {
  const { page } = b;
  await page.goto(`${env.url}/o/acme/management-reviews/MR-1/edit`);
  await page.fill('#f-held_on', '2026-03-10');
  await page.fill('[id="f-attendees.0.name"]', 'Tom Chief');
  await page.selectOption('[id="f-attendees.0.user"]', TOM).catch(async () => {
    await page.fill('[id="f-attendees.0.user"]', TOM);
  });
  await page.fill('[id="f-attendees.0.role"]', 'Chief executive');
  await page.check('[id="f-attendees.0.top_management"]');
  assert.equal(await submit(page), 200);
  const held = await confirmAndSubmit(page, 'form[action$="/workflow"] button:has-text("Record as held")');
  assert.equal(held.status, 200);
  assert.match(held.asked[0], /Compile and freeze the inputs of MR-1\?/);
  const parts = page.locator('.object-part h4');
  assert.deepEqual(await parts.allTextContents(), [
    'Actions from previous reviews', 'Changes in issues and interested parties',
    'Nonconformities and corrective actions', 'Monitoring and measurement results',
    'Audit results', "Objectives' achievement", 'Risks and their treatment', 'Incidents',
    'Opportunities for improvement', 'Adequacy of resources']);
  const ncs = await page.textContent('#inputs-nonconformities');
  assert.match(ncs, /NC-2/);
  assert.match(ncs, /corrective action overdue/);
  await shot(page, 'management-review-held');

  await page.goto(`${env.url}/o/acme/management-reviews/MR-1/edit`);
  await page.fill('[id="f-decisions.0.decision"]', 'Review every AI supplier yearly');
  await page.fill('[id="f-decisions.0.action"]', 'Add supplier reviews to the calendar');
  await page.selectOption('[id="f-decisions.0.owner"]', ANN).catch(async () => {
    await page.fill('[id="f-decisions.0.owner"]', ANN);
  });
  await page.fill('[id="f-decisions.0.due"]', '2026-06-30');
  assert.equal(await submit(page), 200);
  assert.match(await page.textContent('section[aria-labelledby=h-details]'),
    /Add supplier reviews to the calendar/);
  // Ann wrote the minutes: she may not approve them.
  const approve = page.locator('button[data-step="approve"]');
  assert.equal(await approve.isDisabled(), true);
  assert.match(await page.textContent('#why-approve'), /Ann Smith wrote it/);
  assert.equal(b.watch.errors.length, 0);
});

test('another manager approves the minutes with one click', async () => {
  const { page } = b;
  await Promise.all([page.waitForNavigation(), page.click('form[action="/sign-out"] button')]);
  await signIn(page, env.url, BEN);
  await page.goto(`${env.url}/o/acme/management-reviews/MR-1`);
  assert.equal(await submit(page, 'form[action$="/workflow"] button:has-text("Approve the minutes")'), 200);
  assert.match(await page.textContent('section[aria-labelledby=h-details]'), /ben@example\.com/);
  // The inputs are the same frozen ones.
  assert.match(await page.textContent('#inputs-nonconformities'), /NC-2/);
  assert.equal(b.watch.errors.length, 0);
  await shot(page, 'management-review-approved');
});
