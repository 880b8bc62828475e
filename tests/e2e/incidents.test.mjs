// incidents.test.mjs - incidents (A.8.4) and their EU AI Act reporting clock
// over the API: report_due for each case of Art. 73 (and a deployer's
// Art. 26(5)), the rules about serious incidents, the notification log, and
// isolation between organisations.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, request, signIn, addOrg, addMember } from './lib.mjs';
import { strictWrites } from './lib.mjs';

// Every change these journeys make goes through the server's writer.
strictWrites();

let env, admin, other;
const A = '/api/v1/orgs/acme';
const post = (path, body, auth = admin) => request(env.url, 'POST', A + path, { body, auth });
const get = (path, auth = admin) => request(env.url, 'GET', A + path, { auth });
const patch = (path, body, auth = admin) => request(env.url, 'PATCH', A + path, { body, auth });

const AWARE = '2026-03-02T09:30:00Z';
const base = (extra) => ({
  title: 'Wrong denials', ai_system: 'AIS-1', occurred_at: '2026-03-01T22:00:00Z',
  aware_at: AWARE, severity: 'high', ...extra,
});

before(async () => {
  env = await setup({ env: { AIMS_FAKE_NOW: '2026-03-05T12:00:00Z' } });
  addOrg(env.db, 'other');
  addMember(env.db, 'outsider@example.com', 'admin', 'other');
  admin = await signIn(env.url);
  other = await signIn(env.url, 'outsider@example.com');
  const ai = await post('/ai-systems', { name: 'Claims triage' });
  assert.equal(ai.status, 201, ai.text);
});
after(async () => { await env.cleanup(); });

test('a provider reports within 10, 2 or 15 days of awareness; a deployer at once', async () => {
  const cases = [
    ['death', 'provider', '2026-03-12T09:30:00Z', /market surveillance authority/],
    ['widespread_infringement', 'provider', '2026-03-04T09:30:00Z', /market surveillance/],
    ['critical_infrastructure', 'provider', '2026-03-04T09:30:00Z', /market surveillance/],
    ['health', 'provider', '2026-03-17T09:30:00Z', /market surveillance/],
    ['fundamental_rights', 'provider', '2026-03-17T09:30:00Z', /market surveillance/],
    ['property_environment', 'provider', '2026-03-17T09:30:00Z', /market surveillance/],
    ['death', 'deployer', AWARE, /^the provider/],
    ['health', 'deployer', AWARE, /^the provider/],
  ];
  for (const [kind, role, due, to] of cases) {
    const r = await post('/incidents', base({ serious: true, serious_kind: kind, role }));
    assert.equal(r.status, 201, `${kind}/${role}: ${r.text}`);
    assert.equal(r.json.report_due, due, `${kind}/${role}`);
    assert.match(r.json.report_to, to, `${kind}/${role}`);
  }
});

test('nothing is due for an incident that is not serious', async () => {
  const r = await post('/incidents', base({ serious: false }));
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.report_due, null);
  assert.equal(r.json.report_to, null);
});

test('changing awareness or the kind moves the deadline', async () => {
  const r = await post('/incidents', base({ serious: true, serious_kind: 'health', role: 'provider' }));
  const u = await patch(`/incidents/${r.json.ref}`, { serious_kind: 'death', aware_at: '2026-03-03T00:00:00Z' });
  assert.equal(u.status, 200, u.text);
  assert.equal(u.json.report_due, '2026-03-13T00:00:00Z');
  const off = await patch(`/incidents/${r.json.ref}`, { serious: false, serious_kind: null });
  assert.equal(off.status, 200, off.text);
  assert.equal(off.json.report_due, null);
});

test('report_due is read-only, and a serious incident needs its kind and role', async () => {
  const ro = await post('/incidents', base({ report_due: '2030-01-01T00:00:00Z' }));
  assert.equal(ro.status, 400);
  assert.equal(ro.json.error.field, 'report_due');
  const nokind = await post('/incidents', base({ serious: true, role: 'provider' }));
  assert.equal(nokind.status, 400);
  assert.equal(nokind.json.error.field, 'serious_kind');
  const norole = await post('/incidents', base({ serious: true, serious_kind: 'death' }));
  assert.equal(norole.status, 400);
  assert.equal(norole.json.error.field, 'role');
  const bad = await post('/incidents', base({ serious: true, serious_kind: 'flood', role: 'provider' }));
  assert.equal(bad.status, 400);
  assert.equal(bad.json.error.field, 'serious_kind');
  const early = await post('/incidents', base({ aware_at: '2026-02-01T00:00:00Z' }));
  assert.equal(early.status, 400);
  assert.equal(early.json.error.field, 'aware_at');
  const notnc = await post('/incidents', base({ nonconformities: ['AIS-1'] }));
  assert.equal(notnc.status, 400);
  assert.equal(notnc.json.error.field, 'nonconformities');
});

test('the notification log records to whom, when and their reference; reported_at is the first', async () => {
  const r = await post('/incidents', base({ serious: true, serious_kind: 'death', role: 'provider' }));
  const u = await patch(`/incidents/${r.json.ref}`, { notifications: [
    { to: 'Bundesnetzagentur', at: '2026-03-06T10:00:00Z', reference: 'MSA-2026-118' },
    { to: 'Provider support', at: '2026-03-03T08:00:00Z' },
  ] });
  assert.equal(u.status, 200, u.text);
  assert.equal(u.json.reported_at, '2026-03-03T08:00:00Z');
  assert.equal(u.json.notifications[0].reference, 'MSA-2026-118');
  const missing = await patch(`/incidents/${r.json.ref}`, { notifications: [{ at: '2026-03-06T10:00:00Z' }] });
  assert.equal(missing.status, 400);
  assert.match(missing.json.error.field, /notifications\[0\]\.to/);
});

test('links to risks; another organisation gets 404', async () => {
  const risk = await post('/risks', { title: 'Denials', risk_source: 'C.3.4', likelihood: 2, impact: 3 });
  assert.equal(risk.status, 201, risk.text);
  const r = await post('/incidents', base({ risks: [risk.json.ref] }));
  assert.equal(r.status, 201, r.text);
  const links = await get(`/risks/${risk.json.ref}/links`);
  assert.ok((links.json.items ?? links.json).some((l) => l.ref === r.json.ref), links.text);
  const o = await request(env.url, 'GET', `${A}/incidents/${r.json.ref}`, { auth: other });
  assert.equal(o.status, 404);
  const o2 = await request(env.url, 'GET', `/api/v1/orgs/other/incidents/${r.json.ref}`, { auth: other });
  assert.equal(o2.status, 404);
});

// The check of rule `id` in a readiness answer, wherever it sits.
function findCheck(x, id) {
  if (Array.isArray(x)) {
    for (const v of x) { const r = findCheck(v, id); if (r) return r; }
  } else if (x && typeof x === 'object') {
    if (x.rule === id && 'status' in x) return x;
    for (const v of Object.values(x)) { const r = findCheck(v, id); if (r) return r; }
  }
  return null;
}

test('readiness A.8.4: missed and late reports are named; an approved incident process counts', async () => {
  // The clock stands at 2026-03-05T12:00Z: the 2-day reports (due 03-04) are missed.
  let r = await get('/readiness');
  assert.equal(r.status, 200, r.text);
  let c = findCheck(r.json, 'A.8.4-deadlines');
  assert.equal(c.status, 'fail');
  const missed = c.findings.find((f) => f.code === 'missed');
  assert.ok(missed.count >= 2, JSON.stringify(c));
  assert.match(missed.reason, /past their EU AI Act reporting deadline/);
  // Reported, one in time and one late: each is judged by its own deadline.
  const [a, b] = missed.refs;
  assert.equal((await patch(`/incidents/${a}`, { notifications: [{ to: 'MSA', at: '2026-03-03T09:00:00Z' }] })).status, 200);
  assert.equal((await patch(`/incidents/${b}`, { notifications: [{ to: 'MSA', at: '2026-03-05T09:00:00Z' }] })).status, 200);
  r = await get('/readiness');
  c = findCheck(r.json, 'A.8.4-deadlines');
  assert.ok(!(c.findings.find((f) => f.code === 'missed')?.refs ?? []).includes(a));
  assert.deepEqual(c.findings.find((f) => f.code === 'late').refs, [b]);

  assert.equal(findCheck(r.json, 'A.8.4-process').status, 'fail');
  addMember(env.db, 'reviewer@example.com', 'manager');
  const reviewer = await signIn(env.url, 'reviewer@example.com');
  const doc = await post('/documents', { title: 'Incident process', kind: 'procedure', requirements: ['A.8.4'] });
  assert.equal(doc.status, 201, doc.text);
  assert.equal((await patch(`/documents/${doc.json.ref}`, { status: 'in_review' })).status, 200);
  const ok = await patch(`/documents/${doc.json.ref}`, { status: 'approved' }, reviewer);
  assert.equal(ok.status, 200, ok.text);
  assert.equal(findCheck((await get('/readiness')).json, 'A.8.4-process').status, 'pass');
});
