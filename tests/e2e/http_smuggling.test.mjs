// http_smuggling.test.mjs - request framing attacks against the real server
// over raw sockets (loopback only): conflicting Content-Length headers,
// Content-Length with Transfer-Encoding, unknown transfer codings and a
// %00 in the request target. Each is refused at once and the connection is
// closed, so a second request hidden in the body never runs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { setup, signIn, request } from './lib.mjs';

let env;
let admin;

before(async () => {
  env = await setup();
  admin = await signIn(env.url);
});
after(async () => { await env.cleanup(); });

// Sends raw bytes; resolves with everything the server sent until it closed
// the connection, or until ms passed ({ text, closed }).
function raw(bytes, ms = 3000) {
  const { hostname, port } = new URL(env.url);
  return new Promise((resolve, reject) => {
    const s = net.connect({ host: hostname, port: Number(port) });
    let text = '';
    const timer = setTimeout(() => { s.destroy(); resolve({ text, closed: false }); }, ms);
    s.setEncoding('latin1');
    s.on('data', (d) => { text += d; });
    s.on('error', (e) => { clearTimeout(timer); if (e.code === 'ECONNRESET') resolve({ text, closed: true }); else reject(e); });
    s.on('end', () => { clearTimeout(timer); s.destroy(); resolve({ text, closed: true }); });
    s.on('connect', () => s.write(bytes, 'latin1'));
  });
}

function statuses(text) {
  return [...text.matchAll(/^HTTP\/1\.1 (\d{3})/gm)].map((m) => Number(m[1]));
}

// A body that is itself a complete request creating an organisation: if it
// ever runs, the organisation exists.
function smuggled(slug) {
  const body = JSON.stringify({ slug });
  const host = new URL(env.url).host;
  return `POST /api/v1/orgs HTTP/1.1\r\nHost: ${host}\r\nCookie: ${admin.cookie}\r\n` +
    `Origin: ${env.url}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
}

async function orgExists(slug) {
  const r = await request(env.url, 'GET', `/api/v1/orgs/${slug}`, { auth: admin });
  return r.status === 200;
}

test('two different Content-Length headers: 400, connection closed, nothing smuggled', async () => {
  const inner = smuggled('smuggled-cl');
  const host = new URL(env.url).host;
  const r = await raw(`POST /api/v1/session HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\n` +
    `Content-Length: 2\r\nContent-Length: ${2 + inner.length}\r\n\r\n{}${inner}`);
  assert.deepEqual(statuses(r.text), [400], r.text);
  assert.match(r.text, /Content-Length/);
  assert.ok(r.closed, 'the connection is closed');
  assert.equal(await orgExists('smuggled-cl'), false);
});

test('Content-Length with Transfer-Encoding: chunked: 400, closed, nothing smuggled', async () => {
  const inner = smuggled('smuggled-te');
  const host = new URL(env.url).host;
  const r = await raw(`POST /api/v1/session HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\n` +
    `Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n${inner}`);
  assert.deepEqual(statuses(r.text), [400], r.text);
  assert.match(r.text, /Transfer-Encoding/);
  assert.ok(r.closed, 'the connection is closed');
  assert.equal(await orgExists('smuggled-te'), false);
});

test('an unknown transfer coding answers 501 at once and closes', async () => {
  const host = new URL(env.url).host;
  const t0 = Date.now();
  const r = await raw(`POST /api/v1/session HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\n` +
    `Transfer-Encoding: gzip, chunked\r\n\r\n`, 3000);
  assert.deepEqual(statuses(r.text), [501], r.text);
  assert.ok(r.closed, 'the connection is closed');
  assert.ok(Date.now() - t0 < 2000, 'answered at once');
  const r2 = await raw(`POST /api/v1/session HTTP/1.1\r\nHost: ${host}\r\nTransfer-Encoding: identity\r\n\r\n`, 3000);
  assert.deepEqual(statuses(r2.text), [501], r2.text);
});

test('a %00 in the path or query is refused with 400', async () => {
  const host = new URL(env.url).host;
  for (const target of ['/api/v1/orgs/acme%00/members', '/o/acme%00.css', '/api/v1/orgs?x=%00']) {
    const r = await raw(`GET ${target} HTTP/1.1\r\nHost: ${host}\r\nCookie: ${admin.cookie}\r\n\r\n`);
    assert.deepEqual(statuses(r.text), [400], `${target}: ${r.text}`);
    assert.match(r.text, /%00/);
  }
});

test('a plain chunked request and two pipelined requests still work', async () => {
  const host = new URL(env.url).host;
  const body = JSON.stringify({ email: 'nobody@example.com', password: 'x' });
  const chunked = `${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n`;
  const r = await raw(`POST /api/v1/session HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\n` +
    `Transfer-Encoding: chunked\r\n\r\n${chunked}GET /healthz HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);
  assert.deepEqual(statuses(r.text), [401, 200], r.text);
});
