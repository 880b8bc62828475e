// The JSON API's conventions: error shape and statuses, declared fields and
// parameters only, body limits, ETag / If-Match, Idempotency-Key, security
// headers, the OpenAPI document, metrics and the access log.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, startServer, request, signIn, addMember, addOrg } from './lib.mjs';
import { strictWrites } from './lib.mjs';

// Every change these journeys make goes through the server's writer.
strictWrites();

let env;
let admin;
before(async () => {
  env = await setup();
  addMember(env.db, 'vera@example.com', 'viewer');
  admin = await signIn(env.url);
});
after(async () => { await env.cleanup(); });

const SECURITY_HEADERS = {
  'content-security-policy': /default-src 'self'.*frame-ancestors 'none'/,
  'x-content-type-options': /^nosniff$/,
  // API answers send no referrer; pages send it to their own origin only, so
  // that their forms carry an Origin header the server can check.
  'referrer-policy': /^(no-referrer|same-origin)$/,
  'x-frame-options': /^DENY$/,
  'cache-control': /no-store/,
};

test('security headers are on every answer, errors included', async () => {
  const answers = [
    await request(env.url, 'GET', '/healthz'),
    await request(env.url, 'GET', '/nope'),
    await request(env.url, 'PUT', '/api/v1/orgs'),
    await request(env.url, 'GET', '/api/v1/session'),
    await request(env.url, 'POST', '/api/v1/session', { body: 'x'.repeat(2 * 1024 * 1024) }),
    await request(env.url, 'GET', '/api/v1/orgs', { auth: admin }),
  ];
  for (const r of answers) {
    for (const [name, re] of Object.entries(SECURITY_HEADERS)) {
      assert.match(r.headers.get(name) || '', re, `${name} on a ${r.status}`);
    }
  }
});

test('errors are {"error":{code,message,field}} with the right status', async () => {
  let r = await request(env.url, 'GET', '/api/v1/nothing-here');
  assert.equal(r.status, 404);
  assert.deepEqual(Object.keys(r.json), ['error']);
  assert.deepEqual(Object.keys(r.json.error).sort(), ['code', 'field', 'message']);
  assert.equal(r.json.error.code, 'not_found');
  r = await request(env.url, 'DELETE', '/api/v1/orgs');
  assert.equal(r.status, 405);
  assert.equal(r.headers.get('allow'), 'GET, POST, HEAD');
  r = await request(env.url, 'GET', '/api/v1/orgs');
  assert.equal(r.status, 401);
});

test('an unknown field or query parameter is refused, naming it', async () => {
  let r = await request(env.url, 'POST', '/api/v1/orgs/acme/tokens',
    { auth: admin, body: { name: 'ci', role: 'viewer', owner: 'me' } });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.field, 'owner');
  assert.match(r.json.error.message, /unknown field 'owner'/);
  r = await request(env.url, 'GET', '/api/v1/catalog/requirements?framework=iso42001&colour=blue');
  assert.equal(r.status, 400);
  assert.equal(r.json.error.field, 'colour');
  r = await request(env.url, 'GET', '/api/v1/catalog/requirements?kind=control&kind=clause');
  assert.equal(r.status, 400);
  assert.equal(r.json.error.field, 'kind');
  r = await request(env.url, 'GET', '/api/v1/catalog/requirements?kind=policy');
  assert.equal(r.status, 400);
  assert.match(r.json.error.message, /clause, area, control/);
  r = await request(env.url, 'GET', '/api/v1/catalog/requirements?limit=0');
  assert.equal(r.status, 400);
  assert.equal(r.json.error.field, 'limit');
});

test('a bad value names its field; fields a caller may not set are refused', async () => {
  let r = await request(env.url, 'POST', '/api/v1/orgs/acme/tokens',
    { auth: admin, body: { name: 'ci', role: 'superuser' } });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.field, 'role');
  r = await request(env.url, 'POST', '/api/v1/orgs/acme/tokens',
    { auth: admin, body: { name: 'ci', role: 'viewer', created_at: '2020-01-01T00:00:00Z' } });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.field, 'created_at');
  r = await request(env.url, 'POST', '/api/v1/orgs/acme/tokens',
    { auth: admin, body: { role: 'viewer' } });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.field, 'name');
});

test('malformed JSON is refused naming line and column', async () => {
  const r = await request(env.url, 'POST', '/api/v1/orgs/acme/tokens',
    { auth: admin, body: '{\n  "name": "ci",\n  "role": viewer\n}' });
  assert.equal(r.status, 400);
  assert.match(r.json.error.message, /^malformed JSON at line 3, column \d+/);
  const d = await request(env.url, 'POST', '/api/v1/orgs/acme/tokens',
    { auth: admin, body: '{"name":"a","name":"b","role":"viewer"}' });
  assert.equal(d.status, 400);
  assert.match(d.json.error.message, /duplicate/);
});

test('bodies must be JSON (415) and within the limit (413)', async () => {
  let r = await request(env.url, 'POST', '/api/v1/session',
    { body: 'email=a&password=b', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  assert.equal(r.status, 415);
  assert.equal(r.json.error.code, 'unsupported');
  r = await request(env.url, 'POST', '/api/v1/session',
    { body: JSON.stringify({ email: 'a@example.com', password: 'x'.repeat(1024 * 1024) }) });
  assert.equal(r.status, 413);
  assert.equal(r.json.error.code, 'too_big');
  // The server still answers afterwards.
  r = await request(env.url, 'GET', '/healthz');
  assert.equal(r.status, 200);
});

test('--max-body sets the limit', async () => {
  const s = await startServer(env.db, { args: ['--max-body', '2048'] });
  try {
    const big = JSON.stringify({ email: 'a@example.com', password: 'x'.repeat(3000) });
    const r = await request(s.url, 'POST', '/api/v1/session', { body: big });
    assert.equal(r.status, 413);
    const ok = await request(s.url, 'POST', '/api/v1/session',
      { body: { email: 'nobody@example.com', password: 'x'.repeat(1000) } });
    assert.equal(ok.status, 401);
  } finally {
    await s.stop();
  }
});

test('reads carry an ETag; a stale If-Match answers 412 and changes nothing', async () => {
  let r = await request(env.url, 'GET', '/api/v1/orgs/acme/members/vera@example.com', { auth: admin });
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('etag'), `"${r.json.version}"`);
  const etag = r.headers.get('etag');
  for (const k of ['ref', 'version', 'created_at', 'updated_at']) assert.ok(k in r.json, k);
  r = await request(env.url, 'PATCH', '/api/v1/orgs/acme/members/vera@example.com',
    { auth: admin, body: { role: 'auditor' }, headers: { 'if-match': etag } });
  assert.equal(r.status, 200);
  assert.equal(r.json.role, 'auditor');
  assert.notEqual(r.headers.get('etag'), etag);
  r = await request(env.url, 'PATCH', '/api/v1/orgs/acme/members/vera@example.com',
    { auth: admin, body: { role: 'contributor' }, headers: { 'if-match': etag } });
  assert.equal(r.status, 412);
  assert.equal(r.json.error.code, 'stale');
  r = await request(env.url, 'GET', '/api/v1/orgs/acme/members/vera@example.com', { auth: admin });
  assert.equal(r.json.role, 'auditor');
  r = await request(env.url, 'GET', '/api/v1/orgs/acme', { auth: admin });
  const orgTag = r.headers.get('etag');
  r = await request(env.url, 'PATCH', '/api/v1/orgs/acme',
    { auth: admin, body: { name: 'Acme AI' }, headers: { 'if-match': orgTag } });
  assert.equal(r.status, 200);
  r = await request(env.url, 'PATCH', '/api/v1/orgs/acme',
    { auth: admin, body: { name: 'Acme Again' }, headers: { 'if-match': orgTag } });
  assert.equal(r.status, 412);
  r = await request(env.url, 'PATCH', '/api/v1/orgs/acme',
    { auth: admin, body: { name: 'Acme Again' }, headers: { 'if-match': 'W/"x"' } });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.field, 'If-Match');
});

test('an Idempotency-Key retry returns the first answer instead of a duplicate', async () => {
  const key = { 'idempotency-key': 'create-ci-token-1' };
  const body = { name: 'deploy', role: 'viewer' };
  const a = await request(env.url, 'POST', '/api/v1/orgs/acme/tokens', { auth: admin, body, headers: key });
  assert.equal(a.status, 201);
  assert.match(a.headers.get('location'), /^\/api\/v1\/orgs\/acme\/tokens\/\d+$/);
  const b = await request(env.url, 'POST', '/api/v1/orgs/acme/tokens', { auth: admin, body, headers: key });
  assert.equal(b.status, 201);
  // The same record, but not the secret: it was shown once and is not kept for replays.
  const { token, ...record } = a.json;
  assert.match(token, /^aims_/);
  assert.deepEqual(b.json, record);
  assert.equal(b.headers.get('location'), a.headers.get('location'));
  assert.equal(b.headers.get('idempotent-replayed'), 'true');
  const list = await request(env.url, 'GET', '/api/v1/orgs/acme/tokens', { auth: admin });
  assert.equal(list.json.items.filter((t) => t.name === 'deploy').length, 1);
  const c = await request(env.url, 'POST', '/api/v1/orgs/acme/tokens',
    { auth: admin, body: { name: 'other', role: 'viewer' }, headers: key });
  assert.equal(c.status, 422);
  assert.equal(c.json.error.field, 'Idempotency-Key');
  // Creating an organisation twice with one key: one organisation, the same answer.
  const okey = { 'idempotency-key': 'org-beta' };
  const o1 = await request(env.url, 'POST', '/api/v1/orgs', { auth: admin, body: { slug: 'beta' }, headers: okey });
  const o2 = await request(env.url, 'POST', '/api/v1/orgs', { auth: admin, body: { slug: 'beta' }, headers: okey });
  assert.equal(o1.status, 201);
  assert.equal(o2.status, 201);
  assert.deepEqual(o2.json, o1.json);
  const o3 = await request(env.url, 'POST', '/api/v1/orgs', { auth: admin, body: { slug: 'beta' } });
  assert.equal(o3.status, 409);
});

test('lists page with limit and cursor', async () => {
  let r = await request(env.url, 'GET', '/api/v1/catalog/requirements?framework=iso42001&kind=control&limit=30');
  assert.equal(r.status, 200);
  assert.equal(r.json.items.length, 30);
  assert.equal(typeof r.json.next_cursor, 'string');
  const seen = r.json.items.map((i) => i.id);
  r = await request(env.url, 'GET', `/api/v1/catalog/requirements?framework=iso42001&kind=control&limit=30&cursor=${r.json.next_cursor}`);
  assert.equal(r.json.items.length, 8);
  assert.equal(r.json.next_cursor, null);
  const all = seen.concat(r.json.items.map((i) => i.id));
  assert.equal(new Set(all).size, 38);
  r = await request(env.url, 'GET', '/api/v1/catalog/requirements/A.6.2.4');
  assert.equal(r.status, 200);
  assert.equal(r.json.kind, 'control');
  r = await request(env.url, 'GET', '/api/v1/catalog/requirements/Z.9');
  assert.equal(r.status, 404);
});

test('the OpenAPI document describes every served operation', async () => {
  const r = await request(env.url, 'GET', '/api/v1/openapi.json');
  assert.equal(r.status, 200);
  assert.equal(r.json.openapi, '3.1.0');
  let ops = 0;
  for (const [path, item] of Object.entries(r.json.paths)) {
    for (const method of Object.keys(item)) {
      ops++;
      const url = path.replace('{org}', 'acme').replace('{id}', '1')
        .replace('{email}', 'vera@example.com').replace('{req}', 'A.2.2')
        .replace('{kind}', 'ai-systems').replace('{ref}', 'AIS-1');
      const a = await request(env.url, method.toUpperCase(), url, { auth: admin });
      assert.notEqual(a.status, 405, `${method} ${path}`);
      assert.ok(!(a.status === 404 && a.json?.error?.message === 'no such resource'), `${method} ${path} is not served`);
    }
  }
  assert.ok(ops >= 20, `${ops} operations`);
});

test('healthz, readyz and metrics', async () => {
  assert.equal((await request(env.url, 'GET', '/healthz')).json.status, 'ok');
  assert.equal((await request(env.url, 'GET', '/readyz')).json.status, 'ready');
  const m = await request(env.url, 'GET', '/metrics');
  assert.equal(m.status, 200);
  assert.match(m.headers.get('content-type'), /^text\/plain; version=0\.0\.4/);
  assert.match(m.text, /aims_http_requests_total\{method="GET",route="\/healthz",status="200"\} \d+/);
  assert.match(m.text, /aims_http_request_duration_seconds_bucket\{method="GET",route="\/healthz",le="\+Inf"\} \d+/);
  assert.match(m.text, /aims_http_db_seconds_total\{/);
  assert.match(m.text, /aims_http_open_connections \d+/);
});

test('each request is logged: time, method, path, status, bytes, microseconds, user', async () => {
  await request(env.url, 'GET', '/api/v1/orgs', { auth: admin });
  await new Promise((r) => setTimeout(r, 50));
  assert.match(env.server.log(),
    /\n\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ GET \/api\/v1\/orgs 200 \d+ \d+us user:admin@example\.com\n/);
  const s = await startServer(env.db, { args: ['--log-format', 'json'] });
  try {
    await request(s.url, 'GET', '/healthz');
    await new Promise((r) => setTimeout(r, 50));
    const line = s.log().split('\n').find((l) => l.startsWith('{'));
    const j = JSON.parse(line);
    assert.deepEqual(Object.keys(j), ['time', 'method', 'path', 'status', 'bytes', 'usec', 'user']);
    assert.equal(j.status, 200);
  } finally {
    await s.stop();
  }
});

test('a member of another organisation, or of none, gets 404', async () => {
  addOrg(env.db, 'gamma');
  addMember(env.db, 'gina@example.com', 'admin', 'gamma');
  const gina = await signIn(env.url, 'gina@example.com');
  for (const path of ['/api/v1/orgs/acme', '/api/v1/orgs/acme/members', '/api/v1/orgs/acme/tokens',
    '/api/v1/orgs/acme/ledger', '/api/v1/orgs/nosuchorg/members']) {
    const r = await request(env.url, 'GET', path, { auth: gina });
    assert.equal(r.status, 404, path);
    assert.equal(r.json.error.message, 'no such organisation');
  }
  const w = await request(env.url, 'POST', '/api/v1/orgs/acme/tokens',
    { auth: gina, body: { name: 'x', role: 'viewer' } });
  assert.equal(w.status, 404);
});

test('oversized request headers answer 431 (the per-connection memory limit)', async () => {
  const r = await request(env.url, 'GET', '/healthz', { headers: { 'x-big': 'a'.repeat(70000) } });
  assert.equal(r.status, 431);
  assert.equal((await request(env.url, 'GET', '/healthz')).status, 200);
});
