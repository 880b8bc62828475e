// atlas_catalog.test.mjs - the MITRE ATLAS catalog is the whole of ATLAS:
// every tactic and technique of tests/data/atlas/ATLAS.yaml (read by
// catalog/tools/atlas.py) is listed by the API with its tactics and the
// parent of each sub-technique; the checked-in catalog and mapping are what
// the script writes from that file; every mapping target is an ISO/IEC 42001
// requirement; coverage of ATLAS follows an organisation's measures; every
// technique the red-team probe table names is in the catalog.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { setup, request, signIn, addOrg, addMember, aimsOk } from './lib.mjs';

const ROOT = new URL('../../', import.meta.url).pathname;
const YAML = `${ROOT}tests/data/atlas/ATLAS.yaml`;
const SCRIPT = `${ROOT}catalog/tools/atlas.py`;
const A = '/api/v1/orgs/acme';
let env, admin, outsider;

function script(...args) {
  return spawnSync('python3', [SCRIPT, YAML, ...args], { encoding: 'utf8', cwd: ROOT });
}

before(async () => {
  env = await setup();
  addOrg(env.db, 'other');
  addMember(env.db, 'outsider@example.com', 'admin', 'other');
  admin = await signIn(env.url);
  outsider = await signIn(env.url, 'outsider@example.com');
});
after(async () => { await env.cleanup(); });

const get = (path, auth = admin) => request(env.url, 'GET', path, { auth });

test('the checked-in ATLAS catalog and mapping are what the script writes from ATLAS.yaml', () => {
  const r = script('--check');
  assert.equal(r.status, 0, r.stderr);
});

test('every tactic and technique of ATLAS.yaml is listed by the API, with tactics and parents', async () => {
  const r = script('--ids');
  assert.equal(r.status, 0, r.stderr);
  const ids = JSON.parse(r.stdout);
  assert.equal(ids.tactics.length, 16);
  assert.equal(ids.techniques.length, 170);
  const list = await get('/api/v1/catalog/requirements?framework=atlas&limit=500');
  assert.equal(list.status, 200, list.text);
  const byId = Object.fromEntries(list.json.items.map((e) => [e.id, e]));
  for (const id of ids.tactics) assert.equal(byId[id]?.kind, 'tactic', id);
  for (const id of ids.techniques) assert.equal(byId[id]?.kind, 'technique', id);
  assert.equal(list.json.items.length, 16 + 170);
  // A sub-technique hangs under its technique; a technique under its first tactic.
  assert.equal(byId['AML.T0051.002'].parent, 'AML.T0051');
  assert.equal(byId['AML.T0051'].parent, 'AML.TA0005');
  assert.equal(byId['AML.T0095.000'].title, 'Code Repositories');
  // Its own summary, one sentence, not ATLAS's description.
  const yaml = readFileSync(YAML, 'utf8');
  for (const e of list.json.items) {
    assert.match(e.summary, /^[^\n]{10,300}[.]$/, e.id);
    assert.ok(!yaml.includes(e.summary), `${e.id}: the summary is ATLAS's text`);
  }
  // Every tactic a technique belongs to, as ATLAS lists them; a sub-technique has its technique's.
  assert.deepEqual(byId['AML.T0015'].tactics, ['AML.TA0004', 'AML.TA0007', 'AML.TA0011']);
  assert.equal(byId['AML.T0015'].parent, 'AML.TA0004');
  assert.deepEqual(byId['AML.T0051.002'].tactics, ['AML.TA0005']);
  assert.equal(byId['AML.TA0005'].tactics, undefined);
  for (const e of list.json.items.filter((x) => x.kind === 'technique'))
    for (const t of e.tactics) assert.equal(byId[t]?.kind, 'tactic', `${e.id}: ${t}`);
  const one = await get('/api/v1/catalog/requirements/AML.T0054?framework=atlas');
  assert.equal(one.status, 200, one.text);
  assert.deepEqual(one.json.tactics, ['AML.TA0012', 'AML.TA0007']);
  // The CLI says the same.
  const shown = aimsOk(['catalog', 'show', 'AML.T0015', '--framework', 'atlas', '--db', env.db]).stdout;
  assert.match(shown, /^parent: +AML\.TA0004$/m);
  assert.match(shown, /^tactics: +AML\.TA0004, AML\.TA0007, AML\.TA0011$/m);
  // Other frameworks' entries have no tactics.
  const iso = await get('/api/v1/catalog/requirements/A.6.2.4');
  assert.equal(iso.json.tactics, undefined);
});

test('every technique without sub-techniques has one map, to ISO/IEC 42001 requirements that exist', async () => {
  const iso = (await get('/api/v1/catalog/requirements?framework=iso42001&limit=500')).json.items;
  const isoIds = new Set(iso.map((e) => e.id));
  const cat = JSON.parse(readFileSync(`${ROOT}catalog/atlas.json`, 'utf8')).requirements;
  const map = JSON.parse(readFileSync(`${ROOT}catalog/map-atlas.json`, 'utf8'));
  const parents = new Set(cat.map((e) => e.parent));
  const leaves = cat.filter((e) => e.kind === 'technique' && !parents.has(e.id)).map((e) => e.id);
  assert.deepEqual(map.maps.map((m) => m.source).sort(), leaves.sort());
  for (const m of map.maps)
    for (const t of m.targets) assert.ok(isoIds.has(t), `${m.source}: ${t}`);
  // An adversary's own preparations have no counterpart; prompt injection meets V&V.
  const bySource = Object.fromEntries(map.maps.map((m) => [m.source, m]));
  assert.equal(bySource['AML.T0008.001'].relationship, 'no-relationship');
  assert.deepEqual(bySource['AML.T0051.000'].targets, ['A.6.2.4']);
});

test('coverage of ATLAS follows the organisation\'s measures; another organisation is 404', async () => {
  const byId = (cov) => Object.fromEntries(cov.items.map((i) => [i.id, i]));
  let r = await get(`${A}/coverage?framework=atlas`);
  assert.equal(r.status, 200, r.text);
  const before = byId(r.json);
  assert.equal(r.json.counts.total, 147);
  assert.equal(before['AML.T0051.000'].status, 'not_covered');
  const m = await request(env.url, 'POST', `${A}/measures`, { auth: admin,
    body: { title: 'Red-team the assistant before each release', status: 'implemented',
      requirements: ['A.6.2.4'] } });
  assert.equal(m.status, 201, m.text);
  r = await get(`${A}/coverage?framework=atlas`);
  const now = byId(r.json);
  assert.notEqual(now['AML.T0051.000'].status, 'not_covered', JSON.stringify(now['AML.T0051.000']));
  assert.deepEqual(now['AML.T0051.000'].iso42001[0].implemented_by, [m.json.ref]);
  // A technique mapped elsewhere is untouched.
  assert.equal(now['AML.T0010.002'].status, before['AML.T0010.002'].status);
  r = await get(`${A}/coverage?framework=atlas`, outsider);
  assert.equal(r.status, 404);
});

test('every ATLAS id of the red-team probe table is a technique of the catalog', () => {
  const cat = new Set(JSON.parse(readFileSync(`${ROOT}catalog/atlas.json`, 'utf8')).requirements
    .filter((e) => e.kind === 'technique').map((e) => e.id));
  const rt = JSON.parse(readFileSync(`${ROOT}catalog/redteam/redteam-map.json`, 'utf8'));
  for (const id of Object.keys(rt.atlas)) assert.ok(cat.has(id), id);
  for (const [fam, f] of Object.entries(rt.families))
    for (const id of f.atlas) assert.ok(cat.has(id), `${fam}: ${id}`);
});
