// modelcard.test.mjs - black-box tests of the Hugging Face model card import:
// every card in tests/data/modelcards (the CRLF one too) imports into the AI
// system's model records with its data sets and suppliers; importing again
// changes nothing; a bad card is refused naming the path and the line, with
// nothing kept; the exported ML-BOM carries what the cards gave and still
// validates against CycloneDX 1.6; the imports API takes format=modelcard,
// a viewer is refused (403) and another organisation's AI system is 404.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ADMIN, addMember, addOrg, aims, aimsOk, makeDb, request, setup, signIn,
} from './lib.mjs';
import { assertValidBom, importFile, list, newSystem, upload } from './bom.mjs';
import { strictWrites } from './lib.mjs';

// Imports are changes of the server's writer: none writes beside it.
strictWrites();

const CARDS = new URL('../data/modelcards/', import.meta.url).pathname;

const importCard = (db, file, ais, extra = []) => importFile(db, 'modelcard', file, ais, extra);

const count = (db) => ['models', 'datasets', 'suppliers'].map((k) => list(db, k).length);

test('every model card in tests/data imports, and again changes nothing', () => {
  const { db } = makeDb();
  const ais = newSystem(db);
  const files = readdirSync(CARDS).filter((f) => f.endsWith('.md'));
  assert.equal(files.length, 5);
  for (const f of files) {
    const r = importCard(db, join(CARDS, f), ais);
    assert.equal(r.status, 0, `${f}: ${r.stderr}`);
    assert.match(r.stdout, new RegExp(`imported .* into ${ais}`));
  }
  const models = Object.fromEntries(list(db, 'models').map((m) => [m.name, m]));
  assert.deepEqual(Object.keys(models).sort(), ['BERT base model (uncased)', 'FSMT',
    'Hello old Windows line breaks', 'my-cool-model', 'roberta-base for QA']);
  // The model-index card: its evaluations are the model's performance metrics.
  const cool = models['my-cool-model'];
  assert.deepEqual(cool.ai_systems, [ais]);
  assert.equal(cool.licence, 'MIT');
  assert.equal(cool.library, 'timm');
  assert.equal(cool.task, 'image-classification');
  assert.deepEqual(cool.performance_metrics, [
    { type: 'accuracy', value: '0.9', slice: 'Beans' },
    { type: 'f1', value: '0.66', slice: 'Beans (default, test)' }]);
  // The CRLF card (its UTF-8 widget text is read, not kept).
  assert.deepEqual(models['Hello old Windows line breaks'].languages, ['eo']);
  const fsmt = models.FSMT;
  assert.deepEqual(fsmt.languages, ['en', 'de']);
  assert.deepEqual(fsmt.tags, ['translation', 'wmt19', 'facebook']);
  assert.equal(fsmt.licence, 'Apache-2.0');
  // Its "Limitations and bias" bullets are the model's technical limitations.
  assert.equal(fsmt.technical_limitations.length, 1);
  assert.match(fsmt.technical_limitations[0], /^The original \(and this ported model\) doesn't seem to handle well inputs with repeated sub-phrases/);
  assert.deepEqual(models['BERT base model (uncased)'].technical_limitations,
    ['Even if the training data used for this model could be characterized as fairly neutral, this model can have biased predictions:']);
  const datasets = Object.fromEntries(list(db, 'datasets').map((d) => [d.title, d]));
  assert.deepEqual(Object.keys(datasets).sort(),
    ['beans', 'bookcorpus', 'squad_v2', 'wikipedia', 'wmt19']);
  assert.deepEqual(models['BERT base model (uncased)'].datasets.sort(),
    [datasets.bookcorpus.ref, datasets.wikipedia.ref].sort());
  assert.ok(Object.values(datasets).every((d) => d.ai_systems[0] === ais && d.provenance));
  assert.ok(Object.values(datasets).every((d) => d.uses.join() === 'training'));
  // Again: the same records, no new version.
  const before = list(db, 'models').concat(list(db, 'datasets')).map((x) => [x.ref, x.version]);
  for (const f of files) {
    const r = importCard(db, join(CARDS, f), ais);
    assert.equal(r.status, 0, r.stderr);
    assert.doesNotMatch(r.stdout, /created|updated/);
  }
  assert.deepEqual(list(db, 'models').concat(list(db, 'datasets')).map((x) => [x.ref, x.version]),
    before);
});

test('a bad card is refused naming the path and the line; nothing is kept', () => {
  const { db, dir } = makeDb();
  const ais = newSystem(db);
  const cases = [
    ['no-front.md', '# Just a heading\n', /^aims: import: \$: a model card starts with its metadata/m],
    ['dup.md', '---\nlicense: mit\nlicense: mit\n---\n# m\n', /^aims: import: \$\.license: the key is given twice \(line 3, column 1\)/m],
    ['metric.md', '---\nmodel-index:\n- name: m\n  results:\n  - metrics:\n    - type: f1\n---\n',
      /^aims: import: \$\.model-index\[0\]\.results\[0\]\.metrics\[0\]: a metric has a type and a value/m],
    ['tag.md', '---\nlicense: !!binary aGVsbG8=\n---\n# m\n', /^aims: import: \$\.license: only YAML's own tags/m],
    ['bomb.md', `---\na: &a [x, x]\nb: [${Array(40).fill('*a').join(', ')}]\n---\n# m\n`,
      /^aims: import: \$\.b\[32\]: more aliases than a model card needs/m],
    ['nameless.md', '---\nlicense: mit\n---\nNo heading here.\n', /^aims: import: \$: the card names no model/m],
    ['datasets.md', '---\ndatasets: {a: b}\n---\n# m\n', /^aims: import: \$\.datasets: expected a text or a list of texts/m],
    // A good card but for its second data set: nothing of it is kept.
    ['second.md', '---\nlicense: mit\ndatasets: [acme/ok, [bad]]\n---\n# m\n', /^aims: import: \$\.datasets\[1\]: expected a text/m],
  ];
  const before = count(db);
  for (const [name, text, message] of cases) {
    const file = join(dir, name);
    writeFileSync(file, text);
    const r = importCard(db, file, ais);
    assert.equal(r.status, 1, `${name} should be refused: ${r.stdout}`);
    assert.match(r.stderr, message);
  }
  assert.deepEqual(count(db), before);
  // --check reads and checks all, keeps nothing.
  const r = importCard(db, join(CARDS, 'transformers_bert-base-uncased_README.md'), ais, ['--check']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /checked \(nothing kept\)/);
  assert.deepEqual(count(db), before);
  // An AI system the organisation does not have; a usage error for a missing option.
  let x = importCard(db, join(CARDS, 'transformers_bert-base-uncased_README.md'), 'AIS-99');
  assert.equal(x.status, 1);
  assert.match(x.stderr, /no AI system AIS-99/);
  x = aims(['import', 'modelcard', join(CARDS, 'transformers_bert-base-uncased_README.md'),
    '--org', 'acme', '--as', ADMIN, '--db', db]);
  assert.equal(x.status, 2);
  assert.match(x.stderr, /--ai-system REF is required/);
  x = aims(['import', 'modelcard', '--help']);
  assert.equal(x.status, 0);
  assert.match(x.stdout, /modelcard +a Hugging Face model card/);
});

test('the ML-BOM carries what the cards gave and validates against CycloneDX 1.6', async () => {
  const env = await setup();
  try {
    const ais = newSystem(env.db);
    const { dir } = env;
    const card = join(dir, 'README.md');
    writeFileSync(card, ['---', 'license: apache-2.0', 'library_name: peft',
      'language: [en, fr]', 'tags: [claims]', 'pipeline_tag: text-classification',
      'base_model: distilbert/distilbert-base-uncased', 'base_model_relation: adapter',
      'datasets: [acme/claims-2025]', 'model-index:', '- name: acme/claims-triage',
      '  results:', '  - task: {type: text-classification}',
      '    dataset: {type: acme/claims-2025, name: Claims 2025, split: test}',
      '    metrics: [{type: f1, value: 0.91}]', '---', '# Claims triage', ''].join('\n'));
    aimsOk(['import', 'modelcard', card, '--org', 'acme', '--ai-system', ais, '--as', ADMIN,
      '--db', env.db]);
    for (const f of readdirSync(CARDS))
      aimsOk(['import', 'modelcard', join(CARDS, f), '--org', 'acme', '--ai-system', ais,
        '--as', ADMIN, '--db', env.db]);
    // The Hub namespaces became suppliers linked to the system.
    const suppliers = list(env.db, 'suppliers');
    assert.deepEqual(suppliers.map((s) => s.name), ['acme']);
    assert.deepEqual(suppliers[0].ai_systems, [ais]);
    const s = await signIn(env.url);
    const r = await request(env.url, 'GET', `/api/v1/orgs/acme/ai-systems/${ais}/bom.json`,
      { auth: s });
    assert.equal(r.status, 200, r.text);
    const bom = r.json;
    assertValidBom(bom);
    const triage = bom.components.find((c) => c.name === 'acme/claims-triage');
    assert.equal(triage.supplier.name, 'acme');
    assert.deepEqual(triage.licenses, [{ license: { id: 'Apache-2.0' } }]);
    assert.deepEqual(triage.tags, ['claims']);
    assert.deepEqual(triage.pedigree.ancestors,
      [{ type: 'machine-learning-model', name: 'distilbert/distilbert-base-uncased' }]);
    assert.equal(triage.modelCard.modelParameters.task, 'text-classification');
    assert.deepEqual(triage.modelCard.quantitativeAnalysis.performanceMetrics,
      [{ type: 'f1', value: '0.91', slice: 'Claims 2025 (test)' }]);
    assert.deepEqual(triage.modelCard.properties, [
      { name: 'huggingface:library_name', value: 'peft' },
      { name: 'huggingface:language', value: 'en' },
      { name: 'huggingface:language', value: 'fr' },
      { name: 'huggingface:base_model_relation', value: 'adapter' }]);
    const data = bom.components.find((c) => c.name === 'acme/claims-2025');
    assert.equal(data.type, 'data');
    assert.ok(bom.dependencies.find((d) => d.ref === triage['bom-ref']).dependsOn
      .includes(data['bom-ref']));
    assert.equal(bom.components.filter((c) => c.type === 'machine-learning-model').length, 6);
  } finally {
    await env.cleanup();
  }
});

test('the imports API takes format=modelcard; a viewer is 403, another organisation 404', async () => {
  const env = await setup();
  try {
    const ais = newSystem(env.db);
    const s = await signIn(env.url);
    const path = `/api/v1/orgs/acme/ai-systems/${ais}/imports`;
    const good = readFileSync(join(CARDS, 'huggingface_hub_sample_windows_line_breaks.md'));
    let r = await upload(env, s, path, 'modelcard', good, 'README.md');
    assert.equal(r.status, 200, JSON.stringify(r.json));
    assert.equal(r.json.format, 'modelcard');
    assert.equal(r.json.created.models.length, 1);
    r = await upload(env, s, `${path}?check=true`,
      'modelcard', readFileSync(join(CARDS, 'transformers_facebook_wmt19-en-de_README.md')), 'README.md');
    assert.equal(r.status, 200, JSON.stringify(r.json));
    assert.equal(r.json.checked_only, true);
    assert.equal(list(env.db, 'models').length, 1);
    r = await upload(env, s, path, 'modelcard', '---\nlicense: [mit\n---\n# x\n', 'README.md');
    assert.equal(r.status, 400);
    assert.equal(r.json.error.field, '$.license[1]');
    assert.match(r.json.error.message, /not YAML.*\(line 3, column 1\)/);
    // A viewer may not import; another organisation's system is not found.
    addMember(env.db, 'viewer@example.com', 'viewer');
    const v = await signIn(env.url, 'viewer@example.com');
    r = await upload(env, v, path, 'modelcard', good, 'README.md');
    assert.equal(r.status, 403);
    addOrg(env.db, 'other');
    aimsOk(['member', 'add', ADMIN, '--org', 'other', '--role', 'admin', '--db', env.db]);
    const theirs = newSystem(env.db, 'Theirs', 'other');
    r = await upload(env, s, `/api/v1/orgs/acme/ai-systems/${theirs === ais ? 'AIS-77' : theirs}/imports`,
      'modelcard', good, 'README.md');
    assert.equal(r.status, 404);
    // OpenAPI lists the format.
    const api = (await request(env.url, 'GET', '/api/v1/openapi.json', { auth: s })).json;
    const op = api.paths['/api/v1/orgs/{org}/ai-systems/{ref}/imports'].post;
    const schema = op.requestBody.content['multipart/form-data'].schema;
    assert.deepEqual(schema.properties.format.enum, ['cyclonedx', 'modelcard', 'garak', 'promptfoo']);
    assert.equal(schema.properties.format.description, 'the file\'s format');
    assert.deepEqual(schema.required, ['file', 'format']);
  } finally {
    await env.cleanup();
  }
});
