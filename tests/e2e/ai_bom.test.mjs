// ai_bom.test.mjs - black-box tests of an AI system's ML-BOM and red-team
// evidence: every CycloneDX file in tests/data imports (valid ones) or is
// refused naming the JSON path at fault (invalid ones) with nothing kept;
// importing again changes nothing; the exported ML-BOM validates against the
// CycloneDX 1.6 schema (Ajv); garak and promptfoo reports become evidence with
// OWASP LLM 2025 and ATLAS ids, metric readings (thresholds and breaches work)
// and a flag when a run is worse than the one before; the API takes the same
// files, and another organisation's AI system answers 404.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ADMIN, addMember, addOrg, aimsOk, makeDb, request, setup, signIn,
} from './lib.mjs';
import { assertValidBom, importFile, list, newSystem, upload } from './bom.mjs';
import { strictWrites } from './lib.mjs';

// Imports are changes of the server's writer: none writes beside it.
strictWrites();

const DATA = new URL('../data/', import.meta.url).pathname;

function show(db, kind, ref, org = 'acme') {
  return JSON.parse(aimsOk(['record', 'show', kind, ref, '--org', org, '--db', db]).stdout);
}

// A garak report: one attempt line and one eval line per probe, as garak writes them.
function garakReport(runId, start, probes) {
  const lines = [
    { entry_type: 'start_run setup', 'run.eval_threshold': 0.5, 'plugins.target_type': 'openai',
      'plugins.target_name': 'claims-llm' },
    { entry_type: 'init', garak_version: '0.14.0', start_time: start, run: runId },
  ];
  for (const [probe, detector, fails, total] of probes) {
    lines.push({ entry_type: 'attempt', status: 2, probe_classname: probe, uuid: `${runId}-${probe}`,
      detector_results: { [detector]: [1.0, 0.0] } });
    lines.push({ entry_type: 'eval', probe, detector, passed: total - fails, fails, nones: 0,
      total_evaluated: total, total_processed: total });
  }
  lines.push({ entry_type: 'completion', end_time: start.replace(/:00\./, ':30.'), run: runId });
  return `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`;
}

test('every CycloneDX file in tests/data: valid ones imported, invalid ones refused by path', () => {
  const { db, dir: tmp } = makeDb();
  const ais = newSystem(db);
  const dir = join(DATA, 'cyclonedx');
  const refused = {
    'aibom-generator_expected_aibom.json': ['$.serialNumber', /does not match the pattern/],
    'invalid/bom-examples_MLBOM_Dataset.bom.json': ['$', /^aims: import: \$: not JSON: line \d+/m],
    'invalid/bom-examples_MLBOM_OpenSource.bom.json': ['$', /^aims: import: \$: not JSON: line \d+/m],
  };
  const files = [...readdirSync(dir).filter((f) => f.endsWith('.json')),
    ...readdirSync(join(dir, 'invalid')).map((f) => `invalid/${f}`)];
  assert.equal(files.length, 5);
  for (const f of files) {
    const before = list(db, 'models').length + list(db, 'datasets').length;
    const r = importFile(db, 'cyclonedx', join(dir, f), ais);
    if (refused[f]) {
      assert.equal(r.status, 1, `${f} should be refused: ${r.stdout}`);
      const [path, message] = refused[f];
      assert.match(r.stderr, new RegExp(`^aims: import: ${path.replace(/[$.[\]]/g, '\\$&')}`, 'm'));
      assert.match(r.stderr, message);
      assert.equal(list(db, 'models').length + list(db, 'datasets').length, before,
        `${f}: nothing is kept`);
    } else {
      assert.equal(r.status, 0, `${f}: ${r.stderr}`);
      assert.match(r.stdout, new RegExp(`imported .* into ${ais}`));
    }
  }
  // The foundation model (with its supplier) and the model card with its two data sets.
  const models = list(db, 'models');
  assert.deepEqual(models.map((m) => m.name).sort(), ['gpt-4o', 'support-ticket-classifier']);
  const clf = models.find((m) => m.name === 'support-ticket-classifier');
  assert.deepEqual(clf.ai_systems, [ais]);
  assert.equal(clf.datasets.length, 2);
  assert.ok(clf.performance_metrics.length > 0);
  assert.ok(clf.fairness_assessments.length > 0);
  const gpt = models.find((m) => m.name === 'gpt-4o');
  const supplier = show(db, 'suppliers', gpt.supplier);
  assert.deepEqual(supplier.ai_systems, [ais]);
  assert.ok(supplier.components_supplied.includes('gpt-4o'));
  const datasets = list(db, 'datasets');
  assert.equal(datasets.length, 2);
  assert.ok(datasets.every((d) => d.bom_ref && d.ai_systems[0] === ais));
  // A BOM of 1.5 is not read; a 1.6 BOM with a bad element names it.
  const old = join(tmp, 'bom-1.5.json');
  writeFileSync(old, JSON.stringify({ bomFormat: 'CycloneDX', specVersion: '1.5' }));
  let r = importFile(db, 'cyclonedx', old, ais);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /\$\.specVersion: '1\.5' is not supported/);
  writeFileSync(old, JSON.stringify({ bomFormat: 'CycloneDX', specVersion: '1.6',
    components: [{ type: 'library', name: 'ok' }, { type: 'data', name: 'x', data: [{ type: 'tabular' }] }] }));
  r = importFile(db, 'cyclonedx', old, ais);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /\$\.components\[1\]\.data\[0\]\.type: 'tabular' is not one of/);
  // An AI system the organisation does not have.
  r = importFile(db, 'cyclonedx', join(dir, 'bom-examples_MLBOM_FoundationModels.bom.json'), 'AIS-99');
  assert.equal(r.status, 1);
  assert.match(r.stderr, /no AI system AIS-99/);
});

test('re-importing a BOM updates the same records and changes nothing when nothing changed', () => {
  const { db, dir } = makeDb();
  const ais = newSystem(db);
  const file = join(DATA, 'cyclonedx', 'bom-examples_MLBOM_Model-Card-With-Dataset.bom.json');
  aimsOk(['import', 'cyclonedx', file, '--org', 'acme', '--ai-system', ais, '--as', ADMIN, '--db', db]);
  const before = list(db, 'models').concat(list(db, 'datasets'), list(db, 'suppliers'));
  const again = aimsOk(['import', 'cyclonedx', file, '--org', 'acme', '--ai-system', ais,
    '--as', ADMIN, '--db', db]).stdout;
  assert.doesNotMatch(again, /created|updated/);
  const after = list(db, 'models').concat(list(db, 'datasets'), list(db, 'suppliers'));
  assert.deepEqual(after.map((x) => [x.ref, x.version]), before.map((x) => [x.ref, x.version]));
  // A changed BOM updates the model it names, in a new version.
  const bom = JSON.parse(readFileSync(file, 'utf8'));
  const model = bom.components.find((c) => c.type === 'machine-learning-model');
  model.version = '9.9.9';
  bom.services = [{ 'bom-ref': 'svc-1', name: 'Moderation API', provider: { name: 'Acme Cloud' },
    endpoints: ['https://moderation.example.com/v1'] }];
  const changed = join(dir, 'changed.json');
  writeFileSync(changed, JSON.stringify(bom));
  const out = aimsOk(['import', 'cyclonedx', changed, '--org', 'acme', '--ai-system', ais,
    '--as', ADMIN, '--db', db]).stdout;
  assert.match(out, /updated models: MOD-1/);
  const m = show(db, 'models', 'MOD-1');
  assert.equal(m.model_version, '9.9.9');
  assert.equal(m.version, 2);
  const sys = show(db, 'ai-systems', ais);
  const svc = sys.components.find((c) => c.kind === 'service');
  assert.equal(svc.name, 'Moderation API');
  assert.equal(svc.endpoint, 'https://moderation.example.com/v1');
  assert.equal(show(db, 'suppliers', svc.supplier_ref).name, 'Acme Cloud');
  // --check keeps nothing.
  model.version = '10';
  writeFileSync(changed, JSON.stringify(bom));
  aimsOk(['import', 'cyclonedx', changed, '--org', 'acme', '--ai-system', ais, '--as', ADMIN,
    '--db', db, '--check']);
  assert.equal(show(db, 'models', 'MOD-1').model_version, '9.9.9');
  // The ledger covers every record written.
  aimsOk(['verify', '--db', db]);
});

test('the exported ML-BOM validates against CycloneDX 1.6 and round-trips', async () => {
  const env = await setup();
  try {
    const ais = newSystem(env.db);
    for (const f of ['bom-examples_MLBOM_FoundationModels.bom.json',
      'bom-examples_MLBOM_Model-Card-With-Dataset.bom.json']) {
      aimsOk(['import', 'cyclonedx', join(DATA, 'cyclonedx', f), '--org', 'acme',
        '--ai-system', ais, '--as', ADMIN, '--db', env.db]);
    }
    const s = await signIn(env.url);
    const r = await request(env.url, 'GET', `/api/v1/orgs/acme/ai-systems/${ais}/bom.json`,
      { auth: s });
    assert.equal(r.status, 200, r.text);
    assert.match(r.headers.get('content-type'), /application\/vnd\.cyclonedx\+json/);
    const bom = r.json;
    assertValidBom(bom);
    assert.equal(bom.specVersion, '1.6');
    assert.equal(bom.metadata.component.name, 'Claims triage');
    const types = bom.components.map((c) => c.type).sort();
    assert.deepEqual(types, ['data', 'data', 'machine-learning-model', 'machine-learning-model']);
    const clf = bom.components.find((c) => c.name === 'support-ticket-classifier');
    assert.equal(clf.modelCard.modelParameters.datasets.length, 2);
    assert.ok(bom.dependencies.find((d) => d.ref === clf['bom-ref']).dependsOn.length === 2);
    // The CLI writes the same BOM; the same records give the same serial number.
    const cli = JSON.parse(aimsOk(['export', 'cyclonedx', '--org', 'acme', '--ai-system', ais,
      '--db', env.db]).stdout);
    assert.equal(cli.serialNumber, bom.serialNumber);
    // Imported into another system, the export gives the same models again.
    const other = newSystem(env.db, 'Second system');
    const file = join(env.dir, 'exported.json');
    writeFileSync(file, JSON.stringify(bom));
    aimsOk(['import', 'cyclonedx', file, '--org', 'acme', '--ai-system', other, '--as', ADMIN,
      '--db', env.db]);
    const again = (await request(env.url, 'GET',
      `/api/v1/orgs/acme/ai-systems/${other}/bom.json`, { auth: s })).json;
    assertValidBom(again);
    assert.deepEqual(again.components.map((c) => c.name).sort(),
      bom.components.map((c) => c.name).sort());
    // Another organisation's system is not found, whoever asks.
    addOrg(env.db, 'other');
    const x = await request(env.url, 'GET', `/api/v1/orgs/other/ai-systems/${ais}/bom.json`,
      { auth: s });
    assert.equal(x.status, 404);
  } finally {
    await env.cleanup();
  }
});

test('the imports route takes the same files, checks the role and the organisation', async () => {
  const env = await setup();
  try {
    const ais = newSystem(env.db);
    const s = await signIn(env.url);
    const path = `/api/v1/orgs/acme/ai-systems/${ais}/imports`;
    const good = readFileSync(join(DATA, 'cyclonedx', 'bom-examples_MLBOM_FoundationModels.bom.json'));
    let r = await upload(env, s, path, 'cyclonedx', good, 'bom.json');
    assert.equal(r.status, 200, JSON.stringify(r.json));
    assert.equal(r.json.created.models.length, 1);
    const bad = readFileSync(join(DATA, 'cyclonedx', 'aibom-generator_expected_aibom.json'));
    r = await upload(env, s, path, 'cyclonedx', bad, 'bad.json');
    assert.equal(r.status, 400);
    assert.equal(r.json.error.field, '$.serialNumber');
    r = await upload(env, s, path, null, good, 'bom.json');
    assert.equal(r.status, 400);
    assert.equal(r.json.error.field, 'format');
    r = await upload(env, s, path, 'spdx', good, 'bom.json');
    assert.equal(r.status, 400);
    assert.equal(r.json.error.field, 'format');
    const garak = readFileSync(join(DATA, 'redteam', 'garak_report_test.report.jsonl'));
    r = await upload(env, s, path, 'garak', garak, 'run.report.jsonl');
    assert.equal(r.status, 200, JSON.stringify(r.json));
    assert.match(r.json.evidence, /^EV-\d+$/);
    // A check answers what it would keep and keeps nothing.
    const evidence = list(env.db, 'evidence').length;
    const promptfoo = readFileSync(join(DATA, 'redteam', 'promptfoo_sample-export.json'));
    r = await upload(env, s, `${path}?check=true`, 'promptfoo', promptfoo, 'results.json');
    assert.equal(r.status, 200, JSON.stringify(r.json));
    assert.equal(r.json.checked_only, true);
    assert.equal(list(env.db, 'evidence').length, evidence);
    // An import and creates sent at once share the writer's groups, each on its own.
    const token = JSON.parse(aimsOk(['token', 'create', '--db', env.db, '--org', 'acme', '--name', 'ci',
      '--role', 'contributor', '--format', 'json']).stdout).token;
    const all = await Promise.all([
      upload(env, s, path, 'promptfoo', promptfoo, 'results.json'),
      upload(env, s, path, 'cyclonedx', bad, 'bad.json'),
      ...Array.from({ length: 8 }, (_, i) => request(env.url, 'POST', '/api/v1/orgs/acme/ai-systems',
        { auth: { token }, body: { name: `Beside the import ${i}`, lifecycle_stage: 'deployment' } })),
    ]);
    assert.equal(all[0].status, 200, JSON.stringify(all[0].json));
    assert.equal(all[1].status, 400, 'a refused import undoes only itself');
    for (const c of all.slice(2)) assert.equal(c.status, 201, c.text);
    assert.equal(list(env.db, 'evidence').length, evidence + 1);
    aimsOk(['verify', '--db', env.db]);
    // A viewer may not import; another organisation's system is not found.
    addMember(env.db, 'viewer@example.com', 'viewer');
    const v = await signIn(env.url, 'viewer@example.com');
    r = await upload(env, v, path, 'cyclonedx', good, 'bom.json');
    assert.equal(r.status, 403);
    addOrg(env.db, 'other');
    aimsOk(['member', 'add', ADMIN, '--org', 'other', '--role', 'admin', '--db', env.db]);
    const theirs = newSystem(env.db, 'Theirs', 'other');
    r = await upload(env, s, `/api/v1/orgs/acme/ai-systems/${theirs === ais ? 'AIS-77' : theirs}/imports`,
      'cyclonedx', good, 'bom.json');
    assert.equal(r.status, 404);
    // The OpenAPI document lists both routes with the multipart parts.
    const api = (await request(env.url, 'GET', '/api/v1/openapi.json', { auth: s })).json;
    const op = api.paths['/api/v1/orgs/{org}/ai-systems/{ref}/imports'].post;
    assert.deepEqual(op.requestBody.content['multipart/form-data'].schema.required,
      ['file', 'format']);
    assert.ok(api.paths['/api/v1/orgs/{org}/ai-systems/{ref}/bom.json'].get);
  } finally {
    await env.cleanup();
  }
});

test('garak and promptfoo runs: mapped, measured, and a worse run flagged', () => {
  const { db, dir } = makeDb();
  const ais = newSystem(db);
  // The real reports in tests/data import; the same run again changes nothing.
  for (const f of readdirSync(join(DATA, 'redteam'))) {
    const format = f.startsWith('garak') ? 'garak' : 'promptfoo';
    const r = importFile(db, format, join(DATA, 'redteam', f), ais);
    assert.equal(r.status, 0, `${f}: ${r.stderr}`);
  }
  const again = importFile(db, 'garak', join(DATA, 'redteam', 'garak_test.report.jsonl'), ais);
  assert.match(again.stdout, /imported already/);
  const pf = list(db, 'evidence').find((e) => e.run_tool === 'promptfoo');
  assert.equal(pf.run_failure_rate, '100');
  assert.equal(pf.run_results[0].family, 'eval');
  assert.equal(pf.run_results[0].attempts, 4);
  assert.equal(pf.media_type, 'application/json');

  // A run with prompt injection and jailbreak probes.
  const first = join(dir, 'first.report.jsonl');
  writeFileSync(first, garakReport('run-one', '2026-11-01T09:00:00.000000', [
    ['promptinject.HijackHateHumans', 'promptinject.AttackRogueString', 2, 20],
    ['dan.Dan_11_0', 'dan.DAN', 1, 10],
  ]));
  // --check keeps nothing: no evidence, no metric, no stored file.
  const blobs = () => readdirSync(join(dir, 'data', 'blobs'), { recursive: true }).length;
  const kept = [list(db, 'evidence').length, list(db, 'metrics').length, blobs()];
  let r = importFile(db, 'garak', first, ais, ['--check']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^checked \(nothing kept\)/);
  assert.deepEqual([list(db, 'evidence').length, list(db, 'metrics').length, blobs()], kept);
  const unflagged = show(db, 'ai-systems', ais).version;
  r = importFile(db, 'garak', first, ais);
  assert.equal(r.status, 0, r.stderr);
  const ev1 = r.stdout.match(/evidence (EV-\d+)/)[1];
  // A run no worse than the one before writes nothing on the system.
  assert.equal(show(db, 'ai-systems', ais).version, unflagged);
  const e1 = show(db, 'evidence', ev1);
  const pi = e1.run_results.find((x) => x.family === 'promptinject');
  assert.deepEqual(pi.owasp_llm, ['LLM01:2025']);
  assert.deepEqual(pi.atlas, ['AML.T0051.000']);
  assert.ok(pi.controls.includes('A.6.2.4'));
  assert.equal(pi.failure_rate, '10');
  const dan = e1.run_results.find((x) => x.family === 'dan');
  assert.deepEqual(dan.atlas, ['AML.T0054']);
  assert.ok(e1.owasp_llm.includes('LLM01:2025'));
  assert.deepEqual(e1.atlas.sort(), ['AML.T0051.000', 'AML.T0054']);
  assert.ok(e1.requirements.includes('A.6.2.4'));
  assert.equal(e1.worse_than, null);
  assert.equal(e1.sha256.length, 64);
  // Its failure rate is a reading of the family's metric.
  const metric = list(db, 'metrics').find((m) => m.source === 'garak:promptinject');
  assert.equal(metric.ai_system, ais);
  assert.equal(pi.metric, metric.ref);
  // Thresholds work as for any metric: a breach opens a nonconformity.
  aimsOk(['record', 'update', 'metrics', metric.ref, '--org', 'acme', '--as', ADMIN, '--db', db,
    '--json', JSON.stringify({ breach: '15', on_breach: 'nonconformity' })]);

  // A second run that fails more is flagged on the evidence and the AI system.
  const second = join(dir, 'second.report.jsonl');
  writeFileSync(second, garakReport('run-two', '2026-11-08T09:00:00.000000', [
    ['promptinject.HijackHateHumans', 'promptinject.AttackRogueString', 8, 20],
    ['dan.Dan_11_0', 'dan.DAN', 1, 10],
  ]));
  r = importFile(db, 'garak', second, ais);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`WORSE than ${ev1}: promptinject failed 40% \\(was 10%\\)`));
  assert.match(r.stdout, /1 breaches/);
  const ev2 = r.stdout.match(/evidence (EV-\d+)/)[1];
  const e2 = show(db, 'evidence', ev2);
  assert.equal(e2.worse_than, ev1);
  assert.match(e2.worse_why, /promptinject failed 40% \(was 10%\)/);
  assert.doesNotMatch(e2.worse_why, /dan/);
  let sys = show(db, 'ai-systems', ais);
  assert.equal(sys.redteam_worse_run, ev2);
  assert.equal(list(db, 'nonconformities').length, 1);
  const status = JSON.parse(aimsOk(['metrics', 'status', '--org', 'acme', '--ai-system', ais,
    '--db', db, '--format', 'json']).stdout);
  const st = status.find((x) => x.ref === metric.ref);
  assert.equal(Number(st.last_value), 40);
  assert.equal(st.count, 2);
  assert.equal(st.state, 'breach');

  // A later run no worse than the one before clears the system's flag.
  const third = join(dir, 'third.report.jsonl');
  writeFileSync(third, garakReport('run-three', '2026-11-15T09:00:00.000000', [
    ['promptinject.HijackHateHumans', 'promptinject.AttackRogueString', 1, 20],
  ]));
  r = importFile(db, 'garak', third, ais);
  assert.equal(r.status, 0, r.stderr);
  assert.doesNotMatch(r.stdout, /WORSE/);
  sys = show(db, 'ai-systems', ais);
  assert.equal(sys.redteam_worse_run, null);

  // A bad report is refused naming the line and the member; nothing is kept.
  const n = list(db, 'evidence').length;
  const bad = join(dir, 'bad.report.jsonl');
  writeFileSync(bad, garakReport('run-bad', '2026-11-20T09:00:00.000000', [
    ['promptinject.HijackHateHumans', 'x.Y', 1, 2]]).replace('"fails":1', '"fails":"one"'));
  r = importFile(db, 'garak', bad, ais);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /line 4: \$\.fails: a count/);
  const pfBad = join(dir, 'bad.json');
  const pfDoc = JSON.parse(readFileSync(join(DATA, 'redteam', 'promptfoo_sample-export.json'), 'utf8'));
  pfDoc.results.results[2].success = 'no';
  writeFileSync(pfBad, JSON.stringify(pfDoc));
  r = importFile(db, 'promptfoo', pfBad, ais);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /\$\.results\.results\[2\]\.success: true or false/);
  r = importFile(db, 'garak', join(DATA, 'redteam', 'promptfoo_sample-export.json'), ais);
  assert.equal(r.status, 1);
  assert.equal(list(db, 'evidence').length, n);
  aimsOk(['verify', '--db', db]);
});
