// web_bom.test.mjs - an AI system's import page in the browser: the system's
// page links to it; a CycloneDX ML-BOM uploads and lists the records it made;
// a refused file is named with its JSON path and keeps nothing; a Hugging Face
// model card uploads the same way, a bad one named by path and line; two garak runs,
// the second worse, show the flag on the import page, the evidence and the AI
// system's page; the ML-BOM downloads from the page; a viewer is refused.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { addMember, aimsOk, setup, ADMIN } from './lib.mjs';
import { openBrowser, shot, signIn } from './browser.mjs';
import { strictWrites } from './lib.mjs';

// Imports are changes of the server's writer: none writes beside it.
strictWrites();

const DATA = new URL('../data/', import.meta.url).pathname;
const AXE = readFileSync(new URL('../../node_modules/axe-core/axe.min.js', import.meta.url), 'utf8');

// axe-core's WCAG 2.1 A and AA rules on the page as it is; evaluated through the
// browser's protocol, which the page's Content-Security-Policy does not govern.
async function axeViolations(page) {
  await page.evaluate(AXE);
  const r = await page.evaluate(() => window.axe.run(document,
    { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }));
  return r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}
let env, admin;

function garak(runId, start, fails) {
  return [
    { entry_type: 'init', garak_version: '0.14.0', start_time: start, run: runId },
    { entry_type: 'eval', probe: 'promptinject.HijackHateHumans', detector: 'promptinject.AttackRogueString',
      passed: 20 - fails, fails, total_evaluated: 20 },
  ].map((l) => JSON.stringify(l)).join('\n');
}

before(async () => {
  env = await setup();
  aimsOk(['record', 'create', 'ai-systems', '--org', 'acme', '--as', ADMIN, '--db', env.db,
    '--json', '{"name": "Chat assistant"}']);
  admin = await openBrowser();
  await signIn(admin.page, env.url, ADMIN);
});
after(async () => {
  await admin?.close();
  await env?.cleanup();
});

async function importFile(page, format, file) {
  await page.goto(`${env.url}/o/acme/ai-systems/AIS-1/import`);
  await page.selectOption('#f-format', format);
  await page.setInputFiles('#f-file', file);
  const [resp] = await Promise.all([page.waitForNavigation(),
    page.click('main form button[type=submit]')]);
  return resp;
}

test('an ML-BOM uploads from the AI system page; a bad one is named and keeps nothing', async () => {
  const { page } = admin;
  await page.goto(`${env.url}/o/acme/ai-systems/AIS-1`);
  await Promise.all([page.waitForNavigation(), page.click('a:has-text("Import ML-BOM or red-team run")')]);
  assert.equal(new URL(page.url()).pathname, '/o/acme/ai-systems/AIS-1/import');
  let resp = await importFile(page, 'cyclonedx',
    join(DATA, 'cyclonedx', 'aibom-generator_expected_aibom.json'));
  assert.equal(resp.status(), 400);
  assert.match(await page.textContent('.error-summary'), /\$\.serialNumber: .* does not match/);
  assert.deepEqual(await axeViolations(page), []);
  resp = await importFile(page, 'cyclonedx',
    join(DATA, 'cyclonedx', 'bom-examples_MLBOM_Model-Card-With-Dataset.bom.json'));
  assert.equal(resp.status(), 200);
  const result = await page.textContent('#result');
  assert.deepEqual(await axeViolations(page), []);
  assert.match(result, /Created models: MOD-1/);
  assert.match(result, /Created datasets: DATA-1, DATA-2/);
  await shot(page, 'bom-imported');
  const href = await page.getAttribute('a:has-text("Download the ML-BOM")', 'href');
  const bom = await page.request.get(env.url + href);
  assert.equal(bom.status(), 200);
  const doc = JSON.parse(await bom.text());
  assert.equal(doc.bomFormat, 'CycloneDX');
  assert.equal(doc.components.filter((c) => c.type === 'data').length, 2);
});

test('a Hugging Face model card uploads from the page; a bad one names the path and line', async () => {
  const { page } = admin;
  const bad = join(env.dir, 'README.md');
  writeFileSync(bad, '---\nlicense: mit\nlicense: mit\n---\n# m\n');
  let resp = await importFile(page, 'modelcard', bad);
  assert.equal(resp.status(), 400);
  assert.match(await page.textContent('.error-summary'), /\$\.license: the key is given twice \(line 3/);
  resp = await importFile(page, 'modelcard',
    join(DATA, 'modelcards', 'huggingface_hub_sample_simple_model_index.md'));
  assert.equal(resp.status(), 200);
  const result = await page.textContent('#result');
  assert.match(result, /Created models: MOD-\d+/);
  assert.match(result, /Created datasets: DATA-\d+/);
  assert.deepEqual(await axeViolations(page), []);
});

test('a worse garak run is flagged on the page, the evidence and the AI system', async () => {
  const { page } = admin;
  const one = join(env.dir, 'one.report.jsonl');
  const two = join(env.dir, 'two.report.jsonl');
  writeFileSync(one, garak('web-one', '2026-11-01T10:00:00.000000', 2));
  writeFileSync(two, garak('web-two', '2026-11-02T10:00:00.000000', 6));
  let resp = await importFile(page, 'garak', one);
  assert.equal(resp.status(), 200);
  assert.match(await page.textContent('#result'), /LLM01:2025/);
  assert.match(await page.textContent('#result'), /AML\.T0051\.000/);
  resp = await importFile(page, 'garak', two);
  assert.equal(resp.status(), 200);
  assert.match(await page.textContent('#result'), /Worse than EV-1: promptinject failed 30% \(was 10%\)/);
  await shot(page, 'redteam-worse');
  await page.goto(`${env.url}/o/acme/evidence/EV-2`);
  assert.match(await page.textContent('main'), /Worse than the run before\s*EV-1/);
  await page.goto(`${env.url}/o/acme/ai-systems/AIS-1`);
  assert.match(await page.textContent('main'), /Latest run worse than the one before\s*EV-2/);
});

test('only checking a file says so, links to nothing and keeps nothing', async () => {
  const { page } = admin;
  const count = (kind) => JSON.parse(aimsOk(['record', 'list', kind, '--org', 'acme', '--db', env.db,
    '--format', 'json', '--all']).stdout).length;
  const evidence = count('evidence');
  const models = count('models');
  const run = join(env.dir, 'checked.report.jsonl');
  writeFileSync(run, garak('web-checked', '2026-11-03T10:00:00.000000', 1));
  for (const [format, file] of [['garak', run],
    ['cyclonedx', join(DATA, 'cyclonedx', 'bom-examples_MLBOM_FoundationModels.bom.json')]]) {
    await page.goto(`${env.url}/o/acme/ai-systems/AIS-1/import`);
    await page.selectOption('#f-format', format);
    await page.setInputFiles('#f-file', file);
    await page.check('input[name=check]');
    const [resp] = await Promise.all([page.waitForNavigation(),
      page.click('main form button[type=submit]')]);
    assert.equal(resp.status(), 200);
    assert.match(await page.textContent('#result h2'), /^Checked: nothing was kept$/);
    assert.equal(await page.locator('#result a').count(), 0, 'no link to a record that was not kept');
    assert.match(await page.textContent('#result'), format === 'garak' ?
      /The run would be kept as evidence: 5% of the attempts failed/ : /Would create models: MOD-\d+/);
  }
  assert.equal(count('evidence'), evidence);
  assert.equal(count('models'), models);
});

test('a viewer may not open the import page', async () => {
  addMember(env.db, 'vic@example.com', 'viewer');
  const viewer = await openBrowser();
  try {
    await signIn(viewer.page, env.url, 'vic@example.com');
    const resp = await viewer.page.goto(`${env.url}/o/acme/ai-systems/AIS-1/import`);
    assert.equal(resp.status(), 403);
  } finally {
    await viewer.close();
  }
});
