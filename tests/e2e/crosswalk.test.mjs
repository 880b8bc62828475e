// crosswalk.test.mjs - the crosswalk catalogs and coverage: every catalog is
// listed by the API with the counts of its source; coverage figures on a small
// organisation follow its measures and evidence (an expired evidence record or
// an excluded control takes coverage away); the OSCAL mapping collection
// validates against the NIST complete schema; the CLI answers what the API
// does; another organisation's coverage is 404; the web page shows it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { setup, request, signIn, addOrg, addMember, aims, aimsOk } from './lib.mjs';
import { strictWrites } from './lib.mjs';

// Every change these journeys make goes through the server's writer.
strictWrites();

const SCHEMA = new URL('../data/oscal/schemas/oscal_complete_schema.json', import.meta.url).pathname;
const A = '/api/v1/orgs/acme';
let env, admin, outsider;

before(async () => {
  env = await setup();
  addOrg(env.db, 'other');
  addMember(env.db, 'outsider@example.com', 'admin', 'other');
  admin = await signIn(env.url);
  outsider = await signIn(env.url, 'outsider@example.com');
});
after(async () => { await env.cleanup(); });

const get = (path, auth = admin) => request(env.url, 'GET', path, { auth });
const post = (path, body) => request(env.url, 'POST', A + path, { body, auth: admin });
const byId = (cov) => Object.fromEntries(cov.items.map((i) => [i.id, i]));

test('each crosswalk catalog is listed with the counts of its source', async () => {
  const count = async (fw, kind) => {
    const r = await get(`/api/v1/catalog/requirements?framework=${fw}&kind=${kind}&limit=500`);
    assert.equal(r.status, 200, r.text);
    return r.json.items.length;
  };
  assert.equal(await count('nist-ai-rmf', 'function'), 4);
  assert.equal(await count('nist-ai-rmf', 'category'), 19);
  assert.equal(await count('nist-ai-rmf', 'subcategory'), 72);
  assert.equal(await count('iso27001', 'control'), 93);
  assert.equal(await count('iso27001', 'theme'), 4);
  assert.equal(await count('owasp-llm-2025', 'risk'), 10);
  assert.ok(await count('atlas', 'tactic') === 16);
  const arts = (await get('/api/v1/catalog/requirements?framework=eu-ai-act&kind=article&limit=500')).json.items;
  for (const a of ['4', '5', '6', '9', '10', '11', '12', '13', '14', '15', '16', '17', '26', '27', '43',
    '47', '48', '49', '50', '72', '73'])
    assert.ok(arts.some((x) => x.id === a), `Art. ${a}`);
});

test('coverage figures on a small organisation follow its measures and evidence', async () => {
  let cov = (await get(`${A}/coverage?framework=eu-ai-act`)).json;
  const base = byId(cov);
  assert.equal(base['12'].status, 'not_covered');
  assert.equal(cov.counts.total, cov.items.length);

  // Event logs implemented and shown by current evidence; incidents implemented without evidence.
  const logs = await post('/measures', { title: 'Inference logs kept 13 months', status: 'implemented', requirements: ['A.6.2.8'] });
  assert.equal(logs.status, 201, logs.text);
  const inc = await post('/measures', { title: 'Incident communication runbook', status: 'implemented', requirements: ['A.8.4'] });
  assert.equal(inc.status, 201, inc.text);
  const ev = await post('/evidence', { title: 'Log retention config', kind: 'link', url: 'https://example.com/logs',
    measures: [logs.json.ref], valid_until: '2999-12-31' });
  assert.equal(ev.status, 201, ev.text);

  cov = (await get(`${A}/coverage?framework=eu-ai-act`)).json;
  const now = byId(cov);
  assert.equal(now['12'].status, 'covered', JSON.stringify(now['12']));
  assert.equal(now['12'].relationship, 'equivalent-to');
  assert.deepEqual(now['12'].iso42001[0].implemented_by, [logs.json.ref]);
  assert.deepEqual(now['12'].iso42001[0].evidence, [ev.json.ref]);
  assert.deepEqual(now['12'].missing, []);
  // Art. 19 asks also for 7.5.3; Art. 26 asks for more than A.6.2.8; Art. 73 has A.8.4 without evidence.
  assert.equal(now['19'].status, 'partial');
  assert.ok(now['19'].missing.some((m) => m.startsWith('7.5.3')), now['19'].missing.join('|'));
  assert.equal(now['26'].status, 'partial');
  assert.equal(now['73'].status, 'partial');
  assert.ok(now['73'].missing.some((m) => /A\.8\.4 .*no current evidence/.test(m)), now['73'].missing.join('|'));
  assert.equal(now['5'].status, 'not_covered');
  assert.match(now['5'].missing[0], /banned practices/);
  // Exactly these changed: one more covered, the partial ones named above.
  const changed = cov.items.filter((i) => i.status !== base[i.id].status).map((i) => i.id).sort();
  assert.deepEqual(changed, ['12', '19', '26', '73'].sort());
  assert.equal(cov.counts.covered, 1);
  assert.equal(cov.counts.partial, Object.values(base).filter((i) => i.status === 'partial').length + 3);
  assert.equal(cov.counts.covered + cov.counts.partial + cov.counts.not_covered, cov.counts.total);
  assert.equal(cov.score, Math.floor((200 * cov.counts.covered + 100 * cov.counts.partial + cov.counts.total) / (2 * cov.counts.total)));

  // ISO/IEC 27001 A.8.15 Logging intersects with A.6.2.8: partial at best.
  const iso = byId((await get(`${A}/coverage?framework=iso27001`)).json);
  assert.equal(iso['A.8.15'].status, 'partial');
  assert.equal(iso['A.7.1'].status, 'not_covered');
  assert.equal(iso['A.7.1'].iso42001.length, 0);

  // Expired evidence no longer shows the control.
  const upd = await request(env.url, 'PATCH', `${A}/evidence/${ev.json.ref}`, { auth: admin,
    body: { valid_until: '2001-01-01' } });
  assert.equal(upd.status, 200, upd.text);
  assert.equal(byId((await get(`${A}/coverage?framework=eu-ai-act`)).json)['12'].status, 'partial');
  // New evidence, linked to the requirement itself, shows it again; retired, it no longer does.
  const ev2 = await post('/evidence', { title: 'Log sample', kind: 'link', url: 'https://example.com/sample',
    requirements: ['A.6.2.8'] });
  assert.equal(ev2.status, 201, ev2.text);
  assert.equal(byId((await get(`${A}/coverage?framework=eu-ai-act`)).json)['12'].status, 'covered');
  const del = await request(env.url, 'DELETE', `${A}/evidence/${ev2.json.ref}`, { auth: admin });
  assert.equal(del.status, 204, del.text);
  assert.equal(byId((await get(`${A}/coverage?framework=eu-ai-act`)).json)['12'].status, 'partial');
});

test('an excluded control covers nothing', async () => {
  const soa = await request(env.url, 'PATCH', `${A}/soa/A.10.4`, { auth: admin,
    body: { applicable: false, justification: 'We have no customers of our AI systems: internal use only.' } });
  assert.equal(soa.status, 200, soa.text);
  const cov = byId((await get(`${A}/coverage?framework=eu-ai-act`)).json);
  const t = cov['53'].iso42001.find((x) => x.id === 'A.10.4');
  assert.equal(t.state, 'excluded');
  assert.ok(cov['53'].missing.some((m) => /A\.10\.4 .*excluded/.test(m)));
});

test('a record linked to clause 9 names ISO/IEC 42001\'s clause, not the EU AI Act article with the same number', async () => {
  const m = await post('/measures', { title: 'Monitoring programme', status: 'planned', requirements: ['9'] });
  assert.equal(m.status, 201, m.text);
  const links = (await get(`${A}/measures/${m.json.ref}/links`)).json;
  const l = (links.items ?? links).find((x) => x.ref === '9');
  assert.equal(l.title, 'Performance evaluation', JSON.stringify(links));
});

test('bad or missing framework is refused naming the field; another organisation is 404', async () => {
  let r = await get(`${A}/coverage?framework=pci-dss`);
  assert.equal(r.status, 400);
  assert.equal(r.json.error.field, 'framework');
  r = await get(`${A}/coverage`);
  assert.equal(r.status, 400);
  assert.equal(r.json.error.field, 'framework');
  r = await get(`${A}/coverage?framework=nist-ai-rmf`, outsider);
  assert.equal(r.status, 404);
  r = await get(`${A}/exports/oscal/mapping.json?framework=nist-ai-rmf`, outsider);
  assert.equal(r.status, 404);
});

test('the OSCAL mapping collection validates against the NIST complete schema', async () => {
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  const validate = ajv.compile(JSON.parse(readFileSync(SCHEMA, 'utf8')));
  for (const fw of ['eu-ai-act', 'nist-ai-rmf', 'iso27001', 'owasp-llm-2025', 'atlas']) {
    const r = await get(`${A}/exports/oscal/mapping.json?framework=${fw}`);
    assert.equal(r.status, 200, r.text);
    assert.match(r.headers.get('content-disposition'), new RegExp(`acme-oscal-mapping-${fw}\\.json`));
    const doc = r.json;
    assert.ok(validate(doc), `${fw}: ${JSON.stringify(validate.errors?.slice(0, 5), null, 1)}`);
    const mc = doc['mapping-collection'];
    assert.deepEqual(Object.keys(doc), ['mapping-collection']);
    const m = mc.mappings[0];
    const cov = (await get(`${A}/coverage?framework=${fw}`)).json;
    const mapped = cov.items.filter((i) => i.iso42001.length > 0);
    assert.equal(m.maps.length, mapped.length);
    const unmapped = cov.items.length - mapped.length;
    assert.equal(m['source-gap-summary']?.['unmapped-controls'][0]['with-ids'].length ?? 0, unmapped);
    const prop = (n) => m.props.find((p) => p.name === n).value;
    assert.equal(prop('coverage-covered'), String(cov.counts.covered));
    assert.equal(prop('coverage-score'), String(cov.score));
  }
  const eu = (await get(`${A}/exports/oscal/mapping.json?framework=eu-ai-act`)).json['mapping-collection'];
  const art12 = eu.mappings[0].maps.find((x) => x.sources[0]['id-ref'] === 'eu-ai-act-12');
  assert.equal(art12.relationship, 'equivalent-to');
  assert.deepEqual(art12.targets, [{ type: 'control', 'id-ref': 'iso42001-a.6.2.8' }]);
  assert.ok(eu.mappings[0]['source-gap-summary']['unmapped-controls'][0]['with-ids'].includes('eu-ai-act-5'));
  // The same records give the same document identifiers.
  const again = (await get(`${A}/exports/oscal/mapping.json?framework=eu-ai-act`)).json['mapping-collection'];
  assert.equal(again.uuid, eu.uuid);
  assert.equal(again.mappings[0].maps[0].uuid, eu.mappings[0].maps[0].uuid);
});

test('the CLI answers what the API does, and checks its options', async () => {
  const api = (await get(`${A}/coverage?framework=nist-ai-rmf`)).json;
  const cli = JSON.parse(aimsOk(['crosswalk', 'coverage', '--org', 'acme', '--framework', 'nist-ai-rmf',
    '--format', 'json', '--db', env.db]).stdout);
  assert.deepEqual({ ...cli, evaluated_at: null }, { ...api, evaluated_at: null });
  const text = aimsOk(['crosswalk', 'coverage', '--org', 'acme', '--framework', 'nist-ai-rmf', '--db', env.db]).stdout;
  assert.match(text, new RegExp(`coverage ${api.score}%`));
  assert.match(text, /GOVERN 1\.1/);
  const oscal = JSON.parse(aimsOk(['crosswalk', 'coverage', '--org', 'acme', '--framework', 'atlas',
    '--format', 'oscal', '--db', env.db]).stdout);
  assert.ok(oscal['mapping-collection']);
  let r = aims(['crosswalk', 'coverage', '--org', 'acme', '--framework', 'pci', '--db', env.db]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /unknown framework 'pci'/);
  r = aims(['crosswalk', 'coverage', '--help']);
  assert.equal(r.status, 0);
  assert.match(r.stdout, /--framework F/);
  r = aims(['crosswalk', 'coverage', '--org', 'nope', '--framework', 'atlas', '--db', env.db]);
  assert.equal(r.status, 1);
});

test('the web page shows the coverage with words, not colour alone', async () => {
  const r = await request(env.url, 'GET', '/o/acme/coverage?framework=nist-ai-rmf', { auth: admin });
  assert.equal(r.status, 200);
  assert.match(r.text, /Crosswalk coverage/);
  assert.match(r.text, /GOVERN 1\.1/);
  assert.match(r.text, /Not covered/);
  assert.match(r.text, /exports\/oscal\/mapping\.json\?framework=nist-ai-rmf/);
  const eu = await request(env.url, 'GET', '/o/acme/coverage', { auth: admin });
  assert.match(eu.text, /Artificial Intelligence Act/);
  assert.equal((await request(env.url, 'GET', '/o/acme/coverage', { auth: outsider })).status, 404);
});
