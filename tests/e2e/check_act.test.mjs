// check_act.test.mjs - the act half of the check-and-act cycle through the
// API, black-box: a nonconformity with its corrective actions (overdue ones
// on the dashboard and first on the list), an effectiveness review refused
// to the owner and taken by someone else, a not-effective review reopening
// it, closure only after an effective review; an improvement decided; a
// management review whose frozen inputs list the nonconformity, with
// decisions and minutes approved by another manager; readiness for 9.3,
// 10.1 and 10.2 moving to met; another organisation sees none of it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { aims, aimsOk, request, setup, signIn } from './lib.mjs';

const ANN = 'ann@example.com';		// manager
const BEN = 'ben@example.com';		// manager
const CORA = 'cora@example.com';	// contributor, owns the nonconformity
const TOM = 'tom@example.com';		// admin, top management
const A = '/api/v1/orgs/acme';

let env;
const s = {};

function person(email, name, role, org = 'acme') {
  aimsOk(['user', 'add', email, '--name', name, '--password-stdin', '--db', env.db],
    { input: 'correct horse battery staple\n' });
  aimsOk(['member', 'add', email, '--org', org, '--role', role, '--db', env.db]);
}

const api = (method, path, who, body) => request(env.url, method, A + path, { auth: s[who], body });

async function ok(method, path, who, body, status = 200) {
  const r = await api(method, path, who, body);
  assert.equal(r.status, status, `${method} ${path} as ${who}: ${r.text}`);
  return r.json;
}

function check(r, req, id) {
  const q = r.requirements.find((x) => x.id === req);
  assert.ok(q, `requirement ${req}`);
  return { req: q, check: q.checks.find((c) => c.rule === id) };
}

const readiness = async () => ok('GET', '/readiness', ANN);

before(async () => {
  env = await setup();
  person(ANN, 'Ann Smith', 'manager');
  person(BEN, 'Ben Jones', 'manager');
  person(CORA, 'Cora Lee', 'contributor');
  person(TOM, 'Tom Chief', 'admin');
  for (const who of [ANN, BEN, CORA, TOM]) s[who] = await signIn(env.url, who);
});
after(async () => { await env?.cleanup(); });

test('a nonconformity is corrected, reviewed by someone other than its owner, and closed', async () => {
  let nc = await ok('POST', '/nonconformities', CORA, {
    title: 'Supplier reviews skipped', source: 'self_identified', severity: 'minor',
    description: 'The yearly review of two AI suppliers was not held.',
    requirements: ['8.1', 'A.10.3'], owner: CORA,
    correction: 'Both suppliers reviewed at once.',
    corrective_actions: [{ action: 'Put supplier reviews in the compliance calendar',
      owner: CORA, due: '2026-02-01' }],
  }, 201);
  assert.equal(nc.ref, 'NC-1');
  assert.equal(nc.status, 'open');
  assert.equal(nc.next_action_due, '2026-02-01');

  // Past due: readiness 10.2 names it, the dashboard and the list show it first.
  let r = await readiness();
  let c = check(r, '10.2', '10.2-nonconformities');
  assert.equal(c.check.status, 'fail');
  assert.ok(c.check.findings.some((f) => f.code === 'past_due' && f.refs.includes('NC-1')),
    JSON.stringify(c.check.findings));
  let page = await request(env.url, 'GET', '/o/acme/', { auth: s[ANN] });
  assert.match(page.text, /NC-1/);
  assert.match(page.text, /corrective action/);
  page = await request(env.url, 'GET', '/o/acme/nonconformities', { auth: s[ANN] });
  assert.equal(page.status, 200);
  const past = page.text.indexOf('Past due');
  assert.ok(past > 0 && page.text.indexOf('NC-1') > past, 'overdue first');
  assert.match(page.text, /aria-label="nonconformities by Status"/);

  // The steps: not to review before the actions are done.
  nc = await ok('PATCH', '/nonconformities/NC-1', CORA, { status: 'in_progress' });
  let bad = await api('PATCH', '/nonconformities/NC-1', CORA, { status: 'verifying' });
  assert.equal(bad.status, 409);
  assert.match(bad.json.error.message, /corrective_actions\[0\]\.done_on/);
  await ok('PATCH', '/nonconformities/NC-1', CORA, {
    root_cause: 'Reviews were not scheduled anywhere.',
    corrective_actions: [{ action: 'Put supplier reviews in the compliance calendar',
      owner: CORA, due: '2026-02-01', done_on: '2026-01-25' }],
    status: 'verifying' });

  // The owner may not review; the reason names the field.
  bad = await api('PATCH', '/nonconformities/NC-1', CORA, { effective: true });
  assert.equal(bad.status, 403);
  assert.equal(bad.json.error.field, 'effectiveness_reviewer');
  // Not effective reopens it.
  nc = await ok('PATCH', '/nonconformities/NC-1', ANN, { effective: false,
    effectiveness_notes: 'A third supplier was missed.' });
  assert.equal(nc.status, 'open');
  assert.equal(nc.effectiveness_reviewer, ANN);
  bad = await api('PATCH', '/nonconformities/NC-1', BEN, { status: 'closed' });
  assert.equal(bad.status, 409);

  await ok('PATCH', '/nonconformities/NC-1', CORA, { status: 'in_progress' });
  nc = await ok('PATCH', '/nonconformities/NC-1', CORA, { status: 'verifying' });
  assert.equal(nc.effective, null);
  assert.equal(nc.previous_reviews.length, 1);
  // Closing needs the effective review first.
  let steps = await ok('GET', '/nonconformities/NC-1/steps', BEN);
  const close = steps.items.find((x) => x.action === 'close');
  assert.equal(close.allowed, false);
  assert.match(close.reason, /effectiveness/);
  nc = await ok('PATCH', '/nonconformities/NC-1', ANN, { effective: true });
  steps = await ok('GET', '/nonconformities/NC-1/steps', BEN);
  assert.equal(steps.items.find((x) => x.action === 'close').allowed, true);
  // A contributor does not close it; a manager does.
  bad = await api('PATCH', '/nonconformities/NC-1', CORA, { status: 'closed' });
  assert.equal(bad.status, 403);
  nc = await ok('PATCH', '/nonconformities/NC-1', BEN, { status: 'closed' });
  assert.equal(nc.closed_by, BEN);
  assert.equal(nc.next_action_due, null);

  r = await readiness();
  c = check(r, '10.2', '10.2-nonconformities');
  assert.equal(c.check.status, 'pass');
  assert.equal(c.req.status, 'met');
});

test('an improvement is decided by a manager with an owner', async () => {
  let r = await readiness();
  assert.equal(check(r, '10.1', '10.1-improvement').check.status, 'fail');
  await ok('POST', '/improvements', CORA, { title: 'Automate supplier reminders',
    source: 'nonconformity', origin: 'NC-1' }, 201);
  const bad = await api('PATCH', '/improvements/IMP-1', CORA, { status: 'accepted', owner: CORA });
  assert.equal(bad.status, 403);
  const imp = await ok('PATCH', '/improvements/IMP-1', ANN, { status: 'accepted', owner: CORA,
    decision: 'Worth it: the calendar alone relies on people.', due: '2026-09-30' });
  assert.equal(imp.decided_by, ANN);
  r = await readiness();
  assert.equal(check(r, '10.1', '10.1-improvement').check.status, 'pass');
  assert.equal(check(r, '10.1', '10.1-improvement').req.status, 'met');
});

test('a management review freezes its inputs when held and its minutes are approved by another manager', async () => {
  await ok('POST', '/nonconformities', CORA, { title: 'Open one', source: 'complaint',
    description: 'A customer complaint about an unexplained decision.', owner: CORA }, 201);
  let mr = await ok('POST', '/management-reviews', ANN, { title: 'Management review 2026',
    planned_date: '2026-03-10' }, 201);
  assert.equal(mr.status, 'planned');
  assert.equal(mr.inputs, null);
  let bad = await api('PATCH', `/management-reviews/${mr.ref}`, ANN, { status: 'held' });
  assert.equal(bad.status, 400);
  assert.equal(bad.json.error.field, 'held_on');
  bad = await api('PATCH', `/management-reviews/${mr.ref}`, ANN, { held_on: '2026-03-10',
    attendees: [{ name: 'Ann Smith', user: ANN }], status: 'held' });
  assert.equal(bad.status, 409);
  assert.equal(bad.json.error.field, 'attendees');
  mr = await ok('PATCH', `/management-reviews/${mr.ref}`, ANN, { held_on: '2026-03-10',
    attendees: [{ name: 'Tom Chief', user: TOM, role: 'CEO', top_management: true },
      { name: 'Ann Smith', user: ANN, role: 'AIMS manager' }],
    status: 'held' });
  assert.equal(mr.status, 'held');
  const names = ['previous_actions', 'context_changes', 'nonconformities', 'monitoring',
    'audits', 'objectives', 'risks', 'incidents', 'improvements', 'resources'];
  assert.deepEqual(Object.keys(mr.inputs).sort(), [...names].sort());
  const refs = mr.inputs.nonconformities.items.map((i) => i.ref);
  assert.ok(refs.includes('NC-2'), JSON.stringify(mr.inputs.nonconformities));
  assert.ok(mr.inputs.improvements.items.some((i) => i.ref === 'IMP-1'));
  // Read-only, and frozen: a later nonconformity does not appear in it.
  bad = await api('PATCH', `/management-reviews/${mr.ref}`, ANN, { inputs: {} });
  assert.equal(bad.status, 400);
  await ok('POST', '/nonconformities', CORA, { title: 'Later', source: 'incident',
    description: 'After the review.' }, 201);
  mr = await ok('PATCH', `/management-reviews/${mr.ref}`, ANN, {
    minutes: 'Every input discussed.',
    decisions: [{ decision: 'Automate supplier reminders', type: 'improvement',
      action: 'Set up reminders', owner: CORA, due: '2026-06-30', improvement: 'IMP-1' }] });
  assert.ok(!mr.inputs.nonconformities.items.some((i) => i.ref === 'NC-3'));
  // Decisions need an action, owner and due date.
  bad = await api('PATCH', `/management-reviews/${mr.ref}`, ANN, {
    decisions: [{ decision: 'Something', action: 'x' }] });
  assert.equal(bad.status, 400);
  assert.match(bad.json.error.field, /^decisions\[0\]\.(owner|due)$/);

  let r = await readiness();
  assert.equal(check(r, '9.3.1', '9.3.1-reviews').check.status, 'pass');
  assert.equal(check(r, '9.3.2', '9.3.2-inputs').check.status, 'pass');
  assert.equal(check(r, '9.3.3', '9.3.3-results').check.status, 'pass');
  assert.equal(check(r, '9.3.3', '9.3.3-minutes-approved').check.status, 'fail');

  // The minutes: not by their author, by another manager.
  bad = await api('PATCH', `/management-reviews/${mr.ref}`, ANN, { status: 'approved' });
  assert.equal(bad.status, 403);
  mr = await ok('PATCH', `/management-reviews/${mr.ref}`, BEN, { status: 'approved' });
  assert.equal(mr.approved_by, BEN);
  r = await readiness();
  for (const q of ['9.3.1', '9.3.2', '9.3.3', '9.3']) assert.equal(check(r, q).req.status, 'met', q);
});

test('a nonconformity is retained: deleting retires it and keeps it', async () => {
  await ok('POST', '/nonconformities', CORA, { title: 'Raised in error', source: 'self_identified',
    description: 'Duplicate of NC-1.' }, 201);
  await ok('DELETE', '/nonconformities/NC-4', TOM, undefined, 204);
  const nc = await ok('GET', '/nonconformities/NC-4', ANN);
  assert.equal(nc.retired, true);
  assert.equal(nc.description, 'Duplicate of NC-1.');
});

test('another organisation sees none of these records', async () => {
  aimsOk(['org', 'create', 'other', '--db', env.db]);
  person('olga@example.com', 'Olga', 'manager', 'other');
  s.olga = await signIn(env.url, 'olga@example.com');
  for (const p of ['/nonconformities/NC-1', '/management-reviews/MR-1', '/improvements/IMP-1']) {
    const r = await request(env.url, 'GET', `/api/v1/orgs/other${p}`, { auth: s.olga });
    assert.equal(r.status, 404, p);
    const x = await request(env.url, 'GET', `/api/v1/orgs/acme${p}`, { auth: s.olga });
    assert.ok(x.status === 404 || x.status === 403, `${p}: ${x.status}`);
  }
});

test('the command line takes the same steps, refused the same way', () => {
  const db = ['--org', 'acme', '--db', env.db];
  const run = (args, as) => aims(['record', ...args, ...db, ...(as ? ['--as', as] : [])]);
  let r = run(['create', 'nonconformities', '--json', JSON.stringify({ title: 'From the shell',
    source: 'incident', description: 'Raised on the command line.', owner: CORA,
    corrective_actions: [{ action: 'Fix it', owner: CORA, due: '2026-05-01',
      done_on: '2026-04-01' }] })], CORA);
  assert.equal(r.status, 0, r.stderr);
  const ref = r.stdout.match(/NC-\d+/)[0];
  assert.equal(run(['step', 'nonconformities', ref, 'start'], CORA).status, 0);
  assert.equal(run(['step', 'nonconformities', ref, 'verify'], CORA).status, 0);
  r = run(['update', 'nonconformities', ref, '--json', '{"effective":true}'], CORA);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /owns this nonconformity; someone other than the owner must review/);
  r = run(['update', 'nonconformities', ref, '--json', '{"effective":true}']);
  assert.equal(r.status, 2, 'a change names a member');
  r = run(['steps', 'nonconformities', ref], BEN);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /close/);
  assert.match(r.stdout, /effectiveness/);
  assert.equal(run(['update', 'nonconformities', ref, '--json', '{"effective":true}'], ANN).status, 0);
  assert.equal(run(['step', 'nonconformities', ref, 'close'], BEN).status, 0);
  r = run(['list', 'nonconformities', '--filter', 'status=closed', '--format', 'json']);
  assert.equal(r.status, 0, r.stderr);
  const listed = JSON.parse(r.stdout);
  assert.ok((Array.isArray(listed) ? listed : listed.items).some((x) => x.ref === ref));
  r = aims(['record', 'kinds', 'management-reviews', '--format', 'json']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /"inputs"/);
});
