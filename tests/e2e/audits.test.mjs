// audits.test.mjs - internal audits (9.2) end to end through the API and the
// command line: a programme approved by a manager other than its author and
// its coverage; an audit refused for a conflicted auditor (the reason names
// the conflict) and accepted for an independent one; the checklist made from
// the scope and saved row by row by the audit team only; a nonconformity
// finding raising its nonconformity; the report issued as a sign-off, then
// frozen; readiness for 9.2 moving to met; `aims report audit`; another
// organisation's audit answering 404.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { aims, aimsOk, addOrg, request, setup, signIn, pubKeyOf } from './lib.mjs';
import { strictWrites } from './lib.mjs';

// Every change these journeys make goes through the server's writer.
strictWrites();

const ANN = 'ann@example.com';		// manager, "Ann Smith"
const BEN = 'ben@example.com';		// manager, "Ben Jones"
const DORA = 'dora@example.com';	// auditor who owns a measure of 6.1.2
const ROY = 'roy@example.com';		// auditor responsible for 9.1
const ED = 'ed@example.com';		// independent auditor
const A = '/api/v1/orgs/acme';

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
  assert.equal(r.status, status, `${method} ${path}: ${r.text}`);
  return r.json;
}

before(async () => {
  env = await setup();
  person(ANN, 'Ann Smith', 'manager');
  person(BEN, 'Ben Jones', 'manager');
  person(DORA, 'Dora Dunn', 'auditor');
  person(ROY, 'Roy Rich', 'auditor');
  person(ED, 'Ed Evans', 'auditor');
  for (const who of [ANN, BEN, DORA, ROY, ED]) s[who] = await signIn(env.url, who);
});
after(async () => { await env?.cleanup(); });

let prog, audit, finding;

async function readiness() {
  const r = await ok('GET', '/readiness', ANN);
  const req = (id) => r.requirements.find((x) => x.id === id);
  return { r, req, check: (id, rule) => req(id).checks.find((c) => c.rule === rule) };
}

test('with nothing recorded, 9.2 is not met and says what is missing', async () => {
  const { req, check } = await readiness();
  assert.equal(req('9.2.1').status, 'not_met');
  assert.equal(req('9.2.2').status, 'not_met');
  assert.equal(check('9.2.2', '9.2.2-programme').findings[0].reason, 'There is no approved ' +
    'internal audit programme whose period runs to today or later.');
  assert.equal(check('9.2.1', '9.2.1-audits-planned').findings[0].reason,
    'No internal audit is planned under an audit programme.');
});

test('the programme is approved by a manager other than its author', async () => {
  prog = await ok('POST', '/audit-programmes', ANN, {
    title: 'Internal audit programme 2026-2028', period_start: '2026-01-01',
    period_end: '2028-12-31', objectives: 'Every clause and applicable control once a cycle',
    frequency: [{ area: 'Clause 6 planning', requirements: ['6.1.2'], frequency: 'every year' }],
  }, 201);
  assert.equal(prog.ref, 'PROG-1');
  assert.equal(prog.status, 'draft');
  let r = await api('POST', '/audit-programmes', ANN, { title: 'Backwards',
    period_start: '2027-01-01', period_end: '2026-01-01' });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.field, 'period_end');
  await ok('PATCH', '/audit-programmes/PROG-1', ANN, { status: 'in_review' });
  r = await api('PATCH', '/audit-programmes/PROG-1', ANN, { status: 'approved' });
  assert.equal(r.status, 403);
  assert.match(r.json.error.message, /Ann Smith wrote it/);
  r = await api('PATCH', '/audit-programmes/PROG-1', ED, { status: 'approved' });
  assert.equal(r.status, 403, 'an auditor does not approve the programme');
  prog = await ok('PATCH', '/audit-programmes/PROG-1', BEN, { status: 'approved' });
  assert.equal(prog.approved_by, BEN);
});

test('coverage lists every clause and applicable control not yet covered', async () => {
  const c = await ok('GET', '/audit-programmes/PROG-1/coverage', ED);
  assert.equal(c.programme, 'PROG-1');
  assert.equal(c.covered, 0);
  assert.ok(c.total > 38, `clauses and controls: ${c.total}`);
  assert.equal(c.not_covered.length, c.total);
  assert.ok(c.not_covered.includes('6.1.2') && c.not_covered.includes('A.6.2.6'));
});

test('an auditor with a conflict is refused and the reason names it', async () => {
  await ok('POST', '/measures', ANN, { title: 'Risk assessment procedure', owner: DORA,
    requirements: ['6.1.2'], status: 'implemented' }, 201);
  await ok('POST', '/responsibilities', ANN, { role_name: 'Monitoring lead',
    assignee: ROY, requirements: ['9.1'] }, 201);
  let r = await api('POST', '/audits', DORA, { title: 'Planning audit', programme: 'PROG-1',
    requirements: ['6.1.2', '9.1'], lead_auditor: DORA });
  assert.equal(r.status, 403, r.text);
  assert.equal(r.json.error.field, 'lead_auditor');
  assert.equal(r.json.error.message, 'Dora Dunn cannot audit 6.1.2: Dora Dunn owns measure ' +
    'MEA-1, which is recorded against it');
  r = await api('POST', '/audits', ANN, { title: 'Planning audit', programme: 'PROG-1',
    requirements: ['6.1.2', '9.1'], lead_auditor: ED, team: [ROY] });
  assert.equal(r.status, 403, r.text);
  assert.equal(r.json.error.field, 'team[0]');
  assert.match(r.json.error.message, /Roy Rich cannot audit 9.1: Roy Rich is responsible for it as Monitoring lead \(ROLE-1\)/);
  r = await api('POST', '/audits', ANN, { title: 'x', requirements: ['6.1.2'],
    lead_auditor: 'nobody@example.com' });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.field, 'lead_auditor');
});

test('an independent auditor gets the checklist made from the scope', async () => {
  audit = await ok('POST', '/audits', ED, { title: 'Planning and evaluation audit',
    programme: 'PROG-1', requirements: ['6.1.2', '9.1'], lead_auditor: ED,
    planned_start: '2026-12-10', planned_end: '2026-12-11',
    criteria: 'ISO/IEC 42001 clauses 6.1.2 and 9.1' }, 201);
  assert.equal(audit.ref, 'AUD-1');
  assert.equal(audit.status, 'planned');
  assert.deepEqual(audit.checklist, [{ requirement: '6.1.2' }, { requirement: '9.1' }]);
  const c = await ok('GET', '/audit-programmes/PROG-1/coverage', ED);
  const row = c.requirements.find((x) => x.id === '6.1.2');
  assert.equal(row.planned, '2026-12-10');
  assert.equal(row.planned_audit, 'AUD-1');
  assert.equal(row.covered, true);
  assert.ok(!c.not_covered.includes('6.1.2') && c.not_covered.includes('7.5'));
  // Adding a requirement to the scope adds its row; a later conflict is refused.
  audit = await ok('PATCH', '/audits/AUD-1', ED, { requirements: ['6.1.2', '9.1', '7.5.1'] });
  assert.deepEqual(audit.checklist.map((x) => x.requirement), ['6.1.2', '9.1', '7.5.1']);
  const r = await api('PATCH', '/audits/AUD-1', ED, { team: [DORA] });
  assert.equal(r.status, 403);
  assert.match(r.json.error.message, /Dora Dunn owns measure MEA-1/);
  const mine = await ok('GET', '/my-audits', ED);
  assert.deepEqual(mine.items.map((x) => x.ref), ['AUD-1']);
  assert.deepEqual((await ok('GET', '/my-audits', DORA)).items, []);
});

test('checklist rows are saved in place by the audit team only', async () => {
  let f = await api('POST', '/audit-findings', ED, { audit: 'AUD-1', type: 'observation',
    requirement: '9.1', description: 'too early' });
  assert.equal(f.status, 409);
  assert.match(f.json.error.message, /has not started/);
  await ok('PATCH', '/audits/AUD-1', ED, { status: 'in_progress', actual_start: '2026-12-10' });
  let a = await ok('PUT', '/audits/AUD-1/checklist/6.1.2', ED, {
    notes: 'Risk assessment procedure followed;\nthe register lacks owners for two risks.',
    sampled: ['MEA-1'], conclusion: 'minor_nc' });
  assert.deepEqual(a.checklist[0], { requirement: '6.1.2', notes: 'Risk assessment ' +
    'procedure followed;\nthe register lacks owners for two risks.', sampled: ['MEA-1'],
    conclusion: 'minor_nc' });
  a = await ok('PUT', '/audits/AUD-1/checklist/9.1', ED, { conclusion: 'conforming' });
  assert.equal(a.checklist[1].conclusion, 'conforming');
  assert.equal(a.checklist[0].conclusion, 'minor_nc', 'other rows are kept');
  let r = await api('PUT', '/audits/AUD-1/checklist/9.1', ANN, { notes: 'edited' });
  assert.equal(r.status, 403, 'a manager outside the team');
  assert.match(r.json.error.message, /only the lead auditor and the audit team/);
  r = await api('PUT', '/audits/AUD-1/checklist/8.2', ED, { notes: 'x' });
  assert.equal(r.status, 404);
  r = await api('PUT', '/audits/AUD-1/checklist/9.1', ED, { conclusion: 'fine' });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.field, 'conclusion');
  r = await api('PUT', '/audits/AUD-1/checklist/9.1', ED, { sampled: ['NOPE-9'] });
  assert.equal(r.status, 400, r.text);
  r = await api('PUT', '/audits/AUD-1/checklist/9.1', ED, { verdict: 'x' });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.field, 'verdict');
  // A row with content cannot silently leave the scope.
  r = await api('PATCH', '/audits/AUD-1', ED, { requirements: ['9.1', '7.5.1'] });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.field, 'checklist');
  assert.match(r.json.error.message, /6.1.2/);
});

test('a nonconformity finding raises its nonconformity', async () => {
  finding = await ok('POST', '/audit-findings', ED, { audit: 'AUD-1', type: 'minor_nc',
    requirement: '6.1.2', description: 'Two risks in the register have no owner.',
    evidence: ['MEA-1'] }, 201);
  assert.equal(finding.ref, 'FND-1');
  assert.equal(finding.title, 'Two risks in the register have no owner.');
  assert.match(finding.nonconformity, /^NC-\d+$/);
  const nc = await ok('GET', `/nonconformities/${finding.nonconformity}`, ANN);
  assert.equal(nc.source, 'audit_finding');
  assert.equal(nc.finding, 'FND-1');
  assert.equal(nc.audit, 'AUD-1');
  assert.deepEqual(nc.requirements, ['6.1.2']);
  assert.deepEqual(nc.records, ['MEA-1']);
  assert.equal(nc.severity, 'minor');
  assert.equal(nc.status, 'open');
  const obs = await ok('POST', '/audit-findings', ED, { audit: 'AUD-1', type: 'observation',
    requirement: '9.1', description: 'Monitoring results are kept in two places <script>alert(1)</script>' }, 201);
  assert.equal(obs.nonconformity, null);
  let r = await api('POST', '/audit-findings', ED, { audit: 'AUD-1', type: 'observation',
    requirement: '8.2', description: 'outside the scope' });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.field, 'requirement');
  r = await api('POST', '/audit-findings', ED, { audit: 'AUD-1', type: 'observation',
    requirement: '9.1', description: 'x', nonconformity: 'NC-1' });
  assert.equal(r.status, 400, 'nonconformity is read-only');
  r = await api('POST', '/audit-findings', ROY, { audit: 'AUD-1', type: 'observation',
    requirement: '9.1', description: 'not on the team' });
  assert.equal(r.status, 403);
  r = await api('PATCH', '/audit-findings/FND-1', ED, { type: 'observation' });
  assert.equal(r.status, 409, 'a raised nonconformity stays one');
  // An observation turned into a nonconformity raises it then.
  const up = await ok('PATCH', `/audit-findings/${obs.ref}`, ED, { type: 'major_nc' });
  assert.match(up.nonconformity, /^NC-\d+$/);
  assert.notEqual(up.nonconformity, finding.nonconformity);
});

test('the report is issued as a sign-off and is then frozen', async () => {
  let r = await api('PATCH', '/audits/AUD-1', ANN, { status: 'reported' });
  assert.equal(r.status, 409);
  assert.equal(r.json.error.field, 'checklist');
  assert.match(r.json.error.message, /no conclusion yet for 7\.5\.1/);
  await ok('PUT', '/audits/AUD-1/checklist/7.5.1', ED, { conclusion: 'conforming' });
  r = await api('PATCH', '/audits/AUD-1', ANN, { status: 'reported' });
  assert.equal(r.status, 409);
  assert.equal(r.json.error.field, 'actual_end');
  assert.match(r.json.error.message, /dates the audit was performed/);
  await ok('PATCH', '/audits/AUD-1', ED, { actual_end: '2026-12-11' });
  r = await api('PATCH', '/audits/AUD-1', ANN, { status: 'reported' });
  assert.equal(r.status, 409, r.text);
  assert.match(r.json.error.message, /no overall conclusion/);
  await ok('PATCH', '/audits/AUD-1', ED, { conclusion: 'The AIMS conforms but for FND-1.' });
  const st = await ok('GET', '/audits/AUD-1/steps', ED);
  const issue = st.items.find((x) => x.action === 'issue');
  assert.equal(issue.allowed, false);
  assert.equal(issue.reason, 'Ed Evans wrote it; another manager must issue it');
  r = await api('PATCH', '/audits/AUD-1', ED, { status: 'reported' });
  assert.equal(r.status, 403, 'the auditor who wrote it cannot sign the report off');
  assert.equal(r.json.error.message, 'Ed Evans wrote it; another manager must issue it');
  const a = await ok('PATCH', '/audits/AUD-1', ANN, { status: 'reported' });
  assert.equal(a.report_issued_by, ANN);
  assert.ok(a.report_issued_at);
  r = await api('PUT', '/audits/AUD-1/checklist/9.1', ED, { notes: 'late' });
  assert.equal(r.status, 409);
  r = await api('POST', '/audit-findings', ED, { audit: 'AUD-1', type: 'observation',
    requirement: '9.1', description: 'late' });
  assert.equal(r.status, 409);
  const rep = await ok('GET', '/audits/AUD-1/report', ED);
  assert.equal(rep.audit, 'AUD-1');
  assert.equal(rep.issued_by, ANN);
  assert.deepEqual(rep.programme, { ref: 'PROG-1', title: 'Internal audit programme 2026-2028' });
  assert.deepEqual(rep.scope.map((x) => x.id), ['6.1.2', '9.1', '7.5.1']);
  assert.ok(rep.scope[0].title);
  assert.deepEqual(rep.sample, ['MEA-1']);
  assert.deepEqual(rep.findings.map((x) => x.ref), ['FND-1', 'FND-2']);
  assert.equal(rep.findings[0].nonconformity, finding.nonconformity);
  const html = await api('GET', '/audits/AUD-1/report?format=html', ED);
  assert.equal(html.status, 200);
  assert.match(html.headers.get('content-type'), /text\/html/);
  assert.match(html.text, /Internal audit report: AUD-1/);
  assert.match(html.text, /Issued by ann@example.com/);
  assert.match(html.text, /minor nonconformity/);
  assert.ok(!html.text.includes('<script>'), 'every value is escaped');
  assert.match(html.text, /two places &lt;script&gt;alert\(1\)&lt;\/script&gt;/);
  const c = await ok('GET', '/audit-programmes/PROG-1/coverage', ED);
  const row = c.requirements.find((x) => x.id === '6.1.2');
  assert.equal(row.last_audited, '2026-12-11');
  assert.equal(row.last_audit, 'AUD-1');
});

test('readiness 9.2 is met once the audits cover the scope within the cycle', async () => {
  let { req, check } = await readiness();
  assert.equal(req('9.2.1').status, 'met');
  assert.equal(req('9.2.2').status, 'partly_met');
  const f = check('9.2.2', '9.2.2-coverage').findings[0];
  assert.equal(f.code, 'not_covered');
  assert.match(f.reason, /clauses and applicable Annex A controls are neither audited nor planned/);
  assert.ok(!f.refs.includes('6.1.2') && f.refs.includes('4.1'));
  const cov = await ok('GET', '/audit-programmes/PROG-1/coverage', ED);
  await ok('POST', '/audits', ED, { title: 'The rest of the AIMS', programme: 'PROG-1',
    requirements: cov.not_covered, lead_auditor: ED, planned_start: '2027-06-01',
    planned_end: '2027-06-30' }, 201);
  ({ req } = await readiness());
  assert.equal(req('9.2.2').status, 'met');
  assert.equal(req('9.2.1').status, 'met');
  assert.equal(req('9.2').status, 'met');
});

test('aims report audit writes the report as JSON and HTML; aims report coverage', () => {
  let r = aims(['report', 'audit', '--org', 'acme', '--ref', 'AUD-1', '--format', 'json',
    '--db', env.db]);
  assert.equal(r.status, 0, r.stderr);
  const rep = JSON.parse(r.stdout);
  assert.equal(rep.audit, 'AUD-1');
  assert.equal(rep.findings.length, 2);
  r = aims(['report', 'audit', '--org', 'acme', '--ref', 'AUD-1', '--format', 'html',
    '--db', env.db]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^<!doctype html>/);
  assert.match(r.stdout, /Two risks in the register have no owner\./);
  r = aims(['report', 'audit', '--org', 'acme', '--ref', 'AUD-9', '--db', env.db]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /AUD-9/);
  r = aims(['report', 'audit', '--org', 'acme', '--db', env.db]);
  assert.equal(r.status, 2);
  r = aims(['report', 'audit', '--help']);
  assert.equal(r.status, 0);
  assert.match(r.stdout, /--ref REF/);
  // The programme's coverage, for the terminal and for a script.
  r = aims(['report', 'coverage', '--org', 'acme', '--ref', 'PROG-1', '--db', env.db]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^PROG-1 Internal audit programme 2026-2028, 2026-01-01 to 2028-12-31: (\d+) of \1 covered/);
  assert.match(r.stdout, /\n6\.1\.2 +2026-12-11 \(AUD-1\) +- +yes\n/);
  r = aims(['report', 'coverage', '--org', 'acme', '--ref', 'PROG-1', '--format', 'json',
    '--db', env.db]);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout).not_covered, []);
  r = aims(['report', 'coverage', '--org', 'acme', '--ref', 'PROG-7', '--db', env.db]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /PROG-7/);
  assert.match(aims(['report', 'coverage', '--help']).stdout, /--ref REF/);
});

test('another organisation sees none of it', async () => {
  addOrg(env.db, 'other');
  aimsOk(['member', 'add', ED, '--org', 'other', '--role', 'auditor', '--db', env.db]);
  for (const p of ['/audits/AUD-1/report', '/audit-programmes/PROG-1/coverage',
    '/audits/AUD-1']) {
    const r = await request(env.url, 'GET', `/api/v1/orgs/other${p}`, { auth: s[ED] });
    assert.equal(r.status, 404, p);
  }
  const r = await request(env.url, 'PUT', '/api/v1/orgs/other/audits/AUD-1/checklist/9.1',
    { auth: s[ED], body: { notes: 'x' } });
  assert.equal(r.status, 404);
});

test('the audit pack carries the issued report, and both verifiers accept the pack', async () => {
  const { readFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { verifyPack, readZip } = await import('./pack_verifier.mjs');
  const out = join(env.dir, 'audit-pack.zip');
  aimsOk(['pack', '--org', 'acme', '--out', out, '--db', env.db]);
  aimsOk(['verify', '--pack', out, '--key', pubKeyOf(env.db)]);
  const zip = readFileSync(out);
  const n = verifyPack(zip);
  assert.equal(n.ok, true, n.failure);
  const names = readZip(zip).map((f) => f.name);
  assert.ok(names.includes('reports/audit-AUD-1.html'), names.filter((x) => x.startsWith('reports/')).join(' '));
});
