// cli.test.mjs - black-box tests of the aims command line: init, organisations,
// users, memberships, catalog, exit codes and messages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { aims, tempDir } from './lib.mjs';

test('init creates the database, catalog, key and an organisation with its admin', () => {
  const dir = tempDir();
  const db = `${dir}/a.db`;
  const r = aims(['init', '--db', db, '--org', 'acme', '--org-name', 'Acme AI',
    '--admin', 'ceo@acme.example', '--password-stdin'], { input: 'a long enough password\n' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /1 organisation, 1 user, \d+ catalog requirements/);
  const members = aims(['member', 'list', '--org', 'acme', '--db', db, '--format', 'json']);
  assert.equal(members.status, 0, members.stderr);
  assert.deepEqual(JSON.parse(members.stdout).map(m => [m.email, m.role]),
    [['ceo@acme.example', 'admin']]);
});

test('init --demo adds one user per role and prints how to sign in once', () => {
  const dir = tempDir();
  const db = `${dir}/d.db`;
  const r = aims(['init', '--demo', '--db', db]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /admin@demo\.example/);
  assert.match(r.stdout, /password for all demo users: [A-Za-z0-9]{20}/);
  const list = aims(['member', 'list', '--org', 'demo', '--db', db, '--format', 'csv']);
  assert.equal(list.status, 0);
  for (const role of ['admin', 'manager', 'contributor', 'auditor', 'viewer'])
    assert.match(list.stdout, new RegExp(`,${role},`));
  const risks = JSON.parse(aims(['record', 'list', 'risks', '--org', 'demo', '--db', db,
    '--format', 'json']).stdout);
  assert.ok(risks.length >= 3, 'the demo has sample risks');
  const verify = aims(['verify', '--db', db]);
  assert.equal(verify.status, 0, verify.stderr);
  const again = aims(['init', '--demo', '--db', db]);
  assert.equal(again.status, 1);
  assert.match(again.stderr, /demo organisation already exists/);
});

test('bad input gets one clear message, a non-zero exit and changes nothing', () => {
  const dir = tempDir();
  const db = `${dir}/b.db`;
  assert.equal(aims(['init', '--db', db]).status, 0);
  const weak = aims(['user', 'add', 'x@y.org', '--password-stdin', '--db', db], { input: 'short\n' });
  assert.equal(weak.status, 1);
  assert.match(weak.stderr, /at least 12 characters/);
  const users = aims(['user', 'list', '--db', db, '--format', 'json']);
  assert.deepEqual(JSON.parse(users.stdout), []);
  assert.equal(aims(['org', 'create', 'acme', '--db', db]).status, 0);
  const dup = aims(['org', 'create', 'acme', '--db', db]);
  assert.equal(dup.status, 1);
  assert.match(dup.stderr, /already exists/);
  const role = aims(['member', 'add', 'x@y.org', '--org', 'acme', '--role', 'king', '--db', db]);
  assert.equal(role.status, 2);
  assert.match(role.stderr, /unknown role 'king'/);
  const noorg = aims(['member', 'list', '--org', 'nope', '--db', db]);
  assert.equal(noorg.status, 1);
  assert.match(noorg.stderr, /no organisation 'nope'/);
  // An init that fails half way leaves no organisation behind.
  const half = aims(['init', '--db', db, '--org', 'newco', '--admin', 'bad-email',
    '--password-stdin'], { input: 'a long enough password\n' });
  assert.equal(half.status, 1);
  assert.match(half.stderr, /not a valid email/);
  const orgs = JSON.parse(aims(['org', 'list', '--db', db, '--format', 'json']).stdout);
  assert.deepEqual(orgs.map(o => o.slug), ['acme']);
});

test('a path that is not a database, or missing, is refused clearly', () => {
  const dir = tempDir();
  const missing = aims(['org', 'list', '--db', `${dir}/none.db`]);
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /no database at .*none\.db.*aims init/);
  const junk = aims(['org', 'list', '--db', '/etc/hostname']);
  assert.equal(junk.status, 1);
  assert.match(junk.stderr, /not a database/);
});

test('usage errors exit 2 and every command has --help', () => {
  assert.equal(aims(['frobnicate']).status, 2);
  assert.equal(aims([]).status, 2);
  for (const cmd of [['init'], ['org'], ['org', 'create'], ['user'], ['user', 'add'],
    ['member'], ['member', 'add'], ['catalog'], ['catalog', 'list'], ['migrate'],
    ['verify'], ['ledger'], ['ledger', 'list'], ['ledger', 'proof'],
    ]) {
    const r = aims([...cmd, '--help']);
    assert.equal(r.status, 0, `${cmd.join(' ')} --help: ${r.stderr}`);
    assert.match(r.stdout, /usage: aims/, cmd.join(' '));
  }
  const bad = aims(['org', 'list', '--format', 'yaml']);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /allowed: text, json, csv/);
});

test('catalog list and show print the ISO/IEC 42001 catalog', () => {
  const dir = tempDir();
  const db = `${dir}/c.db`;
  assert.equal(aims(['init', '--db', db]).status, 0);
  const controls = JSON.parse(aims(['catalog', 'list', '--kind', 'control', '--format', 'json',
    '--db', db]).stdout);
  assert.equal(controls.length, 38);
  assert.equal(controls[0].id, 'A.2.2');
  const show = aims(['catalog', 'show', 'A.6.2.6', '--db', db]);
  assert.equal(show.status, 0);
  assert.match(show.stdout, /A\.6\.2\.6 .*operation and monitoring/i);
  const unknown = aims(['catalog', 'show', 'A.99', '--db', db]);
  assert.equal(unknown.status, 1);
  assert.match(unknown.stderr, /no requirement 'A\.99'/);
  const csv = aims(['catalog', 'list', '--kind', 'risk-source', '--format', 'csv', '--db', db]);
  assert.equal(csv.stdout.trim().split('\n').length, 8);
});
