// evidence_api.test.mjs - evidence files pushed over the JSON API, as a CI
// pipeline does: a new evidence record and its file in one multipart request,
// a newer revision of it, the download, the hash in the ledger, and every way
// an upload is refused with nothing left behind.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync, existsSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { setup, request, signIn, addMember, addOrg, aims, aimsOk } from './lib.mjs';

let env, ci, viewerToken, otherToken, admin;
const A = '/api/v1/orgs/acme';
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

function token(role, org = 'acme') {
  return JSON.parse(aimsOk(['token', 'create', '--org', org, '--name', `t-${role}-${org}`,
    '--role', role, '--format', 'json', '--db', env.db]).stdout).token;
}

before(async () => {
  env = await setup();
  addOrg(env.db, 'other');
  addMember(env.db, 'outsider@example.com', 'admin', 'other');
  ci = { token: token('contributor') };
  viewerToken = { token: token('viewer') };
  otherToken = { token: token('admin', 'other') };
  admin = await signIn(env.url);
});
after(async () => { await env.cleanup(); });

// A multipart POST: file is [bytes, name] or undefined; record an object or a raw string.
async function upload(path, { file, record, auth = ci, headers = {}, parts = {} } = {}) {
  const form = new FormData();
  // A text part (no file name), as curl -F 'record=...' sends it.
  if (record !== undefined) form.append('record', typeof record === 'string' ? record : JSON.stringify(record));
  for (const [name, value] of Object.entries(parts)) form.append(name, value);
  if (file) form.append(file[2] || 'file', new Blob([file[0]]), file[1]);
  const h = { ...headers };
  if (auth?.token) h.authorization = `Bearer ${auth.token}`;
  if (auth?.cookie) h.cookie = auth.cookie;
  const r = await fetch(env.url + A + path, { method: 'POST', headers: h, body: form });
  const text = await r.text();
  let json;
  try { json = JSON.parse(text); } catch { json = undefined; }
  return { status: r.status, headers: r.headers, text, json };
}

const get = (path, auth = ci) => request(env.url, 'GET', A + path, { auth });
const sha = (b) => createHash('sha256').update(b).digest('hex');
const uploadsLeft = () => {
  const d = `${env.dir}/data/uploads`;
  return existsSync(d) ? readdirSync(d) : [];
};
const evidenceCount = async () => (await get('/evidence')).json.total;

test('a token creates evidence with its file in one request and pushes a newer revision', async () => {
  const report = 'model: fraud-v3\nauc: 0.91\n';
  const r = await upload('/evidence', {
    file: [report, 'eval-2026-12.txt'],
    record: { title: 'Nightly evaluation', source: 'ci', collected_at: '2026-12-01T02:00:00Z', requirements: ['A.6.2.4'] },
  });
  assert.equal(r.status, 201, r.text);
  const ref = r.json.ref;
  assert.equal(r.headers.get('location'), `${A}/evidence/${ref}`);
  assert.equal(r.json.kind, 'file');
  assert.equal(r.json.revision, 1);
  assert.equal(r.json.sha256, sha(report));
  assert.equal(r.json.filename, 'eval-2026-12.txt');
  assert.deepEqual(r.json.requirements, ['A.6.2.4']);
  assert.equal(r.json.created_by, r.json.updated_by);
  assert.match(r.json.created_by, /^token:/);

  // The next revision, with a field changed in the same request and If-Match.
  const r2 = await upload(`/evidence/${ref}/files`, {
    file: [PDF, 'eval.pdf'], record: { valid_until: '2027-03-01' },
    headers: { 'if-match': r.headers.get('etag') },
  });
  assert.equal(r2.status, 201, r2.text);
  assert.equal(r2.headers.get('location'), `${A}/evidence/${ref}/files/2`);
  assert.equal(r2.json.revision, 2);
  assert.equal(r2.json.media_type, 'application/pdf');
  assert.equal(r2.json.valid_until, '2027-03-01');

  // Both revisions are kept with their hashes and download as sent.
  const files = await get(`/evidence/${ref}/files`);
  assert.deepEqual(files.json.items.map((f) => [f.revision, f.sha256]), [[1, sha(report)], [2, sha(PDF)]]);
  const dl = await fetch(`${env.url}${A}/evidence/${ref}/files/2`, { headers: { authorization: `Bearer ${ci.token}` } });
  assert.equal(dl.status, 200);
  assert.equal(dl.headers.get('content-type'), 'application/pdf');
  assert.equal(dl.headers.get('content-disposition'), 'attachment; filename="eval.pdf"; filename*=UTF-8\'\'eval.pdf');
  assert.equal(dl.headers.get('x-content-sha256'), sha(PDF));
  assert.deepEqual(Buffer.from(await dl.arrayBuffer()), PDF);
  const old = await get(`/evidence/${ref}/files/1`);
  assert.equal(old.text, report);

  // The hash is in the ledger event, and verify re-hashes the stored files.
  const ledger = JSON.parse(aimsOk(['ledger', 'list', '--org', 'acme', '--format', 'json', '--db', env.db]).stdout);
  const text = JSON.stringify(ledger);
  assert.ok(text.includes(ref), 'ledger names the evidence');
  aimsOk(['verify', '--db', env.db]);
  assert.deepEqual(uploadsLeft(), []);
});

test('a file name outside ASCII, with quotes, downloads under its own name', async () => {
  const name = 'Prüfbericht "Q4" 2026.txt';
  const r = await upload('/evidence', { file: ['ok\n', name], record: { title: 'Audit report' } });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.filename, name);
  const dl = await fetch(`${env.url}${A}/evidence/${r.json.ref}/files/1`, { headers: { authorization: `Bearer ${ci.token}` } });
  const cd = dl.headers.get('content-disposition');
  const plain = cd.match(/filename="([^"]*)"/)[1];
  assert.doesNotMatch(plain, /["\\]|[^\x20-\x7e]/, 'the plain name is safe ASCII');
  assert.equal(decodeURIComponent(cd.match(/filename\*=UTF-8''([^;]+)/)[1]), name);
});

test('a file larger than the JSON body limit is accepted as an upload', async () => {
  const big = Buffer.alloc(1536 * 1024, 'a');
  const r = await upload('/evidence', { file: [big, 'big.txt'], record: { title: 'Large log' } });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.size, big.length);
});

test('bad uploads are refused naming the part, and leave nothing behind', async () => {
  const before = await evidenceCount();
  const ev = await upload('/evidence', { file: ['x\n', 'x.txt'], record: { title: 'Target' } });
  assert.equal(ev.status, 201);
  const ref = ev.json.ref;
  const cases = [
    [upload(`/evidence/${ref}/files`, { record: {} }), 400, 'file'],
    [upload(`/evidence/${ref}/files`, { file: ['y\n', 'y.txt', 'document'] }), 400, 'document'],
    [upload('/evidence', { file: ['y\n', 'y.txt'], record: '{"title": ' }), 400, 'record'],
    [upload('/evidence', { file: ['y\n', 'y.txt'], record: '["title"]' }), 400, 'record'],
    [upload('/evidence', { file: ['y\n', 'y.txt'], parts: { title: 'loose field' } }), 400, 'title'],
    [upload('/evidence', { file: ['y\n', 'y.txt'] }), 400, 'title'],
    [upload('/evidence', { file: ['y\n', 'y.txt'], record: { title: 'T', colour: 'red' } }), 400, 'colour'],
    [upload('/evidence', { file: [Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, ...Array(600).fill(0)]), 'tool.bin'], record: { title: 'Binary' } }), 415, 'file'],
    [upload('/ai-systems', { file: ['y\n', 'y.txt'], record: { name: 'S' } }), 415, 'Content-Type'],
    [upload(`/evidence/${ref}/files`, { file: ['y\n', 'y.txt'], headers: { 'if-match': '"1"' } }), 412, 'version'],
  ];
  for (const [p, status, field] of cases) {
    const r = await p;
    assert.equal(r.status, status, r.text);
    assert.equal(r.json.error.field, field, r.text);
  }
  // The record sent as a file (a Blob in FormData) is a second file: named.
  const blob = new FormData();
  blob.append('record', new Blob(['{"title":"T"}'], { type: 'application/json' }));
  blob.append('file', new Blob(['y\n']), 'y.txt');
  const two = await fetch(env.url + A + '/evidence', { method: 'POST', headers: { authorization: `Bearer ${ci.token}` }, body: blob });
  assert.equal(two.status, 400);
  assert.match((await two.json()).error.message, /parts 'record' and 'file' both have a file name/);
  // A JSON body to the file route is refused with what to send instead.
  const j = await request(env.url, 'POST', `${A}/evidence/${ref}/files`, { auth: ci, body: { file: 'x' } });
  assert.equal(j.status, 415);
  assert.match(j.json.error.message, /multipart\/form-data/);
  assert.equal(await evidenceCount(), before + 1);
  assert.equal((await get(`/evidence/${ref}/files`)).json.items.length, 1);
  assert.deepEqual(uploadsLeft(), []);
});

test('who may upload: roles, other organisations, sessions and CSRF', async () => {
  const ev = await upload('/evidence', { file: ['z\n', 'z.txt'], record: { title: 'Roles' } });
  const ref = ev.json.ref;
  let r = await upload(`/evidence/${ref}/files`, { file: ['n\n', 'n.txt'], auth: viewerToken });
  assert.equal(r.status, 403);
  r = await upload(`/evidence/${ref}/files`, { file: ['n\n', 'n.txt'], auth: null });
  assert.equal(r.status, 401);
  r = await upload(`/evidence/${ref}/files`, { file: ['n\n', 'n.txt'], auth: otherToken });
  assert.equal(r.status, 404);
  r = await fetch(`${env.url}/api/v1/orgs/other/evidence/${ref}/files`, {
    method: 'POST', headers: { authorization: `Bearer ${otherToken.token}` },
    body: (() => { const f = new FormData(); f.append('file', new Blob(['n\n']), 'n.txt'); return f; })(),
  });
  assert.equal(r.status, 404, 'another organisation\'s evidence does not exist there');
  // A signed-in person: a cross-site post is refused, even from the same origin without the token.
  r = await upload(`/evidence/${ref}/files`, { file: ['n\n', 'n.txt'], auth: admin, headers: { origin: 'http://evil.example' } });
  assert.equal(r.status, 403);
  r = await upload(`/evidence/${ref}/files`, { file: ['n\n', 'n.txt'], auth: admin, headers: { origin: env.url } });
  assert.equal(r.status, 403);
  r = await upload(`/evidence/${ref}/files`, { file: ['s\n', 's.txt'], auth: admin, headers: { origin: env.url, 'x-csrf-token': admin.csrf } });
  assert.equal(r.status, 201, r.text);
  assert.equal((await get(`/evidence/${ref}/files`)).json.items.length, 2);
  assert.deepEqual(uploadsLeft(), []);
});

test('an Idempotency-Key makes a retried upload one revision', async () => {
  const ev = await upload('/evidence', { file: ['i\n', 'i.txt'], record: { title: 'Retry' } });
  const ref = ev.json.ref;
  const h = { 'idempotency-key': 'ci-run-4711' };
  const a = await upload(`/evidence/${ref}/files`, { file: ['retry\n', 'r.txt'], headers: h });
  const b = await upload(`/evidence/${ref}/files`, { file: ['retry\n', 'r.txt'], headers: h });
  assert.equal(a.status, 201);
  assert.equal(b.status, 201);
  assert.equal(b.headers.get('idempotent-replayed'), 'true');
  assert.equal(b.json.revision, a.json.revision);
  const c = await upload(`/evidence/${ref}/files`, { file: ['other bytes\n', 'r.txt'], headers: h });
  assert.equal(c.status, 422, 'the same key with another file');
  assert.equal((await get(`/evidence/${ref}/files`)).json.items.length, 2);
});

// Sends only the headers of a POST and waits for the answer.
function headersOnly(path, headers) {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${env.url}${path}`, { method: 'POST', headers }, (res) => {
      let body = '';
      res.on('data', (d) => { body += d; });
      res.on('end', () => resolve({ status: res.statusCode, body }));
    });
    req.on('error', reject);
    req.flushHeaders();
  });
}

test('an upload over the size limit is refused before its body is sent', async () => {
  const r = await headersOnly(`${A}/evidence`, {
    authorization: `Bearer ${ci.token}`, expect: '100-continue',
    'content-type': 'multipart/form-data; boundary=x',
    'content-length': String(200 * 1024 * 1024),
  });
  assert.equal(r.status, 413);
  assert.equal(JSON.parse(r.body).error.code, 'too_big');
  assert.deepEqual(uploadsLeft(), []);
});

test('the OpenAPI document describes the multipart bodies', async () => {
  const doc = (await request(env.url, 'GET', '/api/v1/openapi.json')).json;
  const files = doc.paths['/api/v1/orgs/{org}/evidence/{ref}/files'].post;
  const mp = files.requestBody.content['multipart/form-data'];
  assert.deepEqual(mp.schema.required, ['file']);
  assert.ok(mp.schema.properties.record);
  assert.equal(files.requestBody.content['application/json'], undefined);
  const create = doc.paths['/api/v1/orgs/{org}/evidence'].post.requestBody.content;
  assert.ok(create['application/json'] && create['multipart/form-data']);
  assert.equal(create['application/json'].schema.$ref, '#/components/schemas/evidence');
  // A kind that keeps no files takes JSON only.
  const risks = doc.paths['/api/v1/orgs/{org}/risks'].post.requestBody.content;
  assert.equal(risks['multipart/form-data'], undefined);
});

test('the CLI sees what the API stored', async () => {
  const ev = await upload('/evidence', { file: ['cli\n', 'cli.txt'], record: { title: 'Seen by CLI' } });
  const r = aims(['record', 'files', 'evidence', ev.json.ref, '--org', 'acme', '--format', 'json', '--db', env.db]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout)[0].sha256, sha('cli\n'));
});
