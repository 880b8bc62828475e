// web_risk_form.test.mjs - the risk form speaks the organisation's risk
// criteria: likelihood and impact are choices labelled with its own scales,
// the inherent and residual score and level show as they change (and are
// what the server stores), the page works without script, and the record
// page shows labels rather than codes ("4 — Likely", "C.3.4" with its title).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN, request, setup, signIn as apiSignIn } from './lib.mjs';
import { openBrowser, shot, signIn, submit } from './browser.mjs';

let env;
let b;
let auth;
let criteria;

before(async () => {
  env = await setup();
  auth = await apiSignIn(env.url);
  criteria = (await request(env.url, 'GET', '/api/v1/orgs/acme/risk-criteria', { auth })).json;
  b = await openBrowser();
  await signIn(b.page, env.url, ADMIN);
});
after(async () => {
  await b?.close();
  await env?.cleanup();
});

test('likelihood and impact are the organisation\'s labelled levels; the score follows them', async () => {
  const { page } = b;
  const items = criteria.items ? criteria.items[0] : criteria;
  const labels = items.likelihood_labels;
  assert.ok(labels.length >= 3, JSON.stringify(criteria));
  await page.goto(`${env.url}/o/acme/risks/new`);
  const options = await page.$$eval('#f-likelihood option', (os) => os.map((o) => [o.value, o.textContent]));
  assert.deepEqual(options.slice(1), labels.map((l, i) => [String(i + 1), `${i + 1} — ${l}`]));
  assert.match(await page.textContent('[data-score] output'), /set both to see the score/);
  await page.fill('#f-title', 'Drift in the claims model');
  await page.selectOption('#f-likelihood', '4');
  await page.selectOption('#f-impact', '4');
  const shown = await page.textContent('[data-score] output');
  assert.match(shown, /^score \d+, \S/);
  await page.selectOption('#f-impact', '1');
  const lower = await page.textContent('[data-score] output');
  assert.notEqual(lower, shown, 'the score follows the impact');
  await page.selectOption('#f-impact', '4');
  await shot(page, 'risk-form-score');
  assert.equal(await submit(page), 200);
  const ref = page.url().split('/').pop();
  const rec = (await request(env.url, 'GET', `/api/v1/orgs/acme/risks/${ref}`, { auth })).json;
  assert.equal(shown, `score ${rec.inherent_score}, ${rec.inherent_level}`,
    'the page showed what the server computed');
  const details = await page.textContent('main');
  assert.match(details, new RegExp(`4 — ${labels[3]}`));
});

test('without script the edit form shows the score the server computed', async () => {
  const created = await request(env.url, 'POST', '/api/v1/orgs/acme/risks', { auth, body: {
    title: 'Prompt injection', likelihood: 2, impact: 3, risk_source: 'C.3.4',
    treatment: { option: 'modify', residual_likelihood: 1, residual_impact: 2 },
  } });
  assert.equal(created.status, 201, created.text);
  const r = created.json;
  const page = await request(env.url, 'GET', `/o/acme/risks/${r.ref}/edit`, { auth });
  assert.equal(page.status, 200);
  assert.match(page.text, new RegExp(`Inherent risk:</span> <output[^>]*>score ${r.inherent_score}, ` +
    `<strong>${r.inherent_level}</strong>`));
  assert.match(page.text, new RegExp(`Residual risk:</span> <output[^>]*>score ${r.residual_score}, ` +
    `<strong>${r.residual_level}</strong>`));
  assert.match(page.text, /<option value="2" selected>2 — /);
  const show = await request(env.url, 'GET', `/o/acme/risks/${r.ref}`, { auth });
  assert.match(show.text, /<span class="req">C\.3\.4<\/span> <span class="req-title">Risk sources related to machine learning<\/span>/);
});

test('the list filters by the labelled levels', async () => {
  const { page } = b;
  await page.goto(`${env.url}/o/acme/risks`);
  const opts = await page.$$eval('#flt-likelihood option', (os) => os.map((o) => o.textContent));
  assert.equal(opts[0], 'Any');
  assert.match(opts[1], /^1 — /);
});

test('a long multiple select is a searchable picker, usable from the keyboard', async () => {
  const { page } = b;
  await page.goto(`${env.url}/o/acme/risks/new`);
  const sel = page.locator('#f-treatment\\.controls');
  assert.equal(await sel.isHidden(), true, 'the select is replaced, and stays in the form');
  const filter = page.locator('#f-treatment\\.controls-filter');
  assert.equal(await page.getAttribute('label[for="f-treatment.controls-filter"]', 'for'),
    'f-treatment.controls-filter', 'the field label names the filter box');
  await page.fill('#f-title', 'Poisoned training data');
  await filter.fill('quality data');
  const shown = page.locator('.picker-item:visible');
  assert.equal(await shown.count(), 1, 'one control has both words');
  assert.match(await shown.textContent(), /A\.7\.4/);
  await filter.press('Enter');	// ticks the only one left, does not submit
  assert.match(await page.textContent('.picker-count'), /^1 of \d+ selected$/);
  await filter.fill('');
  await filter.press('Tab');
  await page.keyboard.press('Space');	// the first control of the list
  assert.match(await page.textContent('.picker-count'), /^2 of/);
  await shot(page, 'risk-form-picker');
  assert.equal(await submit(page), 200);
  const ref = page.url().split('/').pop();
  const rec = (await request(env.url, 'GET', `/api/v1/orgs/acme/risks/${ref}`, { auth })).json;
  assert.equal(rec.treatment.controls.length, 2);
  assert.ok(rec.treatment.controls.includes('A.7.4'));
});
