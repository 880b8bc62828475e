// bench/metrics.mjs - metric readings: ingest over the API in batches of
// 1,000 (each batch one transaction with its ledger entry, acknowledged
// after commit with synchronous=FULL), then the series of a chart over one
// year of per-minute readings (525,600), downsampled by the server.
//
// Runs the release binary (AIMS_RELEASE_BIN, default build/rel/aims).
// Knobs: METRICS_BENCH_N (readings, default 10,000,000), METRICS_BENCH_CLIENTS
// (concurrent pushers, default 4), METRICS_BENCH_CHART_RUNS (default 50),
// METRICS_BENCH_CHART=0 (ingest only). After the ingest, the same number of
// readings is stored by SQLite alone (bench/readings_raw.c) as the baseline.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn, spawnSync } from 'node:child_process';

const AIMS = process.env.AIMS_RELEASE_BIN || new URL('../build/rel/aims', import.meta.url).pathname;
const RAW = new URL('../build/rel/bench/readings_raw', import.meta.url).pathname;
const N = Number(process.env.METRICS_BENCH_N || 10000000);
const CLIENTS = Number(process.env.METRICS_BENCH_CLIENTS || 4);
const RUNS = Number(process.env.METRICS_BENCH_CHART_RUNS || 50);
const BATCH = 1000;
const ADMIN = 'admin@example.com';
const PASSWORD = 'correct horse battery staple';

function run(args, input) {
  const r = spawnSync(AIMS, args, { input, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`aims ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

async function serve(db) {
  const proc = spawn(AIMS, ['serve', '--db', db, '--listen', '127.0.0.1:0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout.setEncoding('utf8');
  const url = await new Promise((resolve) => proc.stdout.on('data', (d) => {
    out += d;
    const m = out.match(/serving on (http:\/\/[^/\s]+)\//);
    if (m) resolve(m[1]);
  }));
  return { url, pid: proc.pid, stop: () => new Promise((r) => { proc.on('exit', r); proc.kill('SIGTERM'); }) };
}

// CPU seconds (user + system) the server has used: a figure the other
// work on a shared machine does not inflate, unlike elapsed time.
function cpuSeconds(pid) {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;
}

const iso = (ms) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');

function body(start, i) {
  const a = new Array(BATCH);
  for (let j = 0; j < BATCH; j++) a[j] = { at: iso(start + (i * BATCH + j) * 60e3), value: 90 + ((i * BATCH + j) % 997) / 100 };
  return JSON.stringify(a);
}

const dir = mkdtempSync(join(tmpdir(), 'aims-bench-metrics-'));
const db = join(dir, 'aims.db');
try {
  run(['init', '--db', db, '--org', 'acme', '--org-name', 'Acme', '--admin', ADMIN, '--password-stdin'], `${PASSWORD}\n`);
  const token = run(['token', 'create', '--org', 'acme', '--name', 'ci', '--role', 'contributor', '--db', db, '--format', 'json']);
  const auth = { authorization: `Bearer ${JSON.parse(token).token}`, 'content-type': 'application/json' };
  const mk = (fields) => JSON.parse(run(['record', 'create', fields.kind, '--org', 'acme', '--as', ADMIN, '--db', db,
    '--json', JSON.stringify(fields.body)])).ref;
  const ai = mk({ kind: 'ai-systems', body: { name: 'Bench system' } });
  const metric = mk({ kind: 'metrics', body: { title: 'Ingest', ai_system: ai, direction: 'higher_is_better', interval_hours: 24, on_breach: 'none' } });
  const year = mk({ kind: 'metrics', body: { title: 'A year per minute', ai_system: ai, direction: 'higher_is_better', interval_hours: 24, on_breach: 'none' } });
  const srv = await serve(db);
  try {
    // Ingest.
    const batches = Math.ceil(N / BATCH);
    const start = Date.UTC(2000, 0, 1);
    let next = 0, stored = 0, ingestRate = 0;
    const c0 = cpuSeconds(srv.pid);
    const t0 = performance.now();
    await Promise.all(Array.from({ length: CLIENTS }, async () => {
      for (;;) {
        const i = next++;
        if (i >= batches) return;
        const r = await fetch(`${srv.url}/api/v1/orgs/acme/metrics/${metric}/readings`, { method: 'POST', headers: auth, body: body(start, i) });
        const j = await r.json();
        if (r.status !== 200) throw new Error(`batch ${i}: ${r.status} ${JSON.stringify(j)}`);
        stored += j.stored;
      }
    }));
    const secs = (performance.now() - t0) / 1000;
    const cpu = cpuSeconds(srv.pid) - c0;
    ingestRate = stored / secs;
    console.log(`ingest: ${stored} readings in ${batches} batches of ${BATCH}, ${CLIENTS} clients: ${secs.toFixed(1)} s, ${Math.round(stored / secs)} readings/s; server CPU ${cpu.toFixed(1)} s, ${Math.round(stored / cpu)} readings per CPU-second`);
    // A year of per-minute readings for the chart (METRICS_BENCH_CHART=0 skips it).
    if (process.env.METRICS_BENCH_CHART !== '0') await chart(srv, auth, year);
    // Last, so that an idle keep-alive connection is not what the chart reuses.
    // The baseline: SQLite alone, same table shape and durability (bench/readings_raw.c).
    if (existsSync(RAW)) {
      const raw = spawnSync(RAW, [join(dir, 'raw.db'), String(N)], { encoding: 'utf8' });
      const m = raw.stdout.match(/([0-9]+) readings\/s/);
      if (raw.status === 0 && m) console.log(`${raw.stdout.trim()}\ningest / raw SQLite: ${(ingestRate / Number(m[1])).toFixed(2)}x`);
    }
  } finally {
    await srv.stop();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

async function chart(srv, auth, year) {
  {
    const y0 = Date.UTC(2025, 0, 1);
    for (let i = 0; i < 525600 / BATCH + 1; i++) {
      const a = [];
      for (let j = 0; j < BATCH && i * BATCH + j < 525600; j++) a.push({ at: iso(y0 + (i * BATCH + j) * 60e3), value: Math.sin((i * BATCH + j) / 5000) });
      if (a.length === 0) break;
      const r = await fetch(`${srv.url}/api/v1/orgs/acme/metrics/${year}/readings`, { method: 'POST', headers: auth, body: JSON.stringify(a) });
      if (r.status !== 200) throw new Error(`year batch ${i}: ${r.status}`);
    }
    const times = [];
    let answer;
    for (let k = 0; k < RUNS; k++) {
      const t = performance.now();
      const r = await fetch(`${srv.url}/api/v1/orgs/acme/metrics/${year}/readings?from=2025-01-01T00:00:00Z&to=2026-01-01T00:00:00Z&points=400`, { headers: auth });
      answer = await r.json();
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    console.log(`chart: one year, ${answer.count} readings, ${answer.points.length} points: median ${times[times.length >> 1].toFixed(1)} ms, p90 ${times[Math.floor(times.length * 0.9)].toFixed(1)} ms, best ${times[0].toFixed(1)} ms (over HTTP, ${RUNS} runs)`);
  }
}
