// pg_servers.test.mjs - several `aims serve` on one PostgreSQL database
// serve the same organisations: a session, a token, an idempotency key and
// sign-in throttling started on one server hold on the others; under 32
// concurrent writers spread over four servers every acknowledged record is
// there afterwards and the ledger verifies (one log, never forked); two
// organisations written at once keep one log each; and
// `aims migrate-store` moves a SQLite store there and back with the same
// checkpoints.
//
// Runs on the PostgreSQL test cluster (make test-pg sets AIMS_PG_URL); on
// SQLite there is one server per database file, so it says so and skips.
// AIMS_PG_LOAD_SECONDS sets the length of the load (60 in make test, a
// minute of 32 clients on four servers; 10 when not set); the two
// organisations' load runs a third of it (20 s in make test: some 4,000
// records of each, with tokens made among them), where a minute of it was a
// minute more of make test.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync, rmSync, mkdirSync, copyFileSync, existsSync, readdirSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import {
  PG_URL, ADMIN, PASSWORD, aims, aimsOk, addMember, makeDb, startServer, request, signIn,
  pgDatabase, pgDrop, tempDir,
} from './lib.mjs';

const skip = PG_URL ? false : 'needs the PostgreSQL test cluster (make test-pg)';
const LOAD_SECONDS = Number(process.env.AIMS_PG_LOAD_SECONDS || 10);
const TWO_ORGS_SECONDS = Math.max(5, Math.round(LOAD_SECONDS / 3));
// Verify reads every record the loads made (some 30,000 in make test: 13 to 23 s here);
// a slower machine gets three minutes before the run counts as hung.
const VERIFY_MS = 180000;
const CLIENTS = 32;
const SERVERS = 4;

let env;
let servers = [];

before(async () => {
  if (skip) return;
  env = makeDb();
  for (let i = 0; i < SERVERS; i++) servers.push(await startServer(env.db, {
    // Reading back every record of the load test takes one long list a page.
    // `aims verify` runs synchronously and blocks this process for longer than
    // the default idle timeout: a server then closes the pooled connections,
    // and the next request, sent before the closes are read, meets a closed
    // socket. The idle timeout is not what these tests are about.
    args: ['--threads', '4', '--heavy-reads-per-minute', '1000', '--idle-timeout', '600'] }));
});

after(async () => {
  if (skip) return;
  for (const s of servers) await s.stop();
  rmSync(env.dir, { recursive: true, force: true });
  pgDrop(env.db);
});

test('a session, a token and an idempotency key started on one server hold on the others',
  { skip }, async () => {
    const [a, b, c] = servers.map((s) => s.url);
    const admin = await signIn(a);
    // The session cookie from server a signs requests on b.
    let r = await request(b, 'GET', '/api/v1/orgs/acme', { auth: admin });
    assert.equal(r.status, 200, r.text);
    // A token made on b works on c.
    r = await request(b, 'POST', '/api/v1/orgs/acme/tokens',
      { auth: admin, body: { name: 'ci', role: 'contributor' } });
    assert.equal(r.status, 201, r.text);
    const token = { token: r.json.token };
    r = await request(c, 'GET', '/api/v1/orgs/acme/ai-systems', { auth: token });
    assert.equal(r.status, 200, r.text);
    // A create retried on another server with the same key is the same record.
    const key = { 'idempotency-key': 'create-across-servers' };
    const body = { name: 'Routed twice' };
    const first = await request(a, 'POST', '/api/v1/orgs/acme/ai-systems', { auth: token, body, headers: key });
    assert.equal(first.status, 201, first.text);
    const again = await request(c, 'POST', '/api/v1/orgs/acme/ai-systems', { auth: token, body, headers: key });
    assert.equal(again.status, 201, again.text);
    assert.equal(again.headers.get('idempotent-replayed'), 'true');
    assert.equal(again.json.ref, first.json.ref);
    // Signing out on c ends the session everywhere.
    r = await request(c, 'DELETE', '/api/v1/session', { auth: admin, headers: { 'x-csrf-token': admin.csrf } });
    assert.ok(r.status === 204 || r.status === 200, r.text);
    r = await request(a, 'GET', '/api/v1/orgs/acme', { auth: admin });
    assert.equal(r.status, 401);
  });

test('failed sign-ins count across servers', { skip }, async () => {
  let throttled = false;
  for (let i = 0; i < 40 && !throttled; i++) {
    const url = servers[i % SERVERS].url;
    const r = await request(url, 'POST', '/api/v1/session', { body: { email: ADMIN, password: `wrong ${i}` } });
    throttled = r.status === 429;
  }
  assert.ok(throttled, 'the failures on four servers add up to a pause');
  // The pause holds on every server, for the right password too.
  for (const s of servers) {
    const r = await request(s.url, 'POST', '/api/v1/session', { body: { email: ADMIN, password: PASSWORD } });
    assert.equal(r.status, 429, `${s.url}: ${r.status}`);
  }
});

test(`${CLIENTS} clients on ${SERVERS} servers: every acknowledged record is there and the ledger verifies`,
  { skip }, async () => {
    const t = JSON.parse(aimsOk(['token', 'create', '--org', 'acme', '--name', 'load', '--role',
      'contributor', '--format', 'json', '--db', env.db]).stdout).token;
    const auth = { token: t };
    const acked = new Map();	// ref -> name
    let failed = 0;
    const until = Date.now() + LOAD_SECONDS * 1000;
    async function client(n) {
      for (let i = 0; Date.now() < until; i++) {
        const name = `load ${n}-${i}`;
        const url = servers[(n + i) % SERVERS].url;
        const r = await request(url, 'POST', '/api/v1/orgs/acme/ai-systems', { auth, body: { name } });
        if (r.status === 201) acked.set(r.json.ref, name);
        else failed++;
      }
    }
    await Promise.all(Array.from({ length: CLIENTS }, (_, n) => client(n)));
    assert.ok(acked.size > CLIENTS, `only ${acked.size} records were acknowledged`);
    // Refused writes are allowed (a writer that waited past the busy timeout), but
    // nothing acknowledged may be missing, and nothing unacknowledged may be half there.
    const seen = new Map();
    let cursor = null;
    do {
      const q = `/api/v1/orgs/acme/ai-systems?limit=200${cursor ? `&cursor=${cursor}` : ''}`;
      const r = await request(servers[0].url, 'GET', q, { auth });
      assert.equal(r.status, 200, r.text);
      for (const it of r.json.items) seen.set(it.ref, it.name);
      cursor = r.json.next_cursor;
    } while (cursor);
    for (const [ref, name] of acked) assert.equal(seen.get(ref), name, `${ref} was acknowledged`);
    const loadRecords = [...seen.values()].filter((n) => n.startsWith('load ')).length;
    assert.equal(loadRecords, acked.size, `${failed} refused writes left no record behind`);
    // One log, in sequence, every checkpoint signed and consistent.
    const v = aims(['verify', '--db', env.db], { timeout: VERIFY_MS });
    assert.equal(v.status, 0, v.stderr + v.stdout);
    const refs = [...acked.keys()].map((r) => Number(r.split('-')[1])).sort((x, y) => x - y);
    assert.equal(new Set(refs).size, refs.length, 'no reference number was given twice');
    console.log(`# ${acked.size} records in ${LOAD_SECONDS} s by ${CLIENTS} clients on ` +
      `${SERVERS} servers (${(acked.size / LOAD_SECONDS).toFixed(0)}/s), ${failed} refused`);
  });

// Writes of different organisations lock only their organisation (db_begin_orgs()):
// two organisations written at once on every server, with store-wide writes
// (API tokens) among them, each keep one log that verifies.
test(`two organisations written at once by ${CLIENTS} clients on ${SERVERS} servers: each log verifies`,
  { skip }, async () => {
    aimsOk(['org', 'create', 'beta', '--db', env.db]);
    const orgs = ['acme', 'beta'];
    const auth = {};
    for (const org of orgs) {
      if (org !== 'acme') aimsOk(['member', 'add', ADMIN, '--org', org, '--role', 'admin', '--db', env.db]);
      auth[org] = { token: JSON.parse(aimsOk(['token', 'create', '--org', org, '--name', 'two',
        '--role', 'admin', '--format', 'json', '--db', env.db]).stdout).token };
    }
    const acked = { acme: new Map(), beta: new Map() };
    let failed = 0;
    let tokens = 0;
    let refusedToken = '';
    const until = Date.now() + TWO_ORGS_SECONDS * 1000;
    async function client(n) {
      const org = orgs[n % 2];
      for (let i = 0; Date.now() < until; i++) {
        const name = `two ${n}-${i}`;
        const url = servers[(n + i) % SERVERS].url;
        const r = await request(url, 'POST', `/api/v1/orgs/${org}/ai-systems`, { auth: auth[org], body: { name } });
        if (r.status === 201) acked[org].set(r.json.ref, name);
        else failed++;
      }
    }
    // A store-wide writer among them: it waits for the organisations' writers and they for it.
    addMember(env.db, 'ops@example.com', 'admin', 'beta');
    const ops = await signIn(servers[0].url, 'ops@example.com');
    async function storeWide() {
      for (let i = 0; Date.now() < until; i++) {
        const r = await request(servers[i % SERVERS].url, 'POST', '/api/v1/orgs/beta/tokens',
          { auth: ops, body: { name: `t${i}`, role: 'viewer' }, headers: { 'x-csrf-token': ops.csrf } });
        if (r.status === 201) tokens++;
        else refusedToken = `${r.status} ${r.text}`;
      }
    }
    await Promise.all([...Array.from({ length: CLIENTS }, (_, n) => client(n)), storeWide()]);
    for (const org of orgs) {
      assert.ok(acked[org].size > CLIENTS / 2, `${org}: only ${acked[org].size} records acknowledged`);
      const seen = new Map();
      let cursor = null;
      do {
        const q = `/api/v1/orgs/${org}/ai-systems?limit=200${cursor ? `&cursor=${cursor}` : ''}`;
        const r = await request(servers[1].url, 'GET', q, { auth: auth[org] });
        assert.equal(r.status, 200, r.text);
        for (const it of r.json.items) seen.set(it.ref, it.name);
        cursor = r.json.next_cursor;
      } while (cursor);
      for (const [ref, name] of acked[org]) assert.equal(seen.get(ref), name, `${org} ${ref} was acknowledged`);
      const mine = [...seen.values()].filter((n) => n.startsWith('two ')).length;
      assert.equal(mine, acked[org].size, `${org}: ${failed} refused writes left no record behind`);
      const refs = [...acked[org].keys()].map((r) => Number(r.split('-')[1]));
      assert.equal(new Set(refs).size, refs.length, `${org}: no reference number was given twice`);
    }
    assert.ok(tokens > 0, `the store-wide writer was let in: ${refusedToken}`);
    // Each organisation's log in sequence, its checkpoints signed and consistent.
    const v = aims(['verify', '--db', env.db], { timeout: VERIFY_MS });
    assert.equal(v.status, 0, v.stderr + v.stdout);
    const heads = spawnSync('psql', [env.db, '-qAtc', 'SELECT h.size = (SELECT count(*) FROM ' +
      'ledger_entries e WHERE e.org_id = h.org_id) FROM ledger_heads h JOIN orgs o ON o.id = h.org_id ' +
      "WHERE o.slug IN ('acme', 'beta')"], { encoding: 'utf8' }).stdout.trim().split('\n');
    assert.deepEqual(heads, ['t', 't']);
    console.log(`# two organisations: ${acked.acme.size} + ${acked.beta.size} records in ${TWO_ORGS_SECONDS} s ` +
      `by ${CLIENTS} clients on ${SERVERS} servers, ${tokens} tokens made among them, ${failed} refused`);
  });

// A database of its own: verify reads every record of the store, and after
// the loads above (some 35,000 records) each of its three runs took half a
// minute of make test.
test('evidence files are kept in the database: a server with no copy of the file serves it',
  { skip }, async (t) => {
    const ev = makeDb();
    t.after(() => { rmSync(ev.dir, { recursive: true, force: true }); pgDrop(ev.db); });
    // Two servers, each with a data directory of its own (the same key).
    const dirs = [];
    const own = [];
    for (let i = 0; i < 2; i++) {
      const d = join(ev.dir, `server-${i}`);
      mkdirSync(d, { recursive: true });
      for (const f of ['aims.key', 'aims.pub']) copyFileSync(join(ev.dir, 'data', f), join(d, f));
      dirs.push(d);
      own.push(await startServer(ev.db, { env: { AIMS_DATA_DIR: d } }));
    }
    const token = JSON.parse(aimsOk(['token', 'create', '--org', 'acme', '--name', 'files', '--role',
      'contributor', '--format', 'json', '--db', ev.db]).stdout).token;
    // 600 KiB: three chunks in the database.
    const bytes = Buffer.alloc(600 * 1024, 'evidence ');
    const form = new FormData();
    form.append('record', JSON.stringify({ title: 'Big report' }));
    form.append('file', new Blob([bytes]), 'big.txt');
    let r = await fetch(`${own[0].url}/api/v1/orgs/acme/evidence`,
      { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
    const created = await r.text();
    assert.equal(r.status, 201, created);
    const { ref } = JSON.parse(created);
    const blobsOf = (d) => (existsSync(join(d, 'blobs')) ?
      readdirSync(join(d, 'blobs')).filter((n) => !n.startsWith('.')) : []);
    assert.equal(blobsOf(dirs[1]).length, 0, 'the second server has no copy yet');
    r = await fetch(`${own[1].url}/api/v1/orgs/acme/evidence/${ref}/files/1`,
      { headers: { authorization: `Bearer ${token}` } });
    assert.equal(r.status, 200);
    const got = Buffer.from(await r.arrayBuffer());
    assert.equal(createHash('sha256').update(got).digest('hex'),
      createHash('sha256').update(bytes).digest('hex'));
    for (const s of own) await s.stop();
    // Verify reads the bytes in the database; changed there, it names the file.
    let v = aims(['verify', '--db', ev.db]);
    assert.equal(v.status, 0, v.stderr + v.stdout);
    const sql = (q) => spawnSync('psql', [ev.db, '-qAtc', q], { encoding: 'utf8' });
    sql('ALTER TABLE evidence_chunks DISABLE TRIGGER evidence_chunks_append_only');
    sql("UPDATE evidence_chunks SET data = overlay(data placing '\\x00'::bytea from 1 for 1) " +
      'WHERE seq = 1');
    v = aims(['verify', '--db', ev.db]);
    assert.equal(v.status, 1);
    assert.match(v.stderr + v.stdout, /evidence_chunks_append_only|changed in the database/);
    sql('ALTER TABLE evidence_chunks ENABLE TRIGGER evidence_chunks_append_only');
    v = aims(['verify', '--db', ev.db]);
    assert.equal(v.status, 1);
    assert.match(v.stderr + v.stdout, /big\.txt.*changed in the database/);
  });

test('migrate-store moves a SQLite store to PostgreSQL and back: verify passes with the same checkpoints',
  { skip }, async () => {
    // makeDb() gives a PostgreSQL database in this run: the SQLite source is made here.
    const dir = tempDir();
    const file = join(dir, 'aims.db');
    aimsOk(['init', '--db', file, '--org', 'acme', '--admin', ADMIN, '--password-stdin', '--demo'],
      { input: `${PASSWORD}\n` });
    writeFileSync(join(dir, 'report.txt'), 'evidence bytes\n');
    const { ref } = JSON.parse(aimsOk(['record', 'create', 'evidence', '--org', 'demo', '--db', file,
      '--as', 'admin@demo.example', '--json', '{"title": "Report", "kind": "file"}']).stdout);
    aimsOk(['record', 'attach', 'evidence', ref, join(dir, 'report.txt'), '--org', 'demo',
      '--db', file, '--as', 'admin@demo.example']);
    const target = pgDatabase(dir);
    const m = aims(['migrate-store', '--from', file, '--to', target]);
    assert.equal(m.status, 0, m.stderr + m.stdout);
    const v = aims(['verify', '--db', target]);
    assert.equal(v.status, 0, v.stderr + v.stdout);
    // The same checkpoints, note for note.
    const notesOf = (out) => out.split('\n').filter((l) => l).sort();
    const sqliteNotes = spawnSync('sqlite3', [file,
      'SELECT org_id || char(9) || size || char(9) || hex(root) FROM ledger_checkpoints'],
    { encoding: 'utf8' }).stdout;
    const pgNotes = spawnSync('psql', [target, '-Atc',
      "SELECT org_id || chr(9) || size || chr(9) || upper(encode(root, 'hex')) FROM ledger_checkpoints"],
    { encoding: 'utf8' }).stdout;
    assert.ok(notesOf(sqliteNotes).length > 0);
    assert.deepEqual(notesOf(pgNotes), notesOf(sqliteNotes));
    // The evidence file comes out as it went in.
    const out = aims(['record', 'files', 'evidence', ref, '--org', 'demo', '--db', target, '--format', 'json']);
    assert.equal(out.status, 0, out.stderr);
    assert.match(out.stdout, /report\.txt/);
    // Moving it again is refused: the target is not empty.
    const again = aims(['migrate-store', '--from', file, '--to', target]);
    assert.equal(again.status, 1);
    assert.match(again.stderr, /not empty/);
    // And back: from PostgreSQL to a new SQLite file, every organisation, then one alone.
    const sqliteNotesOf = (f) => spawnSync('sqlite3', [f,
      'SELECT org_id || char(9) || size || char(9) || hex(root) FROM ledger_checkpoints'],
    { encoding: 'utf8' }).stdout;
    const back = join(dir, 'back', 'aims.db');
    mkdirSync(join(dir, 'back'));
    let b = aims(['migrate-store', '--from', target, '--to', back]);
    assert.equal(b.status, 0, b.stderr + b.stdout);
    b = aims(['verify', '--db', back]);
    assert.equal(b.status, 0, b.stderr + b.stdout);
    assert.deepEqual(notesOf(sqliteNotesOf(back)), notesOf(sqliteNotes));
    b = aims(['record', 'files', 'evidence', ref, '--org', 'demo', '--db', back, '--format', 'json']);
    assert.equal(b.status, 0, b.stderr);
    assert.match(b.stdout, /report\.txt/);
    const one = join(dir, 'one', 'aims.db');
    mkdirSync(join(dir, 'one'));
    b = aims(['migrate-store', '--from', target, '--to', one, '--org', 'demo']);
    assert.equal(b.status, 0, b.stderr + b.stdout);
    assert.match(b.stdout, /organisation demo/);
    b = aims(['verify', '--db', one]);
    assert.equal(b.status, 0, b.stderr + b.stdout);
    const demoId = spawnSync('sqlite3', [one, "SELECT id FROM orgs WHERE slug = 'demo'"],
      { encoding: 'utf8' }).stdout.trim();
    assert.deepEqual(notesOf(sqliteNotesOf(one)).filter((l) => l.startsWith(`${demoId}\t`)),
      notesOf(sqliteNotes).filter((l) => l.startsWith(`${demoId}\t`)));
    assert.equal(spawnSync('sqlite3', [one, 'SELECT count(*) FROM orgs'], { encoding: 'utf8' })
      .stdout.trim(), '1');
    assert.equal(aims(['migrate-store', '--from', target, '--to', target]).status, 2);
    rmSync(dir, { recursive: true, force: true });
    pgDrop(target);
  });
