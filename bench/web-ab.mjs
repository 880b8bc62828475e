// bench/web-ab.mjs - two running `aims serve --log-format json`, a baseline
// and a candidate, asked for the same pages in turn (see bench/web-ab.sh);
// prints each page's median server time under both and their ratio.
//
//   node bench/web-ab.mjs BASE_URL BASE_LOG NEW_URL NEW_LOG EMAIL PASSWORD [CALLS]
//
// WEB_BENCH_PAGES=REGEXP times only the pages whose name matches. With
// WEB_BENCH_PIDS="BASE_PID NEW_PID" (bench/web-ab.sh sets it) each page's CPU
// time per request of each server is given too (user + system time from
// /proc over the timed calls, all threads): on a loaded machine the wall
// times include waiting for a CPU, the CPU times much less so.
import { readFileSync } from 'node:fs';
import { webPages } from './web-pages.mjs';

const [baseUrl, baseLog, newUrl, newLog, email, password, callsArg] = process.argv.slice(2);
const CALLS = Number(callsArg || 150);
const WARMUP = 10;
const SLOW_MS = 300;	// a first answer slower than this: SLOW_CALLS calls
const SLOW_CALLS = 7;

function cookieOf(r, jar) {
  for (const c of r.headers.getSetCookie()) {
    const [pair] = c.split(';');
    const [name, value] = pair.split('=');
    if (value === '') delete jar[name]; else jar[name] = value;
  }
}
const header = (jar) => Object.entries(jar).map(([k, v]) => `${k}=${v}`).join('; ');

async function signIn(url) {
  const jar = {};
  let r = await fetch(`${url}/sign-in`);
  cookieOf(r, jar);
  const token = (await r.text()).match(/name="_csrf" value="([^"]+)"/)[1];
  r = await fetch(`${url}/sign-in`, {
    method: 'POST', redirect: 'manual',
    headers: { cookie: header(jar), origin: url, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: token, email, password }),
  });
  if (r.status !== 303) throw new Error(`sign-in at ${url}: ${r.status}`);
  cookieOf(r, jar);
  return jar;
}

// Server times (ms) logged for GET path since offset, sorted.
function times(log, path, from) {
  const want = path.split('?')[0];
  return readFileSync(log, 'utf8').slice(from).split('\n').filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l)).filter((e) => e.method === 'GET' && e.path === want)
    .map((e) => e.usec / 1000).sort((a, b) => a - b);
}
const median = (t) => t[Math.floor(t.length / 2)];
const pids = (process.env.WEB_BENCH_PIDS || '').split(' ').filter(Boolean).map(Number);
const TICK_MS = 10;	// the kernel's clock tick (USER_HZ 100) in /proc/PID/stat
function cpuMs(pid) {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(f[11]) + Number(f[12])) * TICK_MS;	// utime, stime
}


const jars = [await signIn(baseUrl), await signIn(newUrl)];
const status = [0, 0];
const get = async (i, path) => {
  const url = i === 0 ? baseUrl : newUrl;
  const r = await fetch(url + path, { headers: { cookie: header(jars[i]) }, redirect: 'manual' });
  await r.arrayBuffer();
  status[i] = r.status;
};
const home = await (await fetch(`${newUrl}/o/bench/`, { headers: { cookie: header(jars[1]) } })).text();
// WEB_BENCH_PAGES: a regular expression; only the pages whose name it matches.
const only = process.env.WEB_BENCH_PAGES ? new RegExp(process.env.WEB_BENCH_PAGES) : null;
const pages = [...webPages('bench', email, home),
  ['API: risk', '/api/v1/orgs/bench/risks/RISK-4242']].filter(([name]) => !only || only.test(name));
console.log(pids.length === 2 ?
  '| page | baseline p50 ms | this build p50 ms | ratio | baseline CPU ms | this build CPU ms |\n' +
  '| --- | ---: | ---: | ---: | ---: | ---: |' :
  '| page | baseline p50 ms | this build p50 ms | ratio |\n| --- | ---: | ---: | ---: |');
for (const [name, path] of pages) {
  // A page that takes seconds under one build is asked fewer times (its median is no
  // less clear, and the run stays minutes long).
  const t0 = Date.now();
  await get(0, path); await get(1, path);
  const slow = Date.now() - t0 > SLOW_MS;
  const calls = slow ? SLOW_CALLS : CALLS;
  for (let i = 1; i < (slow ? 1 : WARMUP); i++) { await get(0, path); await get(1, path); }
  if (status[0] !== 200 || status[1] !== 200) {
    console.log(`| ${name} | status ${status[0]} | status ${status[1]} | |`);
    continue;
  }
  const from = [readFileSync(baseLog, 'utf8').length, readFileSync(newLog, 'utf8').length];
  const cpu0 = pids.map(cpuMs);
  for (let i = 0; i < calls; i++) { await get(0, path); await get(1, path); }
  const cpu = pids.map((p, i) => ((cpuMs(p) - cpu0[i]) / calls).toFixed(2));
  await new Promise((res) => setTimeout(res, 50));
  const b = median(times(baseLog, path, from[0]));
  const n = median(times(newLog, path, from[1]));
  console.log(`| ${name} | ${b.toFixed(2)} | ${n.toFixed(2)} | ${(n / b).toFixed(n / b < 0.1 ? 4 : 2)}x |` +
    (pids.length === 2 ? ` ${cpu[0]} | ${cpu[1]} |` : ''));
}
