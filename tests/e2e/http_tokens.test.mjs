// API tokens: shown once, stored hashed, scoped to one organisation and a
// role, revocable, expiring; and the `aims token` commands.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, request, signIn, addOrg, aims, aimsOk, verifyLedger, dumpDb } from './lib.mjs';
import { strictWrites } from './lib.mjs';

// Every change these journeys make goes through the server's writer.
strictWrites();

let env;
let admin;
before(async () => {
  env = await setup();
  addOrg(env.db, 'beta');
  admin = await signIn(env.url);
});
after(async () => { await env.cleanup(); });

test('a token is shown once, listed without its secret, and never stored in clear', async () => {
  const r = await request(env.url, 'POST', '/api/v1/orgs/acme/tokens', { auth: admin, body: { name: 'ci', role: 'contributor' } });
  assert.equal(r.status, 201);
  assert.match(r.json.token, /^aims_[A-Za-z0-9_-]{43}$/);
  assert.equal(r.json.role, 'contributor');
  const list = await request(env.url, 'GET', '/api/v1/orgs/acme/tokens', { auth: admin });
  const item = list.json.items.find((t) => t.id === r.json.id);
  assert.equal(item.token, undefined);
  assert.equal(item.hint, r.json.token.slice(0, 9));
  const one = await request(env.url, 'GET', `/api/v1/orgs/acme/tokens/${r.json.id}`, { auth: admin });
  assert.equal(one.json.token, undefined);
  const dump = dumpDb(env.db);
  assert.ok(dump.includes(r.json.token.slice(0, 9)), 'the dump holds the tokens');
  assert.ok(!dump.includes(r.json.token.slice(5)), 'the secret is in the database');
});

test('a bearer token acts with its role in its organisation only', async () => {
  const v = (await request(env.url, 'POST', '/api/v1/orgs/acme/tokens', { auth: admin, body: { name: 'reader', role: 'viewer' } })).json.token;
  const auth = { token: v };
  assert.equal((await request(env.url, 'GET', '/api/v1/orgs/acme/members', { auth })).status, 200);
  assert.equal((await request(env.url, 'GET', '/api/v1/orgs/acme/ledger', { auth })).status, 200);
  // Read-only role: no writes.
  let r = await request(env.url, 'PATCH', '/api/v1/orgs/acme', { auth, body: { name: 'x' } });
  assert.equal(r.status, 403);
  // Another organisation does not exist for this token.
  r = await request(env.url, 'GET', '/api/v1/orgs/beta/members', { auth });
  assert.equal(r.status, 404);
  r = await request(env.url, 'GET', '/api/v1/orgs', { auth });
  assert.deepEqual(r.json.items.map((o) => o.slug), ['acme']);
  r = await request(env.url, 'GET', '/api/v1/session', { auth });
  assert.deepEqual(r.json.token, { name: 'reader', organisation: 'acme', role: 'viewer' });
  // Tokens do not manage tokens, members or sessions; people do.
  const m = (await request(env.url, 'POST', '/api/v1/orgs/acme/tokens', { auth: admin, body: { name: 'mgr', role: 'manager' } })).json.token;
  r = await request(env.url, 'POST', '/api/v1/orgs/acme/tokens', { auth: { token: m }, body: { name: 'child', role: 'viewer' } });
  assert.equal(r.status, 403);
  r = await request(env.url, 'POST', '/api/v1/orgs', { auth: { token: m }, body: { slug: 'by-token' } });
  assert.equal(r.status, 403);
  // No CSRF rule for bearer tokens: there is no cookie to ride on.
  r = await request(env.url, 'PATCH', '/api/v1/orgs/acme', { auth: { token: m }, body: { name: 'Acme' } });
  assert.equal(r.status, 200);
});

test('a bad, revoked or expired token answers 401', async () => {
  let r = await request(env.url, 'GET', '/api/v1/orgs', { auth: { token: 'aims_' + 'A'.repeat(43) } });
  assert.equal(r.status, 401);
  r = await request(env.url, 'GET', '/api/v1/orgs', { headers: { authorization: 'Basic YTpi' } });
  assert.equal(r.status, 401);
  assert.equal(r.json.error.field, 'Authorization');
  const t = (await request(env.url, 'POST', '/api/v1/orgs/acme/tokens', { auth: admin, body: { name: 'short', role: 'viewer' } })).json;
  assert.equal((await request(env.url, 'GET', '/api/v1/orgs', { auth: { token: t.token } })).status, 200);
  r = await request(env.url, 'DELETE', `/api/v1/orgs/acme/tokens/${t.id}`, { auth: admin, headers: { 'if-match': '"7"' } });
  assert.equal(r.status, 412);
  r = await request(env.url, 'DELETE', `/api/v1/orgs/acme/tokens/${t.id}`, { auth: admin, headers: { 'if-match': '"1"' } });
  assert.equal(r.status, 204);
  r = await request(env.url, 'GET', '/api/v1/orgs', { auth: { token: t.token } });
  assert.equal(r.status, 401);
  r = await request(env.url, 'DELETE', `/api/v1/orgs/acme/tokens/${t.id}`, { auth: admin });
  assert.equal(r.status, 409);
  const listed = (await request(env.url, 'GET', `/api/v1/orgs/acme/tokens/${t.id}`, { auth: admin })).json;
  assert.match(listed.revoked_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  // Expiry: valid now, refused once the server's clock is past it.
  const soon = new Date(Date.now() + 3600 * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
  const e = (await request(env.url, 'POST', '/api/v1/orgs/acme/tokens', { auth: admin, body: { name: 'temp', role: 'viewer', expires_at: soon } })).json;
  assert.equal(e.expires_at, soon);
  assert.equal((await request(env.url, 'GET', '/api/v1/orgs', { auth: { token: e.token } })).status, 200);
  const later = new Date(Date.now() + 2 * 3600 * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
  await env.restart({ env: { AIMS_FAKE_NOW: later } });
  assert.equal((await request(env.url, 'GET', '/api/v1/orgs', { auth: { token: e.token } })).status, 401);
  await env.restart();
  admin = await signIn(env.url);
  r = await request(env.url, 'POST', '/api/v1/orgs/acme/tokens', { auth: admin, body: { name: 'old', role: 'viewer', expires_at: '2001-01-01T00:00:00Z' } });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.field, 'expires_at');
});

test('token creation and revocation are ledger events', async () => {
  const t = (await request(env.url, 'POST', '/api/v1/orgs/acme/tokens', { auth: admin, body: { name: 'audited', role: 'viewer' } })).json;
  await request(env.url, 'DELETE', `/api/v1/orgs/acme/tokens/${t.id}`, { auth: admin });
  const l = (await request(env.url, 'GET', '/api/v1/orgs/acme/ledger?limit=2', { auth: admin })).json;
  assert.deepEqual(l.items.map((e) => [e.action, e.kind, e.ref, e.actor]),
    [['revoke', 'token', String(t.id), 'user:admin@example.com'], ['create', 'token', String(t.id), 'user:admin@example.com']]);
  const v = (await verifyLedger(env.url, admin)).json;
  assert.equal(v.verified, true);
});

test('aims token create, list and revoke', async () => {
  const c = aimsOk(['token', 'create', '--org', 'acme', '--name', 'cli-made', '--role', 'auditor', '--db', env.db]);
  const secret = c.stdout.match(/aims_[A-Za-z0-9_-]{43}/)[0];
  assert.equal((await request(env.url, 'GET', '/api/v1/orgs/acme/members', { auth: { token: secret } })).status, 200);
  const list = JSON.parse(aimsOk(['token', 'list', '--org', 'acme', '--format', 'json', '--db', env.db]).stdout);
  const row = list.find((t) => t.name === 'cli-made');
  assert.equal(row.role, 'auditor');
  assert.ok(!JSON.stringify(list).includes(secret.slice(5)));
  aimsOk(['token', 'revoke', String(row.id), '--org', 'acme', '--db', env.db]);
  assert.equal((await request(env.url, 'GET', '/api/v1/orgs/acme/members', { auth: { token: secret } })).status, 401);
  const bad = aims(['token', 'revoke', String(row.id), '--org', 'beta', '--db', env.db]);
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /no such token/);
  assert.equal(aims(['token', 'create', '--org', 'acme', '--db', env.db]).status, 2);
});
