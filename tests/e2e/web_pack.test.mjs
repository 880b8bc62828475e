// web_pack.test.mjs - the audit pack page in the browser: a viewer (a pack is
// a read) finds it in the navigation, makes a pack, waits for it without any
// script of ours, downloads it, and the download verifies offline with both
// verifiers; a bad date is named on the page and starts nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { addMember, aimsOk, setup, ADMIN, pubKeyOf } from './lib.mjs';
import { openBrowser, shot, signIn } from './browser.mjs';
import { verifyPack } from './pack_verifier.mjs';

let env, viewer;

before(async () => {
  env = await setup();
  aimsOk(['record', 'create', 'ai-systems', '--org', 'acme', '--as', ADMIN, '--db', env.db, '--json', '{"name": "Chat assistant"}']);
  addMember(env.db, 'vic@example.com', 'viewer');
  viewer = await openBrowser();
  await signIn(viewer.page, env.url, 'vic@example.com');
});
after(async () => {
  await viewer?.close();
  await env?.cleanup();
});

test('a viewer makes a pack from the page and downloads it; it verifies offline', async () => {
  const { page } = viewer;
  await page.goto(`${env.url}/o/acme/`);
  await Promise.all([page.waitForNavigation(), page.click('nav a:has-text("Audit pack")')]);
  assert.equal(new URL(page.url()).pathname, '/o/acme/pack');
  assert.match(await page.textContent('main'), /aims verify --pack/);
  await Promise.all([page.waitForNavigation(), page.click('main form button[type=submit]')]);
  // The page reloads itself while the pack is made.
  const link = await page.waitForSelector('a:has-text("Download the pack")', { timeout: 20000 });
  assert.match(await page.textContent('#latest'), /Ready.*record versions/s);
  await shot(page, 'pack-ready');
  const href = await link.getAttribute('href');
  assert.match(href, /^\/o\/acme\/pack\/\d+\/download$/);
  const resp = await page.request.get(env.url + href);
  assert.equal(resp.status(), 200);
  assert.equal(resp.headers()['content-type'], 'application/zip');
  const zip = Buffer.from(await resp.body());
  const path = join(env.dir, 'web.zip');
  writeFileSync(path, zip);
  assert.match(aimsOk(['verify', '--pack', path, '--key', pubKeyOf(env.db)]).stdout, /^pack verified: acme/);
  const n = verifyPack(readFileSync(path));
  assert.equal(n.ok, true, n.failure);
});

test('a bad date is named on the page and starts nothing', async () => {
  const { page } = viewer;
  await page.goto(`${env.url}/o/acme/pack`);
  const before = await page.textContent('#latest h2');
  // The browser's date input refuses text: post the form as a script-free client would.
  await page.evaluate(() => { document.querySelector('#f-since').type = 'text'; });
  await page.fill('#f-since', 'last week');
  const [resp] = await Promise.all([page.waitForNavigation(), page.click('main form button[type=submit]')]);
  assert.equal(resp.status(), 400);
  assert.match(await page.textContent('.error-summary'), /since.*date/);
  assert.equal(await page.getAttribute('#f-since', 'value'), 'last week');
  assert.equal(await page.textContent('#latest h2'), before);
});
