// list_cache.test.mjs - a record list asked for again while nothing in its
// organisation changed is answered from memory (serve --list-cache), and
// never once anything it shows may have changed: a change over the API, a
// change from the command line in another process, a retirement, a change
// in another organisation (which keeps it), other query parameters, and
// the caller's access, checked before any kept answer is given.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN, addMember, addOrg, aims, aimsOk, request, setup, signIn, startServer, strictWrites } from './lib.mjs';

const A = '/api/v1/orgs/acme';
let env;
let admin;
let viewer;

function token(org, role) {
  const out = aimsOk(['token', 'create', '--db', env.db, '--org', org, '--name', `t-${role}-${Math.random()}`,
    '--role', role, '--format', 'json']).stdout;
  return { token: JSON.parse(out).token };
}

async function cacheFigures(url = env.url) {
  const r = await request(url, 'GET', '/metrics', { auth: admin });
  const figure = (name) => Number((r.text.match(new RegExp(`^${name} (\\d+)$`, 'm')) || [])[1]);
  return { hits: figure('aims_list_cache_hits_total'), misses: figure('aims_list_cache_misses_total'),
    bytes: figure('aims_list_cache_bytes') };
}

async function list(path, auth = viewer, url = env.url) {
  const r = await request(url, 'GET', `${A}${path}`, { auth });
  assert.equal(r.status, 200, r.text);
  return r;
}

before(async () => {
  env = await setup();
  strictWrites();
  admin = token('acme', 'admin');
  viewer = token('acme', 'viewer');
  for (let i = 1; i <= 3; i++) {
    const r = await request(env.url, 'POST', `${A}/ai-systems`, { auth: admin,
      body: { name: `System ${i}`, lifecycle_stage: 'deployment' } });
    assert.equal(r.status, 201, r.text);
  }
});

after(async () => env && env.cleanup());

test('the same list again is the same bytes, from memory', async () => {
  const first = await list('/ai-systems?limit=2');
  const was = await cacheFigures();
  const again = await list('/ai-systems?limit=2');
  const now = await cacheFigures();
  assert.equal(again.text, first.text);
  assert.equal(now.hits, was.hits + 1, 'the second answer came from memory');
  assert.ok(now.bytes >= first.text.length, 'the kept answer is counted');
  assert.equal(again.headers.get('content-type'), first.headers.get('content-type'));
  assert.equal(again.headers.get('cache-control'), 'no-store');
  // Other parameters, or the same ones with other values, are other answers.
  const three = await list('/ai-systems?limit=3');
  assert.equal(three.json.items.length, 3);
  const bare = await list('/ai-systems?limit=2&lifecycle_stage=deployment');
  assert.equal(bare.json.items.length, 2);
  assert.equal(bare.json.total, 3);
  const none = await list('/ai-systems?limit=2&lifecycle_stage=retirement');
  assert.equal(none.json.total, 0);
});

test('a change over the API is in the next answer', async () => {
  const first = await list('/ai-systems?limit=10');
  const ref = first.json.items[0].ref;
  let r = await request(env.url, 'PATCH', `${A}/ai-systems/${ref}`, { auth: admin,
    headers: { 'if-match': `"${first.json.items[0].version}"` }, body: { name: 'Renamed over the API' } });
  assert.equal(r.status, 200, r.text);
  let next = await list('/ai-systems?limit=10');
  assert.equal(next.json.items.find((x) => x.ref === ref).name, 'Renamed over the API');
  r = await request(env.url, 'POST', `${A}/ai-systems`, { auth: admin,
    body: { name: 'System 4', lifecycle_stage: 'deployment' } });
  assert.equal(r.status, 201, r.text);
  next = await list('/ai-systems?limit=10');
  assert.equal(next.json.total, first.json.total + 1);
  r = await request(env.url, 'DELETE', `${A}/ai-systems/${r.json.ref}`, { auth: admin,
    headers: { 'if-match': '"1"' } });
  assert.ok(r.status === 200 || r.status === 204, r.text);
  next = await list('/ai-systems?limit=10');
  assert.equal(next.json.total, first.json.total, 'a retired system leaves the default list');
});

test('a change from the command line, in another process, is in the next answer', async () => {
  const first = await list('/ai-systems?limit=10');
  const again = await list('/ai-systems?limit=10');
  assert.equal(again.text, first.text);
  const ref = first.json.items[0].ref;
  aimsOk(['record', 'update', 'ai-systems', ref, '--org', 'acme', '--as', ADMIN, '--db', env.db,
    '--json', '{"name": "Renamed on the command line"}']);
  const next = await list('/ai-systems?limit=10');
  assert.equal(next.json.items.find((x) => x.ref === ref).name, 'Renamed on the command line');
});

test("another organisation's change keeps the answer; its own list is its own", async () => {
  addOrg(env.db, 'other');
  const other = token('other', 'admin');
  await list('/ai-systems?limit=10');
  const was = await cacheFigures();
  const r = await request(env.url, 'POST', '/api/v1/orgs/other/ai-systems', { auth: other,
    body: { name: 'Elsewhere', lifecycle_stage: 'deployment' } });
  assert.equal(r.status, 201, r.text);
  const mine = await list('/ai-systems?limit=10');
  const now = await cacheFigures();
  assert.equal(now.hits, was.hits + 1, "a change in another organisation does not touch acme's answer");
  assert.ok(!mine.json.items.some((x) => x.name === 'Elsewhere'));
  const theirs = await request(env.url, 'GET', '/api/v1/orgs/other/ai-systems?limit=10', { auth: other });
  assert.equal(theirs.status, 200);
  assert.deepEqual(theirs.json.items.map((x) => x.name), ['Elsewhere']);
  // acme's token is refused on the other organisation however its lists are kept.
  const refused = await request(env.url, 'GET', '/api/v1/orgs/other/ai-systems?limit=10', { auth: viewer });
  assert.ok(refused.status === 403 || refused.status === 404, refused.text);
  assert.ok(!refused.text.includes('Elsewhere'));
});

test('access is checked before a kept answer is given', async () => {
  addMember(env.db, 'cora@example.com', 'viewer');
  const cora = { cookie: (await signIn(env.url, 'cora@example.com')).cookie };
  const first = await list('/ai-systems?limit=10', cora);
  aimsOk(['member', 'remove', 'cora@example.com', '--org', 'acme', '--db', env.db]);
  let r = await request(env.url, 'GET', `${A}/ai-systems?limit=10`, { auth: cora });
  assert.ok(r.status === 403 || r.status === 404, `${r.status} ${r.text}`);
  assert.ok(!r.text.includes(first.json.items[0].ref));
  // A revoked token likewise.
  const out = JSON.parse(aimsOk(['token', 'create', '--db', env.db, '--org', 'acme', '--name', 'soon-revoked',
    '--role', 'viewer', '--format', 'json']).stdout);
  const t = { token: out.token };
  await list('/ai-systems?limit=10', t);
  aimsOk(['token', 'revoke', String(out.id), '--org', 'acme', '--db', env.db]);
  r = await request(env.url, 'GET', `${A}/ai-systems?limit=10`, { auth: t });
  assert.equal(r.status, 401, r.text);
  assert.ok(!r.text.includes(first.json.items[0].ref));
});

test('--list-cache takes 0 to 4096 MB and names the option otherwise', () => {
  for (const bad of ['5000', '-1', 'abc', '']) {
    const r = aims(['serve', '--list-cache', bad, '--db', env.db]);
    assert.equal(r.status, 2, `${bad}: ${r.stderr}`);
    assert.match(r.stderr, /--list-cache must be from 0 \(none\) to 4096 MB/);
  }
  assert.match(aims(['serve', '--help']).stdout, /--list-cache MB/);
});

test('--list-cache 0 keeps nothing', async () => {
  const server = await startServer(env.db, { args: ['--list-cache', '0'] });
  try {
    await list('/ai-systems?limit=10', viewer, server.url);
    const again = await list('/ai-systems?limit=10', viewer, server.url);
    assert.ok(again.json.items.length > 0);
    const m = await cacheFigures(server.url);
    assert.equal(m.hits, 0);
    assert.equal(m.bytes, 0);
  } finally {
    await server.stop();
  }
});
