// record_kinds.test.mjs - every record kind, as `aims record kinds --format
// json` declares it, against the running server: its API route answers, the
// OpenAPI document has its schema (fields, types, allowed values, required
// and read-only ones) used by its routes, its list page answers, the
// navigation lists it under its section with its key, the dashboard counts
// it (done/total where it declares done states) and lists its due dates.
// A kind that misses any of these fails here by name.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { ADMIN, aims, aimsOk, addMember, setup, request, signIn } from './lib.mjs';

let env;
let admin;
let kinds;
let doc;

before(async () => {
  // One long list per kind is a heavy read: there are more kinds than the default
  // budget of 30 a minute.
  env = await setup({ args: ['--heavy-reads-per-minute', '1000'] });
  admin = await signIn(env.url);
  kinds = JSON.parse(aimsOk(['record', 'kinds', '--format', 'json']).stdout);
  doc = (await request(env.url, 'GET', '/api/v1/openapi.json')).json;
});
after(async () => { await env.cleanup(); });

const JSON_TYPES = {
  string: 'string', text: 'string', bool: 'boolean', int: 'integer', enum: 'string',
  'enum-list': 'array', date: 'string', datetime: 'string', 'string-list': 'array',
  ref: 'string', 'ref-list': 'array', requirement: 'string', 'requirement-list': 'array',
  user: 'string', 'object-list': 'array', object: 'object',
};

function typeOf(schema) {
  return Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
}

test('the CLI lists the same kinds as text and as JSON, and explains itself', () => {
  assert.ok(kinds.length >= 13, `${kinds.length} kinds`);
  const text = aimsOk(['record', 'kinds']).stdout;
  for (const k of kinds) assert.match(text, new RegExp(`^${k.name}\\s+${k.prefix}\\s`, 'm'));
  const risks = aimsOk(['record', 'kinds', 'risks']).stdout;
  assert.match(risks, /^likelihood\s+Likelihood\s+int\s/m);
  const one = JSON.parse(aimsOk(['record', 'kinds', 'evidence', '--format', 'json']).stdout);
  assert.equal(one.files, true);
  assert.match(aimsOk(['record', 'kinds', '--help']).stdout, /--format F/);
  let r = aims(['record', 'kinds', '--format', 'yaml']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--format is text or json, not 'yaml'/);
  r = aims(['record', 'kinds', 'nonsense']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /unknown kind 'nonsense'/);
});

test('every kind has its OpenAPI schema, used by its routes', () => {
  const schemas = doc.components.schemas;
  for (const k of kinds) {
    const s = schemas[k.name];
    assert.ok(s, `no schema ${k.name}`);
    for (const f of k.fields) {
      const p = s.properties[f.name];
      assert.ok(p, `${k.name}: no property ${f.name}`);
      assert.equal(typeOf(p), JSON_TYPES[f.type], `${k.name}.${f.name} type`);
      assert.equal(Boolean(p.readOnly), f.flags.includes('read-only'), `${k.name}.${f.name} readOnly`);
      assert.equal(s.required.includes(f.name), f.flags.includes('required'), `${k.name}.${f.name} required`);
      if (f.type === 'enum') assert.deepEqual(p.enum.filter((v) => v !== null), f.values, `${k.name}.${f.name} values`);
      if (f.type === 'enum-list') assert.deepEqual(p.items.enum, f.values, `${k.name}.${f.name} values`);
    }
    for (const meta of ['ref', 'version', 'created_at', 'updated_at']) {
      assert.equal(s.properties[meta].readOnly, true, `${k.name}.${meta}`);
    }
    const base = `/api/v1/orgs/{org}/${k.name}`;
    const item = doc.paths[base];
    assert.ok(item?.get, `no GET ${base}`);
    const ok = item.get.responses['200'].content['application/json'].schema;
    const ref = `#/components/schemas/${k.name}`;
    assert.ok(ok.$ref === ref || ok.properties.items.items.$ref === ref, `GET ${base} answers ${k.name}`);
    assert.equal(item.get['x-aims-permission'].kind, k.permission);
    if (!k.fixed) assert.equal(item.post.requestBody.content['application/json'].schema.$ref, ref);
    else assert.equal(item.post, undefined, `${k.name} is fixed: no create`);
    const one = doc.paths[`${base}/{ref}`];
    if (k.singleton) assert.equal(one, undefined);
    else assert.equal(one.patch.requestBody.content['application/json'].schema.$ref, `${ref}.patch`);
    assert.equal(Boolean(doc.paths[`${base}/{ref}/files`]), k.files, `${k.name} file routes`);
    assert.equal(Boolean(item.post?.requestBody.content['multipart/form-data']), k.files && !k.fixed);
  }
  // Nothing in the document is left with a {kind} placeholder.
  assert.deepEqual(Object.keys(doc.paths).filter((p) => p.includes('{kind}')), []);
});

test('every kind answers on the API and has its page', async () => {
  for (const k of kinds) {
    const r = await request(env.url, 'GET', `/api/v1/orgs/acme/${k.name}`, { auth: admin });
    if (k.singleton && r.status === 404) continue;	/* not made yet: a record, not a list */
    assert.equal(r.status, 200, `GET ${k.name}: ${r.text}`);
    if (!k.singleton) assert.ok(Array.isArray(r.json.items), k.name);
    const page = await request(env.url, 'GET', `/o/acme/${k.name}`, { auth: admin });
    // A one-per-organisation kind's list is its record.
    if (k.singleton && page.status === 303) assert.match(page.headers.get('location'), new RegExp(`/o/acme/${k.name}/`));
    else assert.equal(page.status, 200, `page ${k.name}`);
  }
});

test('the navigation lists every kind under its section, with its label and key', async () => {
  const r = await request(env.url, 'GET', '/o/acme/', { auth: admin });
  assert.equal(r.status, 200);
  const nav = r.text.slice(r.text.indexOf('<nav id="nav"'), r.text.indexOf('</nav>', r.text.indexOf('<nav id="nav"')));
  const escape = (s) => s.replace(/&/g, '&amp;');
  let last = -1;
  for (const k of kinds) {
    const at = nav.indexOf(`<a href="/o/acme/${k.name}"`);
    assert.ok(at >= 0, `${k.name} is not in the navigation`);
    const section = nav.lastIndexOf('<h2>', at);
    assert.equal(nav.slice(section + 4, nav.indexOf('</h2>', section)), escape(k.nav.section), `${k.name} section`);
    assert.ok(at > last, `${k.name} is out of order`);
    last = at;
    const link = nav.slice(at, nav.indexOf('</a>', at));
    assert.ok(link.includes(escape(k.nav.label)) || link.toLowerCase().includes(escape(k.nav.label).toLowerCase()), `${k.name} label`);
    if (k.nav.key) assert.ok(link.includes(`data-key="${k.nav.key}"`), `${k.name} key`);
    if (k.nav.view) assert.ok(nav.includes(`/o/acme/${k.name}?${k.nav.view.filter}=${k.nav.view.value}`), `${k.name} view`);
  }
});

test('the dashboard counts every kind and lists the declared due dates', async () => {
  let r = await request(env.url, 'POST', '/api/v1/orgs/acme/risks', {
    auth: admin,
    body: { title: 'Drift', likelihood: 2, impact: 3, status: 'treated', next_review: '2000-01-01',
      treatment: { option: 'modify', residual_likelihood: 1, residual_impact: 1 } },
  });
  assert.equal(r.status, 201, r.text);
  r = await request(env.url, 'POST', '/api/v1/orgs/acme/risks', { auth: admin, body: { title: 'Bias' } });
  assert.equal(r.status, 201, r.text);
  const page = (await request(env.url, 'GET', '/o/acme/', { auth: admin })).text;
  const areas = page.slice(page.indexOf('id="d-areas"'));
  for (const k of kinds) {
    if (k.fixed || k.singleton) continue;
    const at = areas.indexOf(`<a href="/o/acme/${k.name}"`);
    assert.ok(at >= 0, `${k.name} has no dashboard row`);
    const row = areas.slice(at, areas.indexOf('</tr>', at));
    const count = Number(row.match(/<td>(\d+)<\/td>/)[1]);
    // Progress (done of total) where the kind declares done states and has records.
    assert.equal(row.includes('<progress'), k.done.length > 0 && count > 0, `${k.name}: done/total follows its declaration`);
  }
  const risks = areas.slice(areas.indexOf('<a href="/o/acme/risks"'));
  const docs = areas.slice(areas.indexOf('<a href="/o/acme/documents"'));
  assert.doesNotMatch(docs.slice(0, docs.indexOf('</tr>')), /<progress/);	/* none yet */
  assert.match(risks.slice(0, risks.indexOf('</tr>')), /<progress max="2" value="1">/);
  // The risk's review date (declared due by risks) is past: it is listed as past due.
  const overdue = page.slice(page.indexOf('id="d-overdue"'), page.indexOf('id="d-upcoming"'));
  assert.match(overdue, /RISK-1/);
  assert.match(overdue, /risk review/i);
  // The declared heat maps and bar charts are drawn.
  for (const k of kinds) {
    for (const c of k.counts.filter((x) => x.chart === 'heatmap')) assert.ok(page.includes(`id="hm-${c.dim}"`), `${k.name} ${c.dim}`);
    for (const c of k.counts.filter((x) => x.chart === 'bars')) assert.ok(page.includes(`>${c.label}</h2>`), `${k.name} ${c.dim}`);
  }
});

// A JSON Schema check of what the document uses (type, enum, required,
// properties, additionalProperties, items, ranges, lengths, formats, $ref).
function check(schema, v, path, errors) {
  if (schema.$ref) schema = doc.components.schemas[schema.$ref.split('/').pop()];
  const types = [].concat(schema.type ?? []);
  const t = v === null ? 'null' : Array.isArray(v) ? 'array' : Number.isInteger(v) ? 'integer' : typeof v;
  if (types.length && !types.includes(t)) { errors.push(`${path}: ${t} is not ${types.join('|')}`); return; }
  if (schema.enum && !schema.enum.includes(v)) errors.push(`${path}: ${JSON.stringify(v)} is not one of ${schema.enum}`);
  if (t === 'integer' && (v < (schema.minimum ?? -Infinity) || v > (schema.maximum ?? Infinity))) errors.push(`${path}: ${v} out of range`);
  if (t === 'string' && schema.maxLength !== undefined && [...v].length > schema.maxLength) errors.push(`${path}: too long`);
  if (t === 'string' && schema.format === 'date' && !/^\d{4}-\d{2}-\d{2}$/.test(v)) errors.push(`${path}: not a date`);
  if (t === 'string' && schema.format === 'date-time' && !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/.test(v)) errors.push(`${path}: not a date-time`);
  if (t === 'object') {
    for (const r of schema.required ?? []) if (!(r in v)) errors.push(`${path}: ${r} is missing`);
    for (const [k, x] of Object.entries(v)) {
      if (schema.properties?.[k]) check(schema.properties[k], x, `${path}.${k}`, errors);
      else if (schema.additionalProperties === false) errors.push(`${path}: ${k} is not in the schema`);
    }
  }
  if (t === 'array' && schema.items) v.forEach((x, i) => check(schema.items, x, `${path}[${i}]`, errors));
}

test('what the API answers for every kind is what its schema says', async () => {
  aimsOk(['init', '--db', env.db, '--demo']);
  addMember(env.db, ADMIN, 'admin', 'demo');
  const made = [
    ['documents', { title: 'AI policy', kind: 'policy', is_ai_policy: true, body: '# Policy' }],
    ['responsibilities', { role_name: 'AIMS lead' }],
    ['suppliers', { name: 'Model vendor', next_assessment: '2027-01-01' }],
    ['impact-assessments', { ai_system: 'AIS-1', title: 'Scoring impacts' }],
    ['evidence', { title: 'Evaluation report', kind: 'link', url: 'https://example.org/r', requirements: ['A.6.2.4'] }],
  ];
  const errors = [];
  for (const [kind, body] of made) {
    const r = await request(env.url, 'POST', `/api/v1/orgs/demo/${kind}`, { auth: admin, body });
    assert.equal(r.status, 201, `${kind}: ${r.text}`);
    check({ $ref: `#/components/schemas/${kind}` }, r.json, `POST ${kind}`, errors);
  }
  let seen = 0;
  for (const k of kinds) {
    const r = await request(env.url, 'GET', `/api/v1/orgs/demo/${k.name}?limit=500`, { auth: admin });
    if (k.singleton && r.status === 404) continue;
    assert.equal(r.status, 200, `${k.name}: ${r.text}`);
    check(doc.paths[`/api/v1/orgs/{org}/${k.name}`].get.responses['200'].content['application/json'].schema,
      r.json, `GET ${k.name}`, errors);
    seen += k.singleton ? 1 : r.json.items.length;
    // A record's own keys are exactly its kind's schema: none missing, none extra.
    const one = k.singleton ? r.json : r.json.items[0];
    if (one) assert.deepEqual(Object.keys(one).sort(), Object.keys(doc.components.schemas[k.name].properties).sort(), k.name);
  }
  assert.deepEqual(errors, []);
  assert.ok(seen >= 50, `${seen} records checked`);
  // The same with a JSON Schema 2020-12 validator: each kind's schema compiles
  // (OpenAPI 3.1 schemas are JSON Schema) and accepts what the API answers.
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ $id: 'openapi', components: doc.components });
  for (const k of kinds) {
    const validate = ajv.compile({ $ref: `openapi#/components/schemas/${k.name}` });
    const r = await request(env.url, 'GET', `/api/v1/orgs/demo/${k.name}?limit=500`, { auth: admin });
    if (r.status !== 200) continue;
    for (const rec of k.singleton ? [r.json] : r.json.items) {
      assert.ok(validate(rec), `${k.name} ${rec.ref}: ${ajv.errorsText(validate.errors)}`);
    }
    // and refuses what the server refuses: a value outside an enum.
    const e = k.fields.find((f) => f.type === 'enum' && !f.flags.includes('read-only'));
    const one = k.singleton ? r.json : r.json.items[0];
    if (e && one) assert.equal(validate({ ...one, [e.name]: 'no-such-value' }), false, `${k.name}.${e.name}`);
  }
  // What the schema refuses, the server refuses, naming the field.
  const bad = await request(env.url, 'POST', '/api/v1/orgs/demo/risks', { auth: admin, body: { title: 'x', likelihood: 99 } });
  assert.equal(bad.status, 400);
  assert.equal(bad.json.error.field, 'likelihood');
  assert.equal(doc.components.schemas.risks.properties.likelihood.maximum < 99, true);
});

test('a document under revision counts as done while its approved version stays in force', async () => {
  addMember(env.db, 'second@example.com', 'manager');
  const second = await signIn(env.url, 'second@example.com');
  const A = '/api/v1/orgs/acme/documents';
  let r = await request(env.url, 'POST', A, { auth: admin, body: { title: 'AI policy', kind: 'policy', body: 'v1' } });
  assert.equal(r.status, 201, r.text);
  const ref = r.json.ref;
  const progress = async () => {
    const page = (await request(env.url, 'GET', '/o/acme/', { auth: admin })).text;
    const row = page.slice(page.indexOf('<a href="/o/acme/documents"', page.indexOf('id="d-areas"')));
    return row.slice(0, row.indexOf('</tr>')).match(/<progress max="(\d+)" value="(\d+)">/)?.slice(1).map(Number);
  };
  assert.deepEqual(await progress(), [1, 0]);
  r = await request(env.url, 'PATCH', `${A}/${ref}`, { auth: admin, body: { status: 'in_review' } });
  assert.equal(r.status, 200, r.text);
  r = await request(env.url, 'PATCH', `${A}/${ref}`, { auth: second, body: { status: 'approved' } });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(await progress(), [1, 1]);
  // A change starts a revision: the approved version stays in force, and done.
  r = await request(env.url, 'PATCH', `${A}/${ref}`, { auth: admin, body: { body: 'v2' } });
  assert.equal(r.status, 200, r.text);
  assert.ok(r.json.in_force_version > 0);
  assert.notEqual(r.json.status, 'approved');
  assert.deepEqual(await progress(), [1, 1]);
  // Retired, it is neither counted nor done.
  r = await request(env.url, 'DELETE', `${A}/${ref}`, { auth: admin });
  assert.equal(r.status, 204, r.text);
  assert.equal(await progress(), undefined);
});
