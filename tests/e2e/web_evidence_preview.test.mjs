// web_evidence_preview.test.mjs - evidence shown in its record page without
// a download: an image and a PDF framed from .../preview, served inline with
// their own type under a sandboxing Content-Security-Policy and framed by
// this site only; text shown escaped in the page (a script in it stays text);
// anything else only downloads, and another organisation's file is 404.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN, addMember, addOrg, aimsOk, setup } from './lib.mjs';
import { openBrowser, shot, signIn } from './browser.mjs';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
// Markup that would end the <pre> and run script if it were not escaped (a file
// that looks like HTML is refused as evidence altogether).
const TEXT = 'Evaluation of fraud-v3\nscore < 0.5 & recall > 0.9\n</pre><b onmouseover="window.__xss=1">x</b>\nAUC 0.91\n';
let env;
let b;
let token;
let otherToken;
const refs = {};

async function upload(tok, org, bytes, name) {
  const form = new FormData();
  form.append('record', JSON.stringify({ title: `Evidence ${name}`, source: 'ci' }));
  form.append('file', new Blob([bytes]), name);
  const r = await fetch(`${env.url}/api/v1/orgs/${org}/evidence`, {
    method: 'POST', headers: { authorization: `Bearer ${tok}` }, body: form,
  });
  const json = await r.json();
  assert.equal(r.status, 201, JSON.stringify(json));
  return json.ref;
}

before(async () => {
  env = await setup();
  addOrg(env.db, 'other');
  addMember(env.db, 'outsider@example.com', 'admin', 'other');
  token = JSON.parse(aimsOk(['token', 'create', '--org', 'acme', '--name', 'ci', '--role', 'contributor',
    '--format', 'json', '--db', env.db]).stdout).token;
  otherToken = JSON.parse(aimsOk(['token', 'create', '--org', 'other', '--name', 'ci', '--role',
    'contributor', '--format', 'json', '--db', env.db]).stdout).token;
  refs.png = await upload(token, 'acme', PNG, 'chart.png');
  refs.pdf = await upload(token, 'acme', PDF, 'report.pdf');
  refs.txt = await upload(token, 'acme', TEXT, 'eval.txt');
  refs.zip = await upload(token, 'acme', Buffer.from('PK\x05\x06' + '\0'.repeat(18), 'binary'), 'bundle.zip');
  refs.other = await upload(otherToken, 'other', PNG, 'theirs.png');
  b = await openBrowser();
  await signIn(b.page, env.url, ADMIN);
});
after(async () => {
  await b?.close();
  await env?.cleanup();
});

async function preview(ref, org = 'acme') {
  return b.page.request.get(`${env.url}/o/${org}/evidence/${ref}/preview`);
}

test('an image shows in its record page, served inline and sandboxed', async () => {
  const { page } = b;
  await page.goto(`${env.url}/o/acme/evidence/${refs.png}`);
  const img = page.locator('.preview img');
  assert.equal(await img.getAttribute('src'), `/o/acme/evidence/${refs.png}/preview`);
  assert.match(await img.getAttribute('alt'), /chart\.png/);
  assert.ok(await img.evaluate((el) => el.complete && el.naturalWidth === 1), 'the image loaded');
  const r = await preview(refs.png);
  assert.equal(r.status(), 200);
  assert.equal(r.headers()['content-type'], 'image/png');
  assert.match(r.headers()['content-disposition'], /^inline; filename\*=UTF-8''chart\.png$/);
  assert.match(r.headers()['content-security-policy'], /^sandbox; default-src 'none'/);
  assert.match(r.headers()['content-security-policy'], /frame-ancestors 'self'/);
  assert.equal(r.headers()['x-frame-options'], 'SAMEORIGIN');
  assert.equal(r.headers()['x-content-type-options'], 'nosniff');
  assert.deepEqual(Buffer.from(await r.body()), PNG);
});

test('a PDF is framed from its preview, sandboxed', async () => {
  const { page } = b;
  await page.goto(`${env.url}/o/acme/evidence/${refs.pdf}`);
  assert.equal(await page.getAttribute('.preview iframe', 'src'), `/o/acme/evidence/${refs.pdf}/preview`);
  assert.match(await page.getAttribute('.preview iframe', 'title'), /report\.pdf/);
  const r = await preview(refs.pdf);
  assert.equal(r.status(), 200);
  assert.equal(r.headers()['content-type'], 'application/pdf');
  assert.match(r.headers()['content-security-policy'], /^sandbox;/);
});

test('text shows escaped in the page, and a script in it never runs', async () => {
  const { page, watch } = b;
  await page.goto(`${env.url}/o/acme/evidence/${refs.txt}`);
  await shot(page, 'evidence-preview-text');
  assert.equal(await page.textContent('.preview-text'), TEXT);
  assert.equal(await page.locator('.preview b').count(), 0, 'the markup stayed text');
  await page.hover('.preview-text');
  assert.equal(await page.evaluate(() => window.__xss), undefined);
  assert.deepEqual(watch.dialogs, []);
  const r = await preview(refs.txt);
  assert.equal(r.headers()['content-type'], 'text/plain; charset=utf-8');
  assert.match(r.headers()['content-security-policy'], /^sandbox;/);
});

test('other files only download; another organisation\'s file is 404', async () => {
  const { page } = b;
  await page.goto(`${env.url}/o/acme/evidence/${refs.zip}`);
  assert.equal(await page.locator('.preview').count(), 0);
  assert.equal((await preview(refs.zip)).status(), 404);
  assert.equal((await preview(refs.other, 'other')).status(), 404, 'an org the user is not in');
  assert.equal((await b.page.request.get(`${env.url}/o/acme/risks/RISK-1/preview`)).status(), 404);
});
