// api_fuzz.test.mjs - the record API under random input made from its own
// OpenAPI schemas: for every kind, creates, updates and lists with values
// of the declared types, references to records that exist, and now and
// then a hostile value (huge numbers, NUL bytes, 70,000-character strings,
// impossible dates, nested junk, SQL and FTS5 syntax, bad cursors and
// sorts). Every answer must be a 2xx or a 4xx with an error body, never a
// 5xx; the server must still answer afterwards; and the ledger of
// everything that was accepted must verify. Seeded (AIMS_FUZZ_SEED, and
// AIMS_FUZZ_ROUNDS for a longer run), so a failure replays.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN, aims, request, setup, startServer } from './lib.mjs';

const SEED = Number(process.env.AIMS_FUZZ_SEED || 20261206);
const ROUNDS = Number(process.env.AIMS_FUZZ_ROUNDS || 1200);
const A = '/api/v1/orgs/acme';

// mulberry32: a small seeded generator, so a failing round can be replayed.
function generator(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6D2B79F5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: (xs) => xs[Math.floor(next() * xs.length)],
  };
}

const HOSTILE = [null, '', ' ', 'x'.repeat(70000), '\u0000', 'a\u0000b', '\u{1F600}', '\uFEFF', -1, 0,
  2 ** 31, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 1e308, -1e308, 1.5, true, false, [],
  {}, [null], [1, 'a', {}], { a: [{ b: null }] }, '2026-02-30', '2026-13-01', '0000-01-01',
  '9999-12-31T23:59:60Z', '2026-01-01T00:00:00+25:00', 'AIS-999999999999999999999',
  '../../etc/passwd', '<script>alert(1)</script>', "' OR 1=1 --", '%s%n%x', 'RISK-1',
  ['A.2.2', 'A.99'], 'A.2.2', '9.1', 'NEAR(a b)', '"unclosed', 'a*'];

function typeOf(prop) {
  const t = Array.isArray(prop.type) ? prop.type.filter((x) => x !== 'null')[0] : prop.type;
  return t;
}

function valueFor(rnd, prop, refs, hostile) {
  const t = typeOf(prop);
  if (rnd.next() < hostile) return rnd.pick(HOSTILE);
  const refKind = prop['x-aims-ref'] || prop.items?.['x-aims-ref'];
  if (refKind) {
    const have = refs.get(refKind) || [];
    const one = have.length ? rnd.pick(have) : 'X-1';
    return t === 'array' ? [one] : one;
  }
  if (prop.format === 'email') return rnd.next() < 0.8 ? ADMIN : 'nobody@example.com';
  if (prop.format === 'date-time') return `2026-0${rnd.int(1, 9)}-0${rnd.int(1, 9)}T10:00:00Z`;
  if (prop.format === 'date') return `2026-0${rnd.int(1, 9)}-0${rnd.int(1, 9)}`;
  if (prop.enum) return rnd.pick(prop.enum);
  switch (t) {
  case 'string': return rnd.pick(['x', `Test value ${rnd.int(0, 1e6)}`, 'a'.repeat(rnd.int(0, 3000)),
    'drift—bias in the model', '0.95']);
  case 'array': if (prop.items?.enum) return [rnd.pick(prop.items.enum.filter((e) => e !== null))];
    return Array.from({ length: rnd.int(0, 3) }, () => valueFor(rnd, prop.items || {}, refs, hostile));
  case 'integer': return rnd.pick([0, 1, 3, 5, -5, 1e6]);
  case 'number': return rnd.pick([0.5, 99.9, -1]);
  case 'boolean': return rnd.next() < 0.5;
  case 'object': return Object.fromEntries(Object.entries(prop.properties || {})
    .filter(() => rnd.next() < 0.5).map(([k, p]) => [k, valueFor(rnd, p, refs, hostile)]));
  default: return rnd.pick(HOSTILE);
  }
}

function assertAnswered(r, what) {
  assert.ok(r.status < 500, `${what}: ${r.status} ${r.text.slice(0, 300)}`);
  if (r.status >= 400) assert.ok(r.json?.error?.message, `${what}: ${r.status} without an error body: ${r.text.slice(0, 300)}`);
}

// Runs body with a fresh server, an admin token and the record kinds' schemas; cleans up.
async function withAdmin(body) {
  const env = await setup();
  try {
    const token = JSON.parse(aims(['token', 'create', '--db', env.db, '--org', 'acme', '--name', 'fuzz',
      '--role', 'admin', '--format', 'json']).stdout).token;
    const schemas = (await request(env.url, 'GET', '/api/v1/openapi.json')).json.components.schemas;
    const kinds = Object.keys(schemas).filter((k) => schemas[`${k}.patch`]);
    await body({ env, auth: { token }, schemas, kinds });
  } finally {
    await env.cleanup().catch(() => {});
  }
}

test('random schema-driven creates, updates and lists: no 5xx, and what was accepted verifies', (t) =>
  withAdmin(async ({ env, auth, schemas, kinds }) => {
    assert.ok(kinds.length >= 30, `the schemas name the kinds (${kinds.length})`);
    const rnd = generator(SEED);
    const refs = new Map();
    let created = 0, updated = 0;
    // A few plain passes over every kind first, so that the kinds that must
    // name another record (an incident its AI system) find one to name.
    for (let pass = 0; pass < 3; pass++)
      for (const kind of kinds) {
        const props = schemas[`${kind}.patch`].properties || {};
        const required = new Set(schemas[kind].required || []);
        const body = Object.fromEntries(Object.entries(props)
          .filter(([f]) => required.has(f))
          .map(([f, p]) => [f, valueFor(rnd, p, refs, 0)]));
        const r = await request(env.url, 'POST', `${A}/${kind}`, { auth, body });
        assertAnswered(r, `seeding pass ${pass} (seed ${SEED}): POST ${kind} ${JSON.stringify(body).slice(0, 200)}`);
        if (r.status === 201) refs.set(kind, [...(refs.get(kind) || []), r.json.ref]);
      }
    const seeded = [...refs.values()].reduce((n, v) => n + v.length, 0);
    for (let i = 0; i < ROUNDS; i++) {
      const kind = rnd.pick(kinds);
      const props = schemas[`${kind}.patch`].properties || {};
      const required = new Set(schemas[kind].required || []);
      const hostile = rnd.pick([0, 0.03, 0.1]);
      let body = Object.fromEntries(Object.entries(props)
        .filter(([f]) => required.has(f) || rnd.next() < 0.5)
        .map(([f, p]) => [f, valueFor(rnd, p, refs, hostile)]));
      if (rnd.next() < 0.03) body = rnd.pick(HOSTILE);
      const what = `round ${i} (seed ${SEED}): POST ${kind} ${JSON.stringify(body).slice(0, 200)}`;
      const r = await request(env.url, 'POST', `${A}/${kind}`, { auth, body: body === undefined ? 'null' : body });
      assertAnswered(r, what);
      if (r.status === 201) {
        created++;
        refs.set(kind, [...(refs.get(kind) || []), r.json.ref]);
      }
      const have = refs.get(kind) || [];
      if (have.length && rnd.next() < 0.5) {
        const change = Object.fromEntries(Object.entries(props).filter(() => rnd.next() < 0.3)
          .map(([f, p]) => [f, valueFor(rnd, p, refs, hostile)]));
        const u = await request(env.url, 'PATCH', `${A}/${kind}/${encodeURIComponent(rnd.pick(have))}`, { auth, body: change });
        assertAnswered(u, `round ${i} (seed ${SEED}): PATCH ${kind} ${JSON.stringify(change).slice(0, 200)}`);
        if (u.status === 200) updated++;
      }
      const q = new URLSearchParams();
      for (const f of Object.keys(props).filter(() => rnd.next() < 0.15))
        q.set(f, rnd.pick(['', 'x', '1', 'null', 'AIS-1', '2026-01-01', 'é', '*', '%', ',']));
      const extra = rnd.pick([{}, { sort: rnd.pick([...Object.keys(props), '-updated_at', 'nope', '']) },
        { limit: rnd.pick(['0', '-1', '1000000', 'x', '50']) },
        { cursor: rnd.pick(['', 'x', 'WyJhIl0', 'W10', 'e30', 'WzEsMiwzXQ']) },
        { q: rnd.pick(['"', 'a*', 'NEAR(', '—', 'drift', 'AND OR']) }]);
      for (const [k, v] of Object.entries(extra)) q.set(k, v);
      const l = await request(env.url, 'GET', `${A}/${kind}?${q}`, { auth });
      assertAnswered(l, `round ${i} (seed ${SEED}): GET ${kind}?${q}`);
    }
    t.diagnostic(`${seeded} seeded, ${ROUNDS} rounds, ${created} created, ${updated} updated (seed ${SEED})`);
    // Enough of it was accepted for the ledger check to mean something.
    assert.ok(created >= ROUNDS / 20, `created ${created} of ${ROUNDS}`);
    assert.ok(updated >= 1, `updated ${updated}`);
    assert.equal((await request(env.url, 'GET', '/healthz')).status, 200);
    // What was accepted, odd values and all, is in a ledger that verifies.
    await env.server.stop();
    const v = aims(['verify', '--db', env.db], { timeout: 120000 });
    assert.equal(v.status, 0, v.stdout + v.stderr);
    assert.match(v.stdout, /verified/);
    env.server = await startServer(env.db);
  }));

// A cursor comes back from the client: one whose values do not fit the
// sort's keys (text for a row number, a number for a time) is refused with
// 400 on both stores, where PostgreSQL answered 500 (it will not compare a
// number column with text; SQLite orders anything against anything).
test('a forged list cursor is refused with 400, whatever its values', () =>
  withAdmin(async ({ env, auth }) => {
    for (let i = 0; i < 3; i++)
      assert.equal((await request(env.url, 'POST', `${A}/risks`, { auth, body: { title: `Risk ${i}`, likelihood: 2, impact: 3 } })).status, 201);
    const b64 = (v) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const page = await request(env.url, 'GET', `${A}/risks?limit=1`, { auth });
    assert.equal(page.status, 200, page.text);
    const good = page.json.next_cursor;
    assert.ok(good, 'a first page of one has a cursor');
    assert.equal((await request(env.url, 'GET', `${A}/risks?limit=1&cursor=${good}`, { auth })).status, 200);
    const forged = [
      ['', ['a']], ['', [1, 2]], ['', ['2026-01-01T00:00:00Z', 'x']], ['', [null, 1]], ['', [[1], 1]],
      ['&sort=title', [1, 1]], ['&sort=-created_at', ['x', '1']], ['&sort=ref', ['1']],
      // The created_at order's cursor of an earlier release (its time and number).
      ['&sort=-created_at', ['2026-01-01T00:00:00Z', 2]],
      ['&sort=likelihood', [{}, '2026-01-01T00:00:00Z', 1]], ['&sort=likelihood', [2, 3, 'x']],
    ];
    for (const [sort, keys] of forged) {
      const r = await request(env.url, 'GET', `${A}/risks?limit=1${sort}&cursor=${b64(keys)}`, { auth });
      assert.equal(r.status, 400, `${sort} ${JSON.stringify(keys)}: ${r.status} ${r.text}`);
      assert.equal(r.json.error.field, 'cursor');
    }
    // The created_at order pages by number, newest first, as its cursors say.
    const byCreation = await request(env.url, 'GET', `${A}/risks?limit=2&sort=-created_at`, { auth });
    assert.equal(byCreation.status, 200, byCreation.text);
    const next = await request(env.url, 'GET', `${A}/risks?limit=2&sort=-created_at&cursor=${byCreation.json.next_cursor}`, { auth });
    assert.equal(next.status, 200, next.text);
    const refs = [...byCreation.json.items, ...next.json.items].map((x) => x.ref);
    assert.deepEqual(refs, ['RISK-3', 'RISK-2', 'RISK-1']);
    // A sort value may be text or a number (a field's own type), and both are read.
    for (const keys of [[2, '2026-01-01T00:00:00Z', 1], ['2', '2026-01-01T00:00:00Z', 1]]) {
      const r = await request(env.url, 'GET', `${A}/risks?limit=1&sort=likelihood&cursor=${b64(keys)}`, { auth });
      assert.equal(r.status, 200, `${JSON.stringify(keys)}: ${r.text}`);
    }
  }));

// What a refused sort offers is what a list takes: every kind's allowed
// names, each named once, sort its list both ways. (Risks offered "title"
// twice, and a kind could offer a list field that every sort by it refused.)
test('every sort a refusal offers is taken, for every kind', () =>
  withAdmin(async ({ env, auth, kinds }) => {
    let tried = 0;
    for (const kind of kinds) {
      const r = await request(env.url, 'GET', `${A}/${kind}?sort=no_such_field`, { auth });
      /* A singleton answers its one record, or 404 before it exists: no list. */
      if (r.status === 404 || (r.status === 200 && !Array.isArray(r.json.items))) continue;
      assert.equal(r.status, 400, `${kind}: ${r.text}`);
      const m = r.json.error.message.match(/\(allowed: ([^;]+);/);
      assert.ok(m, `${kind}: ${r.json.error.message}`);
      const names = m[1].split(', ');
      assert.equal(new Set(names).size, names.length, `${kind} offers a sort twice: ${m[1]}`);
      for (const name of names)
        for (const sort of [name, `-${name}`]) {
          const l = await request(env.url, 'GET', `${A}/${kind}?sort=${sort}&limit=5`, { auth });
          assert.equal(l.status, 200, `${kind}?sort=${sort}: ${l.text}`);
          tried++;
        }
    }
    assert.ok(tried > 100, `sorts tried: ${tried}`);
  }));
