// bench/verify_load.mjs - what four viewers looping on ledger verification do
// to everyone else. Fills organisation "bench" with ENTRIES ledger entries
// (build/rel/bench/ledger_fill), starts `aims serve` on 127.0.0.1, and times
// another viewer's cheap read (GET .../ledger?limit=5), one after the other,
// for SECONDS alone, then for SECONDS while four viewers loop on
// verification as fast as they can. MODE get: each loop calls
// GET .../ledger/verify (how the server verified before it ran in the
// background); MODE post: each loop POSTs .../ledger/verify and polls GET
// until the result (202 while running, 429 past the budget); MODE read: each
// loop makes the same cheap read as the measured viewer (the load of four
// busy clients, without any verification, for comparison). Loopback only.
//
//   node bench/verify_load.mjs AIMS_BIN LEDGER_FILL get|post|read [ENTRIES=500000] [SECONDS=15]
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [bin, fill, mode, entriesArg, secondsArg] = process.argv.slice(2);
const ENTRIES = Number(entriesArg || 500000);
const SECONDS = Number(secondsArg || 15);
const LOOPS = 4;
const PASSWORD = 'correct horse battery staple';
if (!bin || !fill || !['get', 'post', 'read'].includes(mode)) {
  console.error('usage: node bench/verify_load.mjs AIMS_BIN LEDGER_FILL get|post|read [ENTRIES] [SECONDS]');
  process.exit(2);
}

const dir = mkdtempSync(join(tmpdir(), 'aims-verify-load-'));
const db = join(dir, 'aims.db');
const env = { ...process.env, AIMS_FAST_HASH: '1' };
const run = (args, input) => {
  const r = spawnSync(args[0], args.slice(1), { input: input ?? '', env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${args.join(' ')}: ${r.stderr}`);
};
run([fill, 'fill', db, String(ENTRIES)]);
const users = [...Array(LOOPS).keys()].map((i) => `loop${i}@example.com`).concat(['other@example.com']);
for (const u of users) {
  run([bin, 'user', 'add', u, '--password-stdin', '--db', db], `${PASSWORD}\n`);
  run([bin, 'member', 'add', u, '--org', 'bench', '--role', 'viewer', '--db', db]);
}
const server = spawn(bin, ['serve', '--db', db, '--listen', '127.0.0.1:0', '--log-format', 'json'],
  { env, stdio: ['ignore', 'pipe', 'inherit'] });
const url = await new Promise((resolve) => {
  let out = '';
  server.stdout.on('data', (d) => {
    out += d;
    const m = out.match(/serving on (http:\/\/[^/\s]+)\//);
    if (m) resolve(m[1]);
  });
});
server.stdout.resume();

async function signIn(email) {
  const r = await fetch(`${url}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: PASSWORD }) });
  return r.headers.get('set-cookie').split(';')[0];
}
const cookies = {};
for (const u of users) cookies[u] = await signIn(u);

const VERIFY = `${url}/api/v1/orgs/bench/ledger/verify`;
let stop = false;
let verifications = 0;
let throttled = 0;
async function loop(cookie) {
  const h = { cookie, origin: url };
  while (!stop) {
    if (mode === 'read') {
      const r = await fetch(`${url}/api/v1/orgs/bench/ledger?limit=5`, { headers: h });
      await r.text();
      continue;
    }
    if (mode === 'get') {
      const r = await fetch(VERIFY, { headers: h });
      await r.text();
      if (r.status === 200) verifications++;
      continue;
    }
    const p = await fetch(VERIFY, { method: 'POST', headers: h });
    await p.text();
    if (p.status === 429) throttled++;
    for (;;) {
      const r = await fetch(VERIFY, { headers: h });
      await r.text();
      if (r.status !== 202 || stop) { if (r.status === 200) verifications++; break; }
    }
  }
}

async function measure() {
  const ms = [];
  let failed = 0;
  const until = Date.now() + SECONDS * 1000;
  while (Date.now() < until) {
    const t0 = process.hrtime.bigint();
    const r = await fetch(`${url}/api/v1/orgs/bench/ledger?limit=5`, { headers: { cookie: cookies['other@example.com'] } });
    await r.text();
    if (r.status === 200) ms.push(Number(process.hrtime.bigint() - t0) / 1e6); else failed++;
  }
  ms.sort((a, b) => a - b);
  const p = (q) => (ms.length ? ms[Math.min(ms.length - 1, Math.floor(q * ms.length))].toFixed(2) : '-');
  return `${ms.length} answered (${failed} failed), p50 ${p(0.5)} ms, p99 ${p(0.99)} ms`;
}

const alone = await measure();
const loops = users.slice(0, LOOPS).map((u) => loop(cookies[u]));
const loaded = await measure();
stop = true;
await Promise.all(loops);
server.kill('SIGTERM');
await new Promise((r) => server.on('exit', r));
rmSync(dir, { recursive: true, force: true });
console.log(`mode ${mode}, ${ENTRIES} entries, ${LOOPS} viewer loops`);
console.log(`another viewer's read alone:      ${alone}`);
console.log(`  ... while the loops verify:     ${loaded}`);
console.log(`verifications completed by the loops: ${verifications}; POSTs answered 429: ${throttled}`);
