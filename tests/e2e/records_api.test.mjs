// records_api.test.mjs - the planning records over the JSON API: create, read,
// update with If-Match, list with filters, sort and search, the domain rules,
// role checks per kind, cross-organisation isolation and ledger events.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, request, signIn, addMember, addOrg, ADMIN, verifyLedger } from './lib.mjs';
import { strictWrites } from './lib.mjs';

// Every change these journeys make goes through the server's writer.
strictWrites();

let env, admin, viewer, contributor, manager, other;
const A = '/api/v1/orgs/acme';

before(async () => {
  env = await setup();
  addMember(env.db, 'viewer@example.com', 'viewer');
  addMember(env.db, 'contributor@example.com', 'contributor');
  addMember(env.db, 'manager@example.com', 'manager');
  addOrg(env.db, 'other');
  addMember(env.db, 'outsider@example.com', 'admin', 'other');
  admin = await signIn(env.url);
  viewer = await signIn(env.url, 'viewer@example.com');
  contributor = await signIn(env.url, 'contributor@example.com');
  manager = await signIn(env.url, 'manager@example.com');
  other = await signIn(env.url, 'outsider@example.com');
});
after(async () => { await env.cleanup(); });

const post = (path, body, auth = admin, headers) => request(env.url, 'POST', A + path, { body, auth, headers });
const get = (path, auth = admin) => request(env.url, 'GET', A + path, { auth });
const patch = (path, body, version, auth = admin) =>
  request(env.url, 'PATCH', A + path, { body, auth, headers: version ? { 'if-match': `"${version}"` } : {} });

test('create, read, update with If-Match and a stale version', async () => {
  const c = await post('/ai-systems', { name: 'Claims triage', lifecycle_stage: 'deployment', in_scope: true });
  assert.equal(c.status, 201, c.text);
  assert.match(c.json.ref, /^AIS-\d+$/);
  assert.equal(c.headers.get('location'), `${A}/ai-systems/${c.json.ref}`);
  for (const f of ['version', 'created_at', 'updated_at']) assert.ok(f in c.json, f);
  const r = await get(`/ai-systems/${c.json.ref}`);
  assert.equal(r.headers.get('etag'), '"1"');
  const u = await patch(`/ai-systems/${c.json.ref}`, { purpose: 'Ranks claims' }, 1);
  assert.equal(u.status, 200, u.text);
  assert.equal(u.json.version, 2);
  const stale = await patch(`/ai-systems/${c.json.ref}`, { purpose: 'Late edit' }, 1);
  assert.equal(stale.status, 412);
  assert.equal((await get(`/ai-systems/${c.json.ref}`)).json.purpose, 'Ranks claims');
});

test("a change's answer is the record as a read gives it; nested objects keep the order sent", async () => {
  const c = await post('/ai-systems', {
    purpose: 'Ranks "all" claims / \\ \u00e9 \u2028\tsee', name: 'Answered as read',
    lifecycle_stage: 'deployment', in_scope: true, eu_ai_act_roles: ['deployer', 'provider'],
  });
  assert.equal(c.status, 201, c.text);
  const r = await get(`/ai-systems/${c.json.ref}`);
  assert.equal(c.text, r.text);
  assert.ok(c.text.endsWith('}\n'));
  assert.equal(c.headers.get('etag'), '"1"');
  assert.equal(c.headers.get('etag'), r.headers.get('etag'));
  assert.equal(c.headers.get('location'), `${A}/ai-systems/${c.json.ref}`);
  assert.equal(c.headers.get('content-type'), r.headers.get('content-type'));
  const u = await patch(`/ai-systems/${c.json.ref}`, { purpose: 'Ranks claims', owner: null }, 1);
  assert.equal(u.status, 200, u.text);
  const r2 = await get(`/ai-systems/${c.json.ref}`);
  assert.equal(u.text, r2.text);
  assert.equal(u.headers.get('etag'), '"2"');
  assert.equal(u.headers.get('location'), null);
  // A change that changes nothing answers the record as it is.
  const same = await patch(`/ai-systems/${c.json.ref}`, { purpose: 'Ranks claims' }, 2);
  assert.equal(same.status, 200, same.text);
  assert.equal(same.text, r2.text);
  // Nested objects: the answer keeps the caller's order, a read the stored (sorted) one.
  const n = await post('/ai-systems', { name: 'Nested', components: [{ version: '3', name: 'm', kind: 'model' }] });
  assert.equal(n.status, 201, n.text);
  assert.ok(n.text.includes('[{"version":"3","name":"m","kind":"model"}]'), n.text);
  const rn = await get(`/ai-systems/${n.json.ref}`);
  assert.ok(rn.text.includes('[{"kind":"model","name":"m","version":"3"}]'), rn.text);
  assert.deepEqual(n.json, rn.json);
});

test('bad input names the field, lists allowed values and changes nothing', async () => {
  const before = (await get('/ai-systems')).json.total;
  const e1 = await post('/ai-systems', { name: 'X', lifecycle_stage: 'flying' });
  assert.equal(e1.status, 400);
  assert.equal(e1.json.error.field, 'lifecycle_stage');
  assert.match(e1.json.error.message, /inception/);
  const e2 = await post('/ai-systems', { name: 'X', colour: 'red' });
  assert.equal(e2.json.error.field, 'colour');
  const e3 = await post('/ai-systems', { purpose: 'no name' });
  assert.equal(e3.json.error.field, 'name');
  const e4 = await post('/risks', { title: 'R', risk_source: 'C.9.9', likelihood: 2, impact: 2 });
  assert.equal(e4.status, 400);
  assert.equal(e4.json.error.field, 'risk_source');
  assert.equal((await get('/ai-systems')).json.total, before);
});

test('lists filter, sort, search and page with a cursor', async () => {
  for (const n of ['Alpha scorer', 'Beta ranker', 'Gamma ranker'])
    assert.equal((await post('/ai-systems', { name: n, lifecycle_stage: 'design_development' })).status, 201);
  const f = await get('/ai-systems?lifecycle_stage=design_development&sort=name');
  assert.deepEqual(f.json.items.map((i) => i.name), ['Alpha scorer', 'Beta ranker', 'Gamma ranker']);
  const q = await get('/ai-systems?q=ranker');
  assert.equal(q.json.items.length, 2);
  const p1 = await get('/ai-systems?lifecycle_stage=design_development&sort=name&limit=2');
  assert.equal(p1.json.items.length, 2);
  assert.ok(p1.json.next_cursor);
  const p2 = await get(`/ai-systems?lifecycle_stage=design_development&sort=name&limit=2&cursor=${encodeURIComponent(p1.json.next_cursor)}`);
  assert.deepEqual(p2.json.items.map((i) => i.name), ['Gamma ranker']);
  assert.equal(p2.json.next_cursor, null);
  const bad = await get('/ai-systems?purpose=x');
  assert.equal(bad.status, 400);
  assert.equal(bad.json.error.field, 'purpose');
});

test('risks are scored, treated with Annex A controls, and the SoA guards them', async () => {
  const ais = (await post('/ai-systems', { name: 'Scored system' })).json.ref;
  const m = await post('/measures', { title: 'Bias monitoring', requirements: ['A.6.2.6'] });
  assert.equal(m.status, 201, m.text);
  const r = await post('/risks', {
    title: 'Unfair ranking', ai_systems: [ais], risk_source: 'C.3.4', objective: 'C.2.5',
    likelihood: 4, impact: 4,
    treatment: { option: 'modify', plan: 'Monitor', controls: ['A.6.2.6'], measures: [m.json.ref],
      residual_likelihood: 2, residual_impact: 2 },
  });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.inherent_score, 16);
  assert.equal(r.json.residual_score, 4);
  const soa = await get('/soa/A.6.2.6');
  assert.equal(soa.status, 200);
  const excl = await patch('/soa/A.6.2.6', { applicable: false, justification: 'Monitoring is done by the vendor' }, soa.json.version);
  assert.equal(excl.status, 409);
  assert.match(excl.json.error.message, new RegExp(r.json.ref));
  const impl = await patch('/soa/A.6.2.6', { applicable: true, justification: 'Monitoring of our AI systems', status: 'implemented' }, soa.json.version);
  assert.equal(impl.status, 400, impl.text);
  assert.equal(impl.json.error.field, 'measures');
  const ok = await patch('/soa/A.6.2.6', { applicable: true, justification: 'Monitoring of our AI systems', status: 'implemented', measures: [m.json.ref] }, soa.json.version);
  assert.equal(ok.status, 200, ok.text);
  const links = await get(`/ai-systems/${ais}/links`);
  assert.ok(links.json.items.some((l) => l.ref === r.json.ref && l.direction === 'in'));
  const all = await get('/soa?limit=100');
  assert.equal(all.json.total, 38);
});

test('roles per kind: a viewer reads only, a contributor may not change governance records', async () => {
  assert.equal((await get('/risks', viewer)).status, 200);
  assert.equal((await post('/ai-systems', { name: 'By viewer' }, viewer)).status, 403);
  assert.equal((await post('/ai-systems', { name: 'By contributor' }, contributor)).status, 201);
  const soa = await get('/soa/A.2.2');
  assert.equal((await patch('/soa/A.2.2', { applicable: true, justification: 'x' }, soa.json.version, contributor)).status, 403);
});

test("another organisation's records answer 404, never 403", async () => {
  const ref = (await post('/ai-systems', { name: 'Secret system' })).json.ref;
  const r = await request(env.url, 'GET', `${A}/ai-systems/${ref}`, { auth: other });
  assert.equal(r.status, 404);
  const own = await request(env.url, 'GET', `/api/v1/orgs/other/ai-systems/${ref}`, { auth: other });
  assert.equal(own.status, 404);
  const cross = await request(env.url, 'POST', '/api/v1/orgs/other/risks', {
    auth: other, body: { title: 'Cross', ai_systems: [ref], likelihood: 1, impact: 1 } });
  assert.equal(cross.status, 400);
  assert.equal(cross.json.error.field, 'ai_systems[0]');
});

test('every change is in the ledger and verifies; a retried create is not duplicated', async () => {
  const key = { 'idempotency-key': 'create-once-1' };
  const a = await post('/ai-systems', { name: 'Idempotent' }, admin, key);
  const b = await post('/ai-systems', { name: 'Idempotent' }, admin, key);
  assert.equal(a.status, 201);
  assert.equal(b.json.ref, a.json.ref);
  const led = await get('/ledger?limit=50');
  assert.ok(led.json.items.some((e) => e.kind === 'ai-systems' && e.ref === a.json.ref && e.action === 'create'));
  const v = await verifyLedger(env.url, admin);
  assert.equal(v.status, 200, v.text);
  assert.equal(v.json.verified, true, v.text);
});

test('documents: approval by someone other than the author, versions kept', async () => {
  const d = await post('/documents', { title: 'AI policy', kind: 'policy', is_ai_policy: true, body: '# Policy\nWe use AI *responsibly*.' }, manager);
  assert.equal(d.status, 201, d.text);
  const rev = await patch(`/documents/${d.json.ref}`, { status: 'in_review' }, 1, manager);
  assert.equal(rev.status, 200, rev.text);
  const self = await patch(`/documents/${d.json.ref}`, { status: 'approved' }, 2, manager);
  assert.ok([403, 409, 422].includes(self.status), self.text);
  const ok = await patch(`/documents/${d.json.ref}`, { status: 'approved' }, 2, admin);
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.json.approved_by, 'admin@example.com');
  const versions = await get(`/documents/${d.json.ref}/versions?status=approved`);
  assert.equal(versions.json.items.length, 1);
});

test('any list downloads as CSV or XLSX with its filters applied', async () => {
  await post('/ai-systems', { name: 'Download me', lifecycle_stage: 'retirement' });
  await post('/ai-systems', { name: 'Not me', lifecycle_stage: 'inception' });
  const csv = await get('/ai-systems?lifecycle_stage=retirement&format=csv');
  assert.equal(csv.status, 200);
  assert.match(csv.headers.get('content-type'), /text\/csv/);
  assert.match(csv.headers.get('content-disposition'), /attachment; filename="acme-ai-systems\.csv"/);
  const lines = csv.text.trim().split('\r\n');
  assert.match(lines[0], /^Reference,Name,/);
  assert.equal(lines.length, 2);
  assert.match(lines[1], /Download me/);
  const x = await fetch(`${env.url}${A}/ai-systems?format=xlsx&q=download`, { headers: { cookie: admin.cookie } });
  assert.equal(x.status, 200);
  const bytes = Buffer.from(await x.arrayBuffer());
  assert.equal(bytes.subarray(0, 2).toString(), 'PK');
  const bad = await get('/ai-systems?format=pdf');
  assert.equal(bad.status, 400);
  assert.equal(bad.json.error.field, 'format');
});

test('evidence files: revisions listed with their hash, downloaded as stored, checked by verify', async () => {
  const { writeFileSync, chmodSync } = await import('node:fs');
  const { createHash } = await import('node:crypto');
  const { aims } = await import('./lib.mjs');
  const ev = await post('/evidence', { title: 'Bias test report', kind: 'file', source: 'ci' });
  assert.equal(ev.status, 201, ev.text);
  const file = `${env.dir}/report.txt`;
  const content = 'fairness: demographic parity difference 0.02\n';
  writeFileSync(file, content);
  const att = aims(['record', 'attach', 'evidence', ev.json.ref, file, '--org', 'acme', '--as', ADMIN, '--db', env.db]);
  assert.equal(att.status, 0, att.stderr);
  const files = await get(`/evidence/${ev.json.ref}/files`);
  assert.equal(files.status, 200);
  const sha = createHash('sha256').update(content).digest('hex');
  assert.equal(files.json.items[0].sha256, sha);
  const dl = await get(`/evidence/${ev.json.ref}/files/1`);
  assert.equal(dl.status, 200);
  assert.equal(dl.text, content);
  assert.match(dl.headers.get('content-type'), /^text\/plain/);
  assert.equal(dl.headers.get('content-disposition'), 'attachment; filename="report.txt"; filename*=UTF-8\'\'report.txt');
  assert.equal((await get(`/evidence/${ev.json.ref}/files/9`)).status, 404);
  assert.equal(aims(['verify', '--db', env.db]).status, 0);
  // Change the stored bytes behind the store's back: verify names the file.
  const blob = `${env.dir}/data/blobs/${sha.slice(0, 2)}/${sha.slice(2)}`;
  chmodSync(blob, 0o644);
  writeFileSync(blob, 'tampered\n');
  const v = aims(['verify', '--db', env.db]);
  assert.equal(v.status, 1);
  assert.match(v.stderr, new RegExp(ev.json.ref));
});
