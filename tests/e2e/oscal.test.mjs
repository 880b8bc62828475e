// oscal.test.mjs - black-box tests of OSCAL 1.2 in and out: every exported
// model of the demo organisation validates against the NIST JSON schemas
// (draft-07, checked with Ajv); UUIDs are stable across exports of the same
// records; the API answers the same documents; catalogs from testdata import,
// stay with their organisation and export again with the same control ids;
// assessment results from another tool become linked evidence; bad documents
// are refused naming the JSON path, and nothing is kept.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import {
  ADMIN, addMember, addOrg, aims, aimsOk, makeDb, request, setup, signIn, tempDir,
} from './lib.mjs';
import { strictWrites } from './lib.mjs';

// Imports are changes of the server's writer: none writes beside it.
strictWrites();

const TESTDATA = new URL('../data/oscal/', import.meta.url).pathname;
const SCHEMA_OF = {
  catalog: 'catalog', profile: 'profile', ssp: 'ssp',
  'assessment-results': 'assessment-results', poam: 'poam',
};
const MODELS = Object.keys(SCHEMA_OF);

// The NIST schemas are draft-07: Ajv's default class is the draft-07 one.
const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
const validators = {};
function validate(model, doc) {
  validators[model] ??= ajv.compile(JSON.parse(readFileSync(
    join(TESTDATA, 'schemas', `oscal_${SCHEMA_OF[model]}_schema.json`), 'utf8')));
  const ok = validators[model](doc);
  assert.ok(ok, `${model}: ${JSON.stringify(validators[model].errors?.slice(0, 5), null, 1)}`);
}

function exportModel(db, model, org = 'demo', extra = [], env = {}) {
  return JSON.parse(aimsOk(['export', 'oscal', '--org', org, '--model', model, '--out', '-',
    '--db', db, ...extra], { env }).stdout);
}

function demoDb() {
  const dir = tempDir();
  const db = join(dir, 'aims.db');
  aimsOk(['init', '--demo', '--db', db]);
  return { dir, db };
}

// Every uuid in a document, by the JSON path where it sits.
function uuids(v, path = '$', out = {}) {
  if (Array.isArray(v)) v.forEach((x, i) => uuids(x, `${path}[${i}]`, out));
  else if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      if (k === 'uuid' || k.endsWith('-uuid')) out[`${path}.${k}`] = x;
      uuids(x, `${path}.${k}`, out);
    }
  }
  return out;
}

function controlIds(catalog) {
  const ids = [];
  const walk = (n) => {
    for (const g of n.groups || []) { if (g.id) ids.push(`g:${g.id}`); walk(g); }
    for (const c of n.controls || []) { ids.push(c.id); walk(c); }
  };
  walk(catalog);
  return ids;
}

// Who makes changes on the command line: the first admin of each organisation.
const DEMO_ADMIN = 'admin@demo.example';
const asFor = (org) => (org === 'demo' ? DEMO_ADMIN : ADMIN);

function record(db, org, args, json) {
  return JSON.parse(aimsOk(['record', ...args, '--org', org, '--as', asFor(org), '--db', db, '--json',
    JSON.stringify(json), '--format', 'json']).stdout);
}

test('every OSCAL model of the demo organisation validates against the NIST schema', () => {
  const { db } = demoDb();
  for (const model of MODELS) {
    const doc = exportModel(db, model);
    validate(model, doc);
    const root = Object.values(doc)[0];
    assert.equal(root.metadata['oscal-version'], '1.2.1');
  }
  // The catalog is ours: ids, titles, summaries; every Annex A control is there.
  const cat = exportModel(db, 'catalog').catalog;
  const ids = controlIds(cat);
  assert.ok(ids.includes('iso42001-a.6.2.8'));
  assert.equal(ids.filter((i) => /^iso42001-a\.\d+\.\d+\.\d+$/.test(i) || /^iso42001-a\.\d+\.\d+$/.test(i)).length >= 38, true);
  assert.match(cat.metadata.remarks, /not reproduced/);
  // The SSP: one implemented requirement per SoA row, the AI systems as components.
  const ssp = exportModel(db, 'ssp')['system-security-plan'];
  assert.equal(ssp['control-implementation']['implemented-requirements'].length, 38);
  const ais = JSON.parse(aimsOk(['record', 'list', 'ai-systems', '--org', 'demo', '--db', db,
    '--format', 'json']).stdout);
  for (const a of ais) {
    assert.ok(ssp['system-implementation'].components.some((c) => c.title === a.name
      && c.props.some((p) => p.name === 'reference' && p.value === a.ref)), a.ref);
  }
  // Assessment results: a finding per requirement; POA&M: an item per gap.
  const r = JSON.parse(aimsOk(['report', 'readiness', '--org', 'demo', '--db', db, '--format',
    'json', '--no-save']).stdout);
  const ar = exportModel(db, 'assessment-results')['assessment-results'];
  const findings = ar.results[0].findings;
  assert.ok(findings.some((f) => f.target['target-id'] === 'iso42001-4.3'
    && f.target.status.state === 'not-satisfied'));
  const poam = exportModel(db, 'poam')['plan-of-action-and-milestones'];
  const fromGaps = poam['poam-items'].filter((i) => i.props.some((p) => p.name === 'source'
    && p.value === 'readiness'));
  assert.equal(fromGaps.length, r.gaps.length);
});

test('an SSP names responsible roles and the evidence shows in the assessment results', () => {
  const { db } = demoDb();
  record(db, 'demo', ['create', 'responsibilities'], { role_name: 'AIMS manager',
    assignee: 'manager@demo.example', requirements: ['5.3', 'A.3.2'] });
  const ev = record(db, 'demo', ['create', 'evidence'], { title: 'Bias test report',
    kind: 'link', url: 'https://ci.example/run/42', requirements: ['A.3.2'],
    collected_at: '2026-11-01T10:00:00Z', valid_until: '2027-11-01' });
  const ssp = exportModel(db, 'ssp')['system-security-plan'];
  validate('ssp', { 'system-security-plan': ssp });
  assert.deepEqual(ssp.metadata.roles.map((x) => x.id), ['aims-manager']);
  const ir = ssp['control-implementation']['implemented-requirements']
    .find((x) => x['control-id'] === 'iso42001-a.3.2');
  assert.equal(ir['responsible-roles'][0]['role-id'], 'aims-manager');
  assert.equal(ir['responsible-roles'][0]['party-uuids'][0], ssp.metadata.parties[0].uuid);
  // Two responsibilities of one role name stay two roles.
  const second = record(db, 'demo', ['create', 'responsibilities'], { role_name: 'AIMS manager',
    assignee: 'admin@demo.example' });
  const ssp2 = exportModel(db, 'ssp')['system-security-plan'];
  validate('ssp', { 'system-security-plan': ssp2 });
  assert.deepEqual(ssp2.metadata.roles.map((x) => x.id),
    ['aims-manager', `aims-manager-${second.ref.toLowerCase()}`]);
  assert.equal(ssp2.metadata.parties.length, 2);
  const doc = exportModel(db, 'assessment-results');
  validate('assessment-results', doc);
  const res = doc['assessment-results'].results[0];
  const obs = res.observations.find((o) => o.props?.some((p) => p.name === 'evidence'
    && p.value === ev.ref));
  assert.ok(obs, 'the evidence record is an observation');
  assert.equal(obs['relevant-evidence'][0].href, 'https://ci.example/run/42');
  assert.equal(obs.expires, '2027-11-01T00:00:00Z');
  const f = res.findings.find((x) => x.target['target-id'] === 'iso42001-a.3.2');
  assert.ok(f['related-observations'].some((x) => x['observation-uuid'] === obs.uuid));
});

test('UUIDs are stable across exports of the same records, and follow the records', () => {
  const { db } = demoDb();
  for (const model of MODELS) {
    const a = exportModel(db, model, 'demo', [], { AIMS_FAKE_NOW: '2026-06-01T10:00:00Z' });
    const b = exportModel(db, model, 'demo', [], { AIMS_FAKE_NOW: '2026-06-02T11:00:00Z' });
    assert.notEqual(Object.values(a)[0].metadata['last-modified'],
      Object.values(b)[0].metadata['last-modified']);
    assert.deepEqual(uuids(b), uuids(a), model);
    const all = Object.values(uuids(a));
    for (const u of all) assert.match(u, /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  }
  // A changed record keeps its UUID; the document gets a new one.
  const before = exportModel(db, 'ssp')['system-security-plan'];
  aimsOk(['record', 'update', 'ai-systems', 'AIS-1', '--org', 'demo', '--as', DEMO_ADMIN, '--db', db, '--json',
    JSON.stringify({ name: 'Renamed system' })]);
  const after = exportModel(db, 'ssp')['system-security-plan'];
  const comp = (s) => s['system-implementation'].components
    .find((c) => c.props?.some((p) => p.name === 'reference' && p.value === 'AIS-1'));
  assert.equal(comp(after).title, 'Renamed system');
  assert.equal(comp(after).uuid, comp(before).uuid);
  assert.notEqual(after.uuid, before.uuid);
  // Another organisation with the same records gets other UUIDs.
  addOrg(db, 'other');
  const mine = exportModel(db, 'catalog', 'demo').catalog.uuid;
  const theirs = exportModel(db, 'catalog', 'other').catalog.uuid;
  assert.notEqual(mine, theirs);
});

test('the API answers the same documents; a profile needs an applicable control', async () => {
  const env = await setup();
  try {
    const s = await signIn(env.url);
    for (const model of ['catalog', 'ssp', 'assessment-results', 'poam']) {
      const r = await request(env.url, 'GET', `/api/v1/orgs/acme/exports/oscal/${model}.json`,
        { auth: s });
      assert.equal(r.status, 200, `${model}: ${r.text}`);
      assert.match(r.headers.get('content-type'), /application\/json/);
      assert.equal(r.headers.get('content-disposition'),
        `attachment; filename="acme-oscal-${model}.json"`);
      validate(model, r.json);
      const cli = exportModel(env.db, model, 'acme');
      assert.deepEqual(uuids(r.json), uuids(cli), model);
    }
    let r = await request(env.url, 'GET', '/api/v1/orgs/acme/exports/oscal/profile.json',
      { auth: s });
    assert.equal(r.status, 409);
    assert.equal(r.json.error.field, 'soa');
    record(env.db, 'acme', ['update', 'soa', 'A.6.2.8'], { applicable: true,
      justification: 'We log AI system events' });
    r = await request(env.url, 'GET', '/api/v1/orgs/acme/exports/oscal/profile.json',
      { auth: s });
    assert.equal(r.status, 200, r.text);
    validate('profile', r.json);
    assert.deepEqual(r.json.profile.imports[0]['include-controls'][0]['with-ids'],
      ['iso42001-a.6.2.8']);
    // A catalog this organisation did not import is not found.
    r = await request(env.url, 'GET',
      '/api/v1/orgs/acme/exports/oscal/catalog.json?catalog=nope', { auth: s });
    assert.equal(r.status, 404);
    // A viewer may read exports, as with the other exports.
    addMember(env.db, 'viewer@example.com', 'viewer');
    const v = await signIn(env.url, 'viewer@example.com');
    r = await request(env.url, 'GET', '/api/v1/orgs/acme/exports/oscal/ssp.json', { auth: v });
    assert.equal(r.status, 200);
    r = await request(env.url, 'GET', '/api/v1/orgs/acme/exports/oscal/ssp.json');
    assert.equal(r.status, 401);
  } finally {
    await env.cleanup();
  }
});

test('the profile and the SSP can follow a published SoA version instead of the draft', () => {
  const { db } = makeDb();
  const rows = JSON.parse(aimsOk(['record', 'list', 'soa', '--org', 'acme', '--db', db,
    '--format', 'json', '--limit', '100']).stdout);
  for (const row of rows) {
    record(db, 'acme', ['update', 'soa', row.ref], row.ref === 'A.10.4'
      ? { applicable: false, justification: 'We supply no AI to customers' }
      : { applicable: true, justification: 'Needed for our AI products', status: 'planned' });
  }
  addMember(db, 'mgr@example.com', 'manager');
  aimsOk(['soa', 'publish', '--org', 'acme', '--as', 'mgr@example.com', '--db', db]);
  // The draft moves on: A.6.2.8 is excluded after version 1.
  record(db, 'acme', ['update', 'soa', 'A.6.2.8'], { applicable: false,
    justification: 'Logging is done by our cloud provider' });
  const ids = (doc) => doc.profile.imports[0]['include-controls'][0]['with-ids'];
  const v1 = exportModel(db, 'profile', 'acme', ['--version', '1']);
  const draft = exportModel(db, 'profile', 'acme');
  validate('profile', v1);
  assert.equal(ids(v1).length, 37);
  assert.ok(ids(v1).includes('iso42001-a.6.2.8'));
  assert.equal(ids(draft).length, 36);
  assert.ok(!ids(draft).includes('iso42001-a.6.2.8'));
  const prop = (doc, name) => Object.values(doc)[0].metadata.props
    .find((p) => p.name === name)?.value;
  assert.equal(prop(v1, 'soa-version'), '1');
  assert.equal(prop(v1, 'soa-approver'), 'mgr@example.com');
  assert.equal(prop(draft, 'soa-version'), 'draft');
  const ssp = exportModel(db, 'ssp', 'acme', ['--version', '1']);
  validate('ssp', ssp);
  const a628 = ssp['system-security-plan']['control-implementation']['implemented-requirements']
    .find((r) => r['control-id'] === 'iso42001-a.6.2.8');
  assert.equal(a628['by-components'][0]['implementation-status'].state, 'planned');
  let r = aims(['export', 'oscal', '--org', 'acme', '--model', 'profile', '--version', '2',
    '--out', '-', '--db', db]);
  assert.equal(r.status, 1);
  r = aims(['export', 'oscal', '--org', 'acme', '--model', 'poam', '--version', '1',
    '--out', '-', '--db', db]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--version goes with --model profile or ssp/);
});

test('export oscal: --help, and usage errors name what is wrong', () => {
  const { db } = makeDb();
  const h = aimsOk(['export', 'oscal', '--help']);
  assert.match(h.stdout, /--model MODEL/);
  assert.match(h.stdout, /assessment-results/);
  let r = aims(['export', 'oscal', '--org', 'acme', '--model', 'nope', '--out', '-', '--db', db]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /unknown OSCAL model 'nope'/);
  r = aims(['export', 'oscal', '--org', 'acme', '--out', '-', '--db', db]);
  assert.equal(r.status, 2);
  r = aims(['export', 'oscal', '--org', 'ghost', '--model', 'ssp', '--out', '-', '--db', db]);
  assert.equal(r.status, 1);
  // Written atomically to a file.
  const out = join(tempDir(), 'ssp.json');
  aimsOk(['export', 'oscal', '--org', 'acme', '--model', 'ssp', '--out', out, '--db', db]);
  validate('ssp', JSON.parse(readFileSync(out, 'utf8')));
  assert.match(aimsOk(['import', 'oscal', '--help']).stdout, /JSON path/);
});

test('each testdata catalog imports, and exports again with the same control ids', () => {
  const { db } = makeDb();
  const catalogs = readdirSync(join(TESTDATA, 'examples'))
    .map((f) => join(TESTDATA, 'examples', f))
    .filter((f) => 'catalog' in JSON.parse(readFileSync(f, 'utf8')));
  assert.ok(catalogs.length >= 1);
  for (const [i, file] of catalogs.entries()) {
    const src = JSON.parse(readFileSync(file, 'utf8')).catalog;
    const id = `imported-${i}`;
    const out = aimsOk(['import', 'oscal', file, '--org', 'acme', '--as', ADMIN, '--catalog-id', id,
      '--db', db]).stdout;
    assert.match(out, new RegExp(`imported catalog '${id}'`));
    const doc = exportModel(db, 'catalog', 'acme', ['--catalog', id]);
    validate('catalog', doc);
    assert.deepEqual(controlIds(doc.catalog), controlIds(src));
    assert.equal(doc.catalog.metadata.title, src.metadata.title);
    assert.ok(doc.catalog.metadata.props.some((p) => p.name === 'source-uuid'
      && p.value === src.uuid));
  }
  // The ledger holds the import and still verifies.
  assert.match(aimsOk(['verify', '--db', db]).stdout, /verified/);
});

test('our own ISO/IEC 42001 catalog round-trips through import', () => {
  const { db, dir } = demoDb();
  const file = join(dir, 'iso.json');
  aimsOk(['export', 'oscal', '--org', 'demo', '--model', 'catalog', '--out', file, '--db', db]);
  aimsOk(['import', 'oscal', file, '--org', 'demo', '--as', DEMO_ADMIN, '--catalog-id', 'iso-copy', '--db', db]);
  const again = exportModel(db, 'catalog', 'demo', ['--catalog', 'iso-copy']);
  validate('catalog', again);
  assert.deepEqual(controlIds(again.catalog), controlIds(JSON.parse(readFileSync(file)).catalog));
  // Importing it again replaces it, as revision 2.
  const out = aimsOk(['import', 'oscal', file, '--org', 'demo', '--as', DEMO_ADMIN, '--catalog-id', 'iso-copy',
    '--db', db]).stdout;
  assert.match(out, /imported catalog 'iso-copy'/);
});

test('an imported catalog stays with the organisation that imported it', async () => {
  const env = await setup();
  try {
    addOrg(env.db, 'beta');
    const file = join(TESTDATA, 'examples', 'basic-catalog.json');
    aimsOk(['import', 'oscal', file, '--org', 'acme', '--as', ADMIN, '--catalog-id', 'sample', '--db', env.db]);
    const r = aims(['export', 'oscal', '--org', 'beta', '--model', 'catalog', '--catalog',
      'sample', '--out', '-', '--db', env.db]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /no imported catalog 'sample'/);
    const s = await signIn(env.url);
    let a = await request(env.url, 'GET',
      '/api/v1/orgs/acme/exports/oscal/catalog.json?catalog=sample', { auth: s });
    assert.equal(a.status, 200);
    // The same over the API: a multipart upload, kept for the organisation it is sent to.
    const form = new FormData();
    form.append('file', new Blob([readFileSync(file)], { type: 'application/json' }), 'c.json');
    const up = await fetch(`${env.url}/api/v1/orgs/acme/imports/oscal?catalog_id=by-api`,
      { method: 'POST', headers: { cookie: s.cookie, origin: env.url, 'x-csrf-token': s.csrf },
        body: form });
    const upJson = await up.json();
    assert.equal(up.status, 200, JSON.stringify(upJson));
    assert.equal(upJson.id, 'by-api');
    assert.equal(upJson.item_count, 8);
    // A check answers what it would keep, and keeps nothing.
    const form3 = new FormData();
    form3.append('file', new Blob([readFileSync(file)], { type: 'application/json' }), 'c.json');
    const chk = await fetch(`${env.url}/api/v1/orgs/acme/imports/oscal?catalog_id=only-checked&check=true`,
      { method: 'POST', headers: { cookie: s.cookie, origin: env.url, 'x-csrf-token': s.csrf },
        body: form3 });
    const chkJson = await chk.json();
    assert.equal(chk.status, 200, JSON.stringify(chkJson));
    assert.equal(chkJson.item_count, 8);
    a = await request(env.url, 'GET',
      '/api/v1/orgs/acme/exports/oscal/catalog.json?catalog=only-checked', { auth: s });
    assert.equal(a.status, 404, 'a checked catalog is not kept');
    a = await request(env.url, 'GET',
      '/api/v1/orgs/acme/exports/oscal/catalog.json?catalog=by-api', { auth: s });
    assert.equal(a.status, 200);
    validate('catalog', a.json);
    // A bad document answers 400 naming the path; nothing is kept.
    const bad = JSON.parse(readFileSync(file, 'utf8'));
    delete bad.catalog.groups[0].title;
    const form2 = new FormData();
    form2.append('file', new Blob([JSON.stringify(bad)], { type: 'application/json' }), 'c.json');
    const no = await fetch(`${env.url}/api/v1/orgs/acme/imports/oscal?catalog_id=bad-api`,
      { method: 'POST', headers: { cookie: s.cookie, origin: env.url, 'x-csrf-token': s.csrf },
        body: form2 });
    const noJson = await no.json();
    assert.equal(no.status, 400);
    assert.equal(noJson.error.field, '$.catalog.groups[0].title');
    assert.match(noJson.error.message, /^\$\.catalog\.groups\[0\]\.title: required$/);
    a = await request(env.url, 'GET',
      '/api/v1/orgs/acme/exports/oscal/catalog.json?catalog=bad-api', { auth: s });
    assert.equal(a.status, 404);
    // Listed for this organisation, by the API and the CLI; empty for the other.
    a = await request(env.url, 'GET', '/api/v1/orgs/acme/imported-catalogs', { auth: s });
    assert.equal(a.status, 200);
    assert.deepEqual(a.json.items.map((x) => x.id), ['by-api', 'sample']);
    assert.equal(a.json.items[0].imported_by, `user:${ADMIN}`);
    const listed = JSON.parse(aimsOk(['catalog', 'imported', '--org', 'acme', '--format', 'json',
      '--db', env.db]).stdout);
    assert.deepEqual(listed.map((x) => [x.id, x.item_count]), [['by-api', '8'], ['sample', '8']]);
    assert.deepEqual(JSON.parse(aimsOk(['catalog', 'imported', '--org', 'beta', '--format',
      'json', '--db', env.db]).stdout), []);
    aimsOk(['member', 'add', ADMIN, '--org', 'beta', '--role', 'admin', '--db', env.db]);
    a = await request(env.url, 'GET', '/api/v1/orgs/beta/imported-catalogs', { auth: s });
    assert.deepEqual(a.json.items, []);
    a = await request(env.url, 'GET',
      '/api/v1/orgs/beta/exports/oscal/catalog.json?catalog=sample', { auth: s });
    assert.equal(a.status, 404);
  } finally {
    await env.cleanup();
  }
});

// A bad copy of a testdata document: fn changes it; the import must fail
// naming path, and keep nothing.
function refused(db, base, fn, path, message) {
  const doc = JSON.parse(readFileSync(join(TESTDATA, 'examples', base), 'utf8'));
  fn(doc);
  const file = join(tempDir(), 'bad.json');
  writeFileSync(file, typeof doc === 'string' ? doc : JSON.stringify(doc));
  const r = aims(['import', 'oscal', file, '--org', 'acme', '--as', ADMIN, '--catalog-id', 'bad', '--db', db]);
  assert.equal(r.status, 1, r.stdout);
  assert.ok(r.stderr.includes(`${path}: ${message}`), `${path}: ${message}\n${r.stderr}`);
  const kept = aims(['export', 'oscal', '--org', 'acme', '--model', 'catalog', '--catalog',
    'bad', '--out', '-', '--db', db]);
  assert.equal(kept.status, 1, 'nothing kept');
}

test('bad catalogs are refused naming the JSON path, and nothing is kept', () => {
  const { db } = makeDb();
  const cat = 'basic-catalog.json';
  refused(db, cat, (d) => { delete d.catalog.groups[1].groups[0].controls[0].id; },
    '$.catalog.groups[1].groups[0].controls[0].id', 'required');
  refused(db, cat, (d) => { d.catalog.groups[0].groups[0].controls[0].title = 7; },
    '$.catalog.groups[0].groups[0].controls[0].title', 'must be a string');
  refused(db, cat, (d) => { d.catalog.uuid = 'not-a-uuid'; },
    '$.catalog.uuid', "'not-a-uuid' is not a version 4 or 5 UUID");
  refused(db, cat, (d) => { delete d.catalog.metadata['oscal-version']; },
    '$.catalog.metadata.oscal-version', 'required');
  refused(db, cat, (d) => { d.catalog.metadata['last-modified'] = '2026-05-01T10:00:00'; },
    '$.catalog.metadata.last-modified', "'2026-05-01T10:00:00' is not a date-time with a time zone");
  refused(db, cat, (d) => {
    d.catalog.groups[1].groups[0].controls[0].id = d.catalog.groups[0].groups[0].controls[0].id;
  }, '$.catalog.groups[1].groups[0].controls[0].id',
  `'${JSON.parse(readFileSync(join(TESTDATA, 'examples', cat))).catalog.groups[0].groups[0].controls[0].id}' is used already, at $.catalog.groups[0].groups[0].controls[0]`);
  refused(db, cat, (d) => { d.catalog.groups[0].groups[0].controls[0].id = '1bad id'; },
    '$.catalog.groups[0].groups[0].controls[0].id', "'1bad id' is not an OSCAL token");
  refused(db, cat, (d) => { d.profile = {}; }, '$.profile',
    'a document holds one model, and this one has catalog already');
  refused(db, cat, (d) => { d.catalog.groups = []; delete d.catalog.controls; },
    '$.catalog.groups', 'must not be empty');
  // Someone makes the import: nobody named is a usage error; a contributor imports no catalog.
  const basic = join(TESTDATA, 'examples', cat);
  let who = aims(['import', 'oscal', basic, '--org', 'acme', '--db', db], { env: { AIMS_AS: '' } });
  assert.equal(who.status, 2, who.stderr);
  addMember(db, 'contrib@example.com', 'contributor');
  who = aims(['import', 'oscal', basic, '--org', 'acme', '--as', 'contrib@example.com',
    '--db', db]);
  assert.equal(who.status, 1);
  assert.match(who.stderr, /only a manager or admin imports a catalog/);
  // Not JSON at all.
  const file = join(tempDir(), 'x.json');
  writeFileSync(file, '{"catalog": ');
  const r = aims(['import', 'oscal', file, '--org', 'acme', '--as', ADMIN, '--db', db]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /\$: not JSON/);
  // A model OpenAIMS does not import.
  const p = aims(['import', 'oscal', join(TESTDATA, 'examples', 'ssp-example.json'),
    '--org', 'acme', '--as', ADMIN, '--db', db]);
  assert.equal(p.status, 1);
  assert.match(p.stderr, /\$\.system-security-plan: OpenAIMS imports catalogs and assessment results/);
});

// Assessment results as a scanner would write them about ISO/IEC 42001.
function toolResults() {
  return { 'assessment-results': {
    uuid: '0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d',
    metadata: { title: 'Nightly fairness scan', 'last-modified': '2026-11-30T02:00:00+01:00',
      version: '1', 'oscal-version': '1.2.1' },
    'import-ap': { href: 'https://scanner.example/plans/1' },
    results: [{
      uuid: '1b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d', title: 'Run 381',
      description: 'Fairness and logging checks', start: '2026-11-30T01:00:00Z',
      'reviewed-controls': { 'control-selections': [{ 'include-controls': [
        { 'control-id': 'iso42001-a.6.2.8' }] }] },
      observations: [
        { uuid: '2b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d', title: 'Demographic parity within 2%',
          description: 'Parity difference 0.013 on the holdout set.', methods: ['TEST'],
          collected: '2026-11-30T01:30:00+01:00', expires: '2027-02-28T00:00:00Z',
          origins: [{ actors: [{ type: 'tool', 'actor-uuid': '3b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d' }] }],
          'relevant-evidence': [{ href: 'https://scanner.example/runs/381', description: 'Run log' }] },
        { uuid: '4b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d', description: 'Event logs are kept 90 days.',
          methods: ['EXAMINE'], collected: '2026-11-30T01:40:00Z' },
      ],
      findings: [{ uuid: '5b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d', title: 'Fairness tested',
        description: 'Within threshold', target: { type: 'objective-id',
          'target-id': 'iso42001-a.7.4_obj', status: { state: 'satisfied' } },
        'related-observations': [{ 'observation-uuid': '2b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d' }] }],
    }],
  } };
}

function evidenceCount(db) {
  return JSON.parse(aimsOk(['record', 'list', 'evidence', '--org', 'acme', '--db', db,
    '--format', 'json', '--limit', '500']).stdout).length;
}

test('assessment results from another tool become evidence linked to their requirements', () => {
  const { db } = makeDb();
  const file = join(tempDir(), 'ar.json');
  writeFileSync(file, JSON.stringify(toolResults()));
  assert.match(aimsOk(['import', 'oscal', file, '--org', 'acme', '--as', ADMIN, '--check', '--db', db]).stdout,
    /checked 2 observations/);
  assert.equal(evidenceCount(db), 0);
  assert.match(aimsOk(['import', 'oscal', file, '--org', 'acme', '--as', ADMIN, '--db', db]).stdout,
    /imported 2 observations as evidence/);
  const ev = JSON.parse(aimsOk(['record', 'list', 'evidence', '--org', 'acme', '--db', db,
    '--format', 'json']).stdout);
  const parity = ev.find((e) => e.title === 'Demographic parity within 2%');
  const full = JSON.parse(aimsOk(['record', 'show', 'evidence', parity.ref, '--org', 'acme',
    '--db', db, '--format', 'json']).stdout);
  // Linked to what its finding names; collected converted to UTC.
  assert.deepEqual(full.requirements, ['A.7.4']);
  assert.equal(full.kind, 'link');
  assert.equal(full.url, 'https://scanner.example/runs/381');
  assert.equal(full.collected_at, '2026-11-30T00:30:00Z');
  assert.equal(full.valid_until, '2027-02-28');
  assert.equal(full.source, 'ci');
  assert.match(full.description, /Nightly fairness scan/);
  // No finding names the second: the controls the result reviewed.
  const logs = ev.find((e) => e.ref !== parity.ref);
  const logsFull = JSON.parse(aimsOk(['record', 'show', 'evidence', logs.ref, '--org', 'acme',
    '--db', db, '--format', 'json']).stdout);
  assert.deepEqual(logsFull.requirements, ['A.6.2.8']);
  assert.equal(logsFull.title, 'Run 381');
});

test('assessment results naming an unknown requirement are refused whole', () => {
  const { db } = makeDb();
  const bad = toolResults();
  bad['assessment-results'].results[0].findings[0].target['target-id'] = 'ac-2';
  const file = join(tempDir(), 'ar.json');
  writeFileSync(file, JSON.stringify(bad));
  let r = aims(['import', 'oscal', file, '--org', 'acme', '--as', ADMIN, '--db', db]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /\$\.assessment-results\.results\[0\]\.findings\[0\]\.target\.target-id: 'ac-2' names no ISO\/IEC 42001 requirement/);
  assert.equal(evidenceCount(db), 0);
  delete bad['assessment-results'].results[0].observations[1].collected;
  bad['assessment-results'].results[0].findings[0].target['target-id'] = 'A.7.4';
  writeFileSync(file, JSON.stringify(bad));
  r = aims(['import', 'oscal', file, '--org', 'acme', '--as', ADMIN, '--db', db]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /\$\.assessment-results\.results\[0\]\.observations\[1\]\.collected: required/);
  assert.equal(evidenceCount(db), 0);
  // The NIST example names SP 800-53 controls, which evidence cannot link to.
  r = aims(['import', 'oscal', join(TESTDATA, 'examples', 'ifa_assessment-results-example.json'),
    '--org', 'acme', '--as', ADMIN, '--db', db]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /target-id: 'ac-6\.1_obj' names no ISO\/IEC 42001 requirement/);
  assert.equal(evidenceCount(db), 0);
});

test('internal audits become results and open nonconformities become POA&M items', () => {
  const { db } = demoDb();
  const audits = JSON.parse(aimsOk(['record', 'list', 'audits', '--org', 'demo', '--db', db,
    '--format', 'json']).stdout);
  const planned = (audits.items ?? audits).find((a) => a.planned_start);
  assert.ok(planned, 'the demo organisation plans an internal audit');
  const nc = record(db, 'demo', ['create', 'nonconformities'], { title: 'Model card out of date',
    source: 'self_identified', requirements: ['A.6.2.7'], severity: 'minor',
    description: 'The published model card does not describe the current model.' });
  const ar = exportModel(db, 'assessment-results');
  validate('assessment-results', ar);
  const result = ar['assessment-results'].results.find((r) => r.props?.some((p) =>
    p.name === 'audit' && p.value === planned.ref));
  assert.ok(result, 'the planned audit is a result of its own');
  assert.equal(result.start, `${planned.planned_start}T00:00:00Z`);
  const poam = exportModel(db, 'poam');
  validate('poam', poam);
  const item = poam['plan-of-action-and-milestones']['poam-items'].find((i) => i.props?.some((p) =>
    p.name === 'nonconformity' && p.value === nc.ref));
  assert.ok(item, 'the open nonconformity is a POA&M item');
  const finding = poam['plan-of-action-and-milestones'].findings.find((f) =>
    f.uuid === item['related-findings'][0]['finding-uuid']);
  assert.equal(finding.target['target-id'], 'iso42001-a.6.2.7');
});
