// Sign-in, sign-out, who-am-I, wrong passwords, throttling and the
// same-origin rule for cookie-authenticated writes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, request, signIn, addMember, ADMIN, PASSWORD } from './lib.mjs';
import { strictWrites } from './lib.mjs';

// Every change these journeys make goes through the server's writer.
strictWrites();

let env;
before(async () => { env = await setup(); });
after(async () => { await env.cleanup(); });

test('sign in sets a hardened cookie and answers the user and organisations', async () => {
  const r = await request(env.url, 'POST', '/api/v1/session', { body: { email: ADMIN, password: PASSWORD } });
  assert.equal(r.status, 200);
  const cookie = r.headers.get('set-cookie');
  assert.match(cookie, /^aims_session=[A-Za-z0-9_-]{43};/);
  assert.match(cookie, /HttpOnly/);
  assert.match(cookie, /SameSite=Lax/);
  assert.match(cookie, /Path=\//);
  assert.doesNotMatch(cookie, /Secure/);
  assert.equal(r.json.user.email, ADMIN);
  assert.deepEqual(r.json.organisations.map((o) => [o.slug, o.role]), [['acme', 'admin']]);
  assert.equal(typeof r.json.csrf_token, 'string');
});

test('GET /session says who is signed in; DELETE signs out for good', async () => {
  const s = await signIn(env.url);
  let r = await request(env.url, 'GET', '/api/v1/session', { auth: s });
  assert.equal(r.status, 200);
  assert.equal(r.json.user.email, ADMIN);
  r = await request(env.url, 'DELETE', '/api/v1/session', { auth: s });
  assert.equal(r.status, 204);
  assert.match(r.headers.get('set-cookie'), /Max-Age=0/);
  r = await request(env.url, 'GET', '/api/v1/session', { auth: s });
  assert.equal(r.status, 401);
  assert.equal(r.json.error.code, 'unauthenticated');
});

test('unknown user and wrong password answer alike', async () => {
  const a = await request(env.url, 'POST', '/api/v1/session', { body: { email: ADMIN, password: 'nope nope nope' } });
  const b = await request(env.url, 'POST', '/api/v1/session', { body: { email: 'ghost@example.com', password: 'nope nope nope' } });
  assert.equal(a.status, 401);
  assert.equal(b.status, 401);
  assert.deepEqual(a.json, b.json);
  assert.equal(a.headers.get('set-cookie'), null);
});

test('unknown and wrong passwords answer alike after the same work', async () => {
  addMember(env.db, 'timing@example.com', 'viewer');
  const verifications = async () => {
    const m = await request(env.url, 'GET', '/metrics');
    return Number(/^aims_password_verifications_total (\d+)$/m.exec(m.text)[1]);
  };
  const attempt = (email) => request(env.url, 'POST', '/api/v1/session',
    { body: { email, password: 'wrong wrong wrong' } });
  let n = await verifications();
  const known = await attempt('timing@example.com');
  assert.equal(await verifications(), n + 1, 'a wrong password runs one argon2id verification');
  n += 1;
  const unknown = await attempt('nobody-at-all@example.com');
  // An unknown account is verified against a dummy hash: the same work, no early answer.
  assert.equal(await verifications(), n + 1, 'an unknown account runs one argon2id verification');
  assert.equal(known.status, 401);
  assert.equal(unknown.status, 401);
  assert.equal(unknown.text, known.text);
});

test('a cookie-authenticated write needs a same-origin Origin or the CSRF token', async () => {
  const s = await signIn(env.url);
  const body = { name: 'ci', role: 'viewer' };
  let r = await request(env.url, 'POST', '/api/v1/orgs/acme/tokens', { auth: s, body, origin: false });
  assert.equal(r.status, 403);
  assert.equal(r.json.error.field, 'Origin');
  r = await request(env.url, 'POST', '/api/v1/orgs/acme/tokens', { auth: s, body, headers: { origin: 'http://evil.example' } });
  assert.equal(r.status, 403);
  r = await request(env.url, 'POST', '/api/v1/orgs/acme/tokens', { auth: s, body, origin: false, headers: { 'x-csrf-token': s.csrf } });
  assert.equal(r.status, 201);
  r = await request(env.url, 'POST', '/api/v1/orgs/acme/tokens', { auth: s, body: { name: 'ci2', role: 'viewer' } });
  assert.equal(r.status, 201);
});

test('repeated failures are throttled with Retry-After, and the pause ends', async () => {
  const email = 'throttle-me@example.com';
  let r;
  for (let i = 0; i < 5; i++) {
    r = await request(env.url, 'POST', '/api/v1/session', { body: { email, password: 'bad password!' } });
    assert.equal(r.status, 401);
  }
  r = await request(env.url, 'POST', '/api/v1/session', { body: { email, password: 'bad password!' } });
  assert.equal(r.status, 429);
  assert.equal(r.json.error.code, 'throttled');
  const wait = Number(r.headers.get('retry-after'));
  assert.ok(wait > 0 && wait <= 900, `Retry-After ${wait}`);
  // Other accounts from elsewhere are not affected by this account's pause.
  await signIn(env.url);
  // An hour later (a server whose clock says so) the account may try again.
  const later = new Date(Date.now() + 3600 * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
  await env.restart({ env: { AIMS_FAKE_NOW: later } });
  r = await request(env.url, 'POST', '/api/v1/session', { body: { email, password: 'bad password!' } });
  assert.equal(r.status, 401);
  await env.restart();
});

test('too many failures from one address are throttled too', async () => {
  let r;
  for (let i = 0; i < 25; i++) {
    r = await request(env.url, 'POST', '/api/v1/session', { body: { email: `spray${i}@example.com`, password: 'guess guess guess' } });
    if (r.status === 429) break;
  }
  assert.equal(r.status, 429);
  // Even the right password waits now: the address is paused.
  r = await request(env.url, 'POST', '/api/v1/session', { body: { email: ADMIN, password: PASSWORD } });
  assert.equal(r.status, 429);
  assert.ok(Number(r.headers.get('retry-after')) > 0);
});
