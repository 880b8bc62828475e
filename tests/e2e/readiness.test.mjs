// readiness.test.mjs - black-box tests of certification readiness, the SoA as
// a document and the exports: an organisation is built step by step with
// `aims record` and the verdicts, statuses and reasons move as it grows; the
// same answers come from the API, with the downloads and SoA publishing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ADMIN, addMember, addOrg, aims, aimsOk, makeDb, request, signIn, startServer,
} from './lib.mjs';
import { strictWrites } from './lib.mjs';

// Every change these journeys make goes through the server's writer.
strictWrites();

// Changes are made as a named member (--as); approvals by a manager other than the author.
const APPROVER = 'approver@example.com';

function record(db, args, json, as = ADMIN) {
  return aimsOk(['record', ...args, '--org', 'acme', '--as', as, '--db', db, '--json',
    JSON.stringify(json)]);
}

function makeOrg() {
  const env = makeDb();
  addMember(env.db, APPROVER, 'manager');
  return env;
}

function readiness(db, extra = []) {
  return JSON.parse(aimsOk(['report', 'readiness', '--org', 'acme', '--db', db, '--format',
    'json', ...extra]).stdout);
}

const blocking = (r, stage) => r.stages[stage - 1].blocking_gaps;
const req = (r, id) => r.requirements.find((x) => x.id === id);
const check = (r, id, rule) => req(r, id).checks.find((c) => c.rule === rule);

// Decides every control (A.10.4 excluded), as a manager would in the SoA.
function decideSoa(db) {
  const rows = JSON.parse(aimsOk(['record', 'list', 'soa', '--org', 'acme', '--db', db,
    '--format', 'json', '--limit', '100']).stdout);
  assert.equal(rows.length, 38);
  for (const row of rows) {
    record(db, ['update', 'soa', row.ref], row.ref === 'A.10.4'
      ? { applicable: false, justification: 'We supply no AI to customers' }
      : { applicable: true, justification: 'Needed for our AI products', status: 'planned' });
  }
}

// The organisation of the tests below, up to a complete SoA.
function buildOrganisation(db) {
  record(db, ['create', 'scope'], { statement: 'All AI products of Acme' });
  record(db, ['update', 'scope', 'SCOPE'], { status: 'approved' }, APPROVER);
  record(db, ['create', 'ai-systems'], { name: 'Support chat', in_scope: true,
    lifecycle_stage: 'operation_monitoring', purpose: 'Answer customers' });
  record(db, ['create', 'risks'], { title: 'Wrong answers', ai_systems: ['AIS-1'],
    likelihood: 4, impact: 4, treatment: { option: 'modify', plan: 'Retrieval checks' } });
  record(db, ['create', 'impact-assessments'], { ai_system: 'AIS-1', title: 'Chat',
    impacts: [{ on: 'individuals', area: 'privacy', kind: 'harm' }] });
  record(db, ['update', 'impact-assessments', 'IA-1'], { status: 'approved' }, APPROVER);
  record(db, ['create', 'responsibilities'], { role_name: 'AIMS manager', assignee: ADMIN,
    requirements: ['5.3', 'A.3.2'] });
  decideSoa(db);
}

test('an empty organisation is not ready, with reasons; nothing recorded yet is said so', () => {
  const { db } = makeOrg();
  const r = readiness(db, ['--no-save']);
  assert.equal(r.organisation.slug, 'acme');
  assert.equal(r.edition, 'ISO/IEC 42001:2023');
  assert.deepEqual(r.stages.map((s) => s.verdict), ['not_ready', 'not_ready']);
  assert.ok(blocking(r, 2) > blocking(r, 1));
  assert.equal(r.clauses.length, 7);
  assert.equal(r.areas.length, 9);
  assert.equal(req(r, '4.3').status, 'not_met');
  assert.equal(check(r, '4.3', '4.3-scope-approved').findings[0].reason,
    'There is no approved AIMS scope.');
  const changes = check(r, '6.3', '6.3-changes').findings[0];
  assert.equal(changes.code, 'missing');
  assert.equal(changes.reason, 'No planned change to the AIMS is recorded.');
  assert.equal(check(r, '9.1', '9.1-monitoring').findings[0].code, 'none_in_operation');
  assert.equal(check(r, '6.2', '6.2-objectives').findings[0].code, 'none_recorded');
  const audit = check(r, '9.2.1', '9.2.1-audits').findings[0];
  assert.equal(audit.code, 'missing');
  assert.equal(audit.reason, 'No internal audit has been performed and reported (an audit ' +
    'whose report is issued).');
  // The default risk criteria exist from the start.
  assert.equal(check(r, '6.1.2', '6.1.2-criteria').status, 'pass');
  const text = aimsOk(['report', 'readiness', '--org', 'acme', '--db', db, '--no-save']).stdout;
  assert.match(text, /Stage 1: NOT READY - \d+ blocking/);
});

test('the verdicts move as the organisation is built step by step', () => {
  const { db } = makeOrg();
  const start = readiness(db);
  record(db, ['create', 'scope'], { statement: 'All AI products of Acme' });
  let r = readiness(db);
  assert.equal(blocking(r, 1), blocking(start, 1), 'a draft scope is not enough');
  record(db, ['update', 'scope', 'SCOPE'], { status: 'approved' }, APPROVER);
  r = readiness(db);
  assert.equal(blocking(r, 1), blocking(start, 1) - 1);
  assert.equal(check(r, '4.3', '4.3-scope-approved').status, 'pass');
  assert.equal(req(r, '4.3').status, 'partly_met');

  record(db, ['create', 'ai-systems'], { name: 'Support chat', in_scope: true,
    lifecycle_stage: 'operation_monitoring' });
  r = readiness(db);
  assert.equal(req(r, '4.3').status, 'met');
  const noRisk = check(r, '6.1.2', '6.1.2-systems-assessed');
  assert.equal(noRisk.status, 'fail');
  assert.deepEqual(noRisk.findings[0].refs, ['AIS-1']);
  assert.equal(noRisk.findings[0].reason, '1 of 1 in-scope AI systems have no assessed risk: AIS-1 Support chat.');

  // A risk above the acceptance threshold (9), neither treated nor accepted.
  record(db, ['create', 'risks'], { title: 'Wrong answers', ai_systems: ['AIS-1'],
    likelihood: 4, impact: 4 });
  r = readiness(db);
  assert.equal(check(r, '6.1.2', '6.1.2-systems-assessed').status, 'pass');
  const untreated = check(r, '6.1.3', '6.1.3-treated-or-accepted');
  assert.equal(untreated.status, 'fail');
  assert.deepEqual(untreated.findings[0].refs, ['RISK-1']);
  record(db, ['update', 'risks', 'RISK-1'], { treatment: { option: 'modify',
    plan: 'Retrieval checks' } });
  r = readiness(db);
  assert.equal(check(r, '6.1.3', '6.1.3-treated-or-accepted').status, 'pass');

  // An impact assessment: missing, then a draft, then approved.
  assert.equal(check(r, '6.1.4', '6.1.4-assessed').findings[0].code, 'none');
  record(db, ['create', 'impact-assessments'], { ai_system: 'AIS-1', title: 'Chat' });
  r = readiness(db);
  assert.equal(check(r, '6.1.4', '6.1.4-assessed').findings[0].code, 'not_approved');
  record(db, ['update', 'impact-assessments', 'IA-1'], { status: 'approved' }, APPROVER);
  r = readiness(db);
  assert.equal(check(r, '6.1.4', '6.1.4-assessed').status, 'pass');

  // A required role with nobody assigned, then assigned.
  record(db, ['create', 'responsibilities'], { role_name: 'AIMS manager',
    requirements: ['5.3'] });
  r = readiness(db);
  assert.equal(check(r, '5.3', '5.3-roles-assigned').findings[0].reason,
    '1 required roles have nobody assigned: ROLE-1 AIMS manager.');
  record(db, ['update', 'responsibilities', 'ROLE-1'], { assignee: ADMIN });
  r = readiness(db);
  assert.equal(req(r, '5.3').status, 'met');

  // Internal audits planned: an approved programme and an audit under it.
  record(db, ['create', 'audit-programmes'], { title: 'Programme 2026-2028',
    period_start: '2026-01-01', period_end: '2028-12-31' });
  record(db, ['update', 'audit-programmes', 'PROG-1'], { status: 'in_review' });
  r = readiness(db);
  assert.equal(check(r, '9.2.2', '9.2.2-programme').status, 'fail');
  record(db, ['update', 'audit-programmes', 'PROG-1'], { status: 'approved' }, APPROVER);
  record(db, ['create', 'audits'], { title: 'Planning audit', programme: 'PROG-1',
    requirements: ['9.2.1'], lead_auditor: APPROVER, planned_start: '2026-11-02' });
  r = readiness(db);
  assert.equal(check(r, '9.2.2', '9.2.2-programme').status, 'pass');
  assert.equal(check(r, '9.2.1', '9.2.1-audits-planned').status, 'pass');
  assert.equal(check(r, '9.2.1', '9.2.1-audits').status, 'fail');

  // Every control decided: the AI policy (one cause: 5.2, 5.1 and A.2.2), no audit
  // performed and no management review held still block Stage 1.
  assert.equal(check(r, 'A.6.2.6', 'soa-decided@A.6.2.6').status, 'fail');
  decideSoa(db);
  r = readiness(db);
  assert.equal(check(r, 'A.6.2.6', 'soa-decided@A.6.2.6').status, 'pass');
  assert.equal(req(r, 'A.10.4').status, 'not_applicable');
  const stage1 = r.gaps.filter((g) => g.severity === 'blocking' && g.stage === 1);
  assert.deepEqual(stage1.map((g) => g.requirement), ['5.2', '9.2.1', '9.3.1']);
  assert.deepEqual(stage1[0].affects, ['5.2', '5.1', 'A.2.2']);
  assert.equal(stage1[0].grade, 'major_nonconformity');
  assert.equal(stage1[0].fix, 'documents/new');
  assert.ok(r.score > start.score);
  // One snapshot per day: the trend has today's.
  assert.equal(r.trend.length, 1);
  assert.equal(r.trend[0].score, r.score);
});

test('a control marked implemented needs measures with current evidence', () => {
  const { db } = makeOrg();
  record(db, ['create', 'measures'], { title: 'Data quality checks', status: 'implemented' });
  record(db, ['update', 'soa', 'A.7.4'], { applicable: true, justification: 'We train models',
    status: 'implemented', measures: ['MEA-1'] });
  let r = readiness(db, ['--no-save']);
  assert.equal(check(r, 'A.7.4', 'control-evidence@A.7.4').findings[0].code, 'no_evidence');
  record(db, ['create', 'evidence'], { title: 'Old report', kind: 'link',
    url: 'https://ci.example.com/1', measures: ['MEA-1'], valid_until: '2020-01-01' });
  r = readiness(db, ['--no-save']);
  const f = check(r, 'A.7.4', 'control-evidence@A.7.4').findings[0];
  assert.equal(f.code, 'expired');
  assert.deepEqual(f.refs, ['MEA-1']);
  record(db, ['create', 'evidence'], { title: 'New report', kind: 'link',
    url: 'https://ci.example.com/2', measures: ['MEA-1'], valid_until: '2099-01-01' });
  r = readiness(db, ['--no-save']);
  assert.equal(check(r, 'A.7.4', 'control-evidence@A.7.4').status, 'pass');
  assert.equal(req(r, 'A.7.4').status, 'met');
});

test('the SoA is published as frozen versions; the draft shows what changed; exports', () => {
  const { dir, db } = makeOrg();
  buildOrganisation(db);
  let r = readiness(db, ['--no-save']);
  assert.equal(check(r, '6.1.3', '6.1.3-soa-published').status, 'fail');
  // Whoever decided the entries does not approve them: four eyes, in person.
  const own = aims(['soa', 'publish', '--org', 'acme', '--db', db, '--as', ADMIN]);
  assert.equal(own.status, 1);
  assert.match(own.stderr, /changed A\.\d[\d.]* since the last published version; another manager/);
  assert.equal(aims(['soa', 'publish', '--org', 'acme', '--db', db]).status, 2);
  let out = aimsOk(['soa', 'publish', '--org', 'acme', '--db', db, '--as', APPROVER,
    '--note', 'For the Stage 1 audit']).stdout;
  assert.match(out, /published SoA version 1 .*38 controls, approved by approver@example.com/);
  r = readiness(db, ['--no-save']);
  assert.equal(check(r, '6.1.3', '6.1.3-soa-published').status, 'pass');
  assert.equal(check(r, '6.1.3', '6.1.3-soa-current').status, 'pass');
  record(db, ['update', 'soa', 'A.7.4'], { status: 'partial' });
  out = aimsOk(['soa', 'diff', '--org', 'acme', '--db', db]).stdout;
  assert.match(out, /1 controls changed since version 1/);
  assert.match(out, /status: "planned" -> "partial"/);
  r = readiness(db, ['--no-save']);
  assert.deepEqual(check(r, '6.1.3', '6.1.3-soa-current').findings[0].refs, ['A.7.4']);
  // Version 1 stays as it was approved.
  const v1 = JSON.parse(aimsOk(['soa', 'show', '--org', 'acme', '--db', db, '--version', '1',
    '--format', 'json']).stdout);
  assert.equal(v1.rows.find((x) => x.control === 'A.7.4').status, 'planned');
  assert.equal(v1.note, 'For the Stage 1 audit');
  // A contributor does not approve an SoA.
  addMember(db, 'carol@example.com', 'contributor');
  const refused = aims(['soa', 'publish', '--org', 'acme', '--db', db, '--as',
    'carol@example.com']);
  assert.equal(refused.status, 1);
  assert.match(refused.stderr, /only a manager or admin publishes/);

  // Exports, written whole or not at all.
  aimsOk(['export', 'soa', '--org', 'acme', '--db', db, '--format', 'xlsx', '--out',
    join(dir, 'soa.xlsx')]);
  assert.equal(readFileSync(join(dir, 'soa.xlsx')).subarray(0, 2).toString(), 'PK');
  aimsOk(['export', 'soa', '--org', 'acme', '--db', db, '--format', 'csv', '--version', '1',
    '--out', join(dir, 'soa-v1.csv')]);
  assert.match(readFileSync(join(dir, 'soa-v1.csv'), 'utf8'),
    /\r\nA\.7\.4,Quality of data for AI systems,A\.7,Yes,Needed for our AI products,planned,/);
  aimsOk(['export', 'readiness', '--org', 'acme', '--db', db, '--format', 'html', '--out',
    join(dir, 'r.html')]);
  const html = readFileSync(join(dir, 'r.html'), 'utf8');
  assert.match(html, /^<!doctype html>/);
  assert.match(html, /<svg class="chart progress" id="rp-clauses"[^>]*role="img"/);
  assert.match(html, /<title id="rp-clauses-t">Readiness score by clause<\/title>/);
  const bad = aims(['export', 'risks', '--org', 'acme', '--db', db, '--format', 'json',
    '--out', join(dir, 'x.json')]);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /risks exports as xlsx, csv, not json/);
  // The ledger verifies with the published version in it.
  assert.match(aimsOk(['verify', '--db', db]).stdout, /verified/);
});

test('the API answers readiness, downloads, and SoA versions with the right permissions', async () => {
  const { dir, db } = makeOrg();
  buildOrganisation(db);
  addMember(db, 'vera@example.com', 'viewer');
  addOrg(db, 'other');
  const server = await startServer(db);
  try {
    const admin = await signIn(server.url);
    const viewer = await signIn(server.url, 'vera@example.com');
    let r = await request(server.url, 'GET', '/api/v1/orgs/acme/readiness', { auth: viewer });
    assert.equal(r.status, 200);
    const cli = readiness(db, ['--no-save']);
    assert.deepEqual(r.json.stages, cli.stages);
    assert.equal(r.json.requirements.length, cli.requirements.length);
    r = await request(server.url, 'GET', '/api/v1/orgs/other/readiness', { auth: viewer });
    assert.equal(r.status, 404);

    r = await request(server.url, 'GET', '/api/v1/orgs/acme/exports/soa.xlsx', { auth: viewer });
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('content-type'),
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    assert.equal(r.headers.get('content-disposition'), 'attachment; filename="acme-soa.xlsx"');
    r = await request(server.url, 'GET', '/api/v1/orgs/acme/exports/readiness.html',
      { auth: viewer });
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type'), /^text\/html/);
    assert.match(r.text, /^<!doctype html>/);
    r = await request(server.url, 'GET', '/api/v1/orgs/acme/exports/risks.csv', { auth: admin });
    assert.match(r.text, /^Ref,Title,AI systems,/);
    assert.match(r.text, /\r\nRISK-1,Wrong answers,AIS-1,/);
    r = await request(server.url, 'GET', '/api/v1/orgs/acme/exports/risks.pdf', { auth: admin });
    assert.equal(r.status, 404);

    r = await request(server.url, 'POST', '/api/v1/orgs/acme/soa-versions',
      { auth: viewer, body: {} });
    assert.equal(r.status, 403);
    r = await request(server.url, 'POST', '/api/v1/orgs/acme/soa-versions',
      { auth: admin, body: { note: 'First issue' } });
    assert.equal(r.status, 403, r.text);
    assert.match(r.json.error.message, /since the last published version/);
    const approver = await signIn(server.url, APPROVER);
    r = await request(server.url, 'POST', '/api/v1/orgs/acme/soa-versions',
      { auth: approver, body: { note: 'First issue', approver: ADMIN } });
    assert.equal(r.status, 403, r.text);
    assert.match(r.json.error.message, /must publish it themselves/);
    r = await request(server.url, 'POST', '/api/v1/orgs/acme/soa-versions',
      { auth: approver, body: { note: 'First issue' } });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.version, 1);
    assert.equal(r.json.approver, APPROVER);
    assert.equal(r.headers.get('location'), '/api/v1/orgs/acme/soa-versions/1');
    r = await request(server.url, 'GET', '/api/v1/orgs/acme/soa-versions', { auth: viewer });
    assert.equal(r.json.items.length, 1);
    assert.equal(r.json.items[0].row_count, 38);
    r = await request(server.url, 'GET', '/api/v1/orgs/acme/soa-versions/1', { auth: viewer });
    assert.equal(r.json.rows.length, 38);
    r = await request(server.url, 'GET', '/api/v1/orgs/acme/soa-versions/2', { auth: viewer });
    assert.equal(r.status, 404);
    r = await request(server.url, 'GET', '/api/v1/orgs/acme/soa-changes', { auth: viewer });
    assert.equal(r.json.base_version, 1);
    assert.deepEqual(r.json.changes, []);
    r = await request(server.url, 'GET', '/api/v1/orgs/acme/exports/soa.json?version=1',
      { auth: viewer });
    assert.equal(JSON.parse(r.text).version, 1);
  } finally {
    await server.stop();
  }
  assert.ok(dir);
});
