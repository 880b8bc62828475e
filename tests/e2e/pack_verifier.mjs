// pack_verifier.mjs - a second, independent verifier of audit packs, written
// from docs/pack.md alone (no code shared with src/): node:crypto for SHA-256
// and Ed25519, node:zlib to inflate, and a small zip reader over the central
// directory. The tests run it beside `aims verify --pack` on the same packs,
// tampered and not, and expect the same verdict: proof that the
// specification is enough to write a verifier.
import { createHash, createPublicKey, verify as edVerify } from 'node:crypto';
import { inflateRawSync } from 'node:zlib';

const FORMAT = 'openaims-pack/v1';
const EVIDENCE_KIND = 'evidence';

class PackError extends Error {}
const fail = (msg) => { throw new PackError(msg); };

const sha256 = (...parts) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
};

// Zip: the end of central directory record, then each central directory
// header gives the local header's offset, the method and the sizes.
export function readZip(buf) {
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 65535); i--)
    if (buf.readUInt32LE(i) === 0x06054b50) { eocd = i; break; }
  if (eocd < 0) fail('not a zip: no end of central directory');
  let count = buf.readUInt16LE(eocd + 10);
  let cd = buf.readUInt32LE(eocd + 16);
  if (count === 0xffff || cd === 0xffffffff) {
    // Zip64: the locator sits just before the end record.
    const loc = eocd - 20;
    if (loc < 0 || buf.readUInt32LE(loc) !== 0x07064b50) fail('not a zip: bad zip64 locator');
    const z = Number(buf.readBigUInt64LE(loc + 8));
    if (buf.readUInt32LE(z) !== 0x06064b50) fail('not a zip: bad zip64 end record');
    count = Number(buf.readBigUInt64LE(z + 32));
    cd = Number(buf.readBigUInt64LE(z + 48));
  }
  const files = [];
  for (let i = 0, p = cd; i < count; i++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) fail('not a zip: bad central directory');
    const method = buf.readUInt16LE(p + 10);
    let csize = buf.readUInt32LE(p + 20), usize = buf.readUInt32LE(p + 24);
    const nlen = buf.readUInt16LE(p + 28), xlen = buf.readUInt16LE(p + 30);
    const clen = buf.readUInt16LE(p + 32);
    let off = buf.readUInt32LE(p + 42);
    const extAttr = buf.readUInt32LE(p + 38);
    const name = buf.subarray(p + 46, p + 46 + nlen).toString('utf8');
    // Zip64 extra field: the values that were 0xffffffff, in this order.
    for (let x = p + 46 + nlen; x < p + 46 + nlen + xlen;) {
      const id = buf.readUInt16LE(x), sz = buf.readUInt16LE(x + 2);
      if (id === 1) {
        let q = x + 4;
        if (usize === 0xffffffff) { usize = Number(buf.readBigUInt64LE(q)); q += 8; }
        if (csize === 0xffffffff) { csize = Number(buf.readBigUInt64LE(q)); q += 8; }
        if (off === 0xffffffff) { off = Number(buf.readBigUInt64LE(q)); q += 8; }
      }
      x += 4 + sz;
    }
    if (buf.readUInt32LE(off) !== 0x04034b50) fail(`${name}: bad local header`);
    const start = off + 30 + buf.readUInt16LE(off + 26) + buf.readUInt16LE(off + 28);
    const raw = buf.subarray(start, start + csize);
    const type = (extAttr >>> 16) & 0o170000;
    files.push({ name, method, usize, raw, regular: type === 0 || type === 0o100000 });
    p += 46 + nlen + xlen + clen;
  }
  return files;
}

function content(f) {
  if (f.method === 0) return f.raw;
  if (f.method === 8) return inflateRawSync(f.raw);
  return fail(`${f.name}: unknown compression method ${f.method}`);
}

function safeName(n) {
  if (!n || n.startsWith('/') || n.endsWith('/') || n.includes('\\')) return false;
  return n.split('/').every((p) => p !== '' && p !== '.' && p !== '..');
}

const b64 = (s, what) => {
  if (typeof s !== 'string' || !/^[A-Za-z0-9+/]{43}=$/.test(s)) fail(`${what} is not a base64 SHA-256 hash`);
  return Buffer.from(s, 'base64');
};

// RFC 9162 2.1.3.2
function verifyInclusion(index, size, leaf, path, root) {
  if (index >= size) return false;
  let fn = index, sn = size - 1, r = leaf;
  for (const p of path) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = sha256(Buffer.from([1]), p, r);
      if (fn % 2 === 0) while (fn % 2 === 0 && fn !== 0) { fn = Math.floor(fn / 2); sn = Math.floor(sn / 2); }
    } else r = sha256(Buffer.from([1]), r, p);
    fn = Math.floor(fn / 2); sn = Math.floor(sn / 2);
  }
  return sn === 0 && r.equals(root);
}

// RFC 9162 2.1.4.2
function verifyConsistency(first, second, firstRoot, secondRoot, proof) {
  if (first > second || first === 0) return false;
  if (first === second) return proof.length === 0 && firstRoot.equals(secondRoot);
  if (proof.length === 0) return false;
  const path = (first & (first - 1)) === 0 ? [firstRoot, ...proof] : [...proof];
  let fn = first - 1, sn = second - 1;
  while (fn % 2 === 1) { fn = Math.floor(fn / 2); sn = Math.floor(sn / 2); }
  let fr = path[0], sr = path[0];
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = sha256(Buffer.from([1]), c, fr);
      sr = sha256(Buffer.from([1]), c, sr);
      if (fn % 2 === 0) while (fn % 2 === 0 && fn !== 0) { fn = Math.floor(fn / 2); sn = Math.floor(sn / 2); }
    } else sr = sha256(Buffer.from([1]), sr, c);
    fn = Math.floor(fn / 2); sn = Math.floor(sn / 2);
  }
  return sn === 0 && fr.equals(firstRoot) && sr.equals(secondRoot);
}

// "<name>+<hex id>+<base64(0x01 || key)>", its id checked.
export function parseKey(text) {
  const m = /^([^+\s]+)\+([0-9a-f]{8})\+([A-Za-z0-9+/=]+)$/.exec(text.replace(/\r?\n$/, ''));
  if (!m) fail('the public key is not a signed-note verifier key');
  const raw = Buffer.from(m[3], 'base64');
  if (raw.length !== 33 || raw[0] !== 1) fail('the public key is not an Ed25519 key');
  const pub = raw.subarray(1);
  const id = sha256(Buffer.from(m[1] + '\n'), Buffer.from([1]), pub).subarray(0, 4);
  if (id.toString('hex') !== m[2]) fail('the public key id does not match the key');
  const key = createPublicKey({ key: Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), pub]), format: 'der', type: 'spki' });
  return { name: m[1], id, pub, key, text: `${m[1]}+${m[2]}` };
}

function checkpoint(note, key, path) {
  const s = note.toString('utf8');
  const cut = s.indexOf('\n\n');
  if (cut < 0) fail(`checkpoint ${path} is not a signed note`);
  const text = Buffer.from(s.slice(0, cut + 1), 'utf8');
  let signed = false;
  for (const line of s.slice(cut + 2).split('\n')) {
    const m = /^\u2014 (\S+) ([A-Za-z0-9+/=]+)$/.exec(line);
    if (!m || m[1] !== key.name) continue;
    const sig = Buffer.from(m[2], 'base64');
    if (sig.length !== 68 || !sig.subarray(0, 4).equals(key.id)) continue;
    if (edVerify(null, text, key.key, sig.subarray(4))) signed = true;
  }
  if (!signed) fail(`checkpoint ${path} is not signed by the pack's key ${key.text}`);
  const lines = s.slice(0, cut).split('\n');
  if (lines.length !== 3 || !/^[1-9][0-9]*$/.test(lines[1])) fail(`checkpoint ${path} is not a checkpoint`);
  return { origin: lines[0], size: Number(lines[1]), root: b64(lines[2], `checkpoint ${path} root`) };
}

// Canonical JSON for what entries hold (strings, integers, null): JCS.
function canon(v) {
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(canon).join(',')}]`;
  return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canon(v[k])}`).join(',')}}`;
}

function parseObject(buf, what) {
  let v;
  try { v = JSON.parse(buf.toString('utf8')); } catch { fail(`${what} is not JSON`); }
  if (!v || typeof v !== 'object' || Array.isArray(v)) fail(`${what} is not a JSON object`);
  return v;
}

// Returns {ok: true, stats} or {ok: false, failure}.
export function verifyPack(zipBytes, { pin } = {}) {
  try {
    return { ok: true, stats: run(zipBytes, pin) };
  } catch (e) {
    if (e instanceof PackError) return { ok: false, failure: e.message };
    throw e;
  }
}

function run(zipBytes, pin) {
  // 1. files
  const files = new Map();
  for (const f of readZip(zipBytes)) {
    if (!safeName(f.name)) fail(`unsafe name '${f.name}'`);
    if (!f.regular) fail(`${f.name} is not a regular file`);
    if (files.has(f.name)) fail(`${f.name} is in the pack twice`);
    const data = content(f);
    files.set(f.name, { data, sha: sha256(data).toString('hex'), cited: false });
  }
  const get = (p, what) => files.get(p) ?? fail(`${what ?? p} is missing from the pack`);
  // 2. manifest
  const manifest = parseObject(get('manifest.json').data, 'manifest.json');
  if (manifest.format !== FORMAT) fail(`not an audit pack of format ${FORMAT}`);
  const listed = new Set();
  for (const it of manifest.files ?? fail('manifest.json has no files list')) {
    if (typeof it.path !== 'string' || it.path === 'manifest.json') fail('manifest.json: a file has no usable path');
    const f = files.get(it.path) ?? fail(`${it.path} is in the manifest but not in the pack`);
    if (listed.has(it.path)) fail(`${it.path} is in the manifest twice`);
    listed.add(it.path);
    if (it.sha256 !== f.sha) fail(`${it.path}: its SHA-256 is not the one in the manifest`);
    if (it.size !== f.data.length) fail(`${it.path}: its size is not the one in the manifest`);
  }
  for (const name of files.keys())
    if (name !== 'manifest.json' && !listed.has(name)) fail(`${name} is in the pack but not in the manifest`);
  // 3. index
  const index = parseObject(get('pack.json').data, 'pack.json');
  if (index.format !== FORMAT) fail(`not an audit pack of format ${FORMAT}`);
  if (typeof index.origin !== 'string') fail('pack.json names no log origin');
  // 4. key
  const keyFile = get(index.public_key, 'the public key file');
  keyFile.cited = true;
  const key = parseKey(keyFile.data.toString('utf8'));
  if (pin) {
    const p = parseKey(pin);
    if (p.name !== key.name || !p.id.equals(key.id) || !p.pub.equals(key.pub))
      fail(`the pack carries key ${key.text}, not the pinned key ${p.name}`);
  }
  // 5. checkpoints
  const cps = index.checkpoints, cons = index.consistency;
  if (!Array.isArray(cps) || cps.length === 0 || !Array.isArray(cons) || cons.length !== cps.length - 1)
    fail('pack.json must list the checkpoints and one consistency proof between each two');
  let tree = null;
  cps.forEach((path, i) => {
    const f = get(path, `checkpoint ${path}`);
    f.cited = true;
    const cp = checkpoint(f.data, key, path);
    if (cp.origin !== index.origin) fail(`checkpoint ${path} is of log ${cp.origin}, not of this pack's log ${index.origin}`);
    if (tree) {
      if (cp.size <= tree.size) fail(`checkpoint ${path} is not larger than the one before`);
      const c = cons[i - 1];
      if (c.from !== tree.size || c.to !== cp.size || !Array.isArray(c.proof))
        fail(`consistency proof ${i} does not name checkpoints of ${tree.size} and ${cp.size} entries`);
      const proof = c.proof.map((h) => b64(h, 'a consistency proof hash'));
      if (!verifyConsistency(tree.size, cp.size, tree.root, cp.root, proof))
        fail(`checkpoint ${path} is not consistent with the checkpoint of ${tree.size} entries before it`);
    }
    tree = cp;
  });
  // 6. ledger
  const lf = get(index.ledger, 'the ledger file');
  lf.cited = true;
  const ledger = parseObject(lf.data, index.ledger);
  if (ledger.tree_size !== tree.size) fail(`${index.ledger}: tree_size is not the size of the latest checkpoint (${tree.size})`);
  const entries = new Map();
  let prev = 0;
  for (const el of ledger.entries ?? fail(`${index.ledger} has no entries`)) {
    if (!Number.isInteger(el.seq) || typeof el.entry !== 'string') fail(`${index.ledger}: an element is not a ledger entry`);
    if (el.seq <= prev) fail(`ledger entry ${el.seq} comes after entry ${prev}: the entries are out of order`);
    if (el.seq > tree.size) fail(`ledger entry ${el.seq} is outside the latest checkpoint`);
    prev = el.seq;
    let e;
    try { e = JSON.parse(el.entry); } catch { e = null; }
    if (!e || typeof e !== 'object' || e.seq !== el.seq || canon(e) !== el.entry)
      fail(`ledger entry ${el.seq}: its text is not the canonical JSON of entry ${el.seq}`);
    const path = (Array.isArray(el.audit_path) ? el.audit_path : fail(`ledger entry ${el.seq}: no audit_path`))
      .map((h) => b64(h, `ledger entry ${el.seq} audit path`));
    const leaf = sha256(Buffer.from([0]), Buffer.from(el.entry, 'utf8'));
    if (!verifyInclusion(el.seq - 1, tree.size, leaf, path, tree.root))
      fail(`ledger entry ${el.seq} is not in the signed log of ${tree.size} entries: its inclusion proof fails`);
    entries.set(el.seq, { ...el, parsed: e });
  }
  // 7. records
  let records = 0, evidence = 0, soaCited = index.soa == null;
  for (const r of index.records ?? fail('pack.json has no records list')) {
    const name = `${r.kind} ${r.ref} version ${r.version}`;
    const f = get(r.path, `${name}: ${r.path}`);
    f.cited = true;
    const el = entries.get(r.seq) ?? fail(`${name} cites ledger entry ${r.seq}, which the pack does not hold`);
    const e = el.parsed;
    if (e.kind !== r.kind || e.ref !== r.ref || e.version !== r.version)
      fail(`${name}: ledger entry ${r.seq} wrote another record or version`);
    if (!/^[0-9a-f]{64}$/.test(el.salt ?? '') || !/^[0-9a-f]{64}$/.test(e.commitment ?? ''))
      fail(`${name}: ledger entry ${r.seq} has no salt or commitment to open`);
    if (sha256(Buffer.from(el.salt, 'hex'), f.data).toString('hex') !== e.commitment)
      fail(`${name} (${r.path}) does not match the commitment of ledger entry ${r.seq}: the record was changed`);
    if (r.kind === EVIDENCE_KIND) {
      let data = null;
      try { data = JSON.parse(f.data.toString('utf8')); } catch { /* not an evidence file version */ }
      if (data && typeof data.sha256 === 'string') {
        const ef = files.get(`evidence/${data.sha256}`) ??
          fail(`evidence ${r.ref} version ${r.version} names file ${data.sha256}, which the pack does not hold`);
        if (ef.sha !== data.sha256) fail(`evidence/${data.sha256} is not the file evidence ${r.ref} version ${r.version} names`);
        if (!ef.cited) evidence++;
        ef.cited = true;
      }
    }
    if (r.path === index.soa) soaCited = true;
    records++;
  }
  // 8. nothing unproved
  if (!soaCited) fail(`the SoA ${index.soa} is not one of the records the pack proves`);
  for (const p of index.reports ?? []) get(p, `report ${p}`).cited = true;
  for (const [name, f] of files)
    if (!f.cited && name !== 'manifest.json' && name !== 'pack.json')
      fail(`${name} is in the pack but no record, proof or report pack.json lists cites it`);
  return { org: index.org, records, evidence, checkpoints: cps.length, treeSize: tree.size, key: key.text };
}
