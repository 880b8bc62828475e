// web_crosswalk.test.mjs - the crosswalk coverage page and the EU AI Act page
// of an AI system in the browser: reached from the menu and from the AI
// system's page, status shown in words and signs as well as colour, the
// obligations recorded with the page's button (no script needed), no script
// error or dialog, and no axe-core violation of WCAG 2 A/AA rules.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { ADMIN, aimsOk, setup } from './lib.mjs';
import { openBrowser, shot, signIn, submit } from './browser.mjs';
import { strictWrites } from './lib.mjs';

// Every change these journeys make goes through the server's writer.
strictWrites();

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
let env;
let b;

before(async () => {
  env = await setup();
  aimsOk(['record', 'create', 'ai-systems', '--org', 'acme', '--as', ADMIN, '--db', env.db, '--json',
    JSON.stringify({ name: 'Loan engine', eu_prohibited_checked: true, eu_ai_act_roles: ['provider'],
      eu_annex_iii: ['5b_creditworthiness_credit_scoring'] })]);
  b = await openBrowser();
  await signIn(b.page, env.url, ADMIN);
});
after(async () => {
  await b?.close();
  await env?.cleanup();
});

// axe-core injected as a script (the pages' CSP does not apply to what the test evaluates).
async function axe(page) {
  await page.evaluate(AXE);
  const res = await page.evaluate(() => globalThis.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] } }));
  return res.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

test('the coverage page from the menu, per framework, accessible', async () => {
  const { page, watch } = b;
  await page.goto(`${env.url}/o/acme/`);
  await Promise.all([page.waitForNavigation(), page.click('nav#nav a[href="/o/acme/coverage"]')]);
  assert.equal(await page.textContent('h1'), 'Crosswalk coverage');
  assert.match(await page.textContent('main'), /Artificial Intelligence Act/);
  await Promise.all([page.waitForNavigation(), page.click('a[href="/o/acme/coverage?framework=nist-ai-rmf"]')]);
  assert.equal(await page.getAttribute('a[href="/o/acme/coverage?framework=nist-ai-rmf"]', 'aria-current'), 'page');
  const row = page.locator('tr', { hasText: 'GOVERN 1.1' });
  assert.match(await row.textContent(), /Not covered|Partial/);
  await shot(page, 'coverage-nist');
  assert.deepEqual(await axe(page), []);
  assert.deepEqual(watch.errors, []);
  assert.deepEqual(watch.dialogs, []);
});

test('the EU AI Act page from the AI system, obligations recorded by its button, accessible', async () => {
  const { page, watch } = b;
  await page.goto(`${env.url}/o/acme/ai-systems/AIS-1`);
  await Promise.all([page.waitForNavigation(), page.click('a[href="/o/acme/ai-systems/AIS-1/eu-ai-act"]')]);
  assert.match(await page.textContent('h1'), /EU AI Act: AIS-1 Loan engine/);
  assert.match(await page.textContent('pre.reasoning'), /Annex III point 5\(b\)/);
  assert.deepEqual(await axe(page), []);
  const status = await submit(page, 'form[action="/o/acme/ai-systems/AIS-1/eu-ai-act"] button');
  assert.equal(status, 200);
  assert.match(page.url(), /\/o\/acme\/ai-systems\/AIS-1\/eu-ai-act$/);
  assert.equal(await page.locator('text=not recorded yet').count(), 0);
  assert.ok(await page.locator('a.ref[href^="/o/acme/obligations/OBL-"]').count() >= 16);
  await shot(page, 'eu-ai-act');
  assert.deepEqual(await axe(page), []);
  assert.deepEqual(watch.errors, []);
});
