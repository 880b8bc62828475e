// web_readiness.test.mjs - the readiness page in the browser: verdicts and
// reasons that link to the records to fix, the verdict moving as records are
// added, and the dashboard showing the score from the stored evaluation.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN, addMember, aimsOk, setup } from './lib.mjs';
import { openBrowser, shot, signIn } from './browser.mjs';

let env;
let b;

before(async () => {
  env = await setup();
  addMember(env.db, 'approver@example.com', 'manager');
  aimsOk(['record', 'create', 'ai-systems', '--org', 'acme', '--as', ADMIN, '--db', env.db, '--json',
    JSON.stringify({ name: 'Unassessed triage model', in_scope: true })]);
  b = await openBrowser();
  await signIn(b.page, env.url, ADMIN);
});
after(async () => {
  await b?.close();
  await env?.cleanup();
});

test('the readiness page names the gaps and links to the records to fix', async () => {
  const { page } = b;
  await page.goto(`${env.url}/o/acme/readiness`);
  assert.equal(await page.textContent('h1'), 'Certification readiness');
  assert.match(await page.textContent('#rd-stage1 + p'), /Not ready/);
  const row = page.locator('#req-4\\.3');
  assert.match(await row.textContent(), /(Not|Partly) met.*no approved AIMS scope/s);
  // The in-scope AI system without a risk is named and links to its page.
  const link = page.locator('a.ref[href="/o/acme/ai-systems/AIS-1"]').first();
  assert.equal(await link.count(), 1);
  await shot(page, 'readiness');
  await Promise.all([page.waitForNavigation(), link.click()]);
  assert.match(page.url(), /\/o\/acme\/ai-systems\/AIS-1$/);
  await page.goto(`${env.url}/o/acme/readiness?status=met`);
  assert.equal(await page.locator('tbody .t-not_met').count(), 0);
});

test('approving the scope moves its requirement, and the dashboard shows the score', async () => {
  const { page } = b;
  await page.goto(`${env.url}/o/acme/readiness`);
  const before = await page.textContent('#req-4\\.3');
  aimsOk(['record', 'create', 'scope', '--org', 'acme', '--as', ADMIN, '--db', env.db, '--json',
    JSON.stringify({ statement: 'All AI systems of Acme.', boundaries: 'Acme Ltd' })]);
  // Approved by a manager other than its author.
  aimsOk(['record', 'update', 'scope', '--org', 'acme', '--as', 'approver@example.com', '--db',
    env.db, '--json', JSON.stringify({ status: 'approved' })]);
  await page.goto(`${env.url}/o/acme/readiness`);
  const after = await page.textContent('#req-4\\.3');
  assert.notEqual(after, before);
  assert.doesNotMatch(after, /no approved AIMS scope/);
  await page.goto(`${env.url}/o/acme/`);
  assert.match(await page.textContent('#d-readiness + p'), /\d+%.*Stage 1/s);
  await shot(page, 'dashboard-readiness');
});
