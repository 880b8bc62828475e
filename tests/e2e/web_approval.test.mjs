// web_approval.test.mjs - approval in the browser: the author of a document
// submits it for review and then sees Approve disabled with the reason in
// words; another manager signs in and approves it with one click; editing
// the approved document warns that it starts a revision, and the approved
// version stays in force until the revision is approved.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { aimsOk, setup } from './lib.mjs';
import { openBrowser, shot, signIn, submit } from './browser.mjs';
import { strictWrites } from './lib.mjs';

// Every change these journeys make goes through the server's writer.
strictWrites();

const ANN = 'ann@example.com';
const BEN = 'ben@example.com';

let env;
let b;

before(async () => {
  env = await setup();
  for (const [email, name] of [[ANN, 'Ann Smith'], [BEN, 'Ben Jones']]) {
    aimsOk(['user', 'add', email, '--name', name, '--password-stdin', '--db', env.db],
      { input: 'correct horse battery staple\n' });
    aimsOk(['member', 'add', email, '--org', 'acme', '--role', 'manager', '--db', env.db]);
  }
  b = await openBrowser();
});
after(async () => {
  await b?.close();
  await env?.cleanup();
});

async function signOut(page) {
  await Promise.all([page.waitForNavigation(), page.click('form[action="/sign-out"] button')]);
}

test('the author sees Approve disabled with the reason; another manager approves', async () => {
  const { page } = b;
  await signIn(page, env.url, ANN);
  await page.goto(`${env.url}/o/acme/documents/new`);
  await page.fill('#f-title', 'Responsible AI policy');
  await page.selectOption('#f-kind', 'policy');
  await page.fill('#f-body', 'We use AI with care.');
  assert.equal(await submit(page), 200);
  const url = page.url();
  assert.match(url, /\/o\/acme\/documents\/DOC-1$/);
  // A draft is submitted for review; it cannot be approved straight away.
  assert.equal(await page.locator('button:has-text("Approve")').count(), 0);
  await submit(page, 'button:has-text("Submit for review")');
  const approve = page.locator('button[data-step="approve"]');
  assert.equal(await approve.count(), 1);
  assert.equal(await approve.isDisabled(), true);
  assert.equal(await page.textContent('#why-approve'),
    'Ann Smith wrote it; another manager must approve it.');
  await shot(page, 'approval-author');
  // Choosing the status in the edit form is the same step, refused the same way.
  await page.goto(`${url}/edit`);
  await page.selectOption('#f-status', 'approved');
  assert.equal(await submit(page), 403);
  assert.match(await page.textContent('.error-summary'),
    /Ann Smith wrote it; another manager must approve it/);
  await signOut(page);

  await signIn(page, env.url, BEN);
  await page.goto(url);
  const take = page.locator('form[action$="/workflow"] button:has-text("Approve")');
  assert.equal(await take.isEnabled(), true);
  assert.equal(await submit(page, 'form[action$="/workflow"] button:has-text("Approve")'), 200);
  assert.match(await page.textContent('.flash'), /DOC-1 approved/);
  assert.match(await page.textContent('section[aria-labelledby=h-details]'), /ben@example\.com/);
  assert.equal(b.watch.errors.length, 0);
  await shot(page, 'approval-approved');
});

test('editing the approved document warns first and keeps the approved version in force', async () => {
  const { page } = b;
  await page.goto(`${env.url}/o/acme/documents/DOC-1/edit`);
  assert.match(await page.textContent('#revision-note'),
    /This document is approved\. Saving a change to its content starts a revision/);
  await page.fill('#f-body', 'We use AI with great care.');
  assert.equal(await submit(page), 200);
  assert.match(await page.textContent('#in-force'),
    /Version \d+, as approved by ben@example\.com on .* stays in force/);
  await page.click('tr.approved-version summary');
  assert.match(await page.textContent('tr.approved-version details'), /We use AI with care\./);
  assert.match(await page.textContent('table.history'), /Ben Jones/);
  await shot(page, 'approval-revision');
});
