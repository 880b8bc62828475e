// lib.mjs - shared helpers for the black-box tests: run the aims binary,
// make temporary directories, start `aims serve` and talk to it.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// The test build (MODE=test): the release binary has no test hooks.
export const AIMS = process.env.AIMS_BIN || new URL('../../build/test/aims', import.meta.url).pathname;
// The release build, for the tests that check what it leaves out.
export const AIMS_RELEASE = process.env.AIMS_RELEASE_BIN ||
  new URL('../../build/rel/aims', import.meta.url).pathname;

// Fast password hashing, honoured by test builds only: argon2id with
// libsodium's minimum cost.
export const testEnv = { ...process.env, AIMS_FAST_HASH: '1' };

export function tempDir() {
  return mkdtempSync(join(tmpdir(), 'aims-test-'));
}

// The PostgreSQL run (make test-pg): $AIMS_PG_URL names a private cluster
// (scripts/pg-test-cluster); each makeDb() is a database of its own there,
// and its key and evidence files a directory of its own ($AIMS_DATA_DIR).
export const PG_URL = process.env.AIMS_PG_URL || '';
const pgDataDirs = new Map();
let pgDbCount = 0;

// The environment a command on database db runs with.
function dbEnv(args) {
  for (const opt of ['--db', '--to', '--from']) {
    const i = args.indexOf(opt);
    const dir = i >= 0 ? pgDataDirs.get(args[i + 1]) : undefined;
    if (dir) return { AIMS_DATA_DIR: dir };
  }
  return {};
}

// The environment of a command run on database db some other way than aims().
export function envFor(db) {
  return { ...testEnv, ...dbEnv(['--db', db]) };
}

export function aims(args, { input, env, timeout = 60000 } = {}) {
  const r = spawnSync(AIMS, args, { input: input ?? '', encoding: 'utf8',
    env: { ...testEnv, ...dbEnv(args), ...(env || {}) }, timeout });
  if (r.error) throw r.error;
  return r;
}

// ---- HTTP server helpers -------------------------------------------------

export const ADMIN = 'admin@example.com';
export const PASSWORD = 'correct horse battery staple';
export const ROLES = ['viewer', 'auditor', 'contributor', 'manager', 'admin'];

export function aimsOk(args, opts) {
  const r = aims(args, opts);
  if (r.status !== 0) throw new Error(`aims ${args.join(' ')} exited ${r.status}: ${r.stderr}${r.stdout}`);
  return r;
}

// A fresh database holding organisation `org` and its first admin.
export function makeDb({ org = 'acme', admin = ADMIN, password = PASSWORD } = {}) {
  const dir = tempDir();
  const db = PG_URL ? pgDatabase(dir) : join(dir, 'aims.db');
  aimsOk(['init', '--db', db, '--org', org, '--admin', admin, '--password-stdin'],
    { input: `${password}\n` });
  return { dir, db };
}

// A new database on the test cluster, its files in dir/data.
export function pgDatabase(dir) {
  const name = `aims_t${process.pid}_${++pgDbCount}`;
  const r = spawnSync('psql', [PG_URL, '-qc', `CREATE DATABASE ${name}`], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`cannot create database ${name}: ${r.stderr}`);
  const url = PG_URL.replace(/^postgres:\/\/\/[^?]*/, `postgres:///${name}`);
  pgDataDirs.set(url, join(dir, 'data'));
  return url;
}

// Drops a database pgDatabase() made (its servers stopped).
export function pgDrop(url) {
  const name = url.match(/^postgres:\/\/\/([^?]*)/)[1];
  spawnSync('psql', [PG_URL, '-qc', `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`]);
  pgDataDirs.delete(url);
}

// Every row of the store as SQL text, whichever the store: to check what is not in it.
export function dumpDb(db) {
  const r = PG_URL ? spawnSync('pg_dump', ['--data-only', '-d', db], { encoding: 'utf8' }) :
    spawnSync('sqlite3', [db, '.dump'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`cannot dump ${db}: ${r.stderr}`);
  return r.stdout;
}

// What the store holds, as bytes to search: the SQLite file and its WAL, or a dump.
export function storeBytes(db) {
  if (PG_URL) return Buffer.from(dumpDb(db));
  const files = [db, `${db}-wal`].filter((f) => existsSync(f));
  if (files.length === 0) throw new Error(`no database file at ${db}`);
  return Buffer.concat(files.map((f) => readFileSync(f)));
}

// A file kept beside database db ('.pub', '.seal', '.conf'): next to the SQLite
// file, or in the PostgreSQL store's own directory ($AIMS_DATA_DIR/aims.*).
export function localFileOf(db, suffix) {
  return PG_URL ? join(pgDataDirs.get(db), `aims${suffix}`) : `${db}${suffix}`;
}

// The ledger's public key file of database db.
export function pubKeyOf(db) {
  return localFileOf(db, '.pub');
}

// Runs one SQL statement (written for both stores) on database db behind aims'
// back, as an attacker with access to the store would: sqlite3 or psql.
export function sqlBehind(db, sql) {
  const r = PG_URL ? spawnSync('psql', [db, '-qAtv', 'ON_ERROR_STOP=1', '-c', sql], { encoding: 'utf8' }) :
    spawnSync('sqlite3', [db, sql], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`cannot run ${sql} on ${db}: ${r.stderr}`);
  return r.stdout;
}

// Why a test that edits the SQLite file with the sqlite3 shell is skipped on
// PostgreSQL (false on SQLite); tests/unit/test_db_pg.c and pg_servers.test.mjs
// tamper with the PostgreSQL store.
export const SQLITE_FILE_ONLY = PG_URL ? 'edits the SQLite file with the sqlite3 shell' : false;

// Adds a user (password PASSWORD) as `role` of `org`.
export function addMember(db, email, role, org = 'acme') {
  if (aims(['user', 'list', '--db', db, '--format', 'csv']).stdout.indexOf(`${email},`) < 0) {
    aimsOk(['user', 'add', email, '--password-stdin', '--db', db], { input: `${PASSWORD}\n` });
  }
  aimsOk(['member', 'add', email, '--org', org, '--role', role, '--db', db]);
}

export function addOrg(db, slug) {
  aimsOk(['org', 'create', slug, '--db', db]);
}

// Starts `aims serve` on 127.0.0.1 port 0 (the kernel picks a free port, the
// server prints it) and waits until /readyz answers 200.
// fastHash false: argon2id at its real cost (unknown users are checked against
// a dummy hash made with the current settings).
// A suite that calls strictWrites() fails a server stopped after any request
// changed the database beside the server's writer (group commit): the server
// names the first such change and the request of each in its log
// (aims_db_stray_writes_total counts them all), and stop() throws with them.
let strict = false;
export function strictWrites() {
  strict = true;
}

const STRAY = /a change beside the database writer.*/g;

export async function startServer(db, { args = [], env = {}, fastHash = true } = {}) {
  const penv = { ...testEnv, ...dbEnv(['--db', db]), ...env };
  if (!fastHash) delete penv.AIMS_FAST_HASH;
  const proc = spawn(AIMS, ['serve', '--db', db, '--listen', '127.0.0.1:0', ...args], {
    env: penv, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  proc.stdout.setEncoding('utf8');
  proc.stderr.setEncoding('utf8');
  proc.stderr.on('data', (d) => {
    err += d;
    // AIMS_TEST_VERBOSE=1: the servers' diagnostics as they come, to read a failure.
    if (process.env.AIMS_TEST_VERBOSE) process.stderr.write(d);
  });
  const exited = new Promise((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL from aims serve: ${out}${err}`)), 10000);
    proc.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/serving on (http:\/\/[^/\s]+)\//);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    exited.then(({ code }) => { clearTimeout(timer); reject(new Error(`aims serve exited ${code}: ${err}`)); });
  });
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(`${url}/readyz`)).status === 200) break;
    } catch { /* not listening yet */ }
    await new Promise((r) => setTimeout(r, 25));
  }
  return {
    url, proc, exited,
    log: () => out,
    errors: () => err,
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
      const status = await exited;
      const strays = strict ? err.match(STRAY) : null;
      if (strays) throw new Error(`requests changed the database beside the writer:\n${strays.join('\n')}`);
      return status;
    },
  };
}

// A database and a running server; cleanup() stops it and removes the files.
export async function setup(opts = {}) {
  const { dir, db } = makeDb(opts);
  const env = { dir, db };
  env.server = await startServer(db, opts);
  env.url = env.server.url;
  env.restart = async (o = {}) => {
    await env.server.stop();
    env.server = await startServer(db, o);
    env.url = env.server.url;
  };
  env.cleanup = async () => {
    await env.server.stop();
    rmSync(dir, { recursive: true, force: true });
    if (PG_URL) pgDrop(db);
  };
  return env;
}

// One request. auth: { cookie } or { token }; body: an object (sent as JSON) or a string.
// Cookie requests carry a same-origin Origin unless origin is false.
export async function request(url, method, path, { body, auth, headers = {}, origin = true } = {}) {
  const h = { ...headers };
  if (auth?.token) h.authorization = `Bearer ${auth.token}`;
  if (auth?.cookie) {
    h.cookie = auth.cookie;
    if (origin && !('origin' in h)) h.origin = url;
  }
  let payload;
  if (body !== undefined) {
    payload = typeof body === 'string' ? body : JSON.stringify(body);
    if (!('content-type' in h)) h['content-type'] = 'application/json';
  }
  const r = await fetch(url + path, { method, headers: h, body: payload, redirect: 'manual' });
  const text = await r.text();
  let json;
  try { json = text ? JSON.parse(text) : undefined; } catch { json = undefined; }
  return { status: r.status, headers: r.headers, text, json };
}

// Signs in; returns { cookie, csrf, body }.
export async function signIn(url, email = ADMIN, password = PASSWORD) {
  const r = await request(url, 'POST', '/api/v1/session', { body: { email, password } });
  if (r.status !== 200) throw new Error(`sign-in as ${email}: ${r.status} ${r.text}`);
  const m = (r.headers.get('set-cookie') || '').match(/aims_session=([^;]+)/);
  return { cookie: `aims_session=${m[1]}`, csrf: r.json.csrf_token, body: r.json };
}

// Runs a ledger verification of org (POST starts it in the background) and
// waits for its result; returns the final GET response.
export async function verifyLedger(url, auth, org = 'acme', timeoutMs = 20000) {
  const path = `/api/v1/orgs/${org}/ledger/verify`;
  const started = await request(url, 'POST', path, { auth });
  if (started.status !== 202) return started;
  const until = Date.now() + timeoutMs;
  for (;;) {
    const r = await request(url, 'GET', path, { auth });
    if (r.status !== 202 || Date.now() > until) return r;
    await new Promise((res) => setTimeout(res, 20));
  }
}
