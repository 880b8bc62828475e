// web_work.test.mjs - "My work" in the browser: the groups with their
// counts and links, a task made from the page lands in its owner's work,
// the bell counts the assignment and the notifications page clears it, the
// mail choice is kept, and a calendar feed's URL is shown once and revoked
// from the page; the calendar page lists the external audits.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN, aimsOk, request, setup } from './lib.mjs';
import { openBrowser, shot, signIn, submit } from './browser.mjs';
import { strictWrites } from './lib.mjs';

// Every change these journeys make goes through the server's writer.
strictWrites();

const CORA = 'cora@example.com';
let env;
let b;
const create = (kind, fields, as = ADMIN) => JSON.parse(aimsOk(['record', 'create', kind, '--org', 'acme',
  '--as', as, '--db', env.db, '--json', JSON.stringify(fields)]).stdout).ref;

before(async () => {
  env = await setup({ env: { AIMS_FAKE_NOW: '2026-06-10T09:00:00Z' } });
  aimsOk(['user', 'add', CORA, '--name', 'Cora Lee', '--password-stdin', '--db', env.db],
    { input: 'correct horse battery staple\n' });
  aimsOk(['member', 'add', CORA, '--org', 'acme', '--role', 'contributor', '--db', env.db]);
  create('risks', { title: 'Drift in the <b>triage</b> model', likelihood: 3, impact: 4, owner: CORA,
    next_review: '2026-05-01' });
  create('tasks', { title: 'Collect the evaluation report', owner: CORA, due: '2026-06-12' });
  create('certification', { body: 'Certifier, Inc.', stage1_date: '2026-07-01', stage2_date: '2026-09-01' });
  create('audits', { title: 'Internal audit', requirements: ['9.2'], lead_auditor: ADMIN,
    planned_start: '2026-06-20' });
  b = await openBrowser();
  await signIn(b.page, env.url, CORA);
});

after(async () => {
  await b?.close();
  await env?.cleanup();
});

test('My work groups the person\'s work, escaped, with links to the records', async () => {
  const { page, watch } = b;
  await page.goto(`${env.url}/o/acme/`);
  await page.click('nav.side a[href="/o/acme/my-work"]');
  assert.equal(await page.locator('h1').textContent(), 'My work');
  assert.equal(await page.locator('#w-overdue [data-count]').textContent(), '1');
  assert.equal(await page.locator('#w-this_week [data-count]').textContent(), '1');
  const overdue = page.locator('#w-overdue tbody tr');
  assert.match(await overdue.textContent(), /2026-05-01\s*Risk review\s*RISK-1 Drift in the <b>triage<\/b> model/);
  assert.equal(await page.locator('#w-overdue b').count(), 0, 'the title is text, not markup');
  await Promise.all([page.waitForNavigation(), overdue.locator('a.ref').click()]);
  assert.match(page.url(), /\/o\/acme\/risks\/RISK-1$/);
  assert.deepEqual(watch.dialogs, []);
  assert.deepEqual(watch.errors, []);
});

test('a task made from the page is its owner\'s, and the bell tells them', async () => {
  const { page } = b;
  await page.goto(`${env.url}/o/acme/my-work`);
  assert.equal(await page.locator('a.bell').getAttribute('data-unread'), '2');
  await Promise.all([page.waitForNavigation(), page.click('a.btn:has-text("New task")')]);
  await page.fill('[name="title"]', 'Ask the vendor for the model card');
  await page.selectOption('[name="owner"]', ADMIN);
  await page.fill('[name="due"]', '2026-06-11');
  assert.equal(await submit(page), 200);
  await page.goto(`${env.url}/o/acme/my-work`);
  const assigned = page.locator('#w-assigned_by_me');
  assert.equal(await assigned.locator('[data-count]').textContent(), '1');
  assert.match(await assigned.textContent(), /Ask the vendor for the model card/);
  assert.deepEqual(await assigned.locator('thead th').allTextContents(), ['Due', 'What', 'Record', 'Owner']);
  assert.doesNotMatch(await assigned.textContent(), /<th/, 'no markup shown as text');
  await page.click('a.bell');
  assert.match(await page.locator('ul.notifications').textContent(), /made you the owner of risk RISK-1/);
  await Promise.all([page.waitForNavigation(), page.click('button:has-text("Mark all read")')]);
  assert.equal(await page.locator('a.bell').getAttribute('data-unread'), '0');
  await shot(page, 'notifications');
});

test('the mail choice and a calendar feed, from the page', async () => {
  const { page } = b;
  await page.goto(`${env.url}/o/acme/my-work`);
  await page.check('input[name="mail"][value="digest"]');
  await Promise.all([page.waitForNavigation(), page.click('#w-settings button:has-text("Save")')]);
  assert.equal(await page.locator('input[name="mail"][value="digest"]').isChecked(), true);
  await Promise.all([page.waitForNavigation(), page.click('button:has-text("Make a feed")')]);
  const url = (await page.locator('[data-feed-url] .feed-url').textContent()).trim();
  assert.match(url, /^\/ical\/\d+-[A-Za-z0-9_-]{43}\.ics$/);
  await shot(page, 'my-work');
  const feed = await request(env.url, 'GET', url);
  assert.equal(feed.status, 200);
  assert.match(feed.text, /SUMMARY:RISK-1: Drift in the <b>triage<\/b> model \(risk review\)/);
  await page.goto(`${env.url}/o/acme/my-work`);
  assert.equal(await page.locator('[data-feed-url]').count(), 0, 'the URL is shown once');
  await Promise.all([page.waitForNavigation(), page.click('#w-settings button:has-text("Revoke")')]);
  assert.equal((await request(env.url, 'GET', url)).status, 404);
});

test('the calendar page lists the external audits with what to hold before each', async () => {
  const { page } = b;
  await page.goto(`${env.url}/o/acme/`);
  const card = page.locator('section[aria-labelledby="d-next-audit"]');
  assert.match(await card.textContent(), /21 days/);
  await Promise.all([page.waitForNavigation(), card.locator('a').click()]);
  assert.match(await page.locator('[data-next]').textContent(), /Stage 1 audit on 2026-07-01, in 21 days/);
  const first = page.locator('ol.calendar > li').first();
  assert.match(await first.textContent(), /Internal audit.*to hold/s);
  await shot(page, 'calendar');
});
