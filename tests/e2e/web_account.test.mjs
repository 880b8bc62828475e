// web_account.test.mjs - changing your own password in the browser: reached
// from your name in the header, the current password checked, the new one
// typed twice, and every other session of yours ended while this one stays.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { PASSWORD, addMember, setup } from './lib.mjs';
import { openBrowser, shot, signIn, submit } from './browser.mjs';
import { strictWrites } from './lib.mjs';

// Every change these journeys make goes through the server's writer.
strictWrites();

const NEW = 'a new and longer password';
let env, here, elsewhere;

before(async () => {
  env = await setup();
  addMember(env.db, 'sam@example.com', 'contributor');
  here = await openBrowser();
  elsewhere = await openBrowser();
  await signIn(here.page, env.url, 'sam@example.com');
  await signIn(elsewhere.page, env.url, 'sam@example.com');
});
after(async () => {
  await here?.close();
  await elsewhere?.close();
  await env?.cleanup();
});

async function fill(page, current, next, again = next) {
  await page.fill('#current_password', current);
  await page.fill('#new_password', next);
  await page.fill('#new_password_again', again);
}

test('a wrong current password or two different new ones change nothing', async () => {
  const { page } = here;
  await page.goto(`${env.url}/o/acme/`);
  await Promise.all([page.waitForNavigation(), page.click('header .who')]);
  assert.match(page.url(), /\/account$/);
  await Promise.all([page.waitForNavigation(), page.click('main a:has-text("Change your password")')]);
  assert.match(page.url(), /\/account\/password$/);
  assert.match(await page.textContent('main'), /Signed in as sam@example\.com/);
  await fill(page, 'not my password at all', NEW);
  assert.equal(await submit(page), 403);
  assert.match(await page.textContent('#pw-error'), /^The current password is wrong\.$/);
  assert.equal(await page.getAttribute('#current_password', 'aria-invalid'), 'true');
  await fill(page, PASSWORD, NEW, `${NEW}!`);
  assert.equal(await submit(page), 422);
  assert.match(await page.textContent('#pw-error'), /two new passwords differ/);
  assert.equal(await page.getAttribute('#new_password_again', 'aria-invalid'), 'true');
  // Both sessions still work.
  assert.equal((await elsewhere.page.goto(`${env.url}/o/acme/`)).status(), 200);
});

test('a new password ends the other sessions and keeps this one', async () => {
  const { page } = here;
  await page.goto(`${env.url}/account/password`);
  await fill(page, PASSWORD, NEW);
  assert.equal(await submit(page), 200);
  assert.match(await page.textContent('.flash.ok'), /password is changed/);
  await shot(page, 'password-changed');
  assert.equal((await page.goto(`${env.url}/o/acme/`)).status(), 200);
  await elsewhere.page.goto(`${env.url}/o/acme/`);
  assert.match(elsewhere.page.url(), /\/sign-in/);
  await signIn(elsewhere.page, env.url, 'sam@example.com', NEW);
  assert.doesNotMatch(elsewhere.page.url(), /\/sign-in/);
});
