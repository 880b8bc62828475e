// people.test.mjs - black-box tests of people, changes and the AI system life
// cycle: a competence gap appears and clears (API, readiness 7.2) and AI
// literacy is counted per member; a significant change flags its systems'
// risk and impact assessments and is not done before they are reviewed; an
// AI system does not move to deployment without approved V&V and deployment
// records, and the refusal says why; a manager relaxes the rule with a
// reason; a data set without provenance shows under A.7.5; communications
// link to the records they are about; another organisation's records are 404.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN, aims, aimsOk, addOrg, request, setup, signIn, testEnv, verifyLedger } from './lib.mjs';
import { strictWrites } from './lib.mjs';

// Every change these journeys make goes through the server's writer.
strictWrites();

const ANN = 'ann@example.com';	// manager
const CORA = 'cora@example.com';	// contributor
const A = '/api/v1/orgs/acme';

let env;
let admin;
let ann;

function person(email, name, role) {
  aimsOk(['user', 'add', email, '--name', name, '--password-stdin', '--db', env.db],
    { input: 'correct horse battery staple\n' });
  aimsOk(['member', 'add', email, '--org', 'acme', '--role', role, '--db', env.db]);
}

const api = (method, path, body, auth = admin) => request(env.url, method, A + path, { auth, body });

async function created(path, body, auth = admin) {
  const r = await api('POST', path, body, auth);
  assert.equal(r.status, 201, r.text);
  return r.json;
}

function readiness() {
  return JSON.parse(aimsOk(['report', 'readiness', '--org', 'acme', '--db', env.db,
    '--format', 'json', '--no-save']).stdout);
}
const check = (r, req, rule) => r.requirements.find((x) => x.id === req).checks
  .find((c) => c.rule === rule);

before(async () => {
  env = await setup();
  person(ANN, 'Ann Smith', 'manager');
  person(CORA, 'Cora Lee', 'contributor');
  admin = await signIn(env.url);
  ann = await signIn(env.url, ANN);
});
after(async () => { await env?.cleanup(); });

test('a competence gap appears for a person in a role and clears with a current training', async () => {
  await created('/responsibilities', { role_name: 'Model validator', assignee: 'Cora Lee' });
  const comp = await created('/competences', { title: 'Model validation',
    roles: ['ROLE-1'] });
  let g = await api('GET', '/competence-gaps');
  assert.equal(g.status, 200, g.text);
  assert.deepEqual(g.json.gaps.map((x) => [x.person, x.role, x.competence, x.reason]),
    [[CORA, 'ROLE-1', comp.ref, 'missing']]);
  let r = readiness();
  assert.equal(check(r, '7.2', '7.2-gaps').status, 'fail');
  assert.ok(check(r, '7.2', '7.2-gaps').findings[0].reason.includes(comp.ref));

  // An expired training is a gap of its own kind.
  const old = await created('/trainings', { person: CORA, competence: comp.ref,
    completed_on: '2020-01-10', valid_until: '2021-01-10' });
  assert.equal(old.title, `Model validation: ${CORA}`);
  g = await api('GET', '/competence-gaps');
  assert.deepEqual(g.json.gaps.map((x) => [x.reason, x.valid_until]),
    [['expired', '2021-01-10']]);

  const bad = await api('POST', '/trainings', { person: CORA, competence: comp.ref,
    completed_on: '2026-01-10', valid_until: '2025-01-10' });
  assert.equal(bad.status, 400);
  assert.match(bad.text, /valid_until/);

  await created('/trainings', { person: CORA, competence: comp.ref,
    completed_on: '2026-01-10', kind: 'training', provider: 'Acme academy' });
  g = await api('GET', '/competence-gaps');
  assert.deepEqual(g.json.gaps, []);
  r = readiness();
  assert.equal(check(r, '7.2', '7.2-gaps').status, 'pass');
  assert.equal(check(r, '7.2', '7.2-competences').status, 'pass');
});

test('AI literacy (EU AI Act Art. 4): the share of members covered', async () => {
  let g = await api('GET', '/competence-gaps');
  assert.deepEqual([g.json.ai_literacy.members, g.json.ai_literacy.covered], [3, 0]);
  const lit = await created('/competences', { title: 'AI literacy', ai_literacy: true });
  const t = await created('/trainings', { person: ANN, competence: lit.ref,
    completed_on: '2026-02-01', ai_literacy_level: 'basic' });
  assert.equal(t.ai_literacy, true, 'an AI-literacy competence makes the training one');
  g = await api('GET', '/competence-gaps');
  assert.deepEqual([g.json.ai_literacy.covered, g.json.ai_literacy.share], [1, 33]);
  assert.deepEqual(g.json.ai_literacy.not_covered.sort(), [ADMIN, CORA].sort());
  assert.equal(check(readiness(), '7.2', '7.2-ai-literacy').status, 'fail');
});

test('a significant change flags its systems\' assessments and is not done before they are reviewed', async () => {
  const ais = await created('/ai-systems', { name: 'Credit scorer', in_scope: true,
    lifecycle_stage: 'design_development' });
  const risk = await created('/risks', { title: 'Bias', ai_systems: [ais.ref],
    likelihood: 3, impact: 4 });
  let ch = await created('/changes', { title: 'New model version', ai_systems: [ais.ref],
    significant: true, purpose: 'Better accuracy' });
  assert.equal(ch.status, 'planned');
  assert.deepEqual(ch.reviews_pending, [risk.ref]);
  assert.equal(check(readiness(), '6.3', '6.3-significant-reviewed').status, 'fail');

  let r = await api('PATCH', `/changes/${ch.ref}`, { status: 'done' });
  assert.equal(r.status, 409);
  assert.match(r.json.error.message, new RegExp(`${ais.ref}, which has no impact assessment`));

  const ia = await created('/impact-assessments', { ai_system: ais.ref,
    impacts: [{ on: 'individuals', area: 'fairness', kind: 'harm' }] });
  r = await api('PATCH', `/changes/${ch.ref}`, { status: 'done' });
  assert.equal(r.status, 409);
  // The impact assessment written since is a review; the risk is not reviewed yet.
  assert.match(r.json.error.message, new RegExp(`review ${risk.ref} \\(unchanged`));
  assert.ok(!r.json.error.message.includes(ia.ref));

  // A system added to the change brings its assessments to review.
  const ais2 = await created('/ai-systems', { name: 'Fraud screen' });
  const risk2 = await created('/risks', { title: 'Missed fraud', ai_systems: [ais2.ref] });
  await created('/impact-assessments', { ai_system: ais2.ref,
    impacts: [{ on: 'individuals', area: 'privacy', kind: 'harm' }] });
  r = await api('PATCH', `/changes/${ch.ref}`, { ai_systems: [ais.ref, ais2.ref] });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.reviews_pending, [risk.ref, risk2.ref, 'IA-2']);

  // Reviewing (changing) them clears the flags; the change can then be done.
  assert.equal((await api('PATCH', `/risks/${risk.ref}`, { likelihood: 2 })).status, 200);
  assert.equal((await api('PATCH', `/risks/${risk2.ref}`, { likelihood: 2 })).status, 200);
  assert.equal((await api('PATCH', `/impact-assessments/IA-2`,
    { title: 'Fraud screen, new model' })).status, 200);
  r = await api('PATCH', `/changes/${ch.ref}`, { status: 'done' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.reviews_pending, null);
  ch = r.json;
  assert.notEqual(check(readiness(), '6.3', '6.3-significant-reviewed').status, 'fail');

  // A change that is not significant flags nothing.
  const minor = await created('/changes', { title: 'Typo in the prompt',
    ai_systems: [ais.ref] });
  assert.equal(minor.reviews_pending, null);
});

test('deployment without approved V&V is refused with the reason; a manager may relax the rule', async () => {
  const ais = await created('/ai-systems', { name: 'Triage bot', in_scope: true,
    lifecycle_stage: 'verification_validation' });
  let r = await api('PATCH', `/ai-systems/${ais.ref}`, { lifecycle_stage: 'deployment' });
  assert.equal(r.status, 409);
  assert.match(r.json.error.message,
    /AIS-\d+ cannot move to its deployment stage: it has no approved verification and validation record \(A\.6\.2\.4\)/);

  const vv = await created('/lifecycle-records', { ai_system: ais.ref,
    stage: 'verification_validation', content: 'Test plan' });
  assert.equal(vv.title, 'Verification and validation: Triage bot');
  assert.equal((await api('PATCH', `/lifecycle-records/${vv.ref}`, { status: 'in_review' })).status, 200);
  // Approving V&V needs its acceptance criteria and results.
  r = await api('PATCH', `/lifecycle-records/${vv.ref}`, { status: 'approved' }, ann);
  assert.equal(r.status, 400);
  assert.match(r.text, /acceptance_criteria/);
  assert.equal((await api('PATCH', `/lifecycle-records/${vv.ref}`, { status: 'draft' })).status, 200);
  assert.equal((await api('PATCH', `/lifecycle-records/${vv.ref}`, {
    acceptance_criteria: 'Recall >= 0.9', results: 'Recall 0.93', status: 'in_review' })).status, 200);
  r = await api('PATCH', `/lifecycle-records/${vv.ref}`, { status: 'approved' }, ann);
  assert.equal(r.status, 200, r.text);

  r = await api('PATCH', `/ai-systems/${ais.ref}`, { lifecycle_stage: 'deployment' });
  assert.equal(r.status, 409);
  assert.match(r.json.error.message, /approved deployment plan and approval record/);

  const dep = await created('/lifecycle-records', { ai_system: ais.ref, stage: 'deployment',
    content: 'Roll out to one ward first' });
  assert.equal((await api('PATCH', `/lifecycle-records/${dep.ref}`, { status: 'in_review' })).status, 200);
  r = await api('PATCH', `/lifecycle-records/${dep.ref}`, { status: 'approved' });
  assert.equal(r.status, 403, 'the author does not approve their own record');
  assert.equal((await api('PATCH', `/lifecycle-records/${dep.ref}`, { status: 'approved' },
    ann)).status, 200);
  r = await api('PATCH', `/ai-systems/${ais.ref}`, { lifecycle_stage: 'deployment' });
  assert.equal(r.status, 200, r.text);

  // Relaxing the rule: a manager, with a reason.
  const other = await created('/ai-systems', { name: 'Spell checker',
    lifecycle_stage: 'design_development' });
  const cora = await signIn(env.url, CORA);
  r = await api('PATCH', `/ai-systems/${other.ref}`, { deploy_without_approval: true,
    deploy_without_approval_reason: 'Off-the-shelf tool' }, cora);
  assert.equal(r.status, 403);
  r = await api('PATCH', `/ai-systems/${other.ref}`, { deploy_without_approval: true });
  assert.equal(r.status, 400);
  assert.match(r.text, /deploy_without_approval_reason/);
  r = await api('PATCH', `/ai-systems/${other.ref}`, { deploy_without_approval: true,
    deploy_without_approval_reason: 'Off-the-shelf tool, no model of ours',
    lifecycle_stage: 'deployment' });
  assert.equal(r.status, 200, r.text);
});

test('a data set without provenance shows under A.7.5', async () => {
  const ais = (await api('GET', '/ai-systems?q=Triage')).json.items[0];
  const ds = await created('/datasets', { title: 'Ward admissions 2025',
    ai_systems: [ais.ref], acquisition: 'Hospital records under a data agreement',
    quality_requirements: 'No missing triage codes', preparation: 'De-identified' });
  let c = check(readiness(), 'A.7.5', 'A.7.5-provenance');
  assert.equal(c.status, 'fail');
  assert.ok(c.findings[0].reason.includes(ds.ref), c.findings[0].reason);
  assert.equal((await api('PATCH', `/datasets/${ds.ref}`,
    { provenance: 'Exported from the admissions system, monthly' })).status, 200);
  c = check(readiness(), 'A.7.5', 'A.7.5-provenance');
  assert.equal(c.status, 'pass');
  const links = await api('GET', `/ai-systems/${ais.ref}/links`);
  if (links.status === 200) assert.ok(JSON.stringify(links.json).includes(ds.ref));
});

test('communications are planned and logged, linked to the records they are about', async () => {
  const r = await api('POST', '/communications', { title: 'Incident notice',
    audience: ['external'], status: 'made' });
  assert.equal(r.status, 400);
  assert.match(r.text, /made_on/);
  const com = await created('/communications', { title: 'Incident notice',
    audience: ['external', 'interested_parties'], channel: 'e-mail', communicator: ANN,
    related: ['CHG-1'], status: 'made', made_on: '2026-03-02' });
  assert.deepEqual(com.related, ['CHG-1']);
  assert.equal(check(readiness(), '7.4', '7.4-communication').status, 'pass');
  // An incident links the communications made about it (A.8.4 with 7.4).
  const ais = await created('/ai-systems', { name: 'Chat assistant' });
  const inc = await created('/incidents', { title: 'Wrong answers to customers',
    ai_system: ais.ref, occurred_at: '2026-03-01T08:00:00Z', aware_at: '2026-03-01T09:00:00Z',
    severity: 'medium', communications: [com.ref] });
  assert.deepEqual(inc.communications, [com.ref]);
  const bad = await api('POST', '/incidents', { title: 'x', ai_system: ais.ref,
    occurred_at: '2026-03-01T08:00:00Z', aware_at: '2026-03-01T09:00:00Z', severity: 'medium',
    communications: [ais.ref] });
  assert.equal(bad.status, 400);
  assert.match(bad.text, /communications/);
});

test('members acknowledge the AI policy in force; a new approved version asks again and 7.3 moves', async () => {
  const cora = await signIn(env.url, CORA);
  const tok = await api('POST', '/tokens', { name: 'cora-own', role: 'contributor' }, cora);
  assert.equal(tok.status, 201, tok.text);
  const coraToken = { token: tok.json.token };
  const pol = await created('/documents', { title: 'AI policy', kind: 'policy',
    is_ai_policy: true, body: 'We use AI responsibly.' }, ann);
  const ACK = `/documents/${pol.ref}/acknowledgements`;

  let r = await api('POST', ACK, undefined, cora);
  assert.equal(r.status, 409);
  assert.match(r.json.error.message, /no approved version in force/);
  assert.equal(check(readiness(), '7.3', '7.3-awareness').status, 'fail');

  assert.equal((await api('PATCH', `/documents/${pol.ref}`, { status: 'in_review' }, ann)).status, 200);
  assert.equal((await api('PATCH', `/documents/${pol.ref}`, { status: 'approved' })).status, 200);
  r = await api('POST', ACK, undefined, ann);
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.version, 3);
  r = await api('POST', ACK, undefined, coraToken);
  assert.equal(r.status, 201, 'a member acknowledges with their own token');
  r = await api('POST', ACK, undefined, ann);
  assert.equal(r.status, 409);
  assert.match(r.json.error.message, /already acknowledged version 3/);

  let st = await api('GET', ACK);
  assert.equal(st.status, 200);
  assert.deepEqual(st.json.acknowledged.map((x) => x.email).sort(), [ANN, CORA]);
  assert.deepEqual(st.json.pending.map((x) => x.email), [ADMIN]);
  let c = check(readiness(), '7.3', '7.3-awareness');
  assert.equal(c.status, 'fail');
  assert.match(c.findings[0].reason, new RegExp(`^1 acknowledgements .*${pol.ref}`));
  assert.equal((await api('POST', ACK)).status, 201);
  assert.equal(check(readiness(), '7.3', '7.3-awareness').status, 'pass');

  // A revision keeps the acknowledged version in force; its approval asks again.
  assert.equal((await api('PATCH', `/documents/${pol.ref}`, { body: 'We use AI responsibly and lawfully.' }, ann)).status, 200);
  st = await api('GET', ACK);
  assert.equal(st.json.version, 3);
  assert.equal(st.json.pending.length, 0);
  assert.equal((await api('PATCH', `/documents/${pol.ref}`, { status: 'in_review' }, ann)).status, 200);
  assert.equal((await api('PATCH', `/documents/${pol.ref}`, { status: 'approved' })).status, 200);
  st = await api('GET', ACK);
  assert.ok(st.json.version > 3);
  assert.equal(st.json.acknowledged.length, 0);
  assert.equal(st.json.pending.length, 3);
  c = check(readiness(), '7.3', '7.3-awareness');
  assert.equal(c.status, 'fail');
  assert.match(c.findings[0].reason, /^3 acknowledgements/);

  // A document that does not ask is refused; marking it makes it ask.
  const proc = await created('/documents', { title: 'Data handling', kind: 'procedure' }, ann);
  r = await api('POST', `/documents/${proc.ref}/acknowledgements`, undefined, ann);
  assert.equal(r.status, 409);
  assert.match(r.json.error.message, /does not ask members to acknowledge it/);

  // On the command line, a named member acknowledges; nobody in person is refused.
  const cliAck = JSON.parse(aimsOk(['record', 'acknowledge', 'documents', pol.ref, '--org', 'acme',
    '--as', ADMIN, '--db', env.db]).stdout);
  assert.equal(cliAck.email, ADMIN);
  assert.equal(cliAck.version, st.json.version);
  assert.notEqual(aims(['record', 'acknowledge', 'documents', pol.ref, '--org', 'acme',
    '--db', env.db], { env: { ...testEnv, AIMS_AS: '' } }).status, 0);
  const listed = JSON.parse(aimsOk(['record', 'acknowledgements', 'documents', pol.ref,
    '--org', 'acme', '--db', env.db]).stdout);
  assert.deepEqual(listed.acknowledged.map((x) => x.email), [ADMIN]);

  // Every acknowledgement is in the ledger and verifies.
  const v = await verifyLedger(env.url, admin);
  assert.equal(v.status, 200, v.text);
  assert.equal(v.json.verified, true, v.text);
  const ledger = await api('GET', '/ledger?limit=200');
  assert.equal(ledger.json.items.filter((e) => e.kind === 'acknowledgement').length, 4);
});

test('another organisation does not see these records', async () => {
  addOrg(env.db, 'other');
  for (const path of ['/competences/COMP-1', '/trainings/TRN-1', '/changes/CHG-1',
    '/lifecycle-records/LC-1', '/datasets/DATA-1', '/communications/COM-1']) {
    const r = await request(env.url, 'GET', `/api/v1/orgs/other${path}`, { auth: admin });
    assert.equal(r.status, 404, path);
  }
  const r = await request(env.url, 'POST', '/api/v1/orgs/other/documents/DOC-1/acknowledgements',
    { auth: admin });
  assert.equal(r.status, 404);
});
