// approval.test.mjs - the one approval model, black-box: for every kind that
// needs sign-off (scope, documents and the AI policy, risk criteria, risk
// acceptance, impact assessments, SoA publication) the author or proposer is
// refused - with a session and with their own API token - another approver
// is accepted, and the steps (API and pages) say why in words with names.
// A revision of the approved AI policy keeps 5.2 met until it is approved;
// the history names people and gives each change old and new; the command
// line attributes changes to a named member.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { aims, aimsOk, request, setup, signIn } from './lib.mjs';
import { strictWrites } from './lib.mjs';

// Every change these journeys make goes through the server's writer.
strictWrites();

const ANN = 'ann@example.com';		// manager, "Ann Smith"
const BEN = 'ben@example.com';		// manager, "Ben Jones"
const CORA = 'cora@example.com';	// contributor, "Cora Lee"
const VIC = 'vic@example.com';		// viewer
const A = '/api/v1/orgs/acme';
const WROTE = 'Ann Smith wrote it; another manager must approve it';

let env;
const s = {};	// sessions
const t = {};	// each person's own API token

function person(email, name, role) {
  aimsOk(['user', 'add', email, '--name', name, '--password-stdin', '--db', env.db],
    { input: 'correct horse battery staple\n' });
  aimsOk(['member', 'add', email, '--org', 'acme', '--role', role, '--db', env.db]);
}

const api = (method, path, auth, body) => request(env.url, method, A + path, { auth, body });

async function steps(path, auth) {
  const r = await api('GET', `${path}/steps`, auth);
  assert.equal(r.status, 200, r.text);
  return Object.fromEntries(r.json.items.map((x) => [x.action, x]));
}

before(async () => {
  env = await setup();
  person(ANN, 'Ann Smith', 'manager');
  person(BEN, 'Ben Jones', 'manager');
  person(CORA, 'Cora Lee', 'contributor');
  person(VIC, 'Vic Viewer', 'viewer');
  for (const [who, role] of [[ANN, 'manager'], [BEN, 'manager'], [CORA, 'contributor'],
    [VIC, 'viewer']]) {
    s[who] = await signIn(env.url, who);
    const r = await api('POST', '/tokens', s[who], { name: `own-${who}`, role });
    if (r.status === 201) t[who] = { token: r.json.token };
  }
});
after(async () => { await env?.cleanup(); });

// The record's page: the author sees the step disabled with the reason; a
// viewer sees no step; the approver gets the button.
async function pageShows(path, step, reason, author = ANN) {
  const url = `/o/acme${path}`;
  let r = await request(env.url, 'GET', url, { auth: s[author] });
  assert.equal(r.status, 200, url);
  assert.ok(r.text.includes(`data-step="${step.action}">${step.label}</button>`), `${url}: disabled ${step.label}`);
  assert.ok(r.text.includes(`id="why-${step.action}">${reason}.</small>`), `${url}: the reason`);
  r = await request(env.url, 'GET', url, { auth: s[VIC] });
  assert.ok(!r.text.includes(`>${step.label}</button>`), `${url}: no step for a viewer`);
  r = await request(env.url, 'GET', url, { auth: s[author === CORA ? ANN : BEN] });
  assert.ok(r.text.includes(`<button type="submit" class="btn primary" name="action" value="${step.action}"`),
    `${url}: the approver's button`);
}

// The author is refused with a session and with their own token; the step says
// why to them, a viewer cannot take it; another manager approves.
async function authorRefusedOtherApproves(path, approvedField = 'approved_by',
  target = 'approved', reason = WROTE) {
  let st = await steps(path, s[ANN]);
  const step = Object.values(st).find((x) => x.to === target);
  assert.ok(step, `${path}: a step to ${target}`);
  assert.equal(step.allowed, false);
  assert.equal(step.reason, reason);
  st = await steps(path, s[VIC]);
  assert.equal(st[step.action].allowed, false);
  assert.match(st[step.action].reason, /your role here is viewer/);
  let r = await api('PATCH', path, s[ANN], { status: target });
  assert.equal(r.status, 403, r.text);
  assert.equal(r.json.error.message, reason);
  assert.equal(r.json.error.field, approvedField);
  r = await api('PATCH', path, t[ANN], { status: target });
  assert.equal(r.status, 403, `${path} through Ann's own token: ${r.text}`);
  assert.equal(r.json.error.message, reason);
  r = await api('PATCH', path, s[VIC], { status: target });
  assert.equal(r.status, 403);
  await pageShows(path, step, reason);
  assert.equal((await steps(path, s[BEN]))[step.action].allowed, true);
  r = await api('PATCH', path, s[BEN], { status: target });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json[approvedField], BEN);
  return r.json;
}

test('scope: its author is refused, another manager approves', async () => {
  const r = await api('PATCH', '/scope', s[ANN], { statement: 'All AI products of Acme' });
  assert.equal(r.status, 200, r.text);
  await authorRefusedOtherApproves('/scope/SCOPE');
});

test('documents and the AI policy: review, author refused, another manager approves', async () => {
  let r = await api('POST', '/documents', s[ANN], { title: 'Responsible AI policy',
    kind: 'policy', is_ai_policy: true, body: 'We use AI with care.', next_review: '2099-01-01' });
  assert.equal(r.status, 201, r.text);
  const st = await steps('/documents/DOC-1', s[ANN]);
  assert.deepEqual(Object.keys(st).sort(), ['retire', 'submit']);
  assert.equal(st.submit.label, 'Submit for review');
  r = await api('PATCH', '/documents/DOC-1', s[ANN], { status: 'in_review' });
  assert.equal(r.status, 200, r.text);
  await authorRefusedOtherApproves('/documents/DOC-1');
});

test('risk criteria: whoever changed them does not approve them', async () => {
  const r = await api('PATCH', '/risk-criteria', s[ANN], { acceptance_threshold: 12 });
  assert.equal(r.status, 200, r.text);
  await authorRefusedOtherApproves('/risk-criteria/CRITERIA');
});

test('impact assessments: the author is refused, a contributor may not approve', async () => {
  let r = await api('POST', '/ai-systems', s[CORA], { name: 'Triage model', in_scope: true });
  assert.equal(r.status, 201, r.text);
  r = await api('POST', '/impact-assessments', s[ANN], { ai_system: 'AIS-1' });
  assert.equal(r.status, 201, r.text);
  const st = await steps('/impact-assessments/IA-1', s[CORA]);
  assert.equal(st.approve.allowed, false);
  assert.equal(st.approve.reason,
    'only a manager or higher can approve it; your role here is contributor');
  await authorRefusedOtherApproves('/impact-assessments/IA-1');
});

// The kinds that share the review-and-approve workflow (record_review_steps):
// the same four-eyes rule, by session and by the author's own token.
test('audit programmes and life-cycle records: the author is refused, another manager approves', async () => {
  let r = await api('POST', '/audit-programmes', s[ANN], { title: 'Audit programme 2026-2028',
    period_start: '2026-01-01', period_end: '2028-12-31', objectives: 'Each clause once a cycle',
    frequency: [{ area: 'Clause 6', requirements: ['6.1.2'], frequency: 'every year' }] });
  assert.equal(r.status, 201, r.text);
  const prog = `/audit-programmes/${r.json.ref}`;
  assert.equal((await api('PATCH', prog, s[ANN], { status: 'in_review' })).status, 200);
  await authorRefusedOtherApproves(prog);
  r = await api('POST', '/ai-systems', s[ANN], { name: 'Ward scheduler' });
  assert.equal(r.status, 201, r.text);
  r = await api('POST', '/lifecycle-records', s[ANN], { ai_system: r.json.ref,
    stage: 'deployment', content: 'Roll out to one ward first' });
  assert.equal(r.status, 201, r.text);
  const rec = `/lifecycle-records/${r.json.ref}`;
  assert.equal((await api('PATCH', rec, s[ANN], { status: 'in_review' })).status, 200);
  await authorRefusedOtherApproves(rec);
});

test('risk acceptance: never by whoever proposed it, whatever the credential', async () => {
  let r = await api('POST', '/risks', s[CORA], { title: 'Drift', likelihood: 4, impact: 4,
    owner: CORA, treatment: { option: 'retain' } });
  assert.equal(r.status, 201, r.text);
  const reason = 'Cora Lee proposed it; someone else must accept it (its owner or a manager)';
  const st = await steps('/risks/RISK-1', s[CORA]);
  assert.equal(st.accept.allowed, false);
  assert.equal(st.accept.reason, reason);
  r = await api('PATCH', '/risks/RISK-1', s[CORA], { status: 'accepted' });
  assert.equal(r.status, 403);
  assert.equal(r.json.error.message, reason);
  r = await api('PATCH', '/risks/RISK-1', t[CORA], { status: 'accepted' });
  assert.equal(r.status, 403, `Cora's own token: ${r.text}`);
  assert.equal(r.json.error.message, reason);
  await pageShows('/risks/RISK-1', st.accept, reason, CORA);
  assert.equal((await steps('/risks/RISK-1', s[ANN])).accept.allowed, true);
  r = await api('PATCH', '/risks/RISK-1', s[ANN], { status: 'accepted' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.accepted_by, ANN);
});

test('SoA publication: whoever changed an entry since the last version does not publish', async () => {
  const rows = (await api('GET', '/soa?limit=100', s[ANN])).json.items;
  for (const row of rows) {
    const r = await api('PATCH', `/soa/${row.ref}`, s[BEN], { applicable: true,
      justification: 'Needed for our AI products', status: 'planned' });
    assert.equal(r.status, 200, r.text);
  }
  await api('PATCH', '/soa/A.2.2', s[ANN], { justification: 'Our AI policy covers it' });
  let r = await api('POST', '/soa-versions', s[ANN], {});
  assert.equal(r.status, 403);
  assert.equal(r.json.error.message, 'Ann Smith changed A.2.2 since the last published ' +
    'version; another manager must approve and publish it');
  r = await api('POST', '/soa-versions', t[ANN], {});
  assert.equal(r.status, 403, `Ann's own token: ${r.text}`);
  r = await api('POST', '/soa-versions', s[BEN], {});
  assert.equal(r.status, 403, 'Ben decided entries too');
  // The organisation's admin changed no entry: they approve and publish it.
  const admin = await signIn(env.url);
  r = await api('POST', '/soa-versions', admin, { note: 'First issue' });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.approver, 'admin@example.com');
});

test('pages: the author sees Approve disabled with the reason, a viewer sees no step', async () => {
  let r = await api('POST', '/documents', s[ANN], { title: 'AI procedure', kind: 'procedure' });
  const ref = r.json.ref;
  await api('PATCH', `/documents/${ref}`, s[ANN], { status: 'in_review' });
  r = await request(env.url, 'GET', `/o/acme/documents/${ref}`, { auth: s[ANN] });
  assert.equal(r.status, 200);
  assert.match(r.text, /<button type="button" class="btn" disabled aria-describedby="why-approve" data-step="approve">Approve<\/button>/);
  assert.match(r.text, new RegExp(`id="why-approve">${WROTE}.</small>`));
  assert.doesNotMatch(r.text, /value="approve"/);
  r = await request(env.url, 'GET', `/o/acme/documents/${ref}`, { auth: s[VIC] });
  assert.doesNotMatch(r.text, />Approve</);
  assert.doesNotMatch(r.text, />Return to draft</);
  r = await request(env.url, 'GET', `/o/acme/documents/${ref}`, { auth: s[BEN] });
  assert.match(r.text, /<button type="submit" class="btn primary" name="action" value="approve">Approve<\/button>/);
});

function rule(readiness, id) {
  for (const req of readiness.requirements) {
    const c = req.checks.find((x) => x.rule === id);
    if (c) return c;
  }
  return undefined;
}

test('a revision of the approved AI policy keeps 5.2 met until the revision is approved', async () => {
  const readiness = async () => (await api('GET', '/readiness', s[VIC])).json;
  assert.equal(rule(await readiness(), '5.2-ai-policy').status, 'pass');
  let r = await api('GET', '/documents/DOC-1', s[ANN]);
  const approvedVersion = r.json.version;
  r = await api('PATCH', '/documents/DOC-1', s[ANN], { body: 'We use AI with great care.' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.status, 'draft');
  assert.equal(r.json.in_force_version, approvedVersion);
  assert.equal(rule(await readiness(), '5.2-ai-policy').status, 'pass');
  // The pages say which version is in force, and the edit form warns first.
  let page = await request(env.url, 'GET', '/o/acme/documents/DOC-1', { auth: s[ANN] });
  assert.match(page.text, new RegExp(`Version ${approvedVersion}, as approved by ${BEN}`));
  assert.match(page.text, new RegExp(`<summary>Version ${approvedVersion} as approved</summary>`));
  page = await request(env.url, 'GET', '/o/acme/documents', { auth: s[VIC] });
  assert.match(page.text, new RegExp(`>Approved v${approvedVersion} in force</span>`));
  page = await request(env.url, 'GET', '/o/acme/documents/DOC-1/edit', { auth: s[ANN] });
  assert.match(page.text, /A revision is open.<\/strong> Version \d+, the approved one, stays in force/);
  r = await api('PATCH', '/documents/DOC-1', s[ANN], { status: 'in_review' });
  assert.equal(rule(await readiness(), '5.2-ai-policy').status, 'pass');
  r = await api('PATCH', '/documents/DOC-1', s[BEN], { status: 'approved' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.in_force_version, undefined);
  assert.equal(rule(await readiness(), '5.2-ai-policy').status, 'pass');
  // A draft that was never approved does not count.
  r = await api('PATCH', '/documents/DOC-1', s[BEN], { status: 'retired' });
  assert.equal(r.status, 200, r.text);
  assert.notEqual(rule(await readiness(), '5.2-ai-policy').status, 'pass');
});

test('history names people and gives each change old and new', async () => {
  const r = await api('GET', '/documents/DOC-1/versions', s[VIC]);
  const edit = r.json.items.find((v) => v.changes.some((c) => c.field === 'body'
    && c.to === 'We use AI with great care.'));
  assert.equal(edit.by, 'Ann Smith');
  const body = edit.changes.find((c) => c.field === 'body');
  assert.equal(body.label, 'Text');
  assert.equal(body.from, 'We use AI with care.');
  const approve = r.json.items.find((v) => v.action === 'approve');
  assert.equal(approve.by, 'Ben Jones');
  const page = await request(env.url, 'GET', '/o/acme/documents/DOC-1', { auth: s[VIC] });
  assert.match(page.text, /<td>Ann Smith<\/td>/);
  assert.match(page.text, /<span class="change-field">Text<\/span>: <span class="change-from">/);
});

test('the command line names a member for every change, and applies the same rules', () => {
  const base = ['--org', 'acme', '--db', env.db];
  let r = aims(['record', 'create', 'documents', ...base, '--json', '{"title":"CLI doc","kind":"record"}']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--as EMAIL/);
  r = aims(['record', 'create', 'documents', ...base, '--as', 'nobody@example.com', '--json',
    '{"title":"CLI doc","kind":"record"}']);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /not a member of this organisation/);
  const doc = JSON.parse(aimsOk(['record', 'create', 'documents', ...base, '--json',
    '{"title":"CLI doc","kind":"record"}'], { env: { AIMS_AS: ANN } }).stdout);
  assert.equal(doc.created_by, `user:${ANN}`);
  aimsOk(['record', 'step', 'documents', doc.ref, 'submit', ...base, '--as', ANN]);
  const st = JSON.parse(aimsOk(['record', 'steps', 'documents', doc.ref, ...base, '--as', ANN]).stdout);
  assert.equal(st.find((x) => x.action === 'approve').reason, WROTE);
  r = aims(['record', 'step', 'documents', doc.ref, 'approve', ...base, '--as', ANN]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /Ann Smith wrote it/);
  const ok = JSON.parse(aimsOk(['record', 'step', 'documents', doc.ref, 'approve', ...base,
    '--as', BEN]).stdout);
  assert.equal(ok.approved_by, BEN);
  const hist = JSON.parse(aimsOk(['record', 'history', 'documents', doc.ref, ...base]).stdout);
  assert.deepEqual(hist.map((h) => h.by), ['Ben Jones', 'Ann Smith', 'Ann Smith']);
  assert.ok(hist.every((h) => h.actor !== 'cli'));
});

test('the audit trail verifies with revisions, sign-offs and versions in it', () => {
  assert.match(aimsOk(['verify', '--db', env.db]).stdout, /verified/);
});
