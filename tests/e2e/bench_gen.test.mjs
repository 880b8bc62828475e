// bench_gen.test.mjs - the benchmarks' generator makes a store that is a
// store like any other: with --serve-key, `aims verify` passes on it (its
// organisation, memberships and records each have their ledger entry, and
// the key beside it is the one that signed its checkpoints), a server runs
// on it and takes a change, and verify still passes after.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { AIMS, aims, aimsOk, startServer, request, tempDir, testEnv } from './lib.mjs';

const GEN = join(dirname(AIMS), 'bench', 'gen');
const dir = tempDir();

after(() => rmSync(dir, { recursive: true, force: true }));

test('gen --serve-key: the store verifies, serves a change, and verifies after it', async () => {
  assert.ok(existsSync(GEN), `${GEN} is built by make e2e`);
  const db = join(dir, 'gen.db');
  const g = spawnSync(GEN, ['--db', db, '--ai-systems', '5', '--risks', '200', '--evidence', '10',
    '--calls', '100', '--no-reads', '--serve-key'], { encoding: 'utf8', env: testEnv });
  assert.equal(g.status, 0, g.stderr);
  let v = aims(['verify', '--db', db]);
  assert.equal(v.status, 0, v.stderr + v.stdout);
  assert.match(v.stdout, /verified 1 organisation: \d+ entries/);

  const { token } = JSON.parse(aimsOk(['token', 'create', '--db', db, '--org', 'bench',
    '--name', 'gen', '--role', 'contributor', '--format', 'json']).stdout);
  const server = await startServer(db);
  try {
    const r = await request(server.url, 'POST', '/api/v1/orgs/bench/ai-systems',
      { auth: { token }, body: { name: 'Made on a generated store' } });
    assert.equal(r.status, 201, r.text);
  } finally {
    await server.stop();
  }
  v = aims(['verify', '--db', db]);
  assert.equal(v.status, 0, v.stderr + v.stdout);
});
