// concerns.test.mjs - the public concern reporting channel (A.3.3): opened
// by a manager, used with no account, read back with the report key only,
// no address stored anywhere, rate-limited, and triaged by the organisation.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { setup, request, signIn, addOrg, addMember, verifyLedger, makeDb, startServer, aimsOk,
  ADMIN, storeBytes } from './lib.mjs';
import { strictWrites } from './lib.mjs';

// Every change these journeys make goes through the server's writer.
strictWrites();

let env, admin, manager, contributor, viewer;
const A = '/api/v1/orgs/acme';
const TEXT = 'The screening model rejects every applicant over 60.';
const send = (org, body, headers = {}) =>
  request(env.url, 'POST', `/api/v1/public/orgs/${org}/concerns`, { body, headers });

before(async () => {
  env = await setup();
  addOrg(env.db, 'closed');
  addMember(env.db, 'manager@example.com', 'manager');
  addMember(env.db, 'contributor@example.com', 'contributor');
  addMember(env.db, 'viewer@example.com', 'viewer');
  admin = await signIn(env.url);
  manager = await signIn(env.url, 'manager@example.com');
  contributor = await signIn(env.url, 'contributor@example.com');
  viewer = await signIn(env.url, 'viewer@example.com');
});
after(async () => { await env.cleanup(); });

test('a closed channel and an unknown organisation answer the same 404', async () => {
  const closed = await send('closed', { text: TEXT });
  const none = await send('no-such-org', { text: TEXT });
  assert.equal(closed.status, 404);
  assert.equal(none.status, 404);
  assert.deepEqual(closed.json, none.json);
  const acme = await send('acme', { text: TEXT });
  assert.equal(acme.status, 404, 'acme has not opened its channel yet');
});

test('only a manager or an admin opens the channel', async () => {
  const byContributor = await request(env.url, 'POST', `${A}/concern-channel`, { body: { open: true }, auth: contributor });
  assert.equal(byContributor.status, 403);
  const r = await request(env.url, 'POST', `${A}/concern-channel`, { body: { open: true }, auth: manager });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.open, true);
  const seen = await request(env.url, 'GET', `${A}/concern-channel`, { auth: viewer });
  assert.equal(seen.json.open, true);
});

test('an anonymous report is read back with its key, never without it', async () => {
  const r = await send('acme', { text: TEXT });
  assert.equal(r.status, 201, r.text);
  assert.match(r.json.key, /^[A-Za-z0-9_-]{43}$/);
  const back = await request(env.url, 'GET', `/api/v1/public/concerns/${r.json.key}`);
  assert.equal(back.status, 200, back.text);
  assert.equal(back.json.text, TEXT);
  assert.equal(back.json.status, 'received');
  assert.deepEqual(back.json.replies, []);
  // A wrong key of the same shape, a truncated one, and none at all.
  const wrong = r.json.key.slice(0, -1) + (r.json.key.endsWith('A') ? 'B' : 'A');
  assert.equal((await request(env.url, 'GET', `/api/v1/public/concerns/${wrong}`)).status, 404);
  assert.equal((await request(env.url, 'GET', `/api/v1/public/concerns/${r.json.key.slice(0, 20)}`)).status, 404);
  assert.equal((await request(env.url, 'GET', '/api/v1/public/concerns/')).status, 404);
  // The key is kept hashed: it is nowhere in the database or the log.
  assert.ok(!storeBytes(env.db).includes(r.json.key), 'key in the database');
  assert.ok(!env.server.log().includes(r.json.key), 'key in the access log');
  assert.match(env.server.log(), /\/api\/v1\/public\/concerns\/\{key\}/);
});

test('the organisation sees it as a concern, replies, and the reporter reads the reply', async () => {
  const r = await send('acme', { text: 'Second concern: the chatbot gives medical advice.' });
  const list = await request(env.url, 'GET', `${A}/concerns?q=chatbot`, { auth: manager });
  assert.equal(list.status, 200, list.text);
  assert.equal(list.json.items.length, 1);
  const c = list.json.items[0];
  assert.equal(c.channel, 'public_form');
  assert.equal(c.created_by, 'public:concern-form');
  const u = await request(env.url, 'PATCH', `${A}/concerns/${c.ref}`, {
    auth: manager, body: { replies: [{ text: 'Thank you; we are looking into it.' }] } });
  assert.equal(u.status, 200, u.text);
  assert.match(u.json.replies[0].at, /^\d{4}-\d\d-\d\dT/);
  const back = await request(env.url, 'GET', `/api/v1/public/concerns/${r.json.key}`);
  assert.equal(back.json.replies.length, 1);
  assert.equal(back.json.replies[0].text, 'Thank you; we are looking into it.');
  assert.equal(back.json.replies[0].by, undefined, 'who replied is not shown');
  // A sent reply cannot be changed, and the report's text stays as received.
  const edit = await request(env.url, 'PATCH', `${A}/concerns/${c.ref}`, {
    auth: manager, body: { replies: [{ text: 'Nothing to see.' }] } });
  assert.equal(edit.status, 400);
  assert.equal(edit.json.error.field, 'replies');
  const text = await request(env.url, 'PATCH', `${A}/concerns/${c.ref}`, { auth: manager, body: { text: 'Rewritten text.' } });
  assert.equal(text.status, 400);
  assert.equal(text.json.error.field, 'text');
  // Members may record concerns received otherwise, but not as the public form.
  const forged = await request(env.url, 'POST', `${A}/concerns`, { auth: manager, body: { text: 'Phoned in by a customer.', channel: 'public_form' } });
  assert.equal(forged.status, 400);
  assert.equal(forged.json.error.field, 'channel');
});

test('triage into an incident names the incident; the step needs an outcome', async () => {
  await env.restart();	// a fresh rate limit: the reports above used this network's
  await send('acme', { text: 'Third concern: denials for one postcode.' });
  const c = (await request(env.url, 'GET', `${A}/concerns?q=postcode`, { auth: manager })).json.items[0];
  const early = await request(env.url, 'PATCH', `${A}/concerns/${c.ref}`, { auth: manager, body: { status: 'triaged' } });
  assert.equal(early.status, 409, early.text);
  const noRef = await request(env.url, 'PATCH', `${A}/concerns/${c.ref}`, { auth: manager, body: { outcome: 'incident' } });
  assert.equal(noRef.status, 400);
  assert.equal(noRef.json.error.field, 'records');
  const ai = await request(env.url, 'POST', `${A}/ai-systems`, { auth: admin, body: { name: 'Lending' } });
  const inc = await request(env.url, 'POST', `${A}/incidents`, { auth: admin, body: {
    title: 'Postcode denials', ai_system: ai.json.ref, occurred_at: '2026-01-01T00:00:00Z',
    aware_at: '2026-01-02T00:00:00Z', severity: 'medium' } });
  assert.equal(inc.status, 201, inc.text);
  for (const outcome of ['nonconformity', 'improvement']) {
    const wrong = await request(env.url, 'PATCH', `${A}/concerns/${c.ref}`, { auth: manager,
      body: { outcome, records: [inc.json.ref] } });
    assert.equal(wrong.status, 400, `${outcome}: ${wrong.text}`);
    assert.equal(wrong.json.error.field, 'records');
  }
  const t = await request(env.url, 'PATCH', `${A}/concerns/${c.ref}`, { auth: manager,
    body: { outcome: 'incident', records: [inc.json.ref], status: 'triaged' } });
  assert.equal(t.status, 200, t.text);
  assert.equal(t.json.status, 'triaged');
});

test('a contributor cannot read concerns of another organisation; nobody else can', async () => {
  addMember(env.db, 'outsider@example.com', 'admin', 'closed');
  const other = await signIn(env.url, 'outsider@example.com');
  const c = (await request(env.url, 'GET', `${A}/concerns`, { auth: manager })).json.items[0];
  assert.equal((await request(env.url, 'GET', `${A}/concerns/${c.ref}`, { auth: other })).status, 404);
  assert.equal((await request(env.url, 'GET', `/api/v1/orgs/closed/concerns/${c.ref}`, { auth: other })).status, 404);
});

test('bad reports are refused with the field named', async () => {
  const short = await send('acme', { text: 'hi' });
  assert.equal(short.status, 400);
  assert.equal(short.json.error.field, 'text');
  const extra = await send('acme', { text: TEXT, email: 'me@example.com' });
  assert.equal(extra.status, 400);
  assert.equal(extra.json.error.field, 'email');
  const big = await send('acme', { text: 'x'.repeat(20001) });
  assert.ok(big.status === 400 || big.status === 413, big.text);
});

test('the ledger verifies with the channel and the public reports in it', async () => {
  const v = await verifyLedger(env.url, admin);
  assert.equal(v.status, 200, v.text);
  assert.equal(v.json.verified, true, v.text);
});

test('no address is stored: not in the database, not in the log', async () => {
  // Nobody signs in here (a member's session keeps the address it began from).
  const { dir, db } = makeDb();
  aimsOk(['org', 'concern-channel', 'acme', '--open', '--as', ADMIN, '--db', db]);
  const server = await startServer(db);
  try {
    const r = await request(server.url, 'POST', '/api/v1/public/orgs/acme/concerns', { body: { text: TEXT } });
    assert.equal(r.status, 201, r.text);
    const back = await request(server.url, 'GET', `/api/v1/public/concerns/${r.json.key}`);
    assert.equal(back.status, 200);
    for (let i = 0; i < 6; i++)	// and the rate limit's refusals
      await request(server.url, 'POST', '/api/v1/public/orgs/acme/concerns', { body: { text: TEXT } });
    const all = storeBytes(db);
    assert.ok(all.includes(TEXT), 'the report is stored');	// the search does find things
    assert.ok(!all.includes('127.0.0.1'), '127.0.0.1 in the database');
    // The access log: every line but the one saying where the server listens.
    const access = server.log().split('\n').filter((l) => !/serving on/.test(l));
    assert.ok(access.some((l) => l.includes('/api/v1/public/orgs/acme/concerns')), server.log());
    assert.ok(!access.some((l) => l.includes('127.0.0.1')), '127.0.0.1 in the access log');
    assert.ok(!server.errors().includes('127.0.0.1'), '127.0.0.1 in the error log');
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('past 5 reports an hour from one network the answer is 429 with Retry-After', async () => {
  await env.restart();
  const before = (await request(env.url, 'GET', `${A}/concerns`, { auth: manager })).json.total;
  let r;
  for (let i = 0; i < 6; i++) {
    r = await send('acme', { text: `Report number ${i} about the model.` });
    if (r.status === 429) break;
  }
  assert.equal(r.status, 429, r.text);
  assert.ok(Number(r.headers.get('retry-after')) > 0);
  // Refused before anything is stored: the channel's records stop at the limit.
  const total = (await request(env.url, 'GET', `${A}/concerns`, { auth: manager })).json.total;
  assert.equal(total, before + 5);
});

function findCheck(x, id) {
  if (Array.isArray(x)) {
    for (const v of x) { const r = findCheck(v, id); if (r) return r; }
  } else if (x && typeof x === 'object') {
    if (x.rule === id && 'status' in x) return x;
    for (const v of Object.values(x)) { const r = findCheck(v, id); if (r) return r; }
  }
  return null;
}

test('readiness A.3.3: an open channel, and concerns triaged within 14 days', async () => {
  let r = await request(env.url, 'GET', `${A}/readiness`, { auth: admin });
  assert.equal(r.status, 200, r.text);
  assert.equal(findCheck(r.json, 'A.3.3-channel').status, 'pass');
  assert.equal(findCheck(r.json, 'A.3.3-triaged').status, 'pass', 'nothing is 14 days old yet');
  // A month later, the concerns still "received" are named.
  await env.restart({ env: { AIMS_FAKE_NOW: new Date(Date.now() + 30 * 86400e3).toISOString().slice(0, 19) + 'Z' } });
  admin = await signIn(env.url);	// the session of a month ago has ended
  r = await request(env.url, 'GET', `${A}/readiness`, { auth: admin });
  assert.equal(r.status, 200, r.text);
  const c = findCheck(r.json, 'A.3.3-triaged');
  assert.equal(c.status, 'fail');
  const triaged = (await request(env.url, 'GET', `${A}/concerns?status=triaged`, { auth: admin })).json.items.map((i) => i.ref);
  assert.ok(triaged.length > 0);
  for (const ref of triaged) assert.ok(!c.findings[0].refs.includes(ref), `${ref} is triaged`);
  assert.match(c.findings[0].reason, /not triaged yet/);
  const off = await request(env.url, 'POST', `${A}/concern-channel`, { body: { open: false }, auth: admin });
  assert.equal(off.json.open, false);
  r = await request(env.url, 'GET', `${A}/readiness`, { auth: admin });
  assert.equal(findCheck(r.json, 'A.3.3-channel').status, 'fail');
  assert.equal((await send('acme', { text: TEXT })).status, 404, 'a closed channel takes nothing');
});
