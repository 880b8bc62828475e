// web_soa.test.mjs - the Statement of Applicability guides instead of
// dead-ending: a decision for many ticked controls at once, each control's
// summary one click away, a measure picked or made in its row (the row
// stays, the measure names the control, errors at their field), and Publish with the published versions and what the draft
// changed since one, under the four-eyes rule (whoever changed the draft
// does not publish it).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { addMember, request, setup, signIn as apiSignIn } from './lib.mjs';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { ARTIFACTS, openBrowser, shot, signIn, submit } from './browser.mjs';
import { strictWrites } from './lib.mjs';

// Every change these journeys make goes through the server's writer.
strictWrites();

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
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

// axe-core's serious and critical WCAG 2.2 AA findings on the page as it is.
async function axe(page) {
  await page.evaluate(AXE);
  const r = await page.evaluate(() => window.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } }));
  return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

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

test('each control says what it asks, one click away', async () => {
  const { page } = b;
  await page.goto(`${env.url}/o/acme/soa`);
  const about = row(page, 'A.2.2').locator('details.soa-about');
  assert.equal(await about.locator('p').isVisible(), false);
  await about.locator('summary').click();
  assert.ok((await about.locator('p').textContent()).length > 20);
});

test('a measure is made or picked in the row, which stays where it was', async () => {
  const { page } = b;
  const auth = await apiSignIn(env.url, ANN);
  const measures = async () => (await request(env.url, 'GET', '/api/v1/orgs/acme/measures', { auth })).json.items;
  const entry = async (ctl) => (await request(env.url, 'GET', `/api/v1/orgs/acme/soa/${ctl}`, { auth })).json;
  await page.goto(`${env.url}/o/acme/soa`);
  const at = page.url();
  // Opened in place (app.js), its measure fields one click away.
  await row(page, 'A.5.2').locator('a[data-soa-swap]').click();
  const form = page.locator('form#ctl-A\\.5\\.2');
  await form.locator('#soa-A\\.5\\.2-justification').waitFor();
  await form.locator('details.soa-add-measure summary').click();
  mkdirSync(ARTIFACTS, { recursive: true });
  await form.screenshot({ path: `${ARTIFACTS}/soa-row-add-measure-1280.png` });

  // A reference that names no measure: the message at its field, nothing saved.
  await form.locator('[name=add_measure]').fill('MEA-99');
  await form.locator('[name=justification]').fill('We assess the impact of every release.');
  await form.locator('button[type=submit]').click();
  await page.locator('form#ctl-A\\.5\\.2 .soa-msg.error').waitFor();
  const bad = page.locator('form#ctl-A\\.5\\.2 [name=add_measure]');
  assert.equal(await bad.getAttribute('aria-invalid'), 'true');
  assert.match(await page.locator('form#ctl-A\\.5\\.2 .soa-add-measure .error').textContent(),
    /There is no measure MEA-99/);
  assert.ok(await bad.evaluate((el) => el === document.activeElement), 'the focus is on the field at fault');
  assert.equal(await page.locator('form#ctl-A\\.5\\.2 [name=justification]').inputValue(),
    'We assess the impact of every release.', 'what was typed is kept');
  assert.equal((await entry('A.5.2')).justification ?? null, null);

  // A title too long for a measure: its message at the new measure's field; none made.
  await bad.fill('');
  const title = page.locator('form#ctl-A\\.5\\.2 [name=new_measure]');
  await title.fill('x'.repeat(201));
  await page.locator('form#ctl-A\\.5\\.2 button[type=submit]').click();
  await page.locator('form#ctl-A\\.5\\.2 [name=new_measure][aria-invalid=true]').waitFor();
  assert.match(await page.locator('form#ctl-A\\.5\\.2 .soa-add-measure .error').textContent(),
    /at most 200 characters/);
  assert.equal((await measures()).length, 0);
  // The open row with its messages passes axe.
  assert.deepEqual(await axe(page), []);
  await page.locator('form#ctl-A\\.5\\.2').screenshot({ path: `${ARTIFACTS}/soa-row-measure-error-1280.png` });

  // A new one by its title: made, linked, the row saved and shown where it was.
  await page.locator('form#ctl-A\\.5\\.2 [name=new_measure]').fill('Impact assessment before release');
  await page.locator('form#ctl-A\\.5\\.2 button[type=submit]').click();
  await page.locator('div#ctl-A\\.5\\.2').waitFor();
  assert.equal(page.url(), at, 'the page stayed, the row was swapped in place');
  assert.match(await row(page, 'A.5.2').locator('.soa-msg').textContent(), /MEA-1 is created and linked/);
  assert.match(await row(page, 'A.5.2').textContent(), /MEA-1/);
  assert.ok(await row(page, 'A.5.2').locator('a[data-soa-swap]').evaluate((el) => el === document.activeElement),
    'the focus is back on the row');
  const made = await measures();
  assert.equal(made.length, 1);
  assert.equal(made[0].title, 'Impact assessment before release');
  assert.deepEqual(made[0].requirements, ['A.5.2']);
  const saved = await entry('A.5.2');
  assert.deepEqual(saved.measures, ['MEA-1']);
  assert.equal(saved.justification, 'We assess the impact of every release.');
  await row(page, 'A.5.2').screenshot({ path: `${ARTIFACTS}/soa-row-measure-saved-1280.png` });

  // An existing one picked in another row: linked there too, nothing new made.
  await row(page, 'A.5.3').locator('a[data-soa-swap]').click();
  const other = page.locator('form#ctl-A\\.5\\.3');
  await other.locator('details.soa-add-measure summary').click();
  await other.locator('[name=add_measure]').fill('MEA-1');
  await other.locator('button[type=submit]').click();
  await page.locator('div#ctl-A\\.5\\.3').waitFor();
  assert.deepEqual((await entry('A.5.3')).measures, ['MEA-1']);
  assert.equal((await measures()).length, 1);
});

test('without script the row posts and comes back to the same row', async () => {
  const nojs = await openBrowser();
  try {
    await nojs.context.route('**/static/app.js*', (r) => r.abort());
    await signIn(nojs.page, env.url, ANN);
    const { page } = nojs;
    await page.goto(`${env.url}/o/acme/soa?edit=A.5.4#ctl-A.5.4`);
    const form = page.locator('form#ctl-A\\.5\\.4');
    await form.locator('details.soa-add-measure summary').click();
    await form.locator('[name=new_measure]').fill('Lifecycle review');
    assert.equal(await submit(page, 'form#ctl-A\\.5\\.4 button[type=submit]'), 200);
    assert.match(new URL(page.url()).hash, /^#ctl-A\.5\.4$/);
    assert.match(await page.textContent('.flash.ok'), /MEA-2 is created and linked to the control/);
    assert.match(await row(page, 'A.5.4').textContent(), /MEA-2/);
    // The row's fields on a phone: nothing wider than the screen.
    await page.setViewportSize({ width: 390, height: 800 });
    await page.goto(`${env.url}/o/acme/soa?edit=A.5.4#ctl-A.5.4`);
    await form.locator('details.soa-add-measure summary').click();
    await form.screenshot({ path: `${ARTIFACTS}/soa-row-add-measure-390.png` });
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth) <= 1);
  } finally {
    await nojs.close();
  }
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
