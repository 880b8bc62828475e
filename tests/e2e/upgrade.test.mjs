// A database made by the first release (schema 31) upgrades in place and
// still verifies: the migrations run at the first start, and records whose
// kind gained fields since (risk criteria gained an approval) open the
// commitments their old ledger entries made. Tampering stays detected.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { aims, tempDir } from './lib.mjs';

const FIXTURE = new URL('../data/release-1/', import.meta.url).pathname;

function upgraded() {
  const dir = tempDir();
  for (const f of ['aims.db', 'aims.db.key', 'aims.db.pub'])
    copyFileSync(join(FIXTURE, f), join(dir, f));
  chmodSync(join(dir, 'aims.db.key'), 0o600);
  return { dir, db: join(dir, 'aims.db') };
}

test('a release-1 database verifies after the upgrade, and after a change', () => {
  const { dir, db } = upgraded();
  try {
    let r = aims(['verify', '--db', db]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /verified 1 organisation/);
    r = aims(['record', 'show', 'risk-criteria', '--org', 'demo', '--db', db]);
    assert.equal(r.status, 0, r.stderr);
    const criteria = JSON.parse(r.stdout);
    assert.equal(criteria.status ?? null, null);
    r = aims(['record', 'update', 'risk-criteria', '--org', 'demo', '--db', db,
      '--as', 'admin@demo.example', '--json', JSON.stringify({ methodology: 'Reviewed after the upgrade.' })]);
    assert.equal(r.status, 0, r.stderr);
    r = aims(['verify', '--db', db]);
    assert.equal(r.status, 0, r.stderr);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a release-1 record changed behind the application is still named', () => {
  const { dir, db } = upgraded();
  try {
    assert.equal(aims(['verify', '--db', db]).status, 0);
    const sql = spawnSync('sqlite3', [db, "UPDATE records SET data = json_set(data, '$.methodology', 'forged') WHERE kind = 'risk-criteria';"], { encoding: 'utf8' });
    assert.equal(sql.status, 0, sql.stderr);
    const r = aims(['verify', '--db', db]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /CRITERIA \(risk-criteria\)/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
