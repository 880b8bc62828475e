// release_hooks.test.mjs - the test hooks (AIMS_FAKE_NOW, AIMS_FAST_HASH)
// exist in the test build only: the release binary ignores both variables.
// Each case runs the same steps on both binaries, so it also fails when the
// hooks stop working in the test build (and the check would prove nothing).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { AIMS, AIMS_RELEASE, PASSWORD, tempDir } from './lib.mjs';

const FAKE_NOW = '2001-02-03T04:05:06Z';
const dirs = [];
after(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

function run(bin, args, input = '') {
  const env = { ...process.env, AIMS_FAKE_NOW: FAKE_NOW, AIMS_FAST_HASH: '1' };
  const r = spawnSync(bin, args, { input, encoding: 'utf8', env, timeout: 60000 });
  if (r.error) throw r.error;
  assert.equal(r.status, 0, `${bin} ${args.join(' ')}: ${r.stderr}${r.stdout}`);
  return r.stdout;
}

// A new database made by `bin` with both variables set: the time of its first
// instance ledger entry and the stored password hash of its admin.
function initWith(bin) {
  const dir = tempDir();
  dirs.push(dir);
  const db = join(dir, 'aims.db');
  run(bin, ['init', '--db', db, '--org', 'acme', '--admin', 'admin@example.com',
    '--password-stdin'], `${PASSWORD}\n`);
  const entries = JSON.parse(run(bin, ['ledger', 'list', '--instance', '--limit', '0',
    '--format', 'json', '--db', db]));
  const list = Array.isArray(entries) ? entries : entries.items;
  assert.ok(list.length > 0, 'the instance ledger records the new user');
  const q = spawnSync('sqlite3', [db, 'SELECT password_hash FROM users'], { encoding: 'utf8' });
  assert.equal(q.status, 0, q.stderr);
  return { time: list[list.length - 1].time, hash: q.stdout.trim() };
}

test('both binaries are built', () => {
  assert.ok(existsSync(AIMS), `test build missing: ${AIMS}`);
  assert.ok(existsSync(AIMS_RELEASE), `release build missing: ${AIMS_RELEASE}`);
  assert.notEqual(AIMS, AIMS_RELEASE);
});

test('the release binary ignores AIMS_FAKE_NOW and AIMS_FAST_HASH', () => {
  const before = Date.now();
  const { time, hash } = initWith(AIMS_RELEASE);
  const t = Date.parse(time);
  assert.notEqual(time, FAKE_NOW);
  assert.ok(t >= before - 2000 && t <= Date.now() + 2000, `real time recorded: ${time}`);
  // libsodium's interactive argon2id cost: 64 MiB, 2 passes.
  assert.match(hash, /^\$argon2id\$v=19\$m=65536,t=2,p=1\$/);
});

test('the test build honours both', () => {
  const { time, hash } = initWith(AIMS);
  assert.equal(time, FAKE_NOW);
  assert.match(hash, /^\$argon2id\$v=19\$m=8,t=1,p=1\$/);
});
