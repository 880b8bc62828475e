// http_slowloris.test.mjs - slow clients against the real server (loopback
// only, bounded in count and time): connections that trickle their headers
// are closed at the header deadline however steadily they send, one address
// cannot hold more than its share of connections, and other clients are
// served meanwhile.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { setup, request } from './lib.mjs';

const HEADER_TIMEOUT = 2;
const PER_ADDRESS = 8;
const ADDRESSES = ['127.0.0.2', '127.0.0.3', '127.0.0.4', '127.0.0.5'];

let env;

before(async () => {
  env = await setup({ args: ['--header-timeout', String(HEADER_TIMEOUT), '--idle-timeout', '20',
    '--max-connections', '64', '--max-connections-per-address', String(PER_ADDRESS)] });
});
after(async () => { await env.cleanup(); });

// A connection from localAddress that sends its request line and then one
// header line every 300 ms, never finishing. Resolves { closedAfterMs,
// answered } once the server closes it (or after limitMs).
function slowClient(localAddress, limitMs = 8000) {
  const { hostname, port } = new URL(env.url);
  return new Promise((resolve) => {
    const t0 = Date.now();
    let answered = '';
    let timer;
    let tick;
    const s = net.connect({ host: hostname, port: Number(port), localAddress });
    const finish = (closed) => {
      clearInterval(tick);
      clearTimeout(timer);
      s.destroy();
      resolve({ closed, closedAfterMs: Date.now() - t0, answered });
    };
    s.on('data', (d) => { answered += d; });
    s.on('error', () => finish(true));
    s.on('close', () => finish(true));
    s.on('connect', () => {
      s.write('GET /healthz HTTP/1.1\r\nHost: x\r\n');
      let i = 0;
      tick = setInterval(() => { s.write(`X-Slow-${i++}: y\r\n`); }, 300);
    });
    timer = setTimeout(() => finish(false), limitMs);
  });
}

test('trickled headers are cut at the header deadline; others are served meanwhile', async () => {
  const slow = [];
  for (const a of ADDRESSES) for (let i = 0; i < PER_ADDRESS; i++) slow.push(slowClient(a));
  await new Promise((r) => setTimeout(r, 500));
  // Another client is answered at once while the slow ones are open.
  const t0 = Date.now();
  const r = await request(env.url, 'GET', '/healthz');
  assert.equal(r.status, 200);
  assert.ok(Date.now() - t0 < 1000, `answered in ${Date.now() - t0} ms`);
  const results = await Promise.all(slow);
  for (const s of results) {
    assert.ok(s.closed, 'closed by the server');
    assert.equal(s.answered, '', 'no request ran');
    assert.ok(s.closedAfterMs >= HEADER_TIMEOUT * 1000 - 300, `closed after ${s.closedAfterMs} ms`);
    assert.ok(s.closedAfterMs < HEADER_TIMEOUT * 1000 + 1500, `closed after ${s.closedAfterMs} ms`);
  }
  const m = await request(env.url, 'GET', '/metrics');
  const cuts = Number((m.text.match(/^aims_http_header_timeouts_total (\d+)$/m) || [])[1]);
  assert.ok(cuts >= slow.length, `aims_http_header_timeouts_total ${cuts}`);
});

test('one address holds at most its share of connections', async () => {
  const slow = [];
  for (let i = 0; i < PER_ADDRESS + 4; i++) slow.push(slowClient('127.0.0.6'));
  const results = await Promise.all(slow);
  const early = results.filter((s) => s.closedAfterMs < 1000).length;
  assert.equal(early, 4, `closed at once: ${early}`);
});

test('a kept-alive connection must send its next request in time too', async () => {
  const { hostname, port } = new URL(env.url);
  const s = net.connect({ host: hostname, port: Number(port), localAddress: '127.0.0.7' });
  let text = '';
  s.setEncoding('latin1');
  s.on('data', (d) => { text += d; });
  await new Promise((r) => s.on('connect', r));
  s.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
  await new Promise((r) => setTimeout(r, 300));
  assert.match(text, /^HTTP\/1\.1 200/);
  // The next request trickles in: idle time (20 s) is not the limit,
  // the header deadline after the idle allowance is.
  s.write('GET /healthz HTTP/1.1\r\n');
  const tick = setInterval(() => s.write('X-Slow: y\r\n'), 300);
  const closed = await new Promise((r) => {
    const t = setTimeout(() => r(false), 4000);
    s.on('close', () => { clearTimeout(t); r(true); });
  });
  clearInterval(tick);
  s.destroy();
  assert.ok(closed, 'closed at the deadline of the trickled request line');
});

test('bad limits are refused naming the option; --help lists them', async () => {
  const { aims } = await import('./lib.mjs');
  for (const [args, re] of [
    [['--header-timeout', '0'], /--header-timeout must be from 1/],
    [['--max-connections', '5'], /--max-connections must be from 16/],
    [['--max-connections-per-address', 'x'], /--max-connections-per-address must be/],
    [['--trusted-proxy', '10.0.0.0/40'], /--trusted-proxy must be an IPv4 or IPv6 address.*10\.0\.0\.0\/40/],
    [['--heavy-reads-per-minute', '-1'], /--heavy-reads-per-minute must be/],
  ]) {
    const r = aims(['serve', '--db', '/nonexistent/aims.db', ...args]);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, re);
  }
  const help = aims(['serve', '--help']).stdout;
  for (const o of ['--max-connections', '--max-connections-per-address', '--header-timeout',
    '--idle-timeout', '--trusted-proxy', '--heavy-reads-per-minute']) assert.ok(help.includes(o), o);
});
