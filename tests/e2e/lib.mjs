// lib.mjs - helpers for black-box tests of the aims binary: a temporary
// database made with `aims init`, `aims serve` on a free loopback port, and a
// small HTTP client that keeps what the tests look at (status, headers, JSON).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const BIN = process.env.AIMS_BIN || new URL('../../aims', import.meta.url).pathname;
export const ADMIN = 'admin@example.com';
export const PASSWORD = 'correct horse battery staple';

// Runs the CLI synchronously; returns { status, stdout, stderr }.
export function cli(args, { input, env } = {}) {
  const r = spawnSync(BIN, args, {
    input, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 60000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function cliOk(args, opts) {
  const r = cli(args, opts);
  if (r.status !== 0) {
    throw new Error(`aims ${args.join(' ')} exited ${r.status}: ${r.stderr}${r.stdout}`);
  }
  return r;
}

// A fresh database with organisation `org` and its first admin.
export function makeDb({ org = 'acme', admin = ADMIN, password = PASSWORD } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'aims-e2e-'));
  const db = join(dir, 'aims.db');
  cliOk(['init', '--db', db, '--org', org, '--admin', admin, '--password-stdin'],
    { input: `${password}\n` });
  return { dir, db };
}

// Starts `aims serve` on 127.0.0.1 port 0 (the kernel picks a free one; the
// server prints it) and waits until /readyz answers 200.
export async function startServer(db, { args = [], env = {} } = {}) {
  const proc = spawn(BIN, ['serve', '--db', db, '--listen', '127.0.0.1:0', ...args], {
    env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  proc.stdout.setEncoding('utf8');
  proc.stderr.setEncoding('utf8');
  proc.stderr.on('data', (d) => { err += d; });
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL from aims serve: ${out}${err}`)), 10000);
    proc.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/serving on (http:\/\/[^/\s]+)\//);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    proc.on('exit', (code) => { clearTimeout(timer); reject(new Error(`aims serve exited ${code}: ${err}`)); });
  });
  for (let i = 0; i < 200; i++) {
    try {
      const r = await fetch(`${url}/readyz`);
      if (r.status === 200) break;
    } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 25));
  }
  const server = {
    url, proc,
    log: () => out,
    errors: () => err,
    exited: new Promise((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal }))),
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
      return server.exited;
    },
  };
  return server;
}

// A database and a running server; cleanup() stops it and removes the files.
export async function setup(opts = {}) {
  const { dir, db } = makeDb(opts);
  const server = await startServer(db, opts);
  return {
    dir, db, server, url: server.url,
    async cleanup() { await server.stop(); rmSync(dir, { recursive: true, force: true }); },
  };
}

// One request. auth: { cookie } or { token }; body: object (sent as JSON) or string.
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
  const set = r.headers.get('set-cookie') || '';
  const m = set.match(/aims_session=([^;]+)/);
  return { cookie: `aims_session=${m[1]}`, csrf: r.json.csrf_token, body: r.json };
}
