// readiness_auditor.test.mjs - the disagreements a lead auditor had with
// readiness, each shown fixed through the API and the CLI: exclusions from the
// scope and the SoA need a justification that says something, a high-risk
// system cannot be left out, an applicable control with nothing implemented
// is not met, the organisation's AI roles can be set, approved documents and
// evidence linked to a control count for it, internal audits and management
// reviews are looked at in Stage 1, one cause is one gap naming records by
// reference and title, and what records cannot settle is confirmed by hand.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { aims, aimsOk, request, setup, signIn } from './lib.mjs';
import { strictWrites } from './lib.mjs';

// Every change these journeys make goes through the server's writer.
strictWrites();

const M = 'maria@example.com';	// manager: writes
const P = 'paul@example.com';	// manager: approves
const V = 'vera@example.com';	// viewer
const PEOPLE = [[M, 'manager'], [P, 'manager'], [V, 'viewer']];
const DAY = 86400000;
const day = (n) => new Date(Date.now() + n * DAY).toISOString().slice(0, 10);

let env;
const who = {};

async function call(as, method, path, body, org = 'acme') {
  return request(env.url, method, `/api/v1/orgs/${org}${path}`, { auth: who[as], body });
}
async function ok(as, method, path, body, org = 'acme') {
  const r = await call(as, method, path, body, org);
  assert.ok(r.status >= 200 && r.status < 300, `${method} ${path}: ${r.status} ${r.text}`);
  return r.json;
}
const readiness = (org = 'acme') => ok(M, 'GET', '/readiness', undefined, org);
const req = (r, id) => r.requirements.find((q) => q.id === id);
const check = (r, id, rule) => req(r, id).checks.find((c) => c.rule === rule);

before(async () => {
  env = await setup();
  aimsOk(['org', 'create', 'other', '--db', env.db]);
  for (const [email, role] of PEOPLE) {
    aimsOk(['user', 'add', email, '--password-stdin', '--db', env.db], { input: 'correct horse battery staple\n' });
    aimsOk(['member', 'add', email, '--org', 'acme', '--role', role, '--db', env.db]);
  }
  aimsOk(['member', 'add', M, '--org', 'other', '--role', 'manager', '--db', env.db]);
  for (const [email] of PEOPLE) who[email] = await signIn(env.url, email);
});
after(async () => { await env?.cleanup(); });

test('one cause is one gap: an undecided SoA affects 6.1.3 and every control, once', async () => {
  const r = await readiness();
  const soa = r.gaps.find((g) => g.rule === '6.1.3-soa-complete');
  assert.equal(soa.affects.length, 39);
  assert.ok(soa.affects.includes('A.6.2.6'));
  assert.equal(r.gaps.filter((g) => g.rule.startsWith('soa-decided')).length, 0);
  assert.ok(r.stages[0].blocking_gaps < 15, `${r.stages[0].blocking_gaps} blocking gaps`);
  assert.equal(r.next.length, 10);
  assert.equal(r.next[0].rule, '6.1.3-soa-complete', 'what unblocks most comes first');
  assert.equal(soa.grade, 'major_nonconformity');
  assert.equal(soa.fix, 'soa');
  // The getting-started steps, in order, none done yet.
  assert.equal(r.getting_started[0].fix, 'ai-roles');
  assert.equal(r.getting_started[0].done, false);
  assert.equal(r.getting_started.find((s) => s.fix === 'soa').done, false);
  assert.equal(r.getting_started.find((s) => s.requirement === '6.1.2').done, false,
    'default criteria alone do not make risks assessed');
});

test('a system left out of scope needs a real justification; a high-risk one cannot be', async () => {
  let r = await call(M, 'POST', '/ai-systems', { name: 'HR CV screening', in_scope: false });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.field, 'scope_justification');
  for (const empty of ['N/A', '-', 'none', 'tbd.', 'Not ours']) {
    r = await call(M, 'POST', '/ai-systems', { name: 'HR CV screening', in_scope: false, scope_justification: empty });
    assert.equal(r.status, 400, empty);
    assert.equal(r.json.error.field, 'scope_justification');
    assert.match(r.json.error.message, /is not a justification|at least 10 characters/);
  }
  const ais = await ok(M, 'POST', '/ai-systems', { name: 'HR CV screening', in_scope: false,
    eu_ai_act_category: 'high_risk', lifecycle_stage: 'operation_monitoring',
    scope_justification: 'Run by the HR department, outside the AIMS' });
  const rd = await readiness();
  assert.equal(req(rd, '4.3').status, 'not_met');
  const excl = check(rd, '4.3', '4.3-exclusions');
  assert.equal(excl.status, 'fail');
  assert.equal(excl.findings[0].code, 'high_risk_excluded');
  assert.match(excl.findings[0].reason, new RegExp(`${ais.ref} HR CV screening`));
  assert.deepEqual(excl.findings[0].items, [{ ref: ais.ref, title: 'HR CV screening' }]);
  const gap = rd.gaps.find((g) => g.rule === '4.3-exclusions');
  assert.equal(gap.severity, 'blocking');
  assert.equal(gap.stage, 1);
  // Not out of view: it still needs its impact assessment.
  const ia = check(rd, '6.1.4', '6.1.4-assessed').findings[0];
  assert.ok(ia.refs.includes(ais.ref), JSON.stringify(ia));
  await ok(M, 'DELETE', `/ai-systems/${ais.ref}`);
});

test('an exclusion in the scope statement justified with "N/A" is refused', async () => {
  let r = await call(M, 'POST', '/scope', { statement: 'All AI systems of Acme',
    exclusions: [{ item: 'The marketing trial', justification: 'N/A' }] });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.field, 'exclusions[0].justification');
  r = await call(M, 'POST', '/scope', { statement: 'All AI systems of Acme',
    exclusions: [{ item: 'The marketing trial', justification: 'A three-month trial in one team, no customer data' }] });
  assert.equal(r.status, 201, r.text);
  r = await call(M, 'PATCH', '/scope/SCOPE', { exclusions: [r.json.exclusions[0], { item: 'HR', justification: '-' }] });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.field, 'exclusions[1].justification');
});

test('an SoA exclusion justified with "N/A" is refused', async () => {
  const r = await call(M, 'PATCH', '/soa/A.10.4', { applicable: false, justification: 'N/A' });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.field, 'justification');
  await ok(M, 'PATCH', '/soa/A.10.4', { applicable: false, justification: 'We provide no AI system to customers' });
  const rd = await readiness();
  assert.equal(req(rd, 'A.10.4').status, 'not_applicable');
});

test('an applicable control with nothing implemented is not met; partly implemented is partly met', async () => {
  await ok(M, 'PATCH', '/soa/A.7.4', { applicable: true, justification: 'We train our own models', status: 'planned' });
  let rd = await readiness();
  assert.equal(check(rd, 'A.7.4', 'soa-decided@A.7.4').status, 'pass');
  assert.equal(req(rd, 'A.7.4').status, 'not_met');
  await ok(M, 'PATCH', '/soa/A.7.4', { status: 'partial' });
  rd = await readiness();
  assert.equal(req(rd, 'A.7.4').status, 'partly_met');
});

test('approved documents and current evidence linked to a control count for it', async () => {
  await ok(M, 'PATCH', '/soa/A.8.2', { applicable: true, justification: 'Our users need system documentation', status: 'partial' });
  let rd = await readiness();
  assert.equal(check(rd, 'A.8.2', 'control-evidence@A.8.2').status, 'fail');
  await ok(M, 'POST', '/evidence', { title: 'User guide published', kind: 'link', url: 'https://docs.example/guide',
    valid_until: day(100), requirements: ['A.8.2'] });
  rd = await readiness();
  assert.equal(check(rd, 'A.8.2', 'control-evidence@A.8.2').status, 'pass');
  await ok(M, 'PATCH', '/soa/A.8.3', { applicable: true, justification: 'People must be able to report adverse impacts', status: 'partial' });
  const doc = await ok(M, 'POST', '/documents', { title: 'External reporting procedure', kind: 'procedure',
    requirements: ['A.8.3'], owner: M, next_review: day(300) });
  await ok(M, 'PATCH', `/documents/${doc.ref}`, { status: 'in_review' });
  rd = await readiness();
  assert.equal(check(rd, 'A.8.3', 'control-evidence@A.8.3').status, 'fail', 'not yet approved');
  await ok(P, 'PATCH', `/documents/${doc.ref}`, { status: 'approved' });
  rd = await readiness();
  assert.equal(check(rd, 'A.8.3', 'control-evidence@A.8.3').status, 'pass');
});

test('internal audits performed and a management review held are Stage 1 checks', async () => {
  const rd = await readiness();
  assert.equal(check(rd, '9.2.1', '9.2.1-audits').stage, 1);
  assert.equal(check(rd, '9.3.1', '9.3.1-reviews').stage, 1);
  assert.ok(rd.gaps.some((g) => g.rule === '9.3.1-reviews' && g.stage === 1 && g.severity === 'blocking'));
});

test('the AI roles are set on the organisation, by API and CLI, and derived from the AI systems', async () => {
  await ok(M, 'POST', '/ai-systems', { name: 'Support chat', in_scope: true, org_role: 'customer' });
  let org = await ok(M, 'GET', '');
  assert.deepEqual(org.ai_roles, []);
  assert.deepEqual(org.ai_roles_derived, ['customer']);
  assert.deepEqual(org.ai_roles_effective, ['customer']);
  let rd = await readiness();
  assert.equal(check(rd, '4.1', '4.1-ai-roles').status, 'pass', 'derived roles count');
  let r = await call(M, 'PATCH', '', { ai_roles: ['provider', 'emperor'] });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.field, 'ai_roles');
  r = await call(M, 'PATCH', '', { ai_roles: ['provider', 'provider'] });
  assert.equal(r.status, 400);
  assert.equal((await call(V, 'PATCH', '', { ai_roles: ['provider'] })).status, 403);
  assert.equal((await call(V, 'PATCH', '', { ai_roles: ['provider'] }, 'other')).status, 404);
  org = await ok(M, 'PATCH', '', { ai_roles: ['provider'] });
  assert.deepEqual(org.ai_roles, ['provider']);
  rd = await readiness();
  const roles = check(rd, '4.1', '4.1-ai-roles');
  assert.equal(roles.status, 'fail', 'its systems show a role it did not declare');
  assert.equal(roles.findings[0].code, 'undeclared');
  assert.deepEqual(roles.findings[0].refs, ['customer']);
  // The CLI: a manager sets them with --as; --help says what the roles are.
  assert.match(aimsOk(['org', 'ai-roles', '--help']).stdout, /producer \(designs and develops AI/);
  const out = aimsOk(['org', 'ai-roles', 'acme', '--set', 'provider,customer', '--as', M, '--db', env.db]);
  assert.match(out.stdout, /declared: provider, customer/);
  const bad = aims(['org', 'ai-roles', 'acme', '--set', 'king', '--as', M, '--db', env.db]);
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /ai_roles\[0\] is not one of/);
  const viewer = aims(['org', 'ai-roles', 'acme', '--set', 'provider', '--as', V, '--db', env.db]);
  assert.equal(viewer.status, 1);
  assert.match(viewer.stderr,
    /^aims org ai-roles: .* is a viewer of 'acme': only a manager or an admin sets the AI roles$/m);
  const j = JSON.parse(aimsOk(['org', 'ai-roles', 'acme', '--format', 'json', '--db', env.db]).stdout);
  assert.deepEqual(j.effective, ['provider', 'customer']);
  rd = await readiness();
  assert.equal(check(rd, '4.1', '4.1-ai-roles').status, 'pass');
  assert.deepEqual(rd.organisation.ai_roles.declared, ['provider', 'customer']);
});

test('what records cannot settle is confirmed by hand, apart from the gaps', async () => {
  let rd = await readiness();
  assert.equal(check(rd, '4.1', '4.1-climate').status, 'confirm');
  const item = rd.to_confirm.find((c) => c.requirement === '4.1');
  assert.equal(item.fix, 'attestations/new?requirement=4.1');
  assert.ok(!rd.gaps.some((g) => g.rule === '4.1-climate'), 'not a gap');
  let r = await call(M, 'POST', '/attestations', { title: 'Climate change considered', requirement: '4.1',
    statement: 'The board decided climate change is not a relevant issue for our AI', valid_until: day(400) });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.field, 'valid_until');
  const att = await ok(M, 'POST', '/attestations', { title: 'Climate change considered', requirement: '4.1',
    statement: 'The board decided climate change is not a relevant issue for our AI', valid_until: day(200) });
  r = await call(M, 'PATCH', `/attestations/${att.ref}`, { status: 'approved' });
  assert.ok([403, 409].includes(r.status), 'its author does not confirm it');
  await ok(P, 'PATCH', `/attestations/${att.ref}`, { status: 'approved' });
  rd = await readiness();
  assert.equal(check(rd, '4.1', '4.1-climate').status, 'pass');
  assert.ok(!rd.to_confirm.some((c) => c.requirement === '4.1'));
  // Another organisation's attestation is not found.
  assert.equal((await call(M, 'GET', `/attestations/${att.ref}`, undefined, 'other')).status, 404);
});
