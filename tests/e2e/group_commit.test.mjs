// group_commit.test.mjs - record changes go through the server's one writer
// (group commit): concurrent changes are applied each on its own (a refused
// one does not fail the others), every change is answered only once it is
// committed, and a server killed with SIGKILL during concurrent writes has
// kept every change it acknowledged, with a ledger that verifies.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { makeDb, startServer, request, aimsOk, aims, PG_URL } from './lib.mjs';

const A = '/api/v1/orgs/acme';
const CLIENTS = 16;

function token(db, role = 'contributor') {
  const out = aimsOk(['token', 'create', '--db', db, '--org', 'acme', '--name', `t-${role}-${Math.random()}`,
    '--role', role, '--format', 'json']).stdout;
  return { token: JSON.parse(out).token };
}

async function writerCounts(url, auth) {
  const r = await request(url, 'GET', '/metrics', { auth });
  const figure = (name) => Number((r.text.match(new RegExp(`^${name} (\\d+)$`, 'm')) || [])[1]);
  return { requests: figure('aims_db_write_requests_total'), groups: figure('aims_db_write_groups_total') };
}

test('concurrent changes: each applied or refused on its own, all through the writer', async () => {
  const { dir, db } = makeDb();
  const server = await startServer(db);
  try {
    const auth = token(db);
    const admin = token(db, 'admin');
    // A token's first use writes its last use through the writer too: done
    // here, so that the counts below are the records' changes alone.
    await request(server.url, 'GET', `${A}/ai-systems`, { auth });
    const before = await writerCounts(server.url, admin);
    assert.ok(Number.isInteger(before.requests), 'the writer counts its changes in /metrics');
    // Every other create is refused (an unknown lifecycle stage): the refusals
    // must not undo the good ones sharing their transaction.
    const results = await Promise.all(Array.from({ length: CLIENTS }, (_, i) =>
      request(server.url, 'POST', `${A}/ai-systems`, {
        auth, body: { name: `System ${i}`, lifecycle_stage: i % 2 ? 'flying' : 'deployment' },
      })));
    const good = results.filter((r, i) => i % 2 === 0);
    const bad = results.filter((r, i) => i % 2 === 1);
    for (const r of good) assert.equal(r.status, 201, r.text);
    for (const r of bad) {
      assert.equal(r.status, 400, r.text);
      assert.equal(r.json.error.field, 'lifecycle_stage');
    }
    const refs = new Set(good.map((r) => r.json.ref));
    assert.equal(refs.size, CLIENTS / 2, 'every created record has its own reference');
    const list = await request(server.url, 'GET', `${A}/ai-systems?limit=100`, { auth });
    assert.equal(list.json.total, CLIENTS / 2);
    assert.deepEqual(new Set(list.json.items.map((x) => x.ref)), refs);
    // Updates and deletes go the same way; a stale version is refused alone.
    const [first, second] = good.map((r) => r.json);
    const [ok, stale] = await Promise.all([
      request(server.url, 'PATCH', `${A}/ai-systems/${first.ref}`, { auth, body: { purpose: 'Ranks claims' }, headers: { 'if-match': '"1"' } }),
      request(server.url, 'PATCH', `${A}/ai-systems/${second.ref}`, { auth, body: { purpose: 'Late' }, headers: { 'if-match': '"7"' } }),
    ]);
    assert.equal(ok.status, 200, ok.text);
    assert.equal(stale.status, 412, stale.text);
    const read = await request(server.url, 'GET', `${A}/ai-systems/${first.ref}`, { auth });
    assert.equal(read.json.purpose, 'Ranks claims');
    assert.equal(read.headers.get('etag'), '"2"');
    const after = await writerCounts(server.url, admin);
    assert.equal(after.requests - before.requests, CLIENTS + 2, 'every change went through the writer');
    const m = (await request(server.url, 'GET', '/metrics', { auth: admin })).text;
    for (const name of ['aims_db_log_copies_total', 'aims_db_log_restarts_total'])
      assert.match(m, new RegExp(`^# TYPE ${name} counter\\n${name} \\d+$`, 'm'));
    assert.ok(after.groups - before.groups >= 1 && after.groups - before.groups <= CLIENTS + 2);
  } finally {
    await server.stop();
  }
  assert.match(aimsOk(['verify', '--db', db]).stdout, /verified/);
  rmSync(dir, { recursive: true, force: true });
});

test("a token's last use is written through the writer, once for a burst of its requests", async () => {
  const { dir, db } = makeDb();
  const admin = token(db, 'admin');
  const auth = token(db, 'viewer');
  let server = await startServer(db, { env: { AIMS_FAKE_NOW: '2030-01-01T00:00:00Z' } });
  try {
    const before = await writerCounts(server.url, admin);
    // Beside the writer, each of these waited in SQLite's busy handler while
    // the writer committed: the once-a-minute write stalled a busy client.
    const reads = await Promise.all(Array.from({ length: CLIENTS }, () =>
      request(server.url, 'GET', `${A}/ai-systems`, { auth })));
    for (const r of reads) assert.equal(r.status, 200, r.text);
    const after = await writerCounts(server.url, admin);
    assert.equal(after.requests - before.requests, 1, 'one write for the burst, by the writer');
    const list = await request(server.url, 'GET', `${A}/tokens`, { auth: admin });
    const used = list.json.items.find((t) => t.role === 'viewer');
    assert.equal(used.last_used_at, '2030-01-01T00:00:00Z');
    // Within the minute: no write at all.
    await request(server.url, 'GET', `${A}/ai-systems`, { auth });
    assert.equal((await writerCounts(server.url, admin)).requests, after.requests);
    await server.stop();
    // A minute later it is due again.
    server = await startServer(db, { env: { AIMS_FAKE_NOW: '2030-01-01T00:01:00Z' } });
    const again = await writerCounts(server.url, admin);
    assert.equal((await request(server.url, 'GET', `${A}/ai-systems`, { auth })).status, 200);
    assert.equal((await writerCounts(server.url, admin)).requests - again.requests, 1);
    const later = await request(server.url, 'GET', `${A}/tokens`, { auth: admin });
    assert.equal(later.json.items.find((t) => t.role === 'viewer').last_used_at, '2030-01-01T00:01:00Z');
  } finally {
    await server.stop();
  }
  rmSync(dir, { recursive: true, force: true });
});

test('SIGKILL during concurrent writes: every acknowledged record is kept and verify passes', async () => {
  const { dir, db } = makeDb();
  const server = await startServer(db);
  const auth = token(db);
  const admin = token(db, 'admin');
  const acked = new Map();	// ref -> name, for every 201 received
  const ACKED_BEFORE_KILL = 200;
  const ACKED_AT_MOST = 20000;	// the log must have been restarted long before
  let killed = false;
  // The kill comes once the writer has also restarted its log at least once
  // (a copy of it into the database beside the commits, then one by the
  // writer), so the crash finds a log that was copied and started again.
  // PostgreSQL keeps its own log: there is nothing to wait for.
  let restarted = Boolean(PG_URL);
  const watcher = async () => {
    while (!killed && !restarted) {
      try {
        const m = (await request(server.url, 'GET', '/metrics', { auth: admin })).text;
        const figure = (name) => Number((m.match(new RegExp(`^${name} (\\d+)$`, 'm')) || [])[1]);
        restarted = figure('aims_db_log_copies_total') >= 1 && figure('aims_db_log_restarts_total') >= 1;
      } catch {
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  const client = async (c) => {
    for (let i = 0; !killed; i++) {
      const name = `Crash ${c}-${i}`;
      let r;
      try {
        r = await request(server.url, 'POST', `${A}/ai-systems`, { auth, body: { name, lifecycle_stage: 'deployment' } });
      } catch {
        return;	// the server is gone: this request was never acknowledged
      }
      if (r.status === 201) acked.set(r.json.ref, name);
      else assert.fail(`create answered ${r.status}: ${r.text}`);
      if (!killed && ((acked.size >= ACKED_BEFORE_KILL && restarted) || acked.size >= ACKED_AT_MOST)) {
        killed = true;
        server.proc.kill('SIGKILL');
      }
    }
  };
  await Promise.all([watcher(), ...Array.from({ length: CLIENTS }, (_, c) => client(c))]);
  assert.ok(restarted, `the log was not restarted in ${acked.size} creates`);
  const { signal } = await server.exited;
  assert.equal(signal, 'SIGKILL');
  assert.ok(acked.size >= ACKED_BEFORE_KILL);

  // Every acknowledged record is there, as acknowledged; the ledger verifies.
  const v = aims(['verify', '--db', db]);
  assert.equal(v.status, 0, v.stderr + v.stdout);
  const again = await startServer(db);
  try {
    for (const [ref, name] of acked) {
      const r = await request(again.url, 'GET', `${A}/ai-systems/${ref}`, { auth });
      assert.equal(r.status, 200, `${ref}: ${r.text}`);
      assert.equal(r.json.name, name);
    }
  } finally {
    await again.stop();
  }
  rmSync(dir, { recursive: true, force: true });
});
