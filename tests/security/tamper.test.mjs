// tamper.test.mjs - the tamper list: every table the ledger covers is
// changed behind aims's back, directly in SQLite (edit a column, delete a
// row, insert a row, swap two rows), and `aims verify` must fail and name
// what was changed (table, record, version or revision). Prints
// "tamper: detected N / tried M" (TAMPER_VERBOSE=1: every report). Dropping
// a protective trigger must be reported too.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { chmodSync, cpSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ADMIN, aims, aimsOk, makeDb, request, signIn, startServer, tempDir } from '../e2e/lib.mjs';

const ORG = 'acme';
let seed;	// { dir, db, refs }

function sql(db, text) {
  const r = spawnSync('sqlite3', ['-bail', db], { input: text, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`sqlite3: ${r.stderr}\n${text}`);
  return r.stdout;
}

function sqlJson(db, text) {
  const out = sql(db, `.mode json\n${text};\n`);
  return out.trim() ? JSON.parse(out) : [];
}

// Runs a change with the table's triggers out of the way, then puts them back
// as they were: an attacker with the file can do that, so what is tested is
// that verify notices the data, not that a trigger stopped the change.
function tamper(db, tables, change) {
  const trig = tables.length === 0 ? [] : sqlJson(db, `SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN (${
    tables.map((t) => `'${t}'`).join(', ')})`);
  sql(db, ['PRAGMA foreign_keys = OFF;', 'BEGIN;',
    ...trig.map((t) => `DROP TRIGGER ${t.name};`), change,
    ...trig.map((t) => `${t.sql};`), 'COMMIT;'].join('\n'));
}

// Changes are made as the organisation's first admin unless --as says otherwise.
function cli(db, args, input) {
  return aimsOk([...args, '--db', db], { env: { AIMS_AS: ADMIN }, ...(input === undefined ? {} : { input }) });
}

function create(db, kind, fields) {
  return JSON.parse(cli(db, ['record', 'create', kind, '--org', ORG, '--json', JSON.stringify(fields)]).stdout);
}

function update(db, kind, ref, fields) {
  return JSON.parse(cli(db, ['record', 'update', kind, ref, '--org', ORG, '--json', JSON.stringify(fields)]).stdout);
}

function seedDb() {
  const { dir, db } = makeDb({ org: ORG });
  cli(db, ['org', 'create', 'beta']);
  cli(db, ['member', 'add', ADMIN, '--org', 'beta', '--role', 'admin']);
  for (const [email, role] of [['alice@example.com', 'manager'], ['bob@example.com', 'contributor']]) {
    cli(db, ['user', 'add', email, '--password-stdin'], 'correct horse battery staple\n');
    cli(db, ['member', 'add', email, '--org', ORG, '--role', role]);
  }
  cli(db, ['token', 'create', '--org', ORG, '--name', 'ci', '--role', 'contributor']);
  cli(db, ['token', 'create', '--org', ORG, '--name', 'monitor', '--role', 'viewer']);
  const doc = create(db, 'documents', { title: 'AI policy', kind: 'policy', body: 'first text' });
  update(db, 'documents', doc.ref, { body: 'second text' });
  update(db, 'documents', doc.ref, { body: 'third text' });
  const r1 = create(db, 'risks', { title: 'Model drift', likelihood: 2, impact: 3 });
  const r2 = create(db, 'risks', { title: 'Data leak', likelihood: 4, impact: 5 });
  update(db, 'risks', r1.ref, { description: 'drift over time' });
  const ai = create(db, 'ai-systems', { name: 'Claims triage', in_scope: true });
  const met = create(db, 'metrics', { title: 'Accuracy', ai_system: ai.ref, direction: 'higher_is_better',
    interval_hours: 24, on_breach: 'none' });
  for (const batch of [[['2026-03-01T00:00:00Z', 0.95], ['2026-03-01T01:00:00Z', 0.94]], [['2026-03-02T00:00:00Z', 0.93]]])
    cli(db, ['metrics', 'push', met.ref, '--org', ORG], JSON.stringify(batch.map(([at, value]) => ({ at, value }))));
  // A requirement confirmed by hand (an attestation) and the organisation's AI roles.
  const until = new Date(Date.now() + 100 * 86400000).toISOString().slice(0, 10);
  const att = create(db, 'attestations', { title: 'Climate change considered', requirement: '4.1',
    statement: 'The board decided it is not a relevant issue for our AI', valid_until: until });
  cli(db, ['org', 'ai-roles', ORG, '--set', 'customer']);
  // Dated records: their work items (core/work.h) are kept beside them.
  const task = create(db, 'tasks', { title: 'Review the supplier', owner: 'bob@example.com', due: '2026-05-01' });
  create(db, 'tasks', { title: 'Renew the certificate', owner: 'alice@example.com', due: '2026-07-01' });
  const ev = create(db, 'evidence', { title: 'Test report', kind: 'file', requirements: ['A.6.2.7'] });
  const ev2 = create(db, 'evidence', { title: 'Red-team report', kind: 'file' });
  for (const [ref, name, text] of [[ev.ref, 'report-1.txt', 'first report\n'],
    [ev.ref, 'report-2.txt', 'second report\n'], [ev2.ref, 'redteam.txt', 'red team\n']]) {
    const f = join(dir, name);
    writeFileSync(f, text);
    cli(db, ['record', 'attach', 'evidence', ref, f, '--org', ORG]);
  }
  // The EU AI Act: a classified system, the organisation's profile and the obligations that follow.
  const scorer = create(db, 'ai-systems', { name: 'Credit scorer', eu_prohibited_checked: true,
    eu_ai_act_roles: ['deployer'], eu_annex_iii: ['5b_creditworthiness_credit_scoring'] });
  create(db, 'eu-ai-act-profile', { public_body: true });
  cli(db, ['euact', 'obligations', scorer.ref, '--org', ORG, '--create']);
  const soa = JSON.parse(cli(db, ['record', 'list', 'soa', '--org', ORG, '--all', '--format', 'json']).stdout);
  const items = soa.items ?? soa;
  for (const s of items)
    update(db, 'soa', s.ref, { applicable: false, justification: 'no AI system in scope uses it' });
  cli(db, ['soa', 'publish', '--org', ORG, '--as', 'alice@example.com', '--note', 'first']);
  update(db, 'soa', items[0].ref, { applicable: true, justification: 'policy is needed' });
  cli(db, ['soa', 'publish', '--org', ORG, '--as', 'alice@example.com', '--note', 'second']);
  // An ML-BOM (a model with its card and its supplier) and two garak runs, the second
  // worse: evidence with run results, a metric with readings, the system's flag.
  cli(db, ['import', 'cyclonedx', new URL('../data/cyclonedx/bom-examples_MLBOM_FoundationModels.bom.json',
    import.meta.url).pathname, '--org', ORG, '--ai-system', ai.ref]);
  const runs = [];
  for (const [run, start, fails] of [['tamper-1', '2026-03-01T00:00:00', 1], ['tamper-2', '2026-03-02T00:00:00', 5]]) {
    const f = join(dir, `${run}.report.jsonl`);
    writeFileSync(f, [{ entry_type: 'init', run, start_time: start },
      { entry_type: 'eval', probe: 'dan.Dan_11_0', detector: 'dan.DAN', fails, passed: 10 - fails, total_evaluated: 10 }]
      .map((l) => JSON.stringify(l)).join('\n'));
    runs.push(cli(db, ['import', 'garak', f, '--org', ORG, '--ai-system', ai.ref]).stdout.match(/evidence (EV-\d+)/)[1]);
  }
  // A Hugging Face model card: a model with its languages, evaluations and data set.
  cli(db, ['import', 'modelcard', new URL('../data/modelcards/huggingface_hub_sample_simple_model_index.md',
    import.meta.url).pathname, '--org', ORG, '--ai-system', ai.ref]);
  const models = JSON.parse(cli(db, ['record', 'list', 'models', '--org', ORG, '--format', 'json', '--all']).stdout);
  const model = models.find((m) => m.name === 'gpt-4o').ref;
  const card = models.find((m) => m.name === 'my-cool-model').ref;
  const rtmet = JSON.parse(cli(db, ['record', 'list', 'metrics', '--org', ORG, '--format', 'json', '--all']).stdout)
    .find((m) => m.source === 'garak:dan').ref;
  return { dir, db, refs: { doc: doc.ref, r1: r1.ref, r2: r2.ref, ev: ev.ref, ev2: ev2.ref, met: met.ref,
    att: att.ref, task: task.ref, ai: ai.ref, model, card, run: runs[1], rtmet, scorer: scorer.ref } };
}

// An approved policy with a revision after it: written by alice, approved by
// the admin (four eyes), through the API as people do.
async function approvedPolicy(db) {
  const server = await startServer(db);
  try {
    const alice = await signIn(server.url, 'alice@example.com');
    const admin = await signIn(server.url, ADMIN);
    const A = `/api/v1/orgs/${ORG}/documents`;
    const call = async (method, path, body, auth, version) => {
      const r = await request(server.url, method, A + path, { body, auth,
        headers: version ? { 'if-match': `"${version}"` } : {} });
      if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${r.text}`);
      return r.json;
    };
    const d = await call('POST', '', { title: 'AI policy', kind: 'policy', is_ai_policy: true, body: 'approved text' }, alice);
    await call('PATCH', `/${d.ref}`, { status: 'in_review' }, alice, 1);
    const ok = await call('PATCH', `/${d.ref}`, { status: 'approved' }, admin, 2);
    assert.equal(ok.version, 3);
    // alice acknowledges the approved version (7.3): a ledger entry of its own.
    const ack = await request(server.url, 'POST', `${A}/${d.ref}/acknowledgements`, { auth: alice });
    assert.equal(ack.status, 201, ack.text);
    // A comment on it (mentioning the admin): a ledger entry of its own.
    const said = await request(server.url, 'POST', `${A}/${d.ref}/comments`, { auth: alice, body: { body: `Reviewed with @${ADMIN}.` } });
    assert.equal(said.status, 201, said.text);
    await call('PATCH', `/${d.ref}`, { body: 'revised text' }, alice, 3);
    // A concern sent through the public form (A.3.3): its report key row.
    const open = await request(server.url, 'POST', `/api/v1/orgs/${ORG}/concern-channel`, { auth: admin, body: { open: true } });
    assert.equal(open.status, 200, open.text);
    const sent = await request(server.url, 'POST', `/api/v1/public/orgs/${ORG}/concerns`, { body: { text: 'The chatbot gave me another customer\'s address.' } });
    assert.equal(sent.status, 201, sent.text);
    // Two webhooks and two calendar feeds: ledgered settings of their own.
    for (const url of ['https://hooks.example.org/aims', 'https://ci.example.org/hook']) {
      const w = await request(server.url, 'POST', `/api/v1/orgs/${ORG}/webhooks`, { auth: admin, body: { url, events: ['*'] } });
      assert.equal(w.status, 201, w.text);
    }
    for (const [who, scope] of [[alice, 'me'], [admin, 'org']]) {
      const f = await request(server.url, 'POST', `/api/v1/orgs/${ORG}/calendar-feeds`, { auth: who, body: { scope } });
      assert.equal(f.status, 201, f.text);
    }
    await accountSettings(server.url, admin);
    return d.ref;
  } finally {
    await server.stop();
  }
}

// A page form posted as a signed-in person.
function form(url, path, auth, fields) {
  return request(url, 'POST', path, { auth: { cookie: auth.cookie }, origin: false,
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: url },
    body: new URLSearchParams({ _csrf: auth.csrf, ...fields }).toString() });
}

// RFC 6238 code of a base32 key at step.
function totp(key, step) {
  const abc = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const ch of key) bits += abc.indexOf(ch).toString(2).padStart(5, '0');
  const secret = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(step));
  const h = createHmac('sha1', secret).update(msg).digest();
  const o = h[h.length - 1] & 15;
  return String((h.readUInt32BE(o) & 0x7fffffff) % 1e6).padStart(6, '0');
}

// bob turns on a second factor; the admin sets acme's single sign-on and requires a second factor.
async function accountSettings(url, admin) {
  const bob = await signIn(url, 'bob@example.com');
  const start = await form(url, '/account/second-factor/start', bob, {});
  assert.equal(start.status, 200, start.text);
  const key = start.text.match(/id="totp-key"[^>]*value="([A-Z2-7]+)"/)[1];
  const on = await form(url, '/account/second-factor/confirm', bob, { code: totp(key, Math.floor(Date.now() / 30000)) });
  assert.equal(on.status, 200, on.text);
  const sso = await form(url, `/o/${ORG}/settings/sso`, admin, { issuer: 'https://idp.example.com', client_id: 'aims', client_secret: 'sso-secret' });
  assert.equal(sso.status, 303, sso.text);
  const req = await form(url, `/o/beta/settings`, admin, { name: 'beta', require_second_factor: '1' });
  assert.equal(req.status, 303, req.text);
  // The time zone and readiness options (in the organisation's state once set).
  const org = await request(url, 'GET', `/api/v1/orgs/${ORG}`, { auth: admin });
  const set = await request(url, 'PATCH', `/api/v1/orgs/${ORG}`, { auth: admin,
    headers: { 'if-match': `"${org.json.version}"` },
    body: { timezone: 'Europe/Berlin', readiness: { evidence_max_age_days: 365, target_stage: 2 } } });
  assert.equal(set.status, 200, set.text);
}

// Every case: which tables it touches, the SQL, and what the report must name.
function cases(refs) {
  const { doc, policy, r1, r2, ev, ev2, met, att, task, ai, model, card, run, rtmet, scorer } = refs;
  const acme = `(SELECT id FROM orgs WHERE slug = '${ORG}')`;
  const num = (ref) => `(SELECT num FROM records WHERE org_id = ${acme} AND ref = '${ref}')`;
  const E = 'evidence_files';
  return [
    // orgs
    ['orgs', 'edit', ['orgs'], `UPDATE orgs SET name = 'Evil Corp' WHERE slug = '${ORG}';`, [ORG]],
    ['orgs', 'delete', ['orgs'], `DELETE FROM orgs WHERE slug = 'beta';`, ['beta']],
    ['orgs', 'insert', ['orgs'], `INSERT INTO orgs (slug, name, created_at, updated_at) VALUES ('evil', 'Evil', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');`, ['evil']],
    ['orgs', 'edit AI roles', ['orgs'], `UPDATE orgs SET ai_roles = '["provider","producer"]' WHERE slug = '${ORG}';`, [ORG]],
    ['orgs', 'swap', ['orgs'], `UPDATE orgs SET name = CASE slug WHEN '${ORG}' THEN 'beta' ELSE '${ORG}' END WHERE slug IN ('${ORG}', 'beta');`, [ORG]],
    // users
    ['users', 'edit', ['users'], `UPDATE users SET display_name = 'Mallory' WHERE email = 'bob@example.com';`, ['bob@example.com']],
    ['users', 'delete', ['users'], `DELETE FROM users WHERE email = 'bob@example.com';`, ['bob@example.com']],
    ['users', 'insert', ['users'], `INSERT INTO users (email, display_name, password_hash, created_at, updated_at) SELECT 'mallory@example.com', 'Mallory', password_hash, created_at, updated_at FROM users WHERE email = 'bob@example.com';`, ['mallory@example.com']],
    ['users', 'swap', ['users'], `UPDATE users SET password_hash = CASE email WHEN 'alice@example.com' THEN (SELECT password_hash FROM users WHERE email = 'bob@example.com') ELSE (SELECT password_hash FROM users WHERE email = 'alice@example.com') END WHERE email IN ('alice@example.com', 'bob@example.com');`, ['@example.com']],
    // memberships
    ['memberships', 'edit', ['memberships'], `UPDATE memberships SET role = 'admin' WHERE user_id = (SELECT id FROM users WHERE email = 'bob@example.com');`, ['bob@example.com', 'membership']],
    ['memberships', 'delete', ['memberships'], `DELETE FROM memberships WHERE user_id = (SELECT id FROM users WHERE email = 'alice@example.com');`, ['alice@example.com', 'membership']],
    ['memberships', 'insert', ['memberships'], `INSERT INTO memberships (org_id, user_id, role, created_at, updated_at) SELECT (SELECT id FROM orgs WHERE slug = 'beta'), id, 'admin', created_at, updated_at FROM users WHERE email = 'bob@example.com';`, ['bob@example.com', 'membership']],
    ['memberships', 'swap', ['memberships'], `UPDATE memberships SET role = CASE role WHEN 'manager' THEN 'contributor' ELSE 'manager' END WHERE user_id IN (SELECT id FROM users WHERE email IN ('alice@example.com', 'bob@example.com'));`, ['@example.com', 'membership']],
    // api_tokens
    ['api_tokens', 'edit', ['api_tokens'], `UPDATE api_tokens SET role = 'admin' WHERE name = 'ci';`, ['token']],
    ['api_tokens', 'delete', ['api_tokens'], `DELETE FROM api_tokens WHERE name = 'monitor';`, ['token']],
    ['api_tokens', 'insert', ['api_tokens'], `INSERT INTO api_tokens (org_id, name, token_hash, hint, role, created_at, updated_at) SELECT org_id, 'backdoor', randomblob(32), 'aims_xx', 'admin', created_at, updated_at FROM api_tokens WHERE name = 'ci';`, ['token']],
    ['api_tokens', 'swap', ['api_tokens'], `UPDATE api_tokens SET name = CASE name WHEN 'ci' THEN 'monitor' ELSE 'ci' END WHERE name IN ('ci', 'monitor');`, ['token']],
    // records: the live row, its fields and its denormalised columns
    ['records', 'edit data', ['records'], `UPDATE records SET data = json_set(data, '$.likelihood', 1) WHERE org_id = ${acme} AND ref = '${r2}';`, [r2]],
    ['records', 'edit an attestation', ['records'], `UPDATE records SET data = json_set(data, '$.valid_until', '2099-12-31') WHERE org_id = ${acme} AND ref = '${att}';`, [att]],
    ['records', 'edit data to invalid JSON', ['records'], `UPDATE records SET data = '{"title": ' WHERE org_id = ${acme} AND ref = '${r1}';`, [r1]],
    ['records', 'edit title', ['records'], `UPDATE records SET title = 'Nothing to see' WHERE org_id = ${acme} AND ref = '${r1}';`, [r1, 'title']],
    ['records', 'edit status', ['records'], `UPDATE records SET status = 'approved' WHERE org_id = ${acme} AND ref = '${doc}';`, [doc, 'status']],
    // the stored view reads and lists answer without parsing the record
    ['records', 'edit view', ['records'], `UPDATE records SET view = json_set(view, '$.title', 'Nothing to see') WHERE org_id = ${acme} AND ref = '${r1}';`, [r1, 'view']],
    ['records', 'swap views', ['records'], `UPDATE records SET view = CASE ref WHEN '${r1}' THEN (SELECT view FROM records WHERE org_id = ${acme} AND ref = '${r2}') ELSE (SELECT view FROM records WHERE org_id = ${acme} AND ref = '${r1}') END WHERE org_id = ${acme} AND ref IN ('${r1}', '${r2}');`, ['RISK-', 'view']],
    // the user ids sign-off compares: not committed by the ledger, held to the committed names
    ['records', 'edit proposer id', ['records'], `UPDATE records SET created_by_id = (SELECT id FROM users WHERE email = '${ADMIN}') WHERE org_id = ${acme} AND ref = '${policy}';`, [policy, 'user id']],
    ['record_versions', 'edit actor id', ['record_versions'], `UPDATE record_versions SET actor_id = (SELECT id FROM users WHERE email = '${ADMIN}') WHERE org_id = ${acme} AND num = ${num(policy)} AND version = 1;`, [policy, 'version 1', 'user id']],
    ['records', 'delete', ['records'], `DELETE FROM records WHERE org_id = ${acme} AND ref = '${r2}';`, [r2]],
    ['records', 'insert', ['records'], `INSERT INTO records (org_id, kind, num, ref, version, title, status, owner, data, created_at, updated_at, created_by, updated_by, retired) SELECT org_id, kind, 99, 'RISK-99', version, title, status, owner, data, created_at, updated_at, created_by, updated_by, retired FROM records WHERE org_id = ${acme} AND ref = '${r2}';`, ['RISK-99']],
    ['records', 'swap', ['records'], `UPDATE records SET data = CASE ref WHEN '${r1}' THEN (SELECT data FROM records WHERE org_id = ${acme} AND ref = '${r2}') ELSE (SELECT data FROM records WHERE org_id = ${acme} AND ref = '${r1}') END WHERE org_id = ${acme} AND ref IN ('${r1}', '${r2}');`, ['RISK-']],
    // what the ML-BOM and red-team imports wrote: a model card, a run's results, the worse-run flag
    ['records', 'edit model card', ['records'], `UPDATE records SET data = json_set(data, '$.licence', 'MIT') WHERE org_id = ${acme} AND ref = '${model}';`, [model]],
    ['records', 'edit imported model card', ['records'], `UPDATE records SET data = json_set(data, '$.languages', json('["fr"]'), '$.performance_metrics[1].value', '0.99') WHERE org_id = ${acme} AND ref = '${card}';`, [card]],
    ['records', 'edit red-team results', ['records'], `UPDATE records SET data = json_set(data, '$.run_failure_rate', '0', '$.run_results[0].failed', 0) WHERE org_id = ${acme} AND ref = '${run}';`, [run]],
    ['records', 'clear worse-run flag', ['records'], `UPDATE records SET data = json_remove(data, '$.redteam_worse_run', '$.redteam_worse_why') WHERE org_id = ${acme} AND ref = '${ai}';`, [ai]],
    ['metric_readings', 'edit red-team reading', ['metric_readings'], `UPDATE metric_readings SET value = '0' WHERE metric = '${rtmet}' AND batch = 2;`, [`${rtmet}/2`]],
    // the EU AI Act: a classification made milder, the profile made private, an obligation dropped
    ['records', 'edit EU AI Act category', ['records'], `UPDATE records SET data = json_set(data, '$.eu_ai_act_category', 'minimal') WHERE org_id = ${acme} AND ref = '${scorer}';`, [scorer]],
    ['records', 'edit EU AI Act profile', ['records'], `UPDATE records SET data = json_set(data, '$.public_body', json('false')) WHERE org_id = ${acme} AND kind = 'eu-ai-act-profile';`, ['EUAIA']],
    ['records', 'delete an obligation', ['records'], `DELETE FROM records WHERE org_id = ${acme} AND kind = 'obligations' AND ref = 'OBL-3';`, ['OBL-3']],
    // record_counts and dashboard_counts: figures kept beside the records
    ['record_counts', 'edit', ['record_counts'], `UPDATE record_counts SET live = live + 1 WHERE org_id = ${acme} AND kind = 'risks';`, ['record_counts', 'risks']],
    ['record_counts', 'delete', ['record_counts'], `DELETE FROM record_counts WHERE org_id = ${acme} AND kind = 'documents';`, ['record_counts', 'documents']],
    ['record_counts', 'insert', ['record_counts'], `INSERT OR REPLACE INTO record_counts (org_id, kind, live) VALUES (${acme}, 'suppliers', 3);`, ['record_counts', 'suppliers']],
    ['record_counts', 'swap', ['record_counts'], `UPDATE record_counts SET live = CASE kind WHEN 'risks' THEN (SELECT live FROM record_counts WHERE org_id = ${acme} AND kind = 'soa') ELSE (SELECT live FROM record_counts WHERE org_id = ${acme} AND kind = 'risks') END WHERE org_id = ${acme} AND kind IN ('risks', 'soa');`, ['record_counts']],
    ['dashboard_counts', 'edit', ['dashboard_counts'], `UPDATE dashboard_counts SET n = n + 1 WHERE org_id = ${acme} AND kind = 'risks' AND dim = 'status';`, ['dashboard_counts', 'risks']],
    ['dashboard_counts', 'delete', ['dashboard_counts'], `DELETE FROM dashboard_counts WHERE org_id = ${acme} AND kind = 'soa';`, ['dashboard_counts', 'soa']],
    ['dashboard_counts', 'insert', ['dashboard_counts'], `INSERT INTO dashboard_counts (org_id, kind, dim, value, n) VALUES (${acme}, 'risks', 'status', 'closed', 5);`, ['dashboard_counts', 'closed']],
    ['dashboard_counts', 'swap', ['dashboard_counts'], `UPDATE dashboard_counts SET n = CASE value WHEN 'excluded' THEN (SELECT n FROM dashboard_counts WHERE org_id = ${acme} AND kind = 'soa' AND dim = 'decision' AND value <> 'excluded') ELSE (SELECT n FROM dashboard_counts WHERE org_id = ${acme} AND kind = 'soa' AND dim = 'decision' AND value = 'excluded') END WHERE org_id = ${acme} AND kind = 'soa' AND dim = 'decision';`, ['dashboard_counts', 'soa']],
    // record_fields and record_links: the filter and link indexes lists and readiness read
    ['record_fields', 'edit', ['record_fields'], `UPDATE record_fields SET value = 1 WHERE org_id = ${acme} AND kind = 'risks' AND field = 'likelihood' AND num = ${num(r2)};`, [r2, 'record_fields', 'likelihood']],
    ['record_fields', 'delete', ['record_fields'], `DELETE FROM record_fields WHERE org_id = ${acme} AND kind = 'risks' AND field = 'inherent_level' AND num = ${num(r1)};`, [r1, 'record_fields', 'inherent_level']],
    ['record_fields', 'insert', ['record_fields'], `INSERT INTO record_fields SELECT org_id, kind, field, live, 'low', updated_at, num FROM record_fields WHERE org_id = ${acme} AND kind = 'risks' AND field = 'inherent_level' AND num = ${num(r2)};`, [r2, 'record_fields', 'inherent_level']],
    ['record_fields', 'swap', ['record_fields'], `UPDATE record_fields SET num = CASE num WHEN ${num(r1)} THEN ${num(r2)} ELSE ${num(r1)} END WHERE org_id = ${acme} AND kind = 'risks' AND field = 'impact' AND num IN (${num(r1)}, ${num(r2)});`, ['RISK-', 'record_fields', 'impact']],
    ['record_links', 'edit', ['record_links'], `UPDATE record_links SET to_ref = 'A.2.2' WHERE org_id = ${acme} AND from_ref = '${ev}';`, [ev, 'record_links']],
    ['record_links', 'delete', ['record_links'], `DELETE FROM record_links WHERE org_id = ${acme} AND from_ref = '${ev}';`, [ev, 'record_links', 'A.6.2.7']],
    ['record_links', 'insert', ['record_links'], `INSERT INTO record_links (org_id, from_kind, from_ref, field, to_kind, to_ref) VALUES (${acme}, 'evidence', '${ev2}', 'requirements', 'requirement', 'A.5.2');`, [ev2, 'record_links', 'A.5.2']],
    ['record_links', 'swap', ['record_links'], `UPDATE record_links SET from_ref = '${ev2}' WHERE org_id = ${acme} AND from_ref = '${ev}';`, ['record_links', 'A.6.2.7']],
    ['records_fts', 'edit', [], `UPDATE records_fts SET body = replace(body, 'drift', 'sunshine') WHERE rowid = (SELECT id FROM records WHERE org_id = ${acme} AND ref = '${r1}');`, [r1, 'records_fts']],
    ['records_fts', 'delete', [], `DELETE FROM records_fts WHERE rowid = (SELECT id FROM records WHERE org_id = ${acme} AND ref = '${r2}');`, [r2, 'records_fts']],
    ['records_fts', 'insert', [], `INSERT INTO records_fts (rowid, body) SELECT 999999, body FROM records_fts WHERE rowid = (SELECT id FROM records WHERE org_id = ${acme} AND ref = '${r2}');`, ['records_fts', '999999']],
    ['records_fts', 'swap', [], `CREATE TEMP TABLE b AS SELECT rowid AS id, body FROM records_fts WHERE rowid IN (SELECT id FROM records WHERE org_id = ${acme} AND ref IN ('${r1}', '${r2}')); UPDATE records_fts SET body = (SELECT body FROM b WHERE b.id <> records_fts.rowid) WHERE rowid IN (SELECT id FROM b);`, ['RISK-', 'records_fts']],
    // record_versions: history, not only the latest version
    ['record_versions', 'edit', ['record_versions'], `UPDATE record_versions SET data = json_set(data, '$.body', 'rewritten') WHERE org_id = ${acme} AND kind = 'documents' AND num = ${num(doc)} AND version = 1;`, [doc, 'version 1']],
    ['record_versions', 'edit data to invalid JSON', ['record_versions'], `UPDATE record_versions SET data = 'not json' WHERE org_id = ${acme} AND kind = 'documents' AND num = ${num(doc)} AND version = 1;`, [doc, 'version 1']],
    ['record_versions', 'edit actor', ['record_versions'], `UPDATE record_versions SET actor = 'user:alice@example.com' WHERE org_id = ${acme} AND kind = 'documents' AND num = ${num(doc)} AND version = 2;`, [doc, 'version 2']],
    ['record_versions', 'delete', ['record_versions'], `DELETE FROM record_versions WHERE org_id = ${acme} AND kind = 'documents' AND num = ${num(doc)} AND version = 2;`, [doc, 'version 2']],
    ['record_versions', 'insert', ['record_versions'], `INSERT INTO record_versions (org_id, kind, num, version, action, status, retired, at, actor, data) SELECT org_id, kind, num, 7, action, status, retired, at, actor, data FROM record_versions WHERE org_id = ${acme} AND kind = 'documents' AND num = ${num(doc)} AND version = 1;`, [doc, 'version 7']],
    ['record_versions', 'swap', ['record_versions'], `UPDATE record_versions SET data = CASE version WHEN 1 THEN (SELECT data FROM record_versions WHERE org_id = ${acme} AND kind = 'documents' AND num = ${num(doc)} AND version = 2) ELSE (SELECT data FROM record_versions WHERE org_id = ${acme} AND kind = 'documents' AND num = ${num(doc)} AND version = 1) END WHERE org_id = ${acme} AND kind = 'documents' AND num = ${num(doc)} AND version IN (1, 2);`, [doc, 'version 1']],
    ['record_versions', 'edit approved version', ['record_versions'], `UPDATE record_versions SET data = json_set(data, '$.body', 'what we wish we had approved') WHERE org_id = ${acme} AND kind = 'documents' AND num = ${num(policy)} AND version = 3;`, [policy, 'version 3']],
    ['record_versions', 'delete approved version', ['record_versions'], `DELETE FROM record_versions WHERE org_id = ${acme} AND kind = 'documents' AND num = ${num(policy)} AND version = 3;`, [policy, 'version 3']],
    // evidence_files: file revisions
    ['evidence_files', 'edit file name', [E], `UPDATE ${E} SET filename = 'clean-audit.pdf' WHERE evidence_ref = '${ev}' AND revision = 1;`, [ev, 'revision 1']],
    ['evidence_files', 'edit type', [E], `UPDATE ${E} SET media_type = 'application/pdf' WHERE evidence_ref = '${ev}' AND revision = 2;`, [ev, 'revision 2']],
    ['evidence_files', 're-point', [E], `UPDATE ${E} SET sha256 = (SELECT sha256 FROM ${E} WHERE evidence_ref = '${ev2}'), size = (SELECT size FROM ${E} WHERE evidence_ref = '${ev2}') WHERE evidence_ref = '${ev}' AND revision = 1;`, [ev, 'revision 1']],
    ['evidence_files', 'delete', [E], `DELETE FROM ${E} WHERE evidence_ref = '${ev}' AND revision = 2;`, [ev, 'revision 2']],
    ['evidence_files', 'insert', [E], `INSERT INTO ${E} (org_id, evidence_ref, revision, sha256, size, media_type, filename, stored_at, stored_by) SELECT org_id, evidence_ref, 3, sha256, size, media_type, 'extra.txt', stored_at, stored_by FROM ${E} WHERE evidence_ref = '${ev2}';`, [ev2, 'revision 3']],
    ['evidence_files', 'swap', [E], `UPDATE ${E} SET sha256 = CASE revision WHEN 1 THEN (SELECT sha256 FROM ${E} WHERE evidence_ref = '${ev}' AND revision = 2) ELSE (SELECT sha256 FROM ${E} WHERE evidence_ref = '${ev}' AND revision = 1) END WHERE evidence_ref = '${ev}';`, [ev, 'revision 1']],
    // soa_versions: published Statements of Applicability
    ['soa_versions', 'edit', ['soa_versions'], `UPDATE soa_versions SET approver = 'bob@example.com' WHERE version = 1;`, ['soa-versions', '1']],
    ['soa_versions', 'delete', ['soa_versions'], `DELETE FROM soa_versions WHERE version = 1;`, ['soa-versions', '1']],
    ['soa_versions', 'insert', ['soa_versions'], `INSERT INTO soa_versions SELECT org_id, 3, published_at, published_by, approver, edition, 'forged', rows FROM soa_versions WHERE version = 2;`, ['soa-versions', '3']],
    ['soa_versions', 'swap', ['soa_versions'], `UPDATE soa_versions SET rows = CASE version WHEN 1 THEN (SELECT rows FROM soa_versions WHERE version = 2) ELSE (SELECT rows FROM soa_versions WHERE version = 1) END;`, ['soa-versions']],
    // metric_readings: each batch is one ledger entry committing to its readings
    ['metric_readings', 'edit', ['metric_readings'], `UPDATE metric_readings SET value = '0.99' WHERE metric = '${met}' AND at = strftime('%s', '2026-03-01T01:00:00Z');`, [`${met}/1`]],
    ['metric_readings', 'delete', ['metric_readings'], `DELETE FROM metric_readings WHERE metric = '${met}' AND batch = 2;`, [`${met}/2`]],
    ['metric_readings', 'delete one of a batch', ['metric_readings'], `DELETE FROM metric_readings WHERE metric = '${met}' AND at = strftime('%s', '2026-03-01T00:00:00Z');`, [`${met}/1`]],
    ['metric_readings', 'insert', ['metric_readings'], `INSERT INTO metric_readings VALUES (${acme}, '${met}', 1900000000, '0.5', 3);`, [`${met}/3`]],
    ['metric_readings', 'insert into a batch', ['metric_readings'], `INSERT INTO metric_readings VALUES (${acme}, '${met}', 1900000000, '0.5', 1);`, [`${met}/1`]],
    ['metric_readings', 'move time', ['metric_readings'], `UPDATE metric_readings SET at = at + 60 WHERE metric = '${met}' AND batch = 2;`, [`${met}/2`]],
    // metric_batches and metric_hours: kept beside the readings for verify and the charts
    ['metric_batches', 'edit count', ['metric_batches'], `UPDATE metric_batches SET count = count + 1 WHERE metric = '${met}' AND batch = 1;`, [`${met}/1`]],
    ['metric_batches', 'narrow', ['metric_batches'], `UPDATE metric_batches SET first_at = first_at + 1 WHERE metric = '${met}' AND batch = 1;`, [`${met}/1`]],
    ['metric_batches', 'delete', ['metric_batches'], `DELETE FROM metric_batches WHERE metric = '${met}' AND batch = 2;`, [`${met}/2`]],
    ['metric_batches', 'insert', ['metric_batches'], `INSERT INTO metric_batches VALUES (${acme}, '${met}', 9, 1900000000, 1900000000, 1);`, [`${met}/9`]],
    ['metric_hours', 'edit', [], `UPDATE metric_hours SET max = max + 1 WHERE metric = '${met}' AND hour = strftime('%s', '2026-03-01T01:00:00Z') / 3600;`, [met, '2026-03-01T01:00:00Z']],
    ['metric_hours', 'edit count', [], `UPDATE metric_hours SET count = 2 WHERE metric = '${met}' AND hour = strftime('%s', '2026-03-02T00:00:00Z') / 3600;`, [met, '2026-03-02T00:00:00Z']],
    ['metric_hours', 'delete', [], `DELETE FROM metric_hours WHERE metric = '${met}' AND hour = strftime('%s', '2026-03-01T00:00:00Z') / 3600;`, [met, '2026-03-01T00:00:00Z']],
    ['metric_hours', 'insert', [], `INSERT INTO metric_hours VALUES (${acme}, '${met}', 1, 1, 5, 5, 5);`, [met, '1970-01-01T01:00:00Z']],
    // ledger_entries
    ['ledger_entries', 'edit', ['ledger_entries'], `UPDATE ledger_entries SET actor = 'user:alice@example.com' WHERE org_id = ${acme} AND seq = 5;`, ['entry 5']],
    ['ledger_entries', 'delete', ['ledger_entries'], `DELETE FROM ledger_entries WHERE org_id = ${acme} AND seq = 6;`, ['entry 6']],
    ['ledger_entries', 'insert', ['ledger_entries'], `INSERT INTO ledger_entries SELECT org_id, seq + 1, time, actor, action, kind, ref, version, salt, commitment, entry, leaf_hash FROM ledger_entries WHERE org_id = ${acme} ORDER BY seq DESC LIMIT 1;`, ['entr']],
    ['ledger_entries', 'swap', ['ledger_entries'], `UPDATE ledger_entries SET seq = seq + 1000000 WHERE org_id = ${acme} AND seq IN (7, 8); UPDATE ledger_entries SET seq = CASE seq WHEN 1000007 THEN 8 ELSE 7 END WHERE org_id = ${acme} AND seq IN (1000007, 1000008);`, ['entry 7']],
    // ledger_checkpoints
    ['ledger_checkpoints', 'edit', ['ledger_checkpoints'], `UPDATE ledger_checkpoints SET created_at = '2020-01-01T00:00:00Z', note = replace(note, 'openaims', 'openaimz') WHERE org_id = ${acme} AND size = (SELECT min(size) FROM ledger_checkpoints WHERE org_id = ${acme});`, ['checkpoint']],
    ['ledger_checkpoints', 'delete', ['ledger_checkpoints'], `DELETE FROM ledger_checkpoints WHERE org_id = ${acme} AND size = (SELECT max(size) FROM ledger_checkpoints WHERE org_id = ${acme});`, ['entries', 'checkpoint']],
    ['ledger_checkpoints', 'insert', ['ledger_checkpoints'], `INSERT INTO ledger_checkpoints SELECT org_id, size + 1, root, note, created_at FROM ledger_checkpoints WHERE org_id = ${acme} ORDER BY size DESC LIMIT 1;`, ['checkpoint']],
    ['ledger_checkpoints', 'swap', ['ledger_checkpoints'], `UPDATE ledger_checkpoints SET note = CASE size WHEN (SELECT min(size) FROM ledger_checkpoints WHERE org_id = ${acme}) THEN (SELECT note FROM ledger_checkpoints WHERE org_id = ${acme} ORDER BY size DESC LIMIT 1) ELSE (SELECT note FROM ledger_checkpoints WHERE org_id = ${acme} ORDER BY size LIMIT 1) END WHERE org_id = ${acme} AND size IN ((SELECT min(size) FROM ledger_checkpoints WHERE org_id = ${acme}), (SELECT max(size) FROM ledger_checkpoints WHERE org_id = ${acme}));`, ['checkpoint']],
    // work_items: kept from the records' due dates
    ['work_items', 'edit', ['work_items'], `UPDATE work_items SET due = '2099-01-01' WHERE org_id = ${acme} AND ref = '${task}';`, [task, 'work item']],
    ['work_items', 'edit owner', ['work_items'], `UPDATE work_items SET owner = 'alice@example.com' WHERE org_id = ${acme} AND ref = '${task}';`, [task, 'work item']],
    ['work_items', 'delete', ['work_items'], `DELETE FROM work_items WHERE org_id = ${acme} AND ref = '${task}';`, [task, 'work item', 'missing']],
    ['work_items', 'insert', ['work_items'], `INSERT INTO work_items SELECT org_id, kind, 77, field, 'TASK-77', title, what, owner, due, assigned_by, source FROM work_items WHERE org_id = ${acme} AND ref = '${task}';`, ['TASK-77', 'work item']],
    ['work_items', 'swap', ['work_items'], `UPDATE work_items SET owner = CASE owner WHEN 'bob@example.com' THEN 'alice@example.com' ELSE 'bob@example.com' END WHERE org_id = ${acme} AND kind = 'tasks';`, ['TASK-', 'work item']],
    // webhooks: where the organisation's events go
    ['webhooks', 'edit', ['webhooks'], `UPDATE webhooks SET url = 'https://evil.example/steal' WHERE org_id = ${acme} AND id = 1;`, ['webhook']],
    ['webhooks', 'edit events', ['webhooks'], `UPDATE webhooks SET events = '["record.created"]' WHERE org_id = ${acme} AND id = 2;`, ['webhook']],
    ['webhooks', 'delete', ['webhooks'], `DELETE FROM webhooks WHERE org_id = ${acme} AND id = 2;`, ['webhook']],
    ['webhooks', 'insert', ['webhooks'], `INSERT INTO webhooks (org_id, url, events, secret_sealed, created_by, created_at, updated_at) SELECT org_id, 'https://evil.example/', events, secret_sealed, created_by, created_at, updated_at FROM webhooks WHERE id = 1;`, ['webhook']],
    ['webhooks', 'swap', ['webhooks'], `UPDATE webhooks SET url = CASE id WHEN 1 THEN (SELECT url FROM webhooks WHERE id = 2) ELSE (SELECT url FROM webhooks WHERE id = 1) END WHERE id IN (1, 2);`, ['webhook']],
    // calendar_feeds: secret URLs that read the organisation's calendar
    ['calendar_feeds', 'edit scope', ['calendar_feeds'], `UPDATE calendar_feeds SET scope = 'org' WHERE org_id = ${acme} AND scope = 'me';`, ['calendar-feed']],
    ['calendar_feeds', 'unrevoke', ['calendar_feeds'], `UPDATE calendar_feeds SET user_id = (SELECT id FROM users WHERE email = 'bob@example.com') WHERE org_id = ${acme} AND scope = 'me';`, ['calendar-feed']],
    ['calendar_feeds', 'delete', ['calendar_feeds'], `DELETE FROM calendar_feeds WHERE org_id = ${acme} AND scope = 'org';`, ['calendar-feed']],
    ['calendar_feeds', 'insert', ['calendar_feeds'], `INSERT INTO calendar_feeds (org_id, user_id, scope, secret_hash, created_at, updated_at) SELECT org_id, user_id, 'org', randomblob(32), created_at, updated_at FROM calendar_feeds WHERE scope = 'me';`, ['calendar-feed']],
    // ledger_heads
    ['ledger_heads', 'edit', ['ledger_heads'], `UPDATE ledger_heads SET size = size - 1 WHERE org_id = ${acme};`, ['head']],
    // concern_keys: a public concern's report key (not in the ledger; append-only, held to its record)
    ['concern_keys', 'delete', ['concern_keys'], `DELETE FROM concern_keys WHERE org_id = ${acme} AND ref = 'CON-1';`, ['CON-1', 'report key']],
    ['concern_keys', 'insert', ['concern_keys'], `INSERT INTO concern_keys (org_id, ref, key_hash) VALUES (${acme}, 'CON-9', randomblob(32));`, ['CON-9', 'report key']],
    ['concern_keys', 'edit', ['concern_keys'], `UPDATE concern_keys SET ref = 'CON-2' WHERE org_id = ${acme} AND ref = 'CON-1';`, ['CON-', 'report key']],
    // acknowledgements (7.3)
    ['acknowledgements', 'edit', ['acknowledgements'], `UPDATE acknowledgements SET acknowledged_at = '2020-01-01T00:00:00Z' WHERE document = '${policy}';`, [`${policy}/v3/alice@example.com`]],
    ['acknowledgements', 'delete', ['acknowledgements'], `DELETE FROM acknowledgements WHERE document = '${policy}';`, [`${policy}/v3/alice@example.com`]],
    ['acknowledgements', 'insert', ['acknowledgements'], `INSERT INTO acknowledgements SELECT org_id, document, version, (SELECT id FROM users WHERE email = 'bob@example.com'), 'bob@example.com', acknowledged_at FROM acknowledgements WHERE document = '${policy}';`, [`${policy}/v3/bob@example.com`]],
    // comments: each one ledger entry (kind comment, ref KIND/REF/ID)
    ['comments', 'edit', ['comments'], `UPDATE comments SET body = 'Not reviewed.' WHERE ref = '${policy}';`, [`documents/${policy}/1`]],
    ['comments', 'edit mentions', ['comments'], `UPDATE comments SET mentions = '[]' WHERE ref = '${policy}';`, [`documents/${policy}/1`]],
    ['comments', 'move', ['comments'], `UPDATE comments SET ref = 'DOC-99' WHERE ref = '${policy}';`, [`documents/${policy}/1`]],
    ['comments', 'delete', ['comments'], `DELETE FROM comments WHERE ref = '${policy}';`, [`documents/${policy}/1`]],
    ['comments', 'insert', ['comments'], `INSERT INTO comments SELECT org_id, id + 1, kind, ref, user_id, author, 'forged', mentions, step, version, created_at FROM comments WHERE ref = '${policy}';`, [`documents/${policy}/2`]],
    // the second factor (committed to in the user's state), single sign-on and the
    // second-factor option (in the organisation's)
    ['user_totp', 'edit', ['user_totp'], `UPDATE user_totp SET secret = randomblob(20);`, ['bob@example.com']],
    ['user_totp', 'delete', ['user_totp'], `DELETE FROM user_totp;`, ['bob@example.com']],
    ['user_totp', 'insert', ['user_totp'], `INSERT INTO user_totp (user_id, secret, enabled_at) SELECT id, randomblob(20), 1 FROM users WHERE email = 'alice@example.com';`, ['alice@example.com']],
    ['totp_recovery_codes', 'insert', ['totp_recovery_codes'], `INSERT INTO totp_recovery_codes (user_id, code_hash) SELECT id, randomblob(32) FROM users WHERE email = 'bob@example.com';`, ['bob@example.com']],
    ['totp_recovery_codes', 'delete', ['totp_recovery_codes'], `DELETE FROM totp_recovery_codes WHERE id = (SELECT min(id) FROM totp_recovery_codes);`, ['bob@example.com']],
    ['org_sso', 'edit', ['org_sso'], `UPDATE org_sso SET issuer = 'https://evil.example';`, [ORG]],
    ['org_sso', 'edit secret', ['org_sso'], `UPDATE org_sso SET client_secret = 'attacker';`, [ORG]],
    ['org_sso', 'delete', ['org_sso'], `DELETE FROM org_sso;`, [ORG]],
    ['org_sso', 'insert', ['org_sso'], `INSERT INTO org_sso VALUES ((SELECT id FROM orgs WHERE slug = 'beta'), 'https://evil.example', 'x', 'y');`, ['beta']],
    ['orgs', 'second factor', ['orgs'], `UPDATE orgs SET require_second_factor = 0 WHERE slug = 'beta';`, ['beta']],
    ['orgs', 'time zone', ['orgs'], `UPDATE orgs SET timezone = 'Pacific/Kiritimati' WHERE slug = '${ORG}';`, [ORG]],
    ['orgs', 'time zone set', ['orgs'], `UPDATE orgs SET timezone = 'Asia/Tokyo' WHERE slug = 'beta';`, ['beta']],
    ['orgs', 'readiness options', ['orgs'], `UPDATE orgs SET readiness_options = '{"evidence_max_age_days":1825,"target_stage":2}' WHERE slug = '${ORG}';`, [ORG]],
    ['orgs', 'readiness options cleared', ['orgs'], `UPDATE orgs SET readiness_options = '{}' WHERE slug = '${ORG}';`, [ORG]],
    ['ledger_heads', 'delete', ['ledger_heads'], `DELETE FROM ledger_heads WHERE org_id = ${acme};`, ['head']],
    ['ledger_heads', 'insert', ['ledger_heads'], `INSERT INTO ledger_heads SELECT 77, size, frontier FROM ledger_heads WHERE org_id = ${acme};`, ['head']],
    ['ledger_heads', 'swap', ['ledger_heads'], `UPDATE ledger_heads SET frontier = CASE org_id WHEN ${acme} THEN (SELECT frontier FROM ledger_heads WHERE org_id = (SELECT id FROM orgs WHERE slug = 'beta')) ELSE (SELECT frontier FROM ledger_heads WHERE org_id = ${acme}) END WHERE org_id IN (${acme}, (SELECT id FROM orgs WHERE slug = 'beta'));`, ['head']],
  ];
}

// A copy of the seeded database, key and evidence store for one case.
function copySeed() {
  const dir = tempDir();
  cpSync(seed.dir, dir, { recursive: true });
  return { dir, db: join(dir, 'aims.db') };
}

function verifyCase(db) {
  const r = aims(['verify', '--db', db]);
  return { failed: r.status === 1, report: `${r.stdout}${r.stderr}` };
}

before(async () => {
  seed = seedDb();
  seed.refs.policy = await approvedPolicy(seed.db);
});
after(() => { if (seed) rmSync(seed.dir, { recursive: true, force: true }); });

test('the seeded database verifies', () => {
  const r = aims(['verify', '--db', seed.db]);
  assert.equal(r.status, 0, r.stderr);
});

test('tamper list: every change is detected and named', () => {
  const list = cases(seed.refs);
  const missed = [];
  let detected = 0;
  for (const [table, op, tables, change, names] of list) {
    const c = copySeed();
    try {
      tamper(c.db, tables, change);
      const { failed, report } = verifyCase(c.db);
      const named = names.every((n) => report.includes(n));
      if (process.env.TAMPER_VERBOSE) console.log(`${table} ${op}: ${report.trim()}`);
      if (failed && named) detected++;
      else missed.push(`${table} ${op}: ${failed ? 'not named' : 'passed verify'}: ${report.trim()}`);
    } finally {
      rmSync(c.dir, { recursive: true, force: true });
    }
  }
  // The stored file itself, rewritten on disk.
  {
    const c = copySeed();
    const sha = sqlJson(c.db, `SELECT sha256 FROM evidence_files WHERE evidence_ref = '${seed.refs.ev}' AND revision = 1`)[0].sha256;
    const blob = join(c.dir, 'data', 'blobs', sha.slice(0, 2), sha.slice(2));
    chmodSync(blob, 0o600);
    writeFileSync(blob, 'forged report\n');
    const { failed, report } = verifyCase(c.db);
    if (failed && report.includes(seed.refs.ev) && report.includes('revision 1')) detected++;
    else missed.push(`evidence blob overwrite: ${report.trim()}`);
    rmSync(c.dir, { recursive: true, force: true });
  }
  const tried = list.length + 1;
  console.log(`tamper: detected ${detected} / tried ${tried}`);
  assert.deepEqual(missed, [], `${missed.length} of ${tried} tampers not detected and named`);
});

test('dropping a protective trigger is reported', () => {
  const triggers = sqlJson(seed.db, "SELECT name, tbl_name FROM sqlite_master WHERE type = 'trigger'");
  const protective = triggers.filter((t) => !t.name.startsWith('dashboard_'));
  assert.ok(protective.length >= 5, `protective triggers: ${protective.map((t) => t.name)}`);
  const missed = [];
  for (const t of protective) {
    const c = copySeed();
    sql(c.db, `DROP TRIGGER ${t.name};`);
    const { failed, report } = verifyCase(c.db);
    if (!failed || !report.includes(t.name)) missed.push(`${t.name}: ${report.trim()}`);
    rmSync(c.dir, { recursive: true, force: true });
  }
  console.log(`tamper: dropped triggers detected ${protective.length - missed.length} / tried ${protective.length}`);
  assert.deepEqual(missed, []);
});

// A database written before migration 041 (by a release without approvals
// held in force): no history triggers, no in_force column on versions, and
// file revisions whose stored_at came from a second clock read (a second
// before the version's). Upgrading it (any command migrates) must leave it
// verifying.
test('a database from before the integrity migration verifies after the upgrade', () => {
  const { dir, db } = makeDb({ org: ORG });
  try {
    const doc = create(db, 'documents', { title: 'Procedure', kind: 'procedure', body: 'one' });
    update(db, 'documents', doc.ref, { body: 'two' });
    const ev = create(db, 'evidence', { title: 'Log', kind: 'file' });
    for (const [name, text] of [['a.txt', 'first\n'], ['b.txt', 'second\n']]) {
      writeFileSync(join(dir, name), text);
      cli(db, ['record', 'attach', 'evidence', ev.ref, join(dir, name), '--org', ORG]);
    }
    const trig = sqlJson(db, "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN ('record_versions', 'evidence_files', 'soa_versions')");
    assert.ok(trig.length >= 6);
    sql(db, ['BEGIN;', ...trig.map((t) => `DROP TRIGGER ${t.name};`),
      "UPDATE evidence_files SET stored_at = strftime('%Y-%m-%dT%H:%M:%SZ', stored_at, '-1 second');",
      'ALTER TABLE record_versions DROP COLUMN in_force;',
      'DELETE FROM schema_migrations WHERE version = 41;', 'COMMIT;'].join('\n'));
    const r = aims(['verify', '--db', db]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(sqlJson(db, "SELECT count(*) AS n FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN ('record_versions', 'evidence_files', 'soa_versions')")[0].n, trig.length);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// The download serves a revision only when it is what the ledger commits to:
// re-pointed at other stored bytes, it is refused (422) instead of served
// with the other bytes' SHA-256 in X-Content-SHA256.
test('a forged revision is not downloaded', async () => {
  const c = copySeed();
  const server = await startServer(c.db);
  try {
    const admin = await signIn(server.url, ADMIN);
    const path = `/api/v1/orgs/${ORG}/evidence/${seed.refs.ev}/files/1`;
    const good = await request(server.url, 'GET', path, { auth: admin });
    assert.equal(good.status, 200, good.text);
    assert.equal(good.text, 'first report\n');
    tamper(c.db, ['evidence_files'], `UPDATE evidence_files SET sha256 = (SELECT sha256 FROM evidence_files WHERE evidence_ref = '${seed.refs.ev2}'), size = (SELECT size FROM evidence_files WHERE evidence_ref = '${seed.refs.ev2}') WHERE evidence_ref = '${seed.refs.ev}' AND revision = 1;`);
    const forged = await request(server.url, 'GET', path, { auth: admin });
    assert.equal(forged.status, 422, forged.text);
    assert.equal(forged.headers.get('x-content-sha256'), null);
    assert.match(forged.json.error.message, /revision 1 \(report-1\.txt\): its SHA-256 differs/);
  } finally {
    await server.stop();
    rmSync(c.dir, { recursive: true, force: true });
  }
});
