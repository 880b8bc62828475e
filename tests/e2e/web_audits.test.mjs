// web_audits.test.mjs - the auditor's journey in the browser: My audits in
// the navigation, the checklist page where a row is saved in place with
// Ctrl+Enter and the next row takes the focus, a finding recorded from the
// row (the form comes filled with the audit and the requirement) raising
// its nonconformity, and the report page. Without script the same row posts
// as a plain form and comes back to its place; someone outside the audit
// team sees the checklist read-only.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { aimsOk, request, setup, signIn as apiSignIn } from './lib.mjs';
import { openBrowser, shot, signIn, submit } from './browser.mjs';
import { strictWrites } from './lib.mjs';

// Every change these journeys make goes through the server's writer.
strictWrites();

const ANN = 'ann@example.com';
const BEN = 'ben@example.com';
const ED = 'ed@example.com';
const A = '/api/v1/orgs/acme';

let env;
let b;
const s = {};

async function ok(method, path, who, body, status = 200) {
  const r = await request(env.url, method, A + path, { auth: s[who], body });
  assert.equal(r.status, status, `${method} ${path}: ${r.text}`);
  return r.json;
}

before(async () => {
  env = await setup();
  for (const [email, name, role] of [[ANN, 'Ann Smith', 'manager'], [BEN, 'Ben Jones', 'manager'],
    [ED, 'Ed Evans', 'auditor']]) {
    aimsOk(['user', 'add', email, '--name', name, '--password-stdin', '--db', env.db],
      { input: 'correct horse battery staple\n' });
    aimsOk(['member', 'add', email, '--org', 'acme', '--role', role, '--db', env.db]);
    s[email] = await apiSignIn(env.url, email);
  }
  await ok('POST', '/audit-programmes', ANN, { title: 'Programme 2026-2028',
    period_start: '2026-01-01', period_end: '2028-12-31' }, 201);
  await ok('PATCH', '/audit-programmes/PROG-1', ANN, { status: 'in_review' });
  await ok('PATCH', '/audit-programmes/PROG-1', BEN, { status: 'approved' });
  await ok('POST', '/measures', ANN, { title: 'Risk method', requirements: ['6.1.2'] }, 201);
  await ok('POST', '/audits', ED, { title: 'Planning audit', programme: 'PROG-1',
    requirements: ['6.1.2', '9.1'], lead_auditor: ED, planned_start: '2026-12-10' }, 201);
  await ok('PATCH', '/audits/AUD-1', ED, { status: 'in_progress' });
  b = await openBrowser();
});
after(async () => {
  await b?.close();
  await env?.cleanup();
});

test('my audits, a checklist row saved in place, then a finding', async () => {
  const { page, watch } = b;
  await signIn(page, env.url, ED);
  await Promise.all([page.waitForNavigation(), page.click('nav.side a:has-text("My audits")')]);
  assert.match(page.url(), /\/o\/acme\/my-audits$/);
  assert.match(await page.textContent('main table'), /AUD-1 Planning audit/);
  await Promise.all([page.waitForNavigation(), page.click('main a:has-text("Checklist")')]);
  assert.match(page.url(), /\/o\/acme\/audits\/AUD-1\/checklist$/);
  const checklistUrl = page.url();
  // Fast entry: type, choose, Ctrl+Enter; the row saves where it is.
  await page.fill('#ck-0-notes', 'Method followed; two risks have no owner.');
  await page.fill('#ck-0-sampled', 'MEA-1');
  await page.selectOption('#ck-0-conclusion', 'minor_nc');
  await page.focus('#ck-0-notes');
  await page.keyboard.press('Control+Enter');
  await page.waitForFunction(() =>
    document.querySelector('[id="row-6.1.2"] .soa-msg')?.textContent === 'Saved');
  assert.equal(page.url(), checklistUrl, 'no page load');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'ck-1-notes',
    'the next row has the focus');
  await shot(page, 'audit-checklist');
  const audit = await ok('GET', '/audits/AUD-1', ED);
  assert.deepEqual(audit.checklist[0], { requirement: '6.1.2',
    notes: 'Method followed; two risks have no owner.', sampled: ['MEA-1'],
    conclusion: 'minor_nc' });
  // A wrong reference is refused in place, with the row as typed.
  await page.fill('#ck-1-sampled', 'NOPE-9');
  await page.click('[id="row-9.1"] button[type=submit]');
  await page.waitForFunction(() =>
    document.querySelector('[id="row-9.1"] .soa-msg')?.textContent === 'Not saved');
  assert.match(await page.textContent('[id="row-9.1"] .error'), /NOPE-9/);
  assert.equal(await page.inputValue('#ck-1-sampled'), 'NOPE-9');
  // A finding from the row: the form knows the audit and the requirement.
  await Promise.all([page.waitForNavigation(),
    page.click('[id="row-6.1.2"] a:has-text("Record a finding")')]);
  assert.equal(await page.inputValue('#f-audit'), 'AUD-1');
  assert.equal(await page.inputValue('#f-requirement'), '6.1.2');
  await page.selectOption('#f-type', 'minor_nc');
  await page.fill('#f-description', 'Two risks in the register have no owner.');
  assert.equal(await submit(page), 200);
  assert.match(page.url(), /\/o\/acme\/audit-findings\/FND-1$/);
  assert.match(await page.textContent('main'), /NC-1/);
  // Back on the checklist, the finding is listed with its nonconformity.
  await page.goto(checklistUrl);
  assert.match(await page.textContent('#findings + table'), /FND-1 Two risks in the register have no owner\.\s*Minor nonconformity\s*6\.1\.2\s*NC-1/);
  // The report page, from the audit's page.
  await page.goto(`${env.url}/o/acme/audits/AUD-1`);
  await Promise.all([page.waitForNavigation(), page.click('main .actions a:has-text("Report")')]);
  assert.match(await page.textContent('main h1'), /Internal audit report: AUD-1/);
  assert.match(await page.textContent('main'), /FND-1/);
  assert.match(await page.textContent('main'), /not been issued/);
  assert.deepEqual(watch.errors, []);
  assert.deepEqual(watch.dialogs, []);
});

test('without script the row posts as a form; others read it only', async () => {
  const page = await request(env.url, 'GET', '/o/acme/audits/AUD-1/checklist', { auth: s[ED] });
  const csrf = page.text.match(/name="_csrf" value="([^"]+)"/)[1];
  const body = new URLSearchParams({ _csrf: csrf, notes: 'Readings kept monthly',
    sampled: '', conclusion: 'conforming' }).toString();
  let r = await request(env.url, 'POST', '/o/acme/audits/AUD-1/checklist/9.1', { auth: s[ED],
    body, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), '/o/acme/audits/AUD-1/checklist#row-9.1');
  const audit = await ok('GET', '/audits/AUD-1', ED);
  assert.deepEqual(audit.checklist[1], { requirement: '9.1', notes: 'Readings kept monthly',
    conclusion: 'conforming' });
  // A manager outside the team reads the checklist without forms.
  r = await request(env.url, 'GET', '/o/acme/audits/AUD-1/checklist', { auth: s[ANN] });
  assert.equal(r.status, 200);
  assert.match(r.text, /Only the lead auditor and the audit team record the checklist/);
  assert.ok(!r.text.includes('data-soa'));
  assert.ok(r.text.includes('Readings kept monthly'));
  const csrfAnn = r.text.match(/name="_csrf" value="([^"]+)"/)[1];
  r = await request(env.url, 'POST', '/o/acme/audits/AUD-1/checklist/9.1', { auth: s[ANN],
    body: new URLSearchParams({ _csrf: csrfAnn, notes: 'x' }).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  assert.equal(r.status, 403);
  // The auditor reads every other record to sample it, and changes none of them.
  r = await request(env.url, 'GET', '/o/acme/measures/MEA-1', { auth: s[ED] });
  assert.equal(r.status, 200);
  assert.match(r.text, /Risk method/);
  assert.ok(!r.text.includes('data-shortcut="e"'), 'no Edit for the auditor');
  r = await request(env.url, 'GET', '/o/acme/measures/MEA-1/edit', { auth: s[ED] });
  assert.equal(r.status, 403);
  // The programme's coverage page.
  r = await request(env.url, 'GET', '/o/acme/audit-programmes/PROG-1/coverage', { auth: s[ED] });
  assert.equal(r.status, 200);
  assert.match(r.text, /id="cov-6.1.2"/);
  assert.match(r.text, /Not covered within the period/);
});
