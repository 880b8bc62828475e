// bench/slowloris.mjs - is a server still usable while slow clients hold
// connections? Starts `aims serve` (the binary given) on a fresh database on
// 127.0.0.1, opens PER connections from each of ADDRS loopback addresses
// (127.0.1.1, 127.0.1.2, ...) that send a request line and then one header
// line every 2 s without ever finishing, reopening any the server closes,
// then for SECONDS makes one normal request (GET /readyz, 5 s timeout) every
// 250 ms from 127.0.0.1 and reports how many succeeded and their latency.
// Loopback only; bounded in connections and time.
//
//   node bench/slowloris.mjs AIMS_BIN [ADDRS=20] [PER=64] [SECONDS=30] [serve options...]
import net from 'node:net';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [bin, addrsArg, perArg, secondsArg, ...serveArgs] = process.argv.slice(2);
const ADDRS = Number(addrsArg || 20);
const PER = Number(perArg || 64);
const SECONDS = Number(secondsArg || 30);
const MAX_CONNECTIONS = 4096;

if (!bin || ADDRS * PER > MAX_CONNECTIONS) {
  console.error('usage: node bench/slowloris.mjs AIMS_BIN [ADDRS] [PER] [SECONDS] (ADDRS*PER <= 4096)');
  process.exit(2);
}

const dir = mkdtempSync(join(tmpdir(), 'aims-slowloris-'));
const db = join(dir, 'aims.db');
const env = { ...process.env, AIMS_FAST_HASH: '1' };
spawnSync(bin, ['init', '--db', db, '--org', 'acme', '--admin', 'a@example.com', '--password-stdin'],
  { input: 'correct horse battery staple\n', env });
const server = spawn(bin, ['serve', '--db', db, '--listen', '127.0.0.1:0', '--log-format', 'json', ...serveArgs],
  { env, stdio: ['ignore', 'pipe', 'inherit'] });
const port = await new Promise((resolve) => {
  let out = '';
  server.stdout.on('data', (d) => {
    out += d;
    const m = out.match(/serving on http:\/\/[^:]+:(\d+)\//);
    if (m) resolve(Number(m[1]));
  });
});
server.stdout.resume();

let stopping = false;
let open = 0;
let opened = 0;
let cut = 0;
function slow(localAddress) {
  const s = net.connect({ host: '127.0.0.1', port, localAddress });
  let tick;
  s.on('connect', () => {
    open++;
    opened++;
    s.write('GET /readyz HTTP/1.1\r\nHost: x\r\n');
    let i = 0;
    tick = setInterval(() => s.write(`X-Slow-${i++}: y\r\n`), 2000);
  });
  s.on('error', () => {});
  s.on('close', (hadErr) => {
    clearInterval(tick);
    if (s.connecting === false && tick) { open--; cut++; }
    if (!stopping) setTimeout(() => slow(localAddress), hadErr ? 500 : 100);
  });
}
for (let a = 1; a <= ADDRS; a++) for (let i = 0; i < PER; i++) slow(`127.0.1.${a}`);
await new Promise((r) => setTimeout(r, 3000));

function probe() {
  return new Promise((resolve) => {
    const t0 = process.hrtime.bigint();
    const s = net.connect({ host: '127.0.0.1', port });
    let text = '';
    const done = (ok) => { clearTimeout(timer); s.destroy(); resolve({ ok, ms: Number(process.hrtime.bigint() - t0) / 1e6 }); };
    const timer = setTimeout(() => done(false), 5000);
    s.on('connect', () => s.write('GET /readyz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'));
    s.on('data', (d) => { text += d; if (/^HTTP\/1\.1 200/.test(text)) done(true); });
    s.on('error', () => done(false));
    s.on('close', () => done(/^HTTP\/1\.1 200/.test(text)));
  });
}
const results = [];
const openSeen = [];
const until = Date.now() + SECONDS * 1000;
while (Date.now() < until) {
  openSeen.push(open);
  results.push(await probe());
  await new Promise((r) => setTimeout(r, 250));
}
stopping = true;
server.kill('SIGTERM');
await new Promise((r) => server.on('exit', r));
rmSync(dir, { recursive: true, force: true });

const okMs = results.filter((r) => r.ok).map((r) => r.ms).sort((x, y) => x - y);
const pct = (p) => (okMs.length ? okMs[Math.min(okMs.length - 1, Math.floor(p * okMs.length))].toFixed(1) : '-');
console.log(`slow clients: ${ADDRS} addresses x ${PER}; connections accepted ${opened}, closed by the server ${cut}, ` +
  `open during probes: median ${openSeen.sort((x, y) => x - y)[openSeen.length >> 1]}`);
console.log(`normal requests: ${okMs.length}/${results.length} answered 200; latency p50 ${pct(0.5)} ms, p99 ${pct(0.99)} ms`);
process.exit(0);
