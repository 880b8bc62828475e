// pack.test.mjs - the audit pack end to end: `aims pack` writes it, and both
// `aims verify --pack` and the independent Node verifier written from
// docs/pack.md (pack_verifier.mjs) accept it; then every kind of tampering
// the issue names (a changed evidence byte, a changed record field, a dropped
// ledger entry, a reordered entry, a swapped key, a checkpoint from another
// log) is made, both with the manifest left stale and with it recomputed as a
// careful forger would, and each is detected and named by both verifiers.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { crc32, inflateRawSync } from 'node:zlib';
import { aims, aimsOk, makeDb, addOrg, addMember, tempDir, ADMIN, pubKeyOf } from './lib.mjs';
import { readZip, verifyPack } from './pack_verifier.mjs';

const sha = (b) => createHash('sha256').update(b).digest('hex');
let env;

// A zip of stored files, in the given order (the tampered packs).
function writeZip(files) {
  const locals = [], centrals = [];
  let off = 0;
  for (const [name, data] of files) {
    const n = Buffer.from(name, 'utf8'), crc = crc32(data);
    const lh = Buffer.alloc(30);
    lh.writeUInt32LE(0x04034b50, 0); lh.writeUInt16LE(20, 4); lh.writeUInt32LE(crc, 14);
    lh.writeUInt32LE(data.length, 18); lh.writeUInt32LE(data.length, 22); lh.writeUInt16LE(n.length, 26);
    const ch = Buffer.alloc(46);
    ch.writeUInt32LE(0x02014b50, 0); ch.writeUInt16LE(0x0314, 4); ch.writeUInt16LE(20, 6);
    ch.writeUInt32LE(crc, 16); ch.writeUInt32LE(data.length, 20); ch.writeUInt32LE(data.length, 24);
    ch.writeUInt16LE(n.length, 28); ch.writeUInt32LE((0o100644 << 16) >>> 0, 38); ch.writeUInt32LE(off, 42);
    locals.push(lh, n, data);
    centrals.push(ch, n);
    off += 30 + n.length + data.length;
  }
  const cd = Buffer.concat(centrals), end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(files.length, 8); end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(cd.length, 12); end.writeUInt32LE(off, 16);
  return Buffer.concat([...locals, cd, end]);
}

// The pack's files as a Map, inflated.
function unpack(zip) {
  return new Map(readZip(zip).map((f) => [f.name, f.method === 8 ? inflateRawSync(f.raw) : Buffer.from(f.raw)]));
}

function repack(files, { fixManifest }) {
  const m = new Map(files);
  if (fixManifest) {
    const list = [...m].filter(([n]) => n !== 'manifest.json')
      .map(([path, d]) => ({ path, sha256: sha(d), size: d.length }));
    m.set('manifest.json', Buffer.from(JSON.stringify({ format: 'openaims-pack/v1', files: list })));
  }
  return writeZip([...m]);
}

const json = (b) => JSON.parse(b.toString('utf8'));
const buf = (v) => Buffer.from(JSON.stringify(v));

// Both verifiers must refuse zip, naming what matches re.
function refused(zip, re, { key } = {}) {
  const path = join(env.dir, `t-${Math.random().toString(36).slice(2)}.zip`);
  writeFileSync(path, zip);
  const r = aims(['verify', '--pack', path, ...(key ? ['--key', key] : [])]);
  assert.equal(r.status, 1, `aims verify accepted it: ${r.stdout}`);
  assert.match(r.stderr, re);
  const n = verifyPack(zip, key ? { pin: readFileSync(key, 'utf8') } : {});
  assert.equal(n.ok, false, 'the Node verifier accepted it');
  assert.match(n.failure, re);
}

before(() => {
  const { dir, db } = makeDb();
  const as = ['--org', 'acme', '--as', ADMIN, '--db', db];
  // Separate commands: separate transactions, so several checkpoints.
  aimsOk(['record', 'create', 'ai-systems', ...as, '--json', '{"name": "Chat assistant"}']);
  aimsOk(['record', 'create', 'risks', ...as, '--json',
    '{"title": "Prompt injection", "ai_systems": ["AIS-1"], "likelihood": 4, "impact": 3, "risk_source": "C.3.4"}']);
  aimsOk(['record', 'update', 'risks', 'RISK-1', ...as, '--json', '{"impact": 2}']);
  aimsOk(['record', 'create', 'evidence', ...as, '--json', '{"title": "Eval report", "kind": "file"}']);
  writeFileSync(join(dir, 'eval.txt'), 'accuracy 0.97 on the held-out set\n');
  aimsOk(['record', 'attach', 'evidence', 'EV-1', join(dir, 'eval.txt'), ...as]);
  writeFileSync(join(dir, 'eval2.txt'), 'accuracy 0.98 after retraining\n');
  aimsOk(['record', 'attach', 'evidence', 'EV-1', join(dir, 'eval2.txt'), ...as]);
  // A published SoA: every control decided by the admin, published by another manager.
  addMember(db, 'approver@example.com', 'manager');
  const rows = JSON.parse(aimsOk(['record', 'list', 'soa', '--org', 'acme', '--db', db, '--format', 'json', '--limit', '100']).stdout);
  for (const row of rows)
    aimsOk(['record', 'update', 'soa', row.ref, ...as, '--json', JSON.stringify({ applicable: false, justification: 'Not used by this test organisation' })]);
  aimsOk(['soa', 'publish', '--org', 'acme', '--db', db, '--as', 'approver@example.com']);
  // Another organisation in the same database, signed by the same key.
  addOrg(db, 'other');
  aimsOk(['member', 'add', ADMIN, '--org', 'other', '--role', 'admin', '--db', db]);
  aimsOk(['record', 'create', 'ai-systems', '--org', 'other', '--as', ADMIN, '--db', db, '--json', '{"name": "Other system"}']);
  const pack = join(dir, 'acme.zip'), other = join(dir, 'other.zip');
  aimsOk(['pack', '--org', 'acme', '--out', pack, '--db', db]);
  aimsOk(['pack', '--org', 'other', '--out', other, '--db', db]);
  // A key of another instance, for the swapped-key cases.
  const stranger = makeDb();
  env = { dir, db, pack, other, key: pubKeyOf(db), strangerKey: pubKeyOf(stranger.db),
    zip: readFileSync(pack), files: unpack(readFileSync(pack)) };
});

test('a pack verifies with aims verify --pack (pinned and not) and with the Node verifier', () => {
  let r = aimsOk(['verify', '--pack', env.pack, '--key', env.key]);
  assert.match(r.stdout, /^pack verified: acme, \d+ record versions, 2 evidence files, 2 checkpoints of a log of \d+ entries/);
  assert.doesNotMatch(r.stdout, /pass --key/);
  r = aimsOk(['verify', '--pack', env.pack]);
  assert.match(r.stdout, /pass --key to pin it/);
  const n = verifyPack(env.zip, { pin: readFileSync(env.key, 'utf8') });
  assert.equal(n.ok, true, n.failure);
  assert.equal(n.stats.org, 'acme');
  assert.equal(n.stats.evidence, 2);
  assert.equal(n.stats.checkpoints, 2);
  // The C verifier counts the same.
  assert.match(r.stdout, new RegExp(`${n.stats.records} record versions`));
  // A zip the Node test writer made (stored, other order) verifies too: order carries no meaning.
  const same = repack([...env.files].reverse(), { fixManifest: false });
  assert.equal(verifyPack(same).ok, true);
  const p = join(env.dir, 'reordered-files.zip');
  writeFileSync(p, same);
  aimsOk(['verify', '--pack', p]);
});

test('the pack holds what the issue lists', () => {
  const f = env.files, idx = json(f.get('pack.json'));
  assert.equal(idx.format, 'openaims-pack/v1');
  assert.equal(idx.org, 'acme');
  const m = json(f.get('manifest.json'));
  assert.equal(m.files.length, f.size - 1);
  for (const it of m.files) assert.equal(it.sha256, sha(f.get(it.path)));
  // Every version of RISK-1, as the canonical JSON its entry commits to.
  assert.deepEqual(idx.records.filter((r) => r.ref === 'RISK-1').map((r) => r.version), [1, 2]);
  assert.equal(json(f.get('records/risks/RISK-1/v2.json')).impact, 2);
  // Both evidence files, named by their hash.
  assert.equal(idx.evidence.length, 2);
  assert.ok(f.has(`evidence/${sha('accuracy 0.97 on the held-out set\n')}`));
  assert.match(f.get('reports/readiness.html').toString(), /<html/i);
  assert.match(f.get('public_key.txt').toString(), /^openaims\+[0-9a-f]{8}\+/);
  assert.equal(idx.consistency.length, 1);
  // The published SoA, proved like a record.
  assert.equal(idx.soa, 'soa/v1.json');
  assert.ok(idx.records.some((r) => r.kind === 'soa-versions' && r.path === idx.soa));
  assert.equal(json(f.get('soa/v1.json')).rows.length, 38);
  const ledger = json(f.get('ledger.json'));
  assert.ok(ledger.entries.every((e) => /^[0-9a-f]{64}$/.test(e.salt) && e.audit_path.length > 0));
  // Tenant isolation: nothing of the other organisation.
  assert.ok(![...f.keys()].some((n) => f.get(n).includes('Other system')));
});

test('a changed evidence byte is named', () => {
  const name = [...env.files.keys()].find((n) => n.startsWith('evidence/'));
  const m = new Map(env.files);
  const d = Buffer.from(m.get(name));
  d[0] ^= 1;
  m.set(name, d);
  refused(repack(m, { fixManifest: false }), new RegExp(`${name}: its SHA-256 is not the one in the manifest`));
  refused(repack(m, { fixManifest: true }), new RegExp(`${name} is not the file evidence EV-1 version \\d+ names`));
});

test('a changed record field is named', () => {
  const m = new Map(env.files), p = 'records/risks/RISK-1/v2.json';
  m.set(p, Buffer.from(m.get(p).toString().replace('"impact":2', '"impact":1')));
  assert.notDeepEqual(m.get(p), env.files.get(p));
  refused(repack(m, { fixManifest: false }), /records\/risks\/RISK-1\/v2.json: its SHA-256 is not the one in the manifest/);
  refused(repack(m, { fixManifest: true }), /risks RISK-1 version 2 \(records\/risks\/RISK-1\/v2.json\) does not match the commitment of ledger entry \d+/);
});

test('a changed SoA is named', () => {
  const m = new Map(env.files);
  m.set('soa/v1.json', Buffer.from(m.get('soa/v1.json').toString().replace('Not used by this test organisation', 'Fully implemented')));
  refused(repack(m, { fixManifest: true }), /soa-versions 1 version 1 \(soa\/v1.json\) does not match the commitment of ledger entry \d+/);
});

test('a dropped ledger entry is named', () => {
  const m = new Map(env.files), idx = json(m.get('pack.json')), l = json(m.get('ledger.json'));
  const seq = idx.records.find((r) => r.ref === 'RISK-1' && r.version === 2).seq;
  l.entries = l.entries.filter((e) => e.seq !== seq);
  m.set('ledger.json', buf(l));
  refused(repack(m, { fixManifest: false }), /ledger.json: its SHA-256 is not the one in the manifest/);
  refused(repack(m, { fixManifest: true }), new RegExp(`risks RISK-1 version 2 cites ledger entry ${seq}, which the pack does not hold`));
});

test('a reordered entry is named', () => {
  const m = new Map(env.files), l = json(m.get('ledger.json'));
  [l.entries[1], l.entries[2]] = [l.entries[2], l.entries[1]];
  m.set('ledger.json', buf(l));
  refused(repack(m, { fixManifest: true }), /ledger entry \d+ comes after entry \d+: the entries are out of order/);
  // Entries kept in order but two texts swapped: each is then at the wrong place in the log.
  const l2 = json(env.files.get('ledger.json'));
  [l2.entries[1].entry, l2.entries[2].entry] = [l2.entries[2].entry, l2.entries[1].entry];
  m.set('ledger.json', buf(l2));
  refused(repack(m, { fixManifest: true }), new RegExp(`ledger entry ${l2.entries[1].seq}: its text is not the canonical JSON of entry`));
  // And renumbered to fit: the inclusion proof no longer leads to the signed root.
  const l3 = json(env.files.get('ledger.json'));
  const [a, b] = [l3.entries[1], l3.entries[2]];
  [a.entry, b.entry] = [b.entry.replace(`"seq":${b.seq}`, `"seq":${a.seq}`), a.entry.replace(`"seq":${a.seq}`, `"seq":${b.seq}`)];
  m.set('ledger.json', buf(l3));
  refused(repack(m, { fixManifest: true }), new RegExp(`ledger entry ${a.seq} is not in the signed log of \\d+ entries: its inclusion proof fails`));
});

test('a swapped key is named, and a pinned key is enforced', () => {
  const m = new Map(env.files);
  m.set('public_key.txt', readFileSync(env.strangerKey));
  refused(repack(m, { fixManifest: true }), /checkpoint checkpoints\/\d+\.txt is not signed by the pack's key openaims\+[0-9a-f]{8}/);
  refused(env.zip, /the pack carries key openaims\+[0-9a-f]{8}, not the pinned key openaims/, { key: env.strangerKey });
});

test('a checkpoint from another log is named', () => {
  const other = unpack(readFileSync(env.other));
  const theirs = [...other.keys()].filter((n) => n.startsWith('checkpoints/')).pop();
  const idx = json(env.files.get('pack.json')), ours = idx.checkpoints.at(-1);
  const m = new Map(env.files);
  m.set(ours, other.get(theirs));
  refused(repack(m, { fixManifest: true }), new RegExp(`checkpoint ${ours} is of log openaims/\\d+, not of this pack's log ${idx.origin}`));
});

test('what is not a pack, or carries an unproved file, is refused', () => {
  const m = new Map(env.files);
  m.set('notes/extra.txt', Buffer.from('trust me\n'));
  refused(repack(m, { fixManifest: true }), /notes\/extra.txt is in the pack but no record, proof or report pack.json lists cites it/);
  refused(repack(m, { fixManifest: false }), /notes\/extra.txt is in the pack but not in the manifest/);
  const m2 = new Map(env.files);
  m2.set('../evil', Buffer.from('x'));
  refused(repack(m2, { fixManifest: true }), /unsafe name '..\/evil'/);
  const p = join(env.dir, 'garbage.zip');
  writeFileSync(p, 'not a zip at all');
  const r = aims(['verify', '--pack', p]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /not a (readable )?zip|cannot open the pack/);
});

test('--since and --requirements narrow the records; the SoA and proofs stay whole', () => {
  const out = join(env.dir, 'since.zip');
  let r = aimsOk(['pack', '--org', 'acme', '--out', out, '--db', env.db, '--since', '2999-01-01']);
  assert.match(r.stdout, /^wrote .*since\.zip: \d+ record versions/);
  let f = unpack(readFileSync(out));
  let idx = json(f.get('pack.json'));
  assert.equal(idx.since, '2999-01-01T00:00:00Z');
  // Only each record's current version when nothing was written since.
  assert.deepEqual(idx.records.filter((x) => x.ref === 'RISK-1').map((x) => x.version), [2]);
  aimsOk(['verify', '--pack', out, '--key', env.key]);
  assert.equal(verifyPack(readFileSync(out)).ok, true);
  r = aimsOk(['pack', '--org', 'acme', '--out', out, '--db', env.db, '--requirements', 'A.6.2.6']);
  f = unpack(readFileSync(out));
  idx = json(f.get('pack.json'));
  assert.deepEqual(idx.requirements, ['A.6.2.6']);
  const refs = idx.records.filter((x) => x.kind !== 'soa-versions').map((x) => x.ref);
  assert.ok(refs.length > 0 && refs.every((x) => x === 'A.6.2.6'), JSON.stringify(refs));
  assert.equal(idx.soa, 'soa/v1.json');
  aimsOk(['verify', '--pack', out]);
});

test('usage: --help, missing options, bad dates, unknown organisations', () => {
  let r = aimsOk(['pack', '--help']);
  assert.match(r.stdout, /usage: aims pack --org SLUG --out FILE.zip/);
  assert.match(aimsOk(['verify', '--help']).stdout, /--pack FILE/);
  r = aims(['pack', '--org', 'acme', '--db', env.db]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--org SLUG and --out FILE are required/);
  r = aims(['pack', '--org', 'acme', '--out', join(env.dir, 'x.zip'), '--db', env.db, '--since', 'last week']);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /--since must be a date/);
  r = aims(['pack', '--org', 'nope', '--out', join(env.dir, 'x.zip'), '--db', env.db]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /nope/);
  r = aims(['verify', '--pack', env.pack, '--org', 'acme', '--db', env.db]);
  assert.equal(r.status, 2);
});

test('a database made by the first release packs after the upgrade; both verifiers accept it', () => {
  const fixture = new URL('../data/release-1/', import.meta.url).pathname;
  const dir = tempDir();
  for (const f of ['aims.db', 'aims.db.key', 'aims.db.pub'])
    copyFileSync(join(fixture, f), join(dir, f));
  chmodSync(join(dir, 'aims.db.key'), 0o600);
  const db = join(dir, 'aims.db'), out = join(dir, 'r1.zip');
  aimsOk(['migrate', '--db', db]);
  aimsOk(['pack', '--org', 'demo', '--out', out, '--db', db]);
  assert.match(aimsOk(['verify', '--pack', out, '--key', `${db}.pub`]).stdout, /^pack verified: demo/);
  const n = verifyPack(readFileSync(out));
  assert.equal(n.ok, true, n.failure);
  // The risk criteria entry predates the fields its kind gained: the pack holds the form it committed to.
  const crit = JSON.parse(unpack(readFileSync(out)).get('records/risk-criteria/CRITERIA/v1.json'));
  assert.ok(crit.likelihood_labels);
  assert.equal('approved_by' in crit, false, 'the approval fields came with a later migration');
});
