// http_throttle.test.mjs - sign-in throttling that slows guessing without
// locking anyone out: per (account, address) back-off, a per-address budget
// across accounts, and X-Forwarded-For taken only from --trusted-proxy.
// Loopback only: 127.0.0.1 is the trusted proxy, 127.0.0.2-5 are clients.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { setup, ADMIN, PASSWORD } from './lib.mjs';

let env;

before(async () => {
  env = await setup({ args: ['--trusted-proxy', '127.0.0.1'] });
});
after(async () => { await env.cleanup(); });

// POST /api/v1/session from localAddress, optionally with X-Forwarded-For.
function signIn(email, password, { from = '127.0.0.1', xff } = {}) {
  const { hostname, port } = new URL(env.url);
  const body = JSON.stringify({ email, password });
  const headers = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) };
  if (xff) headers['x-forwarded-for'] = xff;
  return new Promise((resolve, reject) => {
    const req = http.request({ host: hostname, port: Number(port), method: 'POST',
      path: '/api/v1/session', localAddress: from, headers, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { text += d; });
      res.on('end', () => resolve({ status: res.statusCode, retryAfter: Number(res.headers['retry-after'] || 0), text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function failUntilPaused(email, opts, max = 10) {
  for (let i = 1; i <= max; i++) {
    const r = await signIn(email, 'not the password', opts);
    if (r.status === 429) return { attempts: i, ...r };
    assert.equal(r.status, 401, r.text);
  }
  throw new Error(`no pause after ${max} failures`);
}

test('guessing a password from one address never locks its owner out elsewhere', async () => {
  const paused = await failUntilPaused(ADMIN, { from: '127.0.0.2' });
  assert.equal(paused.attempts, 6, 'five failures, then a pause');
  // 30 s from the last failure, in whole seconds left: 29 when the clock
  // crossed a second between that failure and this answer.
  assert.ok(paused.retryAfter >= 29 && paused.retryAfter <= 30,
    `a back-off, not a 15-minute block (Retry-After ${paused.retryAfter})`);
  assert.match(paused.text, /"code":"throttled"/);
  // The owner, from another address, signs in at once.
  const owner = await signIn(ADMIN, PASSWORD, { from: '127.0.0.3' });
  assert.equal(owner.status, 200, owner.text);
});

test('behind a trusted proxy each client is counted by X-Forwarded-For', async () => {
  const attacker = { xff: '203.0.113.9' };
  const paused = await failUntilPaused('member@example.com', attacker);
  assert.equal(paused.attempts, 6);
  // A left part the attacker writes proves nothing: the proxy appended the rest.
  const spoofed = await signIn('member@example.com', 'x', { xff: '198.51.100.7, 203.0.113.9' });
  assert.equal(spoofed.status, 429);
  // Every other client of the proxy still signs in.
  const owner = await signIn(ADMIN, PASSWORD, { xff: '198.51.100.7' });
  assert.equal(owner.status, 200, owner.text);
  const other = await signIn('member@example.com', 'x', { xff: '198.51.100.8' });
  assert.equal(other.status, 401);
});

test('X-Forwarded-For from a peer that is not a trusted proxy is ignored', async () => {
  let r;
  for (let i = 0; i < 6; i++) {
    r = await signIn('victim@example.com', 'x', { from: '127.0.0.4', xff: `192.0.2.${i + 1}` });
  }
  assert.equal(r.status, 429, 'the peer address was counted, whatever the header said');
});

test('one address has a budget across accounts (password spraying)', async () => {
  let r;
  let n = 0;
  for (; n < 30; n++) {
    r = await signIn(`spray${n}@example.com`, 'Summer2026!', { xff: '192.0.2.200' });
    if (r.status === 429) break;
  }
  assert.equal(n, 20, 'twenty failures, then a pause');
  assert.ok(r.retryAfter >= 59 && r.retryAfter <= 60, `Retry-After ${r.retryAfter}`);
  // The right password from that address waits too; other addresses do not.
  r = await signIn(ADMIN, PASSWORD, { xff: '192.0.2.200' });
  assert.equal(r.status, 429);
  r = await signIn(ADMIN, PASSWORD, { xff: '192.0.2.201' });
  assert.equal(r.status, 200);
});

test('an IPv6 client is counted by its /64, so rotating addresses does not help', async () => {
  let r;
  for (let i = 1; i <= 6; i++) {
    r = await signIn('v6@example.com', 'x', { xff: `2001:db8:0:7::${i.toString(16)}` });
  }
  assert.equal(r.status, 429, r.text);
  r = await signIn('v6@example.com', 'x', { xff: '2001:db8:0:8::1' });
  assert.equal(r.status, 401);
});
