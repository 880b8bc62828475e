// bench/web.mjs - server time of each web page and API read on a running `aims serve`
// (started with --log json): signs in through the sign-in form, requests each
// page CALLS times one after the other, and reads the server's own time for
// each answer from its access log (the "usec" of the request line), so the
// figures are the server's work, not the client's or the network's.
//
//   node bench/web.mjs URL LOGFILE ORG EMAIL PASSWORD [CALLS]
//
// Prints a Markdown table: page, answer bytes, p50, p99 and max in ms.
import { readFileSync } from 'node:fs';
import { webPages } from './web-pages.mjs';

const [url, logFile, org, email, password, callsArg] = process.argv.slice(2);
const CALLS = Number(callsArg || 200);
const WARMUP = 20;

function cookieOf(r, jar) {
  for (const c of r.headers.getSetCookie()) {
    const [pair] = c.split(';');
    const [name, value] = pair.split('=');
    if (value === '') delete jar[name]; else jar[name] = value;
  }
}
const header = (jar) => Object.entries(jar).map(([k, v]) => `${k}=${v}`).join('; ');

async function signIn() {
  const jar = {};
  let r = await fetch(`${url}/sign-in`);
  cookieOf(r, jar);
  const token = (await r.text()).match(/name="_csrf" value="([^"]+)"/)[1];
  r = await fetch(`${url}/sign-in`, {
    method: 'POST', redirect: 'manual',
    headers: { cookie: header(jar), origin: url, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: token, email, password }),
  });
  if (r.status !== 303) throw new Error(`sign-in: ${r.status}`);
  cookieOf(r, jar);
  return jar;
}

function pct(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
}

// The server times logged for path since offset, in ms.
function timesFor(path, from) {
  const lines = readFileSync(logFile, 'utf8').slice(from).split('\n');
  const want = path.split('?')[0];
  return lines.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l))
    .filter((e) => e.method === 'GET' && e.path === want).map((e) => e.usec / 1000);
}

const a = `/api/v1/orgs/${org}`;
const apiPages = [
  // The JSON API's reads, with the same session.
  ['API: risks list (50, with total)', `${a}/risks`],
  ['API: risks of a heat-map cell', `${a}/risks?likelihood=4&impact=5`],
  ['API: risks, search', `${a}/risks?q=drift`],
  ['API: risk', `${a}/risks/RISK-4242`],
  ['API: evidence of an AI system', `${a}/evidence?ai_systems=AIS-42`],
  ['API: evidence', `${a}/evidence/EV-4242`],
  ['API: AI system', `${a}/ai-systems/AIS-42`],
];

const jar = await signIn();
const home = await (await fetch(`${url}/o/${org}/`, { headers: { cookie: header(jar) } })).text();
const pages = [...webPages(org, email, home), ...apiPages];
console.log('| page | bytes | p50 ms | p99 ms | max ms |');
console.log('| --- | ---: | ---: | ---: | ---: |');
for (const [name, path] of pages) {
  let bytes = 0;
  let status = 0;
  for (let i = 0; i < WARMUP; i++) await (await fetch(url + path, { headers: { cookie: header(jar) } })).text();
  const from = readFileSync(logFile, 'utf8').length;
  for (let i = 0; i < CALLS; i++) {
    const r = await fetch(url + path, { headers: { cookie: header(jar) }, redirect: 'manual' });
    bytes = (await r.arrayBuffer()).byteLength;
    status = r.status;
  }
  await new Promise((res) => setTimeout(res, 50));
  const t = timesFor(path, from).sort((a, b) => a - b);
  if (status !== 200 || t.length === 0) {
    console.log(`| ${name} | status ${status} | | | |`);
    continue;
  }
  console.log(`| ${name} | ${bytes} | ${pct(t, 0.5).toFixed(2)} | ${pct(t, 0.99).toFixed(2)} | ${t[t.length - 1].toFixed(2)} |`);
}
