// cycle.test.mjs - the whole check-and-act cycle through the API, black-box:
// an audit programme approved; an audit refused for a conflicted auditor and
// run by an independent one; a nonconformity finding raising its
// nonconformity; corrective actions and an effectiveness review by someone
// other than the owner; the audit report issued; a management review whose
// frozen inputs list that nonconformity and that audit; readiness for 9.2,
// 9.3 and 10.2 moving to met.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { aimsOk, request, setup, signIn } from './lib.mjs';
import { strictWrites } from './lib.mjs';

// Every change these journeys make goes through the server's writer.
strictWrites();

const ANN = 'ann@example.com';		// manager
const BEN = 'ben@example.com';		// manager
const CORA = 'cora@example.com';	// contributor, owns the corrective actions
const DORA = 'dora@example.com';	// auditor who owns a measure of 6.1.2
const ED = 'ed@example.com';		// independent auditor
const TOM = 'tom@example.com';		// admin, top management
const A = '/api/v1/orgs/acme';
const TODAY = new Date().toISOString().slice(0, 10);

let env;
const s = {};

function person(email, name, role) {
  aimsOk(['user', 'add', email, '--name', name, '--password-stdin', '--db', env.db],
    { input: 'correct horse battery staple\n' });
  aimsOk(['member', 'add', email, '--org', 'acme', '--role', role, '--db', env.db]);
}

const api = (method, path, who, body) => request(env.url, method, A + path, { auth: s[who], body });

async function ok(method, path, who, body, status = 200) {
  const r = await api(method, path, who, body);
  assert.equal(r.status, status, `${method} ${path} as ${who}: ${r.text}`);
  return r.json;
}

async function status(ids) {
  const r = await ok('GET', '/readiness', ANN);
  return Object.fromEntries(ids.map((id) => [id, r.requirements.find((x) => x.id === id).status]));
}

before(async () => {
  env = await setup();
  person(ANN, 'Ann Smith', 'manager');
  person(BEN, 'Ben Jones', 'manager');
  person(CORA, 'Cora Lee', 'contributor');
  person(DORA, 'Dora Dunn', 'auditor');
  person(ED, 'Ed Evans', 'auditor');
  person(TOM, 'Tom Chief', 'admin');
  for (const who of [ANN, BEN, CORA, DORA, ED, TOM]) s[who] = await signIn(env.url, who);
});
after(async () => { await env?.cleanup(); });

test('programme, audit, finding, nonconformity, review: 9.2, 9.3 and 10.2 met', async () => {
  const start = await status(['9.2', '9.3', '10.2']);
  assert.deepEqual(start, { '9.2': 'not_met', '9.3': 'not_met', '10.2': 'not_met' });

  // The programme, approved by a manager other than its author.
  await ok('POST', '/audit-programmes', ANN, { title: 'Internal audits 2026-2028',
    period_start: '2026-01-01', period_end: '2028-12-31',
    objectives: 'Every clause and applicable control once a cycle' }, 201);
  await ok('PATCH', '/audit-programmes/PROG-1', ANN, { status: 'in_review' });
  await ok('PATCH', '/audit-programmes/PROG-1', BEN, { status: 'approved' });

  // A conflicted auditor is refused, the reason names the conflict.
  await ok('POST', '/measures', ANN, { title: 'Risk assessment procedure', owner: DORA,
    requirements: ['6.1.2'], status: 'implemented' }, 201);
  let r = await api('POST', '/audits', ANN, { title: 'Planning audit', programme: 'PROG-1',
    requirements: ['6.1.2'], lead_auditor: DORA });
  assert.equal(r.status, 403, r.text);
  assert.equal(r.json.error.field, 'lead_auditor');
  assert.match(r.json.error.message, /Dora Dunn owns measure MEA-1/);

  // An independent one runs it; a minor nonconformity raises its nonconformity.
  await ok('POST', '/audits', ED, { title: 'Planning audit', programme: 'PROG-1',
    requirements: ['6.1.2'], lead_auditor: ED, planned_start: '2026-12-10',
    planned_end: '2026-12-11' }, 201);
  await ok('PATCH', '/audits/AUD-1', ED, { status: 'in_progress', actual_start: '2026-12-10' });
  await ok('PUT', '/audits/AUD-1/checklist/6.1.2', ED, { conclusion: 'minor_nc',
    notes: 'Two risks have no owner.', sampled: ['MEA-1'] });
  const finding = await ok('POST', '/audit-findings', ED, { audit: 'AUD-1', type: 'minor_nc',
    requirement: '6.1.2', description: 'Two risks in the register have no owner.',
    evidence: ['MEA-1'] }, 201);
  const ref = finding.nonconformity;
  assert.match(ref, /^NC-\d+$/);
  await ok('PATCH', '/audits/AUD-1', ED, { conclusion: 'Conforms but for FND-1.',
    actual_end: '2026-12-11' });
  await ok('PATCH', '/audits/AUD-1', ANN, { status: 'reported' });
  // The rest of the AIMS is planned within the cycle.
  const cov = await ok('GET', '/audit-programmes/PROG-1/coverage', ED);
  await ok('POST', '/audits', ED, { title: 'The rest of the AIMS', programme: 'PROG-1',
    requirements: cov.not_covered, lead_auditor: ED, planned_start: '2027-06-01',
    planned_end: '2027-06-30' }, 201);

  // The nonconformity: open, past due, then corrected and reviewed by another person.
  let nc = await ok('GET', `/nonconformities/${ref}`, ANN);
  assert.equal(nc.source, 'audit_finding');
  assert.equal(nc.finding, finding.ref);
  assert.equal(nc.audit, 'AUD-1');
  nc = await ok('PATCH', `/nonconformities/${ref}`, ANN, { owner: CORA,
    correction: 'Owners named for both risks.', root_cause: 'No owner was required.',
    corrective_actions: [{ action: 'Make the risk owner a required field of the procedure',
      owner: CORA, due: '2026-01-31' }] });
  assert.equal((await status(['10.2']))['10.2'], 'not_met', 'a corrective action past due');
  await ok('PATCH', `/nonconformities/${ref}`, CORA, { status: 'in_progress' });
  await ok('PATCH', `/nonconformities/${ref}`, CORA, {
    corrective_actions: [{ action: 'Make the risk owner a required field of the procedure',
      owner: CORA, due: '2026-01-31', done_on: '2026-01-30' }], status: 'verifying' });
  r = await api('PATCH', `/nonconformities/${ref}`, CORA, { effective: true });
  assert.equal(r.status, 403, 'the owner does not review the effectiveness');
  await ok('PATCH', `/nonconformities/${ref}`, ANN, { effective: true });
  nc = await ok('PATCH', `/nonconformities/${ref}`, BEN, { status: 'closed' });
  assert.equal(nc.effectiveness_reviewer, ANN);

  // The management review: its inputs, compiled when held, name that nonconformity and audit.
  await ok('POST', '/management-reviews', ANN, { title: 'Management review', planned_date: TODAY },
    201);
  const mr = await ok('PATCH', '/management-reviews/MR-1', ANN, { held_on: TODAY,
    attendees: [{ name: 'Tom Chief', user: TOM, role: 'CEO', top_management: true }],
    status: 'held' });
  const ncItem = mr.inputs.nonconformities.items.find((i) => i.ref === ref);
  assert.ok(ncItem, JSON.stringify(mr.inputs.nonconformities));
  assert.equal(ncItem.status, 'closed');
  assert.deepEqual(mr.inputs.audits.kinds, ['audits', 'audit-findings']);
  assert.deepEqual(mr.inputs.audits.not_kept, []);
  const audits = mr.inputs.audits.items.map((i) => i.ref);
  assert.ok(audits.includes('AUD-1') && audits.includes(finding.ref), JSON.stringify(audits));
  assert.equal(mr.inputs.audits.items.find((i) => i.ref === 'AUD-1').status, 'reported');
  assert.equal(mr.inputs.audits.items.find((i) => i.ref === finding.ref).note,
    `6.1.2 in AUD-1, raised ${ref}`, 'the finding names the nonconformity it raised');
  await ok('PATCH', '/management-reviews/MR-1', ANN, { decisions: [{
    decision: 'Risk owners are checked at every risk review', type: 'change',
    action: 'Update the risk procedure', owner: CORA, due: '2027-03-31' }] });
  await ok('PATCH', '/management-reviews/MR-1', BEN, { status: 'approved' });

  assert.deepEqual(await status(['9.2', '9.3', '10.2']),
    { '9.2': 'met', '9.3': 'met', '10.2': 'met' });
  // Every version of the cycle, the frozen inputs included, is in the signed ledger.
  const v = aimsOk(['verify', '--org', 'acme', '--db', env.db]);
  assert.match(v.stdout, /^verified: /m);
  const hist = await ok('GET', '/management-reviews/MR-1/versions', ANN);
  const heldVersion = hist.items.find((x) => x.action === 'hold');
  assert.ok(heldVersion, JSON.stringify(hist.items.map((x) => x.action)));
  assert.deepEqual(heldVersion.record.inputs, mr.inputs);
});
