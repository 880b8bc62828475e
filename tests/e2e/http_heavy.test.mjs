// http_heavy.test.mjs - expensive reads by the lowest role: ledger
// verification runs in the background (POST starts it, GET reports progress
// with 202, then the result), one run at a time per organisation; heavy
// reads (readiness, exports, verification, long lists) have a per-caller
// budget answered with 429 and Retry-After.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { AIMS, aimsOk, addMember, startServer, signIn, request, tempDir, testEnv } from './lib.mjs';

const FILL = join(dirname(AIMS), 'bench', 'ledger_fill');
const ENTRIES = 200000;
const BUDGET = 4;

let dir;
let server;
let url;
const who = {};

before(async () => {
  assert.ok(existsSync(FILL), `${FILL} is built by make e2e`);
  dir = tempDir();
  const db = join(dir, 'aims.db');
  // A log large enough that its verification takes a while: organisation "bench".
  const r = spawnSync(FILL, ['fill', db, String(ENTRIES)], { encoding: 'utf8', env: testEnv });
  assert.equal(r.status, 0, r.stderr);
  for (const [name, role] of [['viewer', 'viewer'], ['reader', 'viewer'], ['lister', 'viewer'], ['admin', 'admin']]) {
    addMember(db, `${name}@example.com`, role, 'bench');
  }
  server = await startServer(db, { args: ['--heavy-reads-per-minute', String(BUDGET)] });
  url = server.url;
  for (const name of ['viewer', 'reader', 'lister', 'admin']) who[name] = await signIn(url, `${name}@example.com`);
});

after(async () => {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

const VERIFY = '/api/v1/orgs/bench/ledger/verify';

test('verification runs in the background: 202 with progress, then the result', async () => {
  let r = await request(url, 'GET', VERIFY, { auth: who.viewer });
  assert.equal(r.status, 404);
  assert.match(r.json.error.message, /POST/);

  const first = await request(url, 'POST', VERIFY, { auth: who.viewer });
  assert.equal(first.status, 202, first.text);
  assert.equal(first.headers.get('location'), VERIFY);
  assert.equal(first.json.state, 'running');
  assert.equal(first.json.started_by, 'user:viewer@example.com');
  assert.ok(first.json.progress.entries_total >= ENTRIES, JSON.stringify(first.json));
  // A second start while it runs is the same run, not another one.
  const second = await request(url, 'POST', VERIFY, { auth: who.viewer });
  assert.equal(second.status, 202);
  assert.equal(second.json.run, first.json.run);

  const seen = [];
  for (let i = 0; i < 3000; i++) {
    r = await request(url, 'GET', VERIFY, { auth: who.viewer });
    if (r.status !== 202) break;
    assert.equal(r.json.state, 'running');
    seen.push(r.json.progress.entries_checked);
    await new Promise((res) => setTimeout(res, 10));
  }
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.state, 'done');
  assert.equal(r.json.verified, true, r.text);
  assert.equal(r.json.entries, first.json.progress.entries_total);
  assert.equal(r.json.progress.entries_checked, r.json.entries);
  assert.ok(r.json.finished_at >= r.json.started_at);
  assert.ok(seen.length > 0, 'seen running at least once');
  for (let i = 1; i < seen.length; i++) assert.ok(seen[i] >= seen[i - 1], 'progress only grows');
});

test('heavy reads have a per-caller budget: 429 with Retry-After, others unaffected', async () => {
  for (let i = 0; i < BUDGET; i++) {
    const r = await request(url, 'GET', '/api/v1/orgs/bench/readiness', { auth: who.reader });
    assert.equal(r.status, 200, r.text);
  }
  let r = await request(url, 'GET', '/api/v1/orgs/bench/exports/soa.csv', { auth: who.reader });
  assert.equal(r.status, 429, r.text);
  assert.equal(r.json.error.code, 'throttled');
  const wait = Number(r.headers.get('retry-after'));
  assert.ok(wait >= 1 && wait <= 60 / BUDGET + 1, `Retry-After ${wait}`);
  // Cheap reads go on; another caller's heavy reads too.
  r = await request(url, 'GET', '/api/v1/orgs/bench/ledger?limit=5', { auth: who.reader });
  assert.equal(r.status, 200);
  r = await request(url, 'GET', '/api/v1/orgs/bench/readiness', { auth: who.admin });
  assert.equal(r.status, 200);
  // The readiness page is heavy too.
  r = await request(url, 'GET', '/o/bench/readiness', { auth: who.reader });
  assert.equal(r.status, 429);
});

test('a long list costs a heavy read, a short one does not', async () => {
  for (let i = 0; i < BUDGET + 2; i++) {
    const r = await request(url, 'GET', '/api/v1/orgs/bench/ledger?limit=100', { auth: who.lister });
    assert.equal(r.status, 200);
  }
  for (let i = 0; i < BUDGET; i++) {
    const r = await request(url, 'GET', '/api/v1/orgs/bench/ledger?limit=500', { auth: who.lister });
    assert.equal(r.status, 200);
  }
  const r = await request(url, 'GET', '/api/v1/orgs/bench/ledger?limit=500', { auth: who.lister });
  assert.equal(r.status, 429);
});
