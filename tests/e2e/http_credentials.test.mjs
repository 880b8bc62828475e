// http_credentials.test.mjs - credentials and the people behind them: a token
// acts for its creator (their user id, no more than their current role, not
// after they leave or are disabled); token secrets are never kept for
// replays; the database is private; password changes and disabling a user
// end their sessions and tokens.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { statSync, existsSync } from 'node:fs';
import {
  setup, request, signIn, addMember, addOrg, aims, aimsOk, PASSWORD, PG_URL, dumpDb, localFileOf, sqlBehind,
} from './lib.mjs';
import { strictWrites } from './lib.mjs';

// Every change these journeys make goes through the server's writer.
strictWrites();

let env, admin;
const A = '/api/v1/orgs/acme';

before(async () => {
  env = await setup();
  addMember(env.db, 'manager@example.com', 'manager');
  addMember(env.db, 'contrib@example.com', 'contributor');
  addMember(env.db, 'leaver@example.com', 'manager');
  addMember(env.db, 'demoted@example.com', 'manager');
  addMember(env.db, 'off@example.com', 'contributor');
  addMember(env.db, 'changer@example.com', 'viewer');
  addOrg(env.db, 'beta');
  addMember(env.db, 'both@example.com', 'contributor');
  addMember(env.db, 'both@example.com', 'viewer', 'beta');
  admin = await signIn(env.url);
});
after(async () => { await env.cleanup(); });

const mint = async (auth, role, name = `t-${role}`) =>
  request(env.url, 'POST', `${A}/tokens`, { auth, body: { name, role } });
const sql = (q) => sqlBehind(env.db, q).trim();

let manager, mtok, atok;
async function inReview() {
  const d = await request(env.url, 'POST', `${A}/documents`, { auth: manager, body: { title: `Policy ${Math.random()}`, kind: 'policy' } });
  assert.equal(d.status, 201, d.text);
  const r = await request(env.url, 'PATCH', `${A}/documents/${d.json.ref}`, { auth: manager, body: { status: 'in_review' }, headers: { 'if-match': '"1"' } });
  assert.equal(r.status, 200, r.text);
  return d.json.ref;
}
const approve = (ref, token) => request(env.url, 'PATCH', `${A}/documents/${ref}`,
  { auth: { token }, body: { status: 'approved' }, headers: { 'if-match': '"2"' } });

test('a token acts with its creator\'s user id', async () => {
  manager = await signIn(env.url, 'manager@example.com');
  mtok = (await mint(manager, 'manager')).json.token;
  atok = (await mint(admin, 'manager', 'admin-ci')).json.token;
  // Another person's token approves, and the approval names that person.
  const r = await approve(await inReview(), atok);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.approved_by, 'admin@example.com');
});

// Four-eyes through a token: core compares the sign-off's user id with the
// authors', and a token's actor carries its creator's user id.
test('four-eyes holds whatever the credential: the author\'s own token cannot approve', async () => {
  const r = await approve(await inReview(), mtok);
  assert.equal(r.status, 403, `the author approved their own document with their token: ${r.text}`);
});

test('nobody mints a token for a role that may do more than theirs', async () => {
  const contrib = await signIn(env.url, 'contrib@example.com');
  const r = await mint(contrib, 'auditor');
  assert.equal(r.status, 403, r.text);
  assert.equal(r.json.error.field, 'role');
  assert.equal((await mint(contrib, 'viewer')).status, 201);
  assert.equal((await mint(contrib, 'contributor')).status, 201);
});

test('a removed member\'s tokens stop and stay revoked', async () => {
  const leaver = await signIn(env.url, 'leaver@example.com');
  const t = (await mint(leaver, 'contributor')).json;
  const write = () => request(env.url, 'POST', `${A}/ai-systems`, { auth: { token: t.token }, body: { name: `By token ${Math.random()}` } });
  assert.equal((await write()).status, 201);
  const m = await request(env.url, 'DELETE', `${A}/members/leaver@example.com`, { auth: admin });
  assert.equal(m.status, 204, m.text);
  const r = await write();
  assert.equal(r.status, 401);
  const rec = (await request(env.url, 'GET', `${A}/tokens/${t.id}`, { auth: admin })).json;
  assert.match(rec.revoked_at, /Z$/);
  const led = (await request(env.url, 'GET', `${A}/ledger?limit=3`, { auth: admin })).json.items;
  assert.ok(led.some((e) => e.kind === 'token' && e.ref === String(t.id) && e.action === 'revoke' && e.actor === 'user:admin@example.com'));
  // Back in the organisation: the old token does not come back.
  aimsOk(['member', 'add', 'leaver@example.com', '--org', 'acme', '--role', 'manager', '--db', env.db]);
  assert.equal((await write()).status, 401);
});

test('a demoted member\'s token acts with no more than their new role', async () => {
  const demoted = await signIn(env.url, 'demoted@example.com');
  const t = (await mint(demoted, 'manager')).json.token;
  const rename = () => request(env.url, 'PATCH', A, { auth: { token: t }, body: { name: 'Acme' } });
  assert.equal((await rename()).status, 200);
  const m = await request(env.url, 'PATCH', `${A}/members/demoted@example.com`, { auth: admin, body: { role: 'contributor' } });
  assert.equal(m.status, 200, m.text);
  const r = await rename();
  assert.equal(r.status, 403);
  assert.match(r.json.error.message, /contributor/);
  const who = (await request(env.url, 'GET', '/api/v1/session', { auth: { token: t } })).json;
  assert.equal(who.token.role, 'contributor');
  // Still what a contributor may do.
  assert.equal((await request(env.url, 'POST', `${A}/ai-systems`, { auth: { token: t }, body: { name: 'Still allowed' } })).status, 201);
});

test('a replayed token creation answers without the secret, which is never stored', async () => {
  const key = { 'idempotency-key': 'token-once-1' };
  const a = await request(env.url, 'POST', `${A}/tokens`, { auth: admin, body: { name: 'replayed', role: 'viewer' }, headers: key });
  assert.equal(a.status, 201);
  assert.match(a.json.token, /^aims_/);
  const b = await request(env.url, 'POST', `${A}/tokens`, { auth: admin, body: { name: 'replayed', role: 'viewer' }, headers: key });
  assert.equal(b.status, 201);
  assert.equal(b.headers.get('idempotent-replayed'), 'true');
  assert.equal(b.headers.get('location'), a.headers.get('location'));
  assert.equal(b.json.id, a.json.id);
  assert.equal(b.json.token, undefined, 'the replay carried the secret');
  const dump = dumpDb(env.db);
  assert.ok(!dump.includes(a.json.token.slice(5)), 'the secret is in the database');
  // Other answers are still replayed whole.
  const o = await request(env.url, 'POST', `${A}/ai-systems`, { auth: admin, body: { name: 'Replay whole' }, headers: { 'idempotency-key': 'ais-1' } });
  const p = await request(env.url, 'POST', `${A}/ai-systems`, { auth: admin, body: { name: 'Replay whole' }, headers: { 'idempotency-key': 'ais-1' } });
  assert.deepEqual(p.json, o.json);
});

test('two tokens with the same name do not share Idempotency-Keys', async () => {
  const t1 = (await mint(admin, 'contributor', 'same-name')).json.token;
  const t2 = (await mint(admin, 'contributor', 'same-name')).json.token;
  const h = { 'idempotency-key': 'shared-key' };
  const a = await request(env.url, 'POST', `${A}/ai-systems`, { auth: { token: t1 }, body: { name: 'One' }, headers: h });
  const b = await request(env.url, 'POST', `${A}/ai-systems`, { auth: { token: t2 }, body: { name: 'One' }, headers: h });
  assert.equal(a.status, 201);
  assert.equal(b.status, 201);
  assert.equal(b.headers.get('idempotent-replayed'), null);
  assert.notEqual(a.json.ref, b.json.ref);
});

test('the database, its -wal and -shm, and the signing key are the owner\'s only', async () => {
  // The server is running, so the WAL files exist. On PostgreSQL the server
  // owns the database's files; the signing key is in the store's directory.
  const files = PG_URL ? [localFileOf(env.db, '.key')] :
    [env.db, `${env.db}-wal`, `${env.db}-shm`, `${env.db}.key`];
  for (const f of files) {
    assert.ok(existsSync(f), f);
    assert.equal((statSync(f).mode & 0o777).toString(8), '600', f);
  }
});

test('changing your password ends your other sessions, not this one', async () => {
  const one = await signIn(env.url, 'changer@example.com');
  const two = await signIn(env.url, 'changer@example.com');
  const path = '/api/v1/session/password';
  let r = await request(env.url, 'POST', path, { auth: one, body: { current_password: 'not my password', new_password: 'a fresh password here' } });
  assert.equal(r.status, 403);
  assert.equal(r.json.error.field, 'current_password');
  r = await request(env.url, 'POST', path, { auth: one, body: { current_password: PASSWORD, new_password: 'short' } });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.field, 'new_password');
  r = await request(env.url, 'POST', path, { auth: one, body: { current_password: PASSWORD, new_password: 'a fresh password here' } });
  assert.equal(r.status, 204, r.text);
  assert.equal((await request(env.url, 'GET', '/api/v1/session', { auth: one })).status, 200);
  assert.equal((await request(env.url, 'GET', '/api/v1/session', { auth: two })).status, 401);
  await signIn(env.url, 'changer@example.com', 'a fresh password here');
  // A token cannot change anyone's password.
  const t = (await mint(admin, 'viewer', 'pw')).json.token;
  r = await request(env.url, 'POST', path, { auth: { token: t }, body: { current_password: PASSWORD, new_password: 'a fresh password here' } });
  assert.equal(r.status, 403);
  // A reset from the CLI ends every session.
  const out = aimsOk(['user', 'passwd', 'changer@example.com', '--password-stdin', '--db', env.db], { input: `${PASSWORD}\n` });
  assert.match(out.stdout, /password changed: changer@example\.com \(sessions ended\)/);
  assert.equal((await request(env.url, 'GET', '/api/v1/session', { auth: one })).status, 401);
});

test('an admin disables a member: sessions and tokens end at once, sign-in is refused', async () => {
  const off = await signIn(env.url, 'off@example.com');
  const t = (await mint(off, 'contributor')).json;
  assert.equal((await request(env.url, 'GET', A, { auth: { token: t.token } })).status, 200);
  // Only an admin, and not by a token.
  const manager = await signIn(env.url, 'manager@example.com');
  let r = await request(env.url, 'POST', `${A}/members/off@example.com/disable`, { auth: manager });
  assert.equal(r.status, 403);
  r = await request(env.url, 'POST', `${A}/members/admin@example.com/disable`, { auth: admin });
  assert.equal(r.status, 403);
  assert.match(r.json.error.message, /yourself/);
  r = await request(env.url, 'POST', `${A}/members/nobody@example.com/disable`, { auth: admin });
  assert.equal(r.status, 404);
  r = await request(env.url, 'POST', `${A}/members/off@example.com/disable`, { auth: admin });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.disabled, true);
  assert.equal((await request(env.url, 'GET', '/api/v1/session', { auth: off })).status, 401);
  assert.equal((await request(env.url, 'GET', A, { auth: { token: t.token } })).status, 401);
  r = await request(env.url, 'POST', '/api/v1/session', { body: { email: 'off@example.com', password: PASSWORD } });
  assert.equal(r.status, 401);
  const list = (await request(env.url, 'GET', `${A}/members`, { auth: admin })).json.items;
  assert.equal(list.find((m) => m.email === 'off@example.com').disabled, true);
  r = await request(env.url, 'POST', `${A}/members/off@example.com/disable`, { auth: admin });
  assert.equal(r.status, 409);
  // In the instance ledger, and in the organisation's for the token.
  assert.equal(sql("SELECT action FROM ledger_entries WHERE org_id = 0 AND kind = 'user' AND ref = 'off@example.com' ORDER BY seq DESC LIMIT 1"), 'disable');
  assert.equal(sql(`SELECT count(*) FROM ledger_entries WHERE kind = 'token' AND ref = '${t.id}' AND action = 'revoke'`), '1');
  // Enabled: signs in again; the token stays revoked.
  r = await request(env.url, 'POST', `${A}/members/off@example.com/enable`, { auth: admin });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.disabled, false);
  await signIn(env.url, 'off@example.com');
  assert.equal((await request(env.url, 'GET', A, { auth: { token: t.token } })).status, 401);
  // Someone who also belongs where this admin is not admin is the operator's call.
  r = await request(env.url, 'POST', `${A}/members/both@example.com/disable`, { auth: admin });
  assert.equal(r.status, 403);
  assert.match(r.json.error.message, /aims user disable/);
});

test('aims user disable and enable', async () => {
  const both = await signIn(env.url, 'both@example.com');
  const t = (await mint(both, 'contributor')).json.token;
  const d = aimsOk(['user', 'disable', 'both@example.com', '--db', env.db]);
  assert.match(d.stdout, /user disabled: both@example.com/);
  assert.equal((await request(env.url, 'GET', '/api/v1/session', { auth: both })).status, 401);
  assert.equal((await request(env.url, 'GET', A, { auth: { token: t } })).status, 401);
  const again = aims(['user', 'disable', 'both@example.com', '--db', env.db]);
  assert.equal(again.status, 1);
  assert.match(again.stderr, /already disabled/);
  assert.equal(aims(['user', 'disable', '--db', env.db]).status, 2);
  assert.match(aims(['user', 'disable', '--help']).stdout, /revokes every API token/);
  const list = JSON.parse(aimsOk(['user', 'list', '--format', 'json', '--db', env.db]).stdout);
  assert.equal(String(list.find((u) => u.email === 'both@example.com').disabled), 'true');
  const members = aimsOk(['member', 'list', '--org', 'beta', '--format', 'csv', '--db', env.db]).stdout;
  assert.match(members, /^email,display_name,role,disabled,created_at$/m);
  assert.match(members, /^both@example\.com,both@example\.com,viewer,true,/m);
  aimsOk(['user', 'enable', 'both@example.com', '--db', env.db]);
  await signIn(env.url, 'both@example.com');
});
