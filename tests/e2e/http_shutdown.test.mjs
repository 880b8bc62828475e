// Graceful shutdown: on SIGTERM the server finishes every request already
// sent to it, stops accepting, closes the database and exits 0.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { rmSync } from 'node:fs';
import { makeDb, startServer, request, signIn } from './lib.mjs';

// Opens a connection and resolves once it is established; the request is
// sent later with send(). Resolves answer() with the raw response text.
function openConnection(url) {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const sock = connect({ host: hostname, port: Number(port) });
    let data = '';
    const done = new Promise((res) => {
      sock.on('data', (d) => { data += d; });
      sock.on('close', () => res(data));
      sock.on('error', (e) => { data += `\nSOCKET ${e.code}`; });
    });
    sock.on('connect', () => resolve({ send: (text) => sock.write(text), answer: () => done }));
    sock.on('error', reject);
  });
}

function raw(method, path, host, { cookie, body } = {}) {
  const lines = [`${method} ${path} HTTP/1.1`, `Host: ${host}`, 'Connection: close'];
  if (cookie) lines.push(`Cookie: ${cookie}`, `Origin: http://${host}`);
  if (body) lines.push('Content-Type: application/json', `Content-Length: ${Buffer.byteLength(body)}`);
  return `${lines.join('\r\n')}\r\n\r\n${body || ''}`;
}

test('SIGTERM with requests in flight: none is lost, exit code 0', async () => {
  const { dir, db } = makeDb();
  // Real argon2id cost, so a sign-in is still running when the signal comes.
  const s = await startServer(db, { fastHash: false });
  try {
    const admin = await signIn(s.url);
    const host = new URL(s.url).host;
    const reqs = [raw('POST', '/api/v1/session', host,
      { body: JSON.stringify({ email: 'nobody@example.com', password: 'not the password' }) })];
    for (let i = 0; i < 20; i++) {
      reqs.push(raw('POST', '/api/v1/orgs/acme/tokens', host,
        { cookie: admin.cookie, body: JSON.stringify({ name: `t${i}`, role: 'viewer' }) }));
      reqs.push(raw('GET', '/api/v1/orgs/acme/ledger?limit=50', host, { cookie: admin.cookie }));
    }
    const conns = await Promise.all(reqs.map(() => openConnection(s.url)));
    conns.forEach((c, i) => c.send(reqs[i]));
    await new Promise((r) => setTimeout(r, 20));
    s.proc.kill('SIGTERM');
    const answers = await Promise.all(conns.map((c) => c.answer()));
    const statuses = answers.map((a) => (a.match(/^HTTP\/1\.1 (\d{3})/) || [null, a])[1]);
    assert.equal(statuses[0], '401');
    for (let i = 1; i < statuses.length; i++) {
      assert.equal(statuses[i], i % 2 ? '201' : '200', `request ${i}: ${answers[i]}`);
    }
    const { code, signal } = await s.exited;
    assert.equal(signal, null);
    assert.equal(code, 0);
    assert.match(s.errors(), /stopped/);
    // Every token the server said it created is in the database.
    const again = await startServer(db);
    try {
      const me = await signIn(again.url);
      const list = await request(again.url, 'GET', '/api/v1/orgs/acme/tokens?limit=500', { auth: me });
      assert.equal(list.json.items.length, 20);
    } finally {
      await again.stop();
    }
  } finally {
    await s.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('after SIGTERM no new connection is accepted', async () => {
  const { dir, db } = makeDb();
  const s = await startServer(db);
  try {
    s.proc.kill('SIGTERM');
    await s.exited;
    await assert.rejects(fetch(`${s.url}/healthz`));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
