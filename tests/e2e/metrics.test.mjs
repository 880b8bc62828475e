// metrics.test.mjs - objectives and metrics end to end: a CI token pushes
// readings (a repeated batch stores nothing twice, a bad element names its
// index and stores nothing), CSV and `aims metrics push`, a breach opens a
// nonconformity (then adds to it) and sets the AI system's risks for review,
// incidents likewise, staleness, the series downsampled by the server,
// another organisation's metric is 404, and `aims verify` detects a changed
// reading.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  setup, request, signIn, addMember, addOrg, aims, aimsOk, verifyLedger, SQLITE_FILE_ONLY,
} from './lib.mjs';

let env, admin, ci, other, ai, risk, metric;
const A = '/api/v1/orgs/acme';
const post = (path, body, auth = admin, headers) => request(env.url, 'POST', A + path, { body, auth, headers });
const get = (path, auth = admin) => request(env.url, 'GET', A + path, { auth });
const hoursAgo = (h) => new Date(Date.now() - h * 3600e3).toISOString().replace(/\.\d+Z$/, 'Z');

before(async () => {
  env = await setup();
  addMember(env.db, 'owner@example.com', 'manager');
  addOrg(env.db, 'other');
  addMember(env.db, 'outsider@example.com', 'admin', 'other');
  admin = await signIn(env.url);
  other = await signIn(env.url, 'outsider@example.com');
  const t = await post('/tokens', { name: 'ci', role: 'contributor' });
  assert.equal(t.status, 201, t.text);
  ci = { token: t.json.token };
  ai = (await post('/ai-systems', { name: 'Claims triage', lifecycle_stage: 'operation_monitoring', in_scope: true })).json.ref;
  const r = await post('/risks', { title: 'Drift lowers accuracy', ai_systems: [ai], likelihood: 2, impact: 3, next_review: '2099-01-01' });
  assert.equal(r.status, 201, r.text);
  risk = r.json.ref;
  const m = await post('/metrics', { title: 'Accuracy', ai_system: ai, unit: '%', direction: 'higher_is_better',
    warn: '92', breach: '90', interval_hours: 24, on_breach: 'nonconformity', owner: 'owner@example.com',
    requirements: ['9.1', 'A.6.2.6'] });
  assert.equal(m.status, 201, m.text);
  metric = m.json.ref;
});
after(async () => { if (process.env.KEEP) console.log("DB", env.db); else await env.cleanup(); });

test('metric declarations are checked, naming the field', async () => {
  const both = await post('/metrics', { title: 'X', direction: 'higher_is_better', interval_hours: 1, on_breach: 'none' });
  assert.equal(both.status, 400);
  assert.equal(both.json.error.field, 'ai_system');
  const nan = await post('/metrics', { title: 'X', ai_system: ai, direction: 'higher_is_better', breach: 'ninety', interval_hours: 1, on_breach: 'none' });
  assert.equal(nan.json.error.field, 'breach');
  const order = await post('/metrics', { title: 'X', ai_system: ai, direction: 'lower_is_better', warn: '10', breach: '5', interval_hours: 1, on_breach: 'none' });
  assert.equal(order.json.error.field, 'warn');
  const nobreach = await post('/metrics', { title: 'X', ai_system: ai, direction: 'lower_is_better', interval_hours: 1, on_breach: 'incident' });
  assert.equal(nobreach.json.error.field, 'breach');
  const obj = await post('/objectives', { title: 'Fewer overturned decisions', metric: 'overturned share', target: 'low', direction: 'lower_is_better', due: '2027-06-30' });
  assert.equal(obj.json.error.field, 'target');
  const good = await post('/objectives', { title: 'Fewer overturned decisions', metric: 'overturned share', target: '0.02', direction: 'lower_is_better', due: '2027-06-30' });
  assert.equal(good.status, 201, good.text);
  const inc = await post('/metrics', { title: 'X', objective: good.json.ref, direction: 'lower_is_better', breach: '0.05', interval_hours: 24, on_breach: 'incident' });
  assert.equal(inc.status, 400);
  assert.equal(inc.json.error.field, 'on_breach');
  assert.match(inc.json.error.message, /incident concerns an AI system/);
  // Out of the way of the readiness test below: a cancelled objective is not judged.
  const cancel = await request(env.url, 'PATCH', `${A}/objectives/${good.json.ref}`, { auth: admin, body: { status: 'cancelled' } });
  assert.equal(cancel.status, 200, cancel.text);
});

test('a CI token pushes readings; a repeated batch stores nothing twice', async () => {
  const batch = [{ at: hoursAgo(3), value: 95.5 }, { at: hoursAgo(2), value: 94 }, { at: hoursAgo(1), value: 93.25 }];
  const a = await post(`/metrics/${metric}/readings`, batch, ci);
  assert.equal(a.status, 200, a.text);
  assert.deepEqual([a.json.stored, a.json.duplicates, a.json.breaches], [3, 0, 0]);
  const b = await post(`/metrics/${metric}/readings`, batch, ci);
  assert.deepEqual([b.json.stored, b.json.duplicates], [0, 3]);
  const s = await get(`/metrics/${metric}/readings?from=${hoursAgo(10)}`);
  assert.equal(s.status, 200, s.text);
  assert.deepEqual(s.json.points.map((p) => p.value), [95.5, 94, 93.25]);
  assert.equal(s.json.downsampled, false);
});

test('concurrent pipelines share commits: every batch is stored once, a bad one alone is refused', async () => {
  const m = (await post('/metrics', { title: 'Throughput', ai_system: ai, direction: 'higher_is_better',
    interval_hours: 24, on_breach: 'none' })).json.ref;
  const start = Date.UTC(2026, 1, 1);
  const iso = (t) => new Date(t).toISOString().replace(/\.\d+Z$/, 'Z');
  // 12 batches of 200, each overlapping the previous by 50 readings, and one bad batch among them.
  const batches = Array.from({ length: 12 }, (_, i) =>
    Array.from({ length: 200 }, (_, j) => ({ at: iso(start + (i * 150 + j) * 60e3), value: i * 1000 + j })));
  const bad = [{ at: iso(start), value: 1 }, { at: 'yesterday', value: 2 }];
  const answers = await Promise.all([...batches, bad].map((b) => post(`/metrics/${m}/readings`, b, ci)));
  const refused = answers.pop();
  assert.equal(refused.status, 400, refused.text);
  assert.equal(refused.json.error.field, '[1].at');
  for (const a of answers) assert.equal(a.status, 200, a.text);
  // Whatever the order the batches were applied in, each time is stored once.
  assert.equal(answers.reduce((n, a) => n + a.json.stored, 0), 11 * 150 + 200);
  assert.equal(answers.reduce((n, a) => n + a.json.duplicates, 0), 11 * 50);
  const s = await get(`/metrics/${m}/readings?from=${iso(start)}&to=${iso(start + 3000 * 60e3)}&points=2000`);
  assert.equal(s.json.count, 11 * 150 + 200);
});

test('bad input names the index and field and stores nothing', async () => {
  const before = (await get(`/metrics/${metric}/readings?from=${hoursAgo(100)}`)).json.count;
  const bad = await post(`/metrics/${metric}/readings`, [{ at: hoursAgo(30), value: 97 }, { at: hoursAgo(29), value: 'high' }], ci);
  assert.equal(bad.status, 400);
  assert.equal(bad.json.error.field, '[1].value');
  const badAt = await post(`/metrics/${metric}/readings`, [{ at: 'yesterday', value: 1 }], ci);
  assert.equal(badAt.json.error.field, '[0].at');
  const notArray = await post(`/metrics/${metric}/readings`, { at: hoursAgo(1), value: 1 }, ci);
  assert.equal(notArray.status, 400);
  assert.equal((await get(`/metrics/${metric}/readings?from=${hoursAgo(100)}`)).json.count, before);
  const viewer = (await post('/tokens', { name: 'dash', role: 'viewer' })).json.token;
  const denied = await post(`/metrics/${metric}/readings`, [{ at: hoursAgo(40), value: 97 }], { token: viewer });
  assert.equal(denied.status, 403);
});

test('CSV over the API and `aims metrics push` with --help', async () => {
  // One instant for both sends: the push below repeats a reading of the CSV, and
  // hoursAgo() read twice could fall either side of a second (then no duplicate).
  const at50 = hoursAgo(50);
  const csv = `at,value\n${at50},96\n${hoursAgo(49)},96.5\n`;
  const r = await request(env.url, 'POST', `${A}/metrics/${metric}/readings`, { body: csv, auth: ci, headers: { 'content-type': 'text/csv' } });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.stored, 2);
  const badCsv = await request(env.url, 'POST', `${A}/metrics/${metric}/readings`, { body: 'at,value\n2026-01-01T00:00:00Z,oops\n', auth: ci, headers: { 'content-type': 'text/csv' } });
  assert.equal(badCsv.status, 400);
  assert.match(badCsv.json.error.message, /line 2/);
  // A value longer than a cell holds was cut to another number: refused now,
  // and the good line before it is not stored either.
  const count = async () => (await request(env.url, 'GET', `${A}/metrics/${metric}/readings`, { auth: ci })).json.count;
  const before = await count();
  const longCsv = `at,value\n${hoursAgo(48)},97\n${hoursAgo(47)},0.${'0'.repeat(70)}1\n`;
  const long = await request(env.url, 'POST', `${A}/metrics/${metric}/readings`, { body: longCsv, auth: ci, headers: { 'content-type': 'text/csv' } });
  assert.equal(long.status, 400, long.text);
  assert.match(long.json.error.message, /line 3: a cell is longer than 63 bytes/);
  assert.equal(await count(), before, 'nothing of the refused push is stored');
  assert.match(aimsOk(['metrics', 'push', '--help']).stdout, /--file PATH/);
  const input = JSON.stringify([{ at: hoursAgo(60), value: 97 }, { at: at50, value: 96 }]);
  const out = aimsOk(['metrics', 'push', metric, '--org', 'acme', '--as', 'owner@example.com', '--db', env.db, '--format', 'json'], { input });
  assert.deepEqual(JSON.parse(out.stdout), { stored: 1, duplicates: 1, breaches: 0, opened: null });
  const nobody = aims(['metrics', 'push', metric, '--org', 'acme', '--db', env.db], { input });
  assert.equal(nobody.status, 2);
});

test('a breach opens a nonconformity, then adds to it, and flags the linked risks', async () => {
  const r = await post(`/metrics/${metric}/readings`, [{ at: hoursAgo(0.5), value: 88.5 }], ci);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.breaches, 1);
  assert.match(r.json.opened, /^NC-\d+$/);
  const nc = (await get(`/nonconformities/${r.json.opened}`)).json;
  assert.equal(nc.source, 'monitoring');
  assert.equal(nc.owner, 'owner@example.com');
  assert.deepEqual(nc.records, [metric]);
  assert.deepEqual(nc.requirements, ['9.1', 'A.6.2.6']);
  assert.match(nc.description, /88\.5/);
  const today = new Date().toISOString().slice(0, 10);
  assert.equal((await get(`/risks/${risk}`)).json.next_review, today);
  const again = await post(`/metrics/${metric}/readings`, [{ at: hoursAgo(0.25), value: 87 }], ci);
  assert.equal(again.json.opened, r.json.opened);
  assert.match((await get(`/nonconformities/${r.json.opened}`)).json.description, /87/);
  const st = (await get(`/metric-status?ai_system=${ai}`)).json.items.find((m) => m.ref === metric);
  assert.equal(st.state, 'breach');
  assert.equal(st.stale, false);
});

test('a breach of an incident metric opens an incident of the AI system', async () => {
  const m = await post('/metrics', { title: 'Complaint rate', ai_system: ai, direction: 'lower_is_better',
    breach: '5', interval_hours: 1, on_breach: 'incident' });
  assert.equal(m.status, 201, m.text);
  const r = await post(`/metrics/${m.json.ref}/readings`, [{ at: hoursAgo(0.1), value: 9 }], ci);
  assert.equal(r.status, 200, r.text);
  const inc = (await get(`/incidents/${r.json.opened}`)).json;
  assert.equal(inc.ai_system, ai);
});

test('a metric without readings within its interval is stale', async () => {
  const m = await post('/metrics', { title: 'Latency p95', ai_system: ai, unit: 'ms', direction: 'lower_is_better',
    warn: '300', breach: '500', interval_hours: 2, on_breach: 'none' });
  await post(`/metrics/${m.json.ref}/readings`, [{ at: hoursAgo(5), value: 250 }], ci);
  const st = (await get('/metric-status')).json.items.find((x) => x.ref === m.json.ref);
  assert.equal(st.stale, true);
  assert.equal(st.state, 'ok');
  const cli = JSON.parse(aimsOk(['metrics', 'status', '--org', 'acme', '--db', env.db, '--format', 'json']).stdout);
  assert.equal(cli.find((x) => x.ref === m.json.ref).stale, true);
});

test('readiness 9.1 and A.6.2.6 name the stale metric, the unevaluated ones and the unmonitored system; 6.2 the objective without a plan', async () => {
  const bare = (await post('/ai-systems', { name: 'Unmonitored', lifecycle_stage: 'deployment', in_scope: true })).json.ref;
  const today = new Date().toISOString().slice(0, 10);
  const fields = { title: 'Fairness gap', ai_system: ai, direction: 'lower_is_better', interval_hours: 1, on_breach: 'none' };
  // A date alone is not an evaluation, nor is one in the future.
  const dateOnly = await post('/metrics', { ...fields, evaluated_on: today });
  assert.equal(dateOnly.status, 400, dateOnly.text);
  assert.equal(dateOnly.json.error.field, 'evaluation');
  const future = await post('/metrics', { ...fields, evaluated_on: '2999-01-01', evaluation: 'fine' });
  assert.equal(future.status, 400, future.text);
  assert.equal(future.json.error.field, 'evaluated_on');
  const stale = (await post('/metrics', { ...fields, evaluated_on: today,
    evaluation: 'Gap stable under 2%; no action.' })).json.ref;
  const noDate = (await post('/metrics', { ...fields, title: 'Toxicity rate', evaluation: 'Looked fine.' })).json.ref;
  await post(`/metrics/${stale}/readings`, [{ at: hoursAgo(3), value: 0.02 }], ci);
  const obj = await post('/objectives', { title: 'Accurate triage', metric: 'accuracy', target: '95', unit: '%',
    direction: 'higher_is_better', due: '2027-06-30', owner: 'owner@example.com', plan_what: 'retrain monthly' });
  assert.equal(obj.status, 201, obj.text);
  const r = JSON.parse(aimsOk(['report', 'readiness', '--org', 'acme', '--db', env.db, '--format', 'json', '--no-save']).stdout);
  const rule = (req, id) => r.requirements.find((x) => x.id === req).checks.find((c) => c.rule === id);
  for (const [req, id] of [['9.1', '9.1-monitoring'], ['A.6.2.6', 'A.6.2.6-operation-monitoring']]) {
    const c = rule(req, id);
    assert.equal(c.status, 'fail');
    const by = Object.fromEntries(c.findings.map((f) => [f.code, f]));
    assert.ok(by.stale.refs.includes(stale), JSON.stringify(by.stale));
    assert.deepEqual(by.no_metrics.refs, [bare]);
    assert.ok(by.not_evaluated.refs.includes(metric));
    assert.ok(by.not_evaluated.refs.includes(noDate));
    assert.ok(!by.not_evaluated.refs.includes(stale));
  }
  const o = rule('6.2', '6.2-objectives');
  assert.equal(o.findings[0].code, 'no_plan');
  assert.deepEqual(o.findings[0].refs, [obj.json.ref]);
  const done = await request(env.url, 'PATCH', `${A}/objectives/${obj.json.ref}`, { auth: admin,
    body: { plan_resources: 'two engineers', plan_who: 'ML team', plan_when: 'by Q2', plan_evaluation: 'monthly accuracy review' } });
  assert.equal(done.status, 200, done.text);
  const r2 = JSON.parse(aimsOk(['report', 'readiness', '--org', 'acme', '--db', env.db, '--format', 'json', '--no-save']).stdout);
  assert.equal(r2.requirements.find((x) => x.id === '6.2').checks.find((c) => c.rule === '6.2-objectives').status, 'pass');
  await request(env.url, 'DELETE', `${A}/ai-systems/${bare}`, { auth: admin });
});

test('long ranges are downsampled on the server', async () => {
  const m = (await post('/metrics', { title: 'Drift score', ai_system: ai, direction: 'lower_is_better', interval_hours: 24, on_breach: 'none' })).json.ref;
  const start = Date.UTC(2026, 0, 1);
  const batch = [];
  for (let i = 0; i < 5000; i++) batch.push({ at: new Date(start + i * 60e3).toISOString().replace(/\.\d+Z$/, 'Z'), value: i % 100 });
  const r = await post(`/metrics/${m}/readings`, batch, ci);
  assert.equal(r.json.stored, 5000);
  const s = await get(`/metrics/${m}/readings?from=2026-01-01T00:00:00Z&to=2026-01-05T00:00:00Z&points=100`);
  assert.equal(s.json.count, 5000);
  assert.equal(s.json.downsampled, true);
  // 5,000 minutes fill 87 of the 100 buckets of four days
  assert.ok(s.json.points.length <= 100 && s.json.points.length >= 80, `${s.json.points.length}`);
  assert.ok(s.json.points.every((p) => p.min <= p.value && p.value <= p.max));
  assert.equal(Math.min(...s.json.points.map((p) => p.min)), 0);
  assert.equal(Math.max(...s.json.points.map((p) => p.max)), 99);
});

test("another organisation's metric is 404", async () => {
  const o = await request(env.url, 'GET', `/api/v1/orgs/other/metrics/${metric}/readings`, { auth: other });
  assert.equal(o.status, 404);
  const p = await request(env.url, 'POST', `/api/v1/orgs/other/metrics/${metric}/readings`, { auth: other, body: [{ at: hoursAgo(1), value: 1 }] });
  assert.equal(p.status, 404);
});

test('readings are in the ledger: a changed reading fails verification', { skip: SQLITE_FILE_ONLY },
  async () => {
  const ok = await verifyLedger(env.url, admin);
  assert.equal(ok.json.verified, true, ok.text);
  await env.server.stop();
  // Readings are append-only: the database itself refuses the change...
  const refused = spawnSync('sqlite3', ['-bail', env.db], { encoding: 'utf8',
    input: `UPDATE metric_readings SET value = '99' WHERE metric = '${metric}' AND value = '88.5';` });
  assert.notEqual(refused.status, 0);
  assert.match(refused.stderr, /append-only/);
  // ...and one made with the trigger dropped (and put back) is named by verify.
  const t = spawnSync('sqlite3', ['-bail', env.db], { encoding: 'utf8',
    input: ['BEGIN;', 'DROP TRIGGER metric_readings_append_only;',
      `UPDATE metric_readings SET value = '99' WHERE metric = '${metric}' AND value = '88.5';`,
      "CREATE TRIGGER metric_readings_append_only BEFORE UPDATE ON metric_readings BEGIN SELECT RAISE(ABORT, 'metric readings are append-only'); END;",
      'COMMIT;'].join('\n') });
  assert.equal(t.status, 0, t.stderr);
  const r = aims(['verify', '--db', env.db]);
  assert.equal(r.status, 1);
  assert.match(`${r.stdout}${r.stderr}`, new RegExp(`${metric}/\\d+`));
  await env.restart();
});
