// web_soa.test.mjs - the Statement of Applicability guides instead of
// dead-ending: a decision for many ticked controls at once, each control's
// summary one click away, a measure made from its row already naming the
// control, and Publish with the published versions and what the draft
// changed since one, under the four-eyes rule (whoever changed the draft
// does not publish it).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { addMember, request, setup, signIn as apiSignIn } from './lib.mjs';
import { openBrowser, shot, signIn, submit } from './browser.mjs';

const ANN = 'ann@example.com';
const BEN = 'ben@example.com';
let env;
let b;

before(async () => {
  env = await setup();
  addMember(env.db, ANN, 'manager');
  addMember(env.db, BEN, 'manager');
  b = await openBrowser();
  await signIn(b.page, env.url, ANN);
});
after(async () => {
  await b?.close();
  await env?.cleanup();
});

const row = (page, ctl) => page.locator(`#ctl-${ctl.replace(/\./g, '\\.')}`);

test('a decision for the ticked controls, in one step', async () => {
  const { page } = b;
  await page.goto(`${env.url}/o/acme/soa`);
  // Nothing ticked: the page says what is missing and changes nothing.
  await page.selectOption('#bulk-applicable', 'false');
  await page.fill('#bulk-justification', 'We do not develop AI systems.');
  assert.equal(await submit(page, '#soa-bulk button[type=submit]'), 422);
  assert.match(await page.textContent('.flash.error'), /Tick the controls/);
  for (const ctl of ['A.6.2.2', 'A.6.2.3', 'A.6.2.4'])
    await page.check(`#pick-${ctl.replace(/\./g, '\\.')}`);
  await page.selectOption('#bulk-applicable', 'false');
  await page.fill('#bulk-justification', 'We do not develop AI systems.');
  assert.equal(await submit(page, '#soa-bulk button[type=submit]'), 200);
  assert.match(await page.textContent('.flash.ok'), /The decision is saved for 3 controls/);
  await shot(page, 'soa-bulk');
  for (const ctl of ['A.6.2.2', 'A.6.2.3', 'A.6.2.4'])
    assert.match(await row(page, ctl).textContent(), /Not applicable/);
  assert.match(await row(page, 'A.6.2.5').textContent(), /Not decided/);
  const api = await request(env.url, 'GET', '/api/v1/orgs/acme/soa/A.6.2.3', { auth: await apiSignIn(env.url, ANN) });
  assert.equal(api.json.applicable, false);
  assert.equal(api.json.justification, 'We do not develop AI systems.');
});

test('each control says what it asks, one click away; a measure starts from its row', async () => {
  const { page } = b;
  await page.goto(`${env.url}/o/acme/soa`);
  const about = row(page, 'A.2.2').locator('details.soa-about');
  assert.equal(await about.locator('p').isVisible(), false);
  await about.locator('summary').click();
  assert.ok((await about.locator('p').textContent()).length > 20);
  await page.goto(`${env.url}/o/acme/soa?edit=A.5.2#ctl-A.5.2`);
  await row(page, 'A.5.2').locator('.soa-new-measure a').click();
  await page.waitForURL(/\/measures\/new\?requirements=A\.5\.2$/);
  await page.fill('#f-title', 'Impact assessment before release');
  assert.equal(await submit(page), 200);
  assert.match(await page.textContent('main'), /A\.5\.2/);
});

test('publish: four eyes, the versions and what changed since one', async () => {
  const { page, context } = b;
  await page.goto(`${env.url}/o/acme/soa/versions`);
  assert.match(await page.textContent('main'), /Nothing published yet/);
  // Ann changed the draft: she may not publish it.
  assert.equal(await submit(page, 'form.soa-publish button[type=submit]'), 403);
  assert.match(await page.textContent('.flash.error'), /Not published/);
  // Every control needs a decision first: all of them at once.
  await page.goto(`${env.url}/o/acme/soa`);
  await page.click('[data-soa-all]');
  await page.selectOption('#bulk-applicable', 'true');
  await page.fill('#bulk-justification', 'Applies to the AI systems we provide.');
  assert.equal(await submit(page, '#soa-bulk button[type=submit]'), 200);
  assert.match(await page.textContent('.flash.ok'), /saved for 38 controls/);
  await context.clearCookies();
  await signIn(page, env.url, BEN);
  await page.goto(`${env.url}/o/acme/soa`);
  await page.fill('#publish-note', 'First edition for the Stage 1 audit');
  assert.equal(await submit(page, 'form.soa-publish button[type=submit]'), 200);
  assert.match(await page.textContent('.flash.ok'), /Version 1 of the Statement of Applicability is published/);
  assert.match(await page.textContent('main'), /First edition for the Stage 1 audit/);
  assert.match(await page.textContent('main'), /No change: the draft is the published version/);
  // Ann changes one control; the versions page shows it against version 1.
  await context.clearCookies();
  await signIn(page, env.url, ANN);
  await page.goto(`${env.url}/o/acme/soa`);
  await page.check('#pick-A\\.7\\.4');
  await page.selectOption('#bulk-applicable', 'true');
  await page.fill('#bulk-justification', 'Our models learn from customer data.');
  assert.equal(await submit(page, '#soa-bulk button[type=submit]'), 200);
  await page.goto(`${env.url}/o/acme/soa/versions?version=1`);
  await shot(page, 'soa-versions');
  const changes = await page.textContent('#diff-h');
  assert.match(changes, /since version 1/);
  const text = await page.textContent('main');
  assert.match(text, /A\.7\.4/);
  assert.match(text, /Our models learn from customer data\./);
  assert.match(await page.getAttribute('a[href*="soa.xlsx?version=1"]', 'href'), /^\/api\/v1\/orgs\/acme\/exports\/soa\.xlsx\?version=1$/);
});
