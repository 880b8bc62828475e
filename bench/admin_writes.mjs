// bench/admin_writes.mjs - administration changes under a load of record
// creates: how long an admin waits to make and revoke an API token, and
// change a member's role, while WRITERS clients create records as fast as
// they can. Beside the database writer each such change waited in SQLite's
// busy handler while the writer committed; through it, it joins the group
// that is waiting. Each round runs every build for DURATION seconds on a
// fresh database of its own; rounds alternate; the table gives medians over
// the rounds of the admin's p50/p99 per change and of the creates per second.
//
//   node bench/admin_writes.mjs        print the results as Markdown
//
// Environment: AIMS_BIN (default build/rel/aims), AIMS_BASELINE_BIN (another
// build, say the one before a change, measured in the same rounds), ROUNDS
// (default 3), DURATION (seconds, default 5), WRITERS (default 16).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const AIMS = process.env.AIMS_BIN || new URL('../build/rel/aims', import.meta.url).pathname;
const BASE = process.env.AIMS_BASELINE_BIN || '';
const ROUNDS = Number(process.env.ROUNDS || 3);
const DURATION = Number(process.env.DURATION || 5) * 1000;
const WRITERS = Number(process.env.WRITERS || 16);
const ADMIN = 'admin@example.com';
const PASSWORD = 'correct horse battery staple';
const env = { ...process.env, AIMS_FAST_HASH: '1' };

function run(bin, args, input = '') {
  const r = spawnSync(bin, args, { input, encoding: 'utf8', env });
  if (r.status !== 0) throw new Error(`${bin} ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

async function serve(bin, db) {
  const proc = spawn(bin, ['serve', '--db', db, '--listen', '127.0.0.1:0'], { env, stdio: ['ignore', 'pipe', 'ignore'] });
  let out = '';
  const url = await new Promise((resolve, reject) => {
    proc.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/serving on (http:\/\/[^/\s]+)\//);
      if (m) resolve(m[1]);
    });
    proc.on('exit', (code) => reject(new Error(`aims serve exited ${code}`)));
  });
  proc.stdout.resume();
  return { url, stop: () => new Promise((resolve) => { proc.on('exit', resolve); proc.kill('SIGTERM'); }) };
}

async function send(url, method, path, { body, headers = {} } = {}) {
  const h = { ...headers };
  if (body !== undefined) h['content-type'] = 'application/json';
  const r = await fetch(url + path, { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await r.text();
  return { status: r.status, headers: r.headers, json: text ? JSON.parse(text) : undefined };
}

const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(p * s.length))] : NaN;
};
const median = (xs) => pct(xs, 0.5);

// One build for DURATION: creates from WRITERS clients, an admin's changes in a loop.
async function round(bin) {
  const dir = mkdtempSync(join(tmpdir(), 'aims-bench-'));
  const db = join(dir, 'aims.db');
  run(bin, ['init', '--db', db, '--org', 'acme', '--admin', ADMIN, '--password-stdin'], `${PASSWORD}\n`);
  run(bin, ['user', 'add', 'ann@example.com', '--password-stdin', '--db', db], `${PASSWORD}\n`);
  run(bin, ['member', 'add', 'ann@example.com', '--org', 'acme', '--role', 'viewer', '--db', db]);
  const writer = JSON.parse(run(bin, ['token', 'create', '--db', db, '--org', 'acme', '--name', 'load',
    '--role', 'contributor', '--format', 'json'])).token;
  const server = await serve(bin, db);
  try {
    const si = await send(server.url, 'POST', '/api/v1/session', { body: { email: ADMIN, password: PASSWORD } });
    const cookie = `aims_session=${si.headers.get('set-cookie').match(/aims_session=([^;]+)/)[1]}`;
    const admin = { cookie, origin: server.url };
    const end = Date.now() + DURATION;
    let creates = 0;
    const load = async () => {
      while (Date.now() < end) {
        const r = await send(server.url, 'POST', '/api/v1/orgs/acme/ai-systems', {
          headers: { authorization: `Bearer ${writer}` }, body: { name: `S${creates}`, lifecycle_stage: 'deployment' } });
        if (r.status === 201) creates++;
      }
    };
    const waits = [];
    const timed = async (f) => {
      const t0 = process.hrtime.bigint();
      const r = await f();
      waits.push(Number(process.hrtime.bigint() - t0) / 1e6);
      return r;
    };
    const adminLoop = async () => {
      const roles = ['contributor', 'viewer'];
      for (let i = 0; Date.now() < end; i++) {
        const t = await timed(() => send(server.url, 'POST', '/api/v1/orgs/acme/tokens', { headers: admin, body: { name: `t${i}`, role: 'viewer' } }));
        if (t.status !== 201) throw new Error(`token: ${t.status}`);
        await timed(() => send(server.url, 'DELETE', `/api/v1/orgs/acme/tokens/${t.json.ref}`, { headers: { ...admin, 'if-match': t.headers.get('etag') } }));
        const m = await send(server.url, 'GET', '/api/v1/orgs/acme/members/ann@example.com', { headers: admin });
        const r = await timed(() => send(server.url, 'PATCH', '/api/v1/orgs/acme/members/ann@example.com', {
          headers: { ...admin, 'if-match': m.headers.get('etag') }, body: { role: roles[i % 2] } }));
        if (r.status !== 200) throw new Error(`role: ${r.status}`);
      }
    };
    await Promise.all([adminLoop(), ...Array.from({ length: WRITERS }, load)]);
    return { p50: pct(waits, 0.5), p99: pct(waits, 0.99), changes: waits.length, rate: creates / (DURATION / 1000) };
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const builds = [['now', AIMS], ...(BASE ? [['the build before', BASE]] : [])];
const results = new Map(builds.map(([name]) => [name, []]));
for (let r = 0; r < ROUNDS; r++)
  for (const [name, bin] of r % 2 ? [...builds].reverse() : builds)
    results.get(name).push(await round(bin));
console.log(`| ${WRITERS} clients creating, an admin's token and role changes | admin p50 ms | admin p99 ms | changes | creates/s |`);
console.log('| --- | ---: | ---: | ---: | ---: |');
for (const [name, rs] of results)
  console.log(`| ${name} | ${median(rs.map((x) => x.p50)).toFixed(1)} | ${median(rs.map((x) => x.p99)).toFixed(1)} | ` +
    `${median(rs.map((x) => x.changes))} | ${Math.round(median(rs.map((x) => x.rate)))} |`);
