// web_members.test.mjs - the members page in the browser: everyone sees who
// belongs with which role; an admin disables an account (after a question),
// which ends that person's open session at once, and enables it again.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN, addMember, setup } from './lib.mjs';
import { openBrowser, shot, signIn } from './browser.mjs';
import { strictWrites } from './lib.mjs';

// Every change these journeys make goes through the server's writer.
strictWrites();

let env, admin, member;

before(async () => {
  env = await setup();
  addMember(env.db, 'pat@example.com', 'contributor');
  addMember(env.db, 'vic@example.com', 'viewer');
  admin = await openBrowser();
  member = await openBrowser();
  await signIn(admin.page, env.url, ADMIN);
  await signIn(member.page, env.url, 'pat@example.com');
});
after(async () => {
  await admin?.close();
  await member?.close();
  await env?.cleanup();
});

// Clicks a button whose form asks first, answers yes, and waits for the next page.
async function confirmAndSubmit(page, selector) {
  const asked = [];
  const answer = async (d) => { asked.push(d.message()); await d.accept(); };
  page.removeAllListeners('dialog');	// the watcher would dismiss it
  page.once('dialog', answer);
  const [resp] = await Promise.all([page.waitForNavigation(), page.click(selector)]);
  return { status: resp ? resp.status() : 0, asked };
}

test('a member sees the members and no admin buttons', async () => {
  const { page } = member;
  const resp = await page.goto(`${env.url}/o/acme/members`);
  assert.equal(resp.status(), 200);
  const rows = await page.$$eval('main tbody tr', (trs) => trs.map((tr) => tr.textContent));
  assert.ok(rows.some((r) => /vic@example\.com.*Viewer.*Active/s.test(r)), rows.join('\n'));
  assert.equal(await page.$$eval('main form button', (b) => b.length), 0);
  assert.equal(await page.getAttribute('nav.side a[aria-current=page]', 'href'), '/o/acme/members');
});

test('an admin disables an account: its open session ends; enabling lets it sign in again', async () => {
  const { page } = admin;
  await page.goto(`${env.url}/o/acme/members`);
  assert.deepEqual(await page.$$eval('main thead th', (th) => th.map((t) => t.textContent)),
    ['Email', 'Name', 'Role', 'Account', 'Actions']);
  assert.doesNotMatch(await page.textContent('main'), /<th/);
  // No button against oneself.
  const own = await page.textContent('main tbody tr:has-text("admin@example.com")');
  assert.match(own, /You/);
  const r = await confirmAndSubmit(page, 'main tbody tr:has-text("pat@example.com") button.danger:has-text("able")');
  assert.equal(r.status, 200);
  assert.match(r.asked[0], /revoke its API tokens: pat@example\.com\?/);
  assert.match(await page.textContent('.flash'), /account is disabled/);
  assert.match(await page.textContent('main tbody tr:has-text("pat@example.com")'), /Disabled/);
  await shot(page, 'members-disabled');
  // The member's open page now asks them to sign in, and signing in fails.
  const back = await member.page.goto(`${env.url}/o/acme/`);
  assert.match(back.url(), /\/sign-in/);
  await signIn(member.page, env.url, 'pat@example.com');
  assert.match(member.page.url(), /\/sign-in/);
  const e = await confirmAndSubmit(page, 'main tbody tr:has-text("pat@example.com") button:has-text("Enable")');
  assert.equal(e.status, 200);
  assert.match(await page.textContent('.flash'), /may sign in again/);
  await signIn(member.page, env.url, 'pat@example.com');
  assert.doesNotMatch(member.page.url(), /\/sign-in/);
});

test('a post without the form token is refused and changes nothing', async () => {
  const { page } = admin;
  await page.goto(`${env.url}/o/acme/members`);
  const status = await page.evaluate(async () => {
    const r = await fetch('/o/acme/members/vic@example.com/disable', { method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '' });
    return r.status;
  });
  assert.equal(status, 403);
  await page.reload();
  assert.match(await page.textContent('main tbody tr:has-text("vic@example.com")'), /Active/);
});
