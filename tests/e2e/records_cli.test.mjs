// records_cli.test.mjs - black-box tests of `aims record` and `aims import`:
// records created, changed with a version check, listed as CSV/JSON, imported
// all or nothing, and verified against the ledger afterwards.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { AIMS, aims, aimsOk, makeDb, envFor, ADMIN } from './lib.mjs';

function json(r) {
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

test('a new organisation has its 38 SoA entries and default risk criteria', () => {
  const { db } = makeDb();
  const soa = json(aims(['record', 'list', 'soa', '--org', 'acme', '--db', db, '--format', 'json',
    '--limit', '100']));
  assert.equal(soa.length, 38);
  assert.equal(soa[0].ref, 'A.2.2');
  const crit = json(aims(['record', 'show', 'risk-criteria', '--org', 'acme', '--db', db]));
  assert.equal(crit.likelihood_labels.length, 5);
  assert.equal(crit.acceptance_threshold, 9);
});

test('create, update with --if-version, stale versions refused, JSON from stdin', () => {
  const { db } = makeDb();
  const ais = json(aims(['record', 'create', 'ai-systems', '--org', 'acme', '--as', ADMIN, '--db', db,
    '--json', '{"name": "Chat assistant", "eu_ai_act_category": "limited"}']));
  assert.equal(ais.ref, 'AIS-1');
  const risk = json(aims(['record', 'create', 'risks', '--org', 'acme', '--as', ADMIN, '--db', db],
    { input: '{"title": "Prompt injection", "ai_systems": ["AIS-1"], "likelihood": 4, ' +
      '"impact": 3, "risk_source": "C.3.4"}' }));
  assert.equal(risk.inherent_score, 12);
  assert.equal(risk.inherent_level, 'high');
  const upd = json(aims(['record', 'update', 'risks', 'RISK-1', '--if-version', '1', '--org',
    'acme', '--as', ADMIN, '--db', db, '--json', '{"impact": 1}']));
  assert.equal(upd.version, 2);
  assert.equal(upd.inherent_score, 4);
  const stale = aims(['record', 'update', 'risks', 'RISK-1', '--if-version', '1', '--org', 'acme', '--as', ADMIN,
    '--db', db, '--json', '{"impact": 5}']);
  assert.equal(stale.status, 1);
  assert.match(stale.stderr, /has changed: you have version 1, the current one is 2/);
  const bad = aims(['record', 'create', 'ai-systems', '--org', 'acme', '--as', ADMIN, '--db', db,
    '--json', '{"name": "x", "lifecycle_stage": "beta"}']);
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /lifecycle_stage.*'beta' is not allowed \(allowed: inception,/);
  const links = json(aims(['record', 'links', 'ai-systems', 'AIS-1', '--org', 'acme', '--db', db]));
  assert.deepEqual(links.map(l => [l.kind, l.ref, l.direction]), [['risks', 'RISK-1', 'in']]);
  const csv = aims(['record', 'list', 'risks', '--org', 'acme', '--db', db, '--format', 'csv']);
  assert.equal(csv.status, 0, csv.stderr);
  assert.match(csv.stdout, /^ref,title,/);
  assert.match(csv.stdout, /RISK-1,Prompt injection,/);
  const verify = aims(['verify', '--db', db]);
  assert.equal(verify.status, 0, verify.stderr + verify.stdout);
});

test('import is all or nothing and lists every bad row', () => {
  const { dir, db } = makeDb();
  const bad = join(dir, 'bad.csv');
  writeFileSync(bad, 'name,lifecycle_stage,eu_ai_act_roles,in_scope\n' +
    'Good,deployment,deployer,yes\n' +
    'Bad stage,beta,,yes\n' +
    ',inception,,no\n' +
    'Bad role,deployment,deployer;emperor,no\n');
  const r = aims(['import', 'ai-systems', bad, '--org', 'acme', '--as', ADMIN, '--db', db]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /row 3, field lifecycle_stage: /);
  assert.match(r.stderr, /row 4, field name: /);
  assert.match(r.stderr, /row 5, field eu_ai_act_roles\[1\]: /);
  assert.match(r.stderr, /nothing was imported/);
  assert.equal(json(aims(['record', 'list', 'ai-systems', '--org', 'acme', '--db', db,
    '--format', 'json'])).length, 0);
  const good = join(dir, 'good.json');
  writeFileSync(good, JSON.stringify(Array.from({ length: 120 }, (_, i) =>
    (i % 2 === 0 ? { name: `System ${i + 1}`, in_scope: true }
      : { name: `System ${i + 1}`, in_scope: false, scope_justification: 'A trial in one team, outside the AIMS' }))));
  const ok = aimsOk(['import', 'ai-systems', good, '--org', 'acme', '--as', ADMIN, '--db', db]);
  assert.match(ok.stdout, /imported 120 AI systems/);
  const all = json(aims(['record', 'list', 'ai-systems', '--org', 'acme', '--db', db,
    '--format', 'json', '--all', '--limit', '50', '--filter', 'in_scope=true']));
  assert.equal(all.length, 60);
  const verify = aims(['verify', '--db', db]);
  assert.equal(verify.status, 0, verify.stderr + verify.stdout);
});

test('import draws a progress bar on a terminal, and none in a pipe', () => {
  const { dir, db } = makeDb();
  const file = join(dir, 'systems.csv');
  const rows = ['name,lifecycle_stage'];
  for (let i = 1; i <= 3000; i++) rows.push(`System ${i},deployment`);
  writeFileSync(file, rows.join('\n') + '\n');
  // script(1) (util-linux) runs the command on a pseudo-terminal.
  const cmd = [AIMS, 'import', 'ai-systems', file, '--org', 'acme', '--as', ADMIN, '--db', db]
    .map((a) => `'${a}'`).join(' ');
  const r = spawnSync('script', ['-qec', cmd, '/dev/null'], { encoding: 'utf8', env: envFor(db) });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /\rimporting ai-systems \[#+ *\] \d+\/3000/);
  assert.match(r.stdout, /\[#{40}\] 3000\/3000/);
  assert.match(r.stdout, /imported 3000 AI systems/);
  const again = join(dir, 'more.csv');
  writeFileSync(again, 'name\nPiped system\n');
  const piped = aimsOk(['import', 'ai-systems', again, '--org', 'acme', '--as', ADMIN, '--db', db]);
  assert.doesNotMatch(piped.stderr + piped.stdout, /importing/);
});

test('evidence files: attached, listed, stored once by hash, and verified', () => {
  const { dir, db } = makeDb();
  json(aims(['record', 'create', 'evidence', '--org', 'acme', '--as', ADMIN, '--db', db,
    '--json', '{"title": "Model card", "kind": "file", "source": "ci"}']));
  const file = join(dir, 'card.md');
  writeFileSync(file, '# Model card\nIntended use: answering questions.\n');
  const ev = json(aims(['record', 'attach', 'evidence', 'EV-1', file, '--org', 'acme', '--as', ADMIN, '--db', db]));
  assert.equal(ev.revision, 1);
  assert.equal(ev.filename, 'card.md');
  assert.match(ev.sha256, /^[0-9a-f]{64}$/);
  const again = json(aims(['record', 'attach', 'evidence', 'EV-1', file, '--org', 'acme', '--as', ADMIN,
    '--db', db, '--if-version', '2']));
  assert.equal(again.revision, 2);
  assert.equal(again.sha256, ev.sha256);
  const files = json(aims(['record', 'files', 'evidence', 'EV-1', '--org', 'acme', '--db', db]));
  assert.deepEqual(files.map(f => f.revision), [1, 2]);
  const html = join(dir, 'page.html');
  writeFileSync(html, '<!DOCTYPE html><html><body><script>alert(1)</script></body></html>\n');
  const refused = aims(['record', 'attach', 'evidence', 'EV-1', html, '--org', 'acme', '--as', ADMIN, '--db', db]);
  assert.equal(refused.status, 1);
  assert.match(refused.stderr, /text\/html/);
  const notfile = aims(['record', 'attach', 'risks', 'RISK-1', file, '--org', 'acme', '--as', ADMIN, '--db', db]);
  assert.equal(notfile.status, 2);
  const ok = aims(['verify', '--db', db]);
  assert.equal(ok.status, 0, ok.stderr + ok.stdout);
  const blob = join(dir, 'data', 'blobs', ev.sha256.slice(0, 2), ev.sha256.slice(2));
  chmodSync(blob, 0o600);
  writeFileSync(blob, '# Model card\nIntended use: anything.\n');
  const bad = aims(['verify', '--db', db]);
  assert.equal(bad.status, 1);
  assert.match(bad.stdout + bad.stderr, /EV-1 revision 1 \(card\.md\)/);
});
