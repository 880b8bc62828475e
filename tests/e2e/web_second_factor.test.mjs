// web_second_factor.test.mjs - the TOTP second factor in the browser: a
// person invited by e-mail accepts, sets up an authenticator from the QR
// code's key, and from then on signs in with a code; a code is never
// accepted twice, recovery codes work once, wrong codes are throttled, the
// API takes no password sign-in for such an account, an organisation can
// require the factor of its members, and the ledger commits to it (a
// swapped key fails `aims verify`); signing in with a code, and out, changes
// nothing beside the server's writer. The server's clock is pinned
// (AIMS_FAKE_NOW) so the codes below are the ones it expects.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import {
  ADMIN, PG_URL, addMember, aims, request, setup, signIn as apiSignIn, sqlBehind,
} from './lib.mjs';
import { openBrowser, shot, signIn, submit } from './browser.mjs';
import { strictWrites } from './lib.mjs';

// Every change these journeys make goes through the server's writer.
strictWrites();

const NOW = '2026-06-01T10:00:10Z';
const T = Math.floor(Date.parse(NOW) / 1000 / 30);
const PASS = 'nia has a long password';
let env, admin, nia, key, recovery;

// RFC 6238 with HMAC-SHA1 and six digits, as an authenticator app computes it.
function base32(s) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const ch of s.replace(/=+$/, '')) bits += alphabet.indexOf(ch).toString(2).padStart(5, '0');
  const out = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) out.push(parseInt(bits.slice(i, i + 8), 2));
  return Buffer.from(out);
}
function totp(secret, step) {
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(step));
  const h = createHmac('sha1', base32(secret)).update(msg).digest();
  const o = h[h.length - 1] & 15;
  return String((h.readUInt32BE(o) & 0x7fffffff) % 1e6).padStart(6, '0');
}

before(async () => {
  env = await setup({ env: { AIMS_FAKE_NOW: NOW } });
  addMember(env.db, 'mo@example.com', 'manager');
  admin = await openBrowser();
  nia = await openBrowser();
  await signIn(admin.page, env.url, ADMIN);
});
after(async () => {
  await admin?.close();
  await nia?.close();
  await env?.cleanup();
});

async function passwordStep(page, email, password) {
  await page.goto(`${env.url}/sign-in`);
  await page.fill('#email', email);
  await page.fill('#password', password);
  return submit(page);
}
async function codeStep(page, code) {
  await page.fill('#f-code', code);
  return submit(page);
}
async function signOut(page) {
  await Promise.all([page.waitForNavigation(), page.click('button:has-text("Sign out")')]);
}
// Changes requests made beside the server's writer so far (/metrics): signing in with a
// code, and out, makes none.
let metricsToken;
async function strayWrites() {
  metricsToken ??= JSON.parse(aims(['token', 'create', '--db', env.db, '--org', 'acme', '--name',
    'metrics', '--role', 'admin', '--format', 'json']).stdout).token;
  const m = await request(env.url, 'GET', '/metrics', { auth: { token: metricsToken } });
  return Number(/^aims_db_stray_writes_total (\d+)$/m.exec(m.text)[1]);
}

test('invite -> accept -> set up the second factor -> sign in with a code', async () => {
  await admin.page.goto(`${env.url}/o/acme/members`);
  await admin.page.fill('#invite-email', 'nia@example.com');
  await admin.page.selectOption('#invite-role', 'contributor');
  await submit(admin.page, 'form[action$="/members/invite"] button');
  const link = await admin.page.inputValue('#link-once');

  const { page } = nia;
  await page.goto(link);
  await page.fill('#f-display_name', 'Nia');
  await page.fill('#f-password', PASS);
  await page.fill('#f-password_again', PASS);
  await submit(page);
  await page.fill('#email', 'nia@example.com');
  await page.fill('#password', PASS);
  await submit(page);
  assert.match(page.url(), /\/o\/acme\/$/);

  await page.goto(`${env.url}/account`);
  assert.match(await page.textContent('main'), /Off: signing in asks only for your password/);
  await Promise.all([page.waitForNavigation(), page.click('main a:has-text("Set up a second factor")')]);
  await submit(page, 'form[action="/account/second-factor/start"] button');
  assert.equal(await page.$$eval('svg.qr[role=img][aria-label]', (s) => s.length), 1);
  assert.ok((await page.$$eval('svg.qr path', (p) => p[0].getAttribute('d').length)) > 100);
  key = await page.inputValue('#totp-key');
  assert.match(key, /^[A-Z2-7]{32}$/);
  await shot(page, 'second-factor-setup');
  // A wrong code keeps it off and shows the same key again.
  assert.equal(await codeStep(page, totp(key, T + 5)), 422);
  assert.equal(await page.inputValue('#totp-key'), key);
  assert.equal(await codeStep(page, totp(key, T)), 200);
  recovery = await page.$$eval('ul.codes code', (c) => c.map((e) => e.textContent));
  assert.equal(recovery.length, 10);
  assert.equal(new Set(recovery).size, 10);
  for (const r of recovery) assert.match(r, /^[a-z2-9_]{4}(-[a-z2-9_]{4}){3}$/);

  await signOut(page);
  await passwordStep(page, 'nia@example.com', PASS);
  assert.match(page.url(), /\/sign-in\/code$/);
  assert.equal(await codeStep(page, totp(key, T + 1)), 200);
  assert.match(page.url(), /\/o\/acme\/$/);
  await page.goto(`${env.url}/account`);
  assert.match(await page.textContent('main'), /On: signing in asks for a code/);
});

test('a code is accepted once: the same code or an older one is refused', async () => {
  const { page } = nia;
  const strays = await strayWrites();
  await signOut(page);
  await passwordStep(page, 'nia@example.com', PASS);
  assert.equal(await codeStep(page, totp(key, T + 1)), 401);
  assert.match(await page.textContent('#form-error'), /not right, or was already used/);
  assert.equal(await codeStep(page, totp(key, T)), 401);
  assert.match(page.url(), /\/sign-in\/code$/);
  assert.equal(await strayWrites(), strays, 'every change went through the writer');
});

test('a recovery code signs in once', async () => {
  const { page } = nia;
  const strays = await strayWrites();
  await passwordStep(page, 'nia@example.com', PASS);
  assert.equal(await codeStep(page, recovery[0].toUpperCase()), 200);
  assert.match(page.url(), /\/o\/acme\/$/);
  await signOut(page);
  await passwordStep(page, 'nia@example.com', PASS);
  assert.equal(await codeStep(page, recovery[0]), 401);
  assert.equal(await strayWrites(), strays, 'every change went through the writer');
});

test('without the password step there is nothing to complete; the API refuses a password alone', async () => {
  const fresh = await request(env.url, 'POST', '/sign-in/code', { headers: {
    'content-type': 'application/x-www-form-urlencoded', origin: env.url },
  body: `code=${totp(key, T + 1)}` });
  assert.equal(fresh.status, 403);
  const api = await request(env.url, 'POST', '/api/v1/session',
    { body: { email: 'nia@example.com', password: PASS } });
  assert.equal(api.status, 403);
  assert.match(api.json.error.message, /second factor/);
  assert.equal(api.headers.get('set-cookie'), null);
});

test('wrong codes are throttled per account', async () => {
  const { page } = nia;
  await passwordStep(page, 'nia@example.com', PASS);
  let status;
  for (let i = 0; i < 5; i++) status = await codeStep(page, '000000');
  assert.equal(status, 429);
  assert.match(await page.textContent('main'), /Too many wrong codes/);
  // While paused even the right code waits.
  assert.equal(await codeStep(page, recovery[1]), 429);
});

test('an organisation that requires a second factor sends members without one to set it up', async () => {
  const { page } = admin;
  await page.goto(`${env.url}/o/acme/settings`);
  await page.check('#f-require_second_factor');
  await submit(page);
  // The admin has none: the settings page they come back to asks for it, as every page of acme.
  assert.match(page.url(), /\/account\/second-factor\?for=acme$/);
  const r = await page.goto(`${env.url}/o/acme/`);
  assert.match(page.url(), /\/account\/second-factor\?for=acme$/);
  assert.equal(r.status(), 200);
  assert.match(await page.textContent('main'), /acme requires a second factor/);
  const mo = await apiSignIn(env.url, 'mo@example.com');
  const api = await request(env.url, 'GET', '/api/v1/orgs/acme/ai-systems', { auth: mo });
  assert.equal(api.status, 403);
});

test('the ledger commits to the second factor: a swapped key fails verification', () => {
  const ok = aims(['verify', '--db', env.db]);
  assert.equal(ok.status, 0, ok.stderr);
  // 20 random bytes in each store's own words.
  const random20 = PG_URL ? 'substring(sha256(random()::text::bytea) from 1 for 20)' : 'randomblob(20)';
  sqlBehind(env.db, `UPDATE user_totp SET secret = ${random20} ` +
    "WHERE user_id = (SELECT id FROM users WHERE email = 'nia@example.com')");
  const bad = aims(['verify', '--db', env.db]);
  assert.notEqual(bad.status, 0);
  assert.match(bad.stdout + bad.stderr, /nia@example\.com/);
});

test('the second-factor forms refuse a post without the form token', async () => {
  const auth = await apiSignIn(env.url, 'mo@example.com');
  for (const p of ['/account/second-factor/start', '/account/second-factor/confirm',
    '/account/second-factor/disable']) {
    const r = await request(env.url, 'POST', p, { auth: { cookie: auth.cookie }, headers: {
      'content-type': 'application/x-www-form-urlencoded' }, body: 'code=123456' });
    assert.equal(r.status, 403, p);
  }
});

test('the operator turns off a lost second factor: ledgered, and the password alone signs in again', async () => {
  const off = aims(['user', 'second-factor-off', 'nia@example.com', '--db', env.db]);
  assert.equal(off.status, 0, off.stderr);
  assert.match(off.stdout, /second factor off: nia@example\.com/);
  const again = aims(['user', 'second-factor-off', 'nia@example.com', '--db', env.db]);
  assert.notEqual(again.status, 0);
  assert.match(again.stderr, /has no second factor on/);
  const api = await request(env.url, 'POST', '/api/v1/session',
    { body: { email: 'nia@example.com', password: PASS } });
  assert.equal(api.status, 200);
  assert.match(aims(['user', 'second-factor-off', '--help']).stdout, /second-factor-off EMAIL/);
});
