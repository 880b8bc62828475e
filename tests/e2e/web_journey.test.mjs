// web_journey.test.mjs - the compliance lead's first session in the browser:
// sign in, create an AI system, add a risk, treat it with an Annex A control,
// mark the control applicable and implemented with a measure, upload evidence,
// and see the dashboard change. Every page visited is kept as a screenshot.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN, addOrg, aimsOk, setup } from './lib.mjs';
import { openBrowser, shot, signIn, submit, pick } from './browser.mjs';
import { strictWrites } from './lib.mjs';

// Every change these journeys make goes through the server's writer.
strictWrites();

const CONTROL = 'A.6.2.4';	// AI system verification and validation
let env;
let b;

before(async () => {
  env = await setup();
  b = await openBrowser();
});
after(async () => {
  await b?.close();
  await env?.cleanup();
});

// The figures of the dashboard as the page shows them.
async function dashboard(page, name) {
  await page.goto(`${env.url}/o/acme/`);
  await shot(page, name);
  return {
    soa: await page.textContent('#soa-bars'),
    activity: await page.textContent('section[aria-labelledby=d-activity]'),
    categories: await page.textContent('section[aria-labelledby=d-ai-systems-category]'),
  };
}

test('the main journey, from sign-in to a changed dashboard', async () => {
  const { page, watch } = b;
  await page.goto(`${env.url}/`);
  assert.match(page.url(), /\/sign-in$/, 'signed out, / leads to the sign-in page');
  await shot(page, 'sign-in');
  await signIn(page, env.url, ADMIN);
  assert.match(page.url(), /\/o\/acme\/$/, 'after signing in: the first organisation');
  const before0 = await dashboard(page, 'dashboard-empty');
  assert.match(before0.soa, /0 \/ 38/);

  // An AI system.
  await page.goto(`${env.url}/o/acme/ai-systems/new`);
  await shot(page, 'ai-system-new');
  await page.fill('#f-name', 'Loan scorer');
  await page.fill('#f-purpose', 'Scores consumer loan applications.');
  await page.selectOption('#f-lifecycle_stage', 'deployment');
  await page.selectOption('#f-eu_ai_act_category', 'high_risk');
  assert.equal(await submit(page), 200);
  assert.match(page.url(), /\/o\/acme\/ai-systems\/AIS-1$/);
  assert.match(await page.textContent('.flash.ok'), /AIS-1 created/);
  await shot(page, 'ai-system');

  // A risk to it.
  await page.goto(`${env.url}/o/acme/risks/new`);
  await page.fill('#f-title', 'Model drift lowers approval accuracy');
  await page.selectOption('#f-ai_systems', 'AIS-1');
  await page.selectOption('#f-likelihood', '4');
  await page.selectOption('#f-impact', '5');
  await page.selectOption('#f-owner', ADMIN);
  await shot(page, 'risk-new');
  assert.equal(await submit(page), 200);
  assert.match(page.url(), /\/risks\/RISK-1$/);
  assert.match(await page.textContent('main'), /very high/i);

  // A measure, then the treatment with an Annex A control and that measure.
  await page.goto(`${env.url}/o/acme/measures/new`);
  await page.fill('#f-title', 'Monthly drift monitoring with a champion model');
  await page.selectOption('#f-status', 'implemented');
  assert.equal(await submit(page), 200);
  assert.match(page.url(), /\/measures\/MEA-1$/);
  const measure = 'MEA-1';

  await page.goto(`${env.url}/o/acme/risks/RISK-1/edit`);
  await page.selectOption('#f-treatment\\.option', 'modify');
  await page.fill('#f-treatment\\.plan', 'Monitor drift monthly; retrain when it passes the bound.');
  await pick(page, '#f-treatment\\.controls', [CONTROL]);
  await page.selectOption('#f-treatment\\.measures', [measure]);
  await page.selectOption('#f-treatment\\.residual_likelihood', '2');
  await page.selectOption('#f-treatment\\.residual_impact', '3');
  await shot(page, 'risk-edit');
  assert.equal(await submit(page), 200);
  assert.match(await page.textContent('.flash.ok'), /RISK-1 saved/);
  assert.match(await page.textContent('main'), new RegExp(CONTROL.replace(/\./g, '\\.')));
  await shot(page, 'risk');

  // The control in the Statement of Applicability: applicable, implemented, with the measure.
  await page.goto(`${env.url}/o/acme/soa`);
  await shot(page, 'soa');
  await page.click(`#ctl-${CONTROL.replace(/\./g, '\\.')} a[data-soa-swap]`);
  const row = page.locator(`form#ctl-${CONTROL.replace(/\./g, '\\.')}`);
  await row.waitFor();
  await row.locator('select[name=applicable]').selectOption('true');
  await row.locator('textarea[name=justification]').fill('Every model release is verified against drift and bias tests.');
  await row.locator('select[name=status]').selectOption('implemented');
  await row.locator('input[name=measures]').fill(measure);
  await shot(page, 'soa-row-editing');
  await row.locator('button[type=submit]').click();
  const saved = page.locator(`div#ctl-${CONTROL.replace(/\./g, '\\.')}`);
  await saved.waitFor();
  assert.match(await saved.textContent(), /Implemented/);
  assert.match(await saved.textContent(), new RegExp(measure));
  await page.goto(`${env.url}/o/acme/soa?filter=not_implemented`);
  assert.doesNotMatch(await page.textContent('main'), new RegExp(`${CONTROL.replace(/\./g, '\\.')} `));

  // Evidence for the control: a file, uploaded with progress, its hash shown.
  await page.goto(`${env.url}/o/acme/evidence/new`);
  await page.fill('#f-title', 'Drift test report, March');
  await page.selectOption('#f-kind', 'file');
  await pick(page, '#f-requirements', [CONTROL]);
  await page.setInputFiles('#f-file', { name: 'drift-report.txt', mimeType: 'text/plain',
    buffer: Buffer.from('Drift report\nPSI 0.04 on all features; within bounds.\n') });
  await shot(page, 'evidence-new');
  await Promise.all([page.waitForURL(/\/evidence\/EV-1$/), page.click('form.record-form button[type=submit]')]);
  const hash = (await page.textContent('code.hash')).trim();
  assert.match(hash, /^[0-9a-f]{64}$/);
  assert.equal(hash, (await import('node:crypto')).createHash('sha256')
    .update('Drift report\nPSI 0.04 on all features; within bounds.\n').digest('hex'));
  await shot(page, 'evidence');
  const dl = await page.request.get(`${env.url}/o/acme/evidence/EV-1/download`);
  assert.equal(dl.status(), 200);
  assert.match(dl.headers()['content-disposition'], /^attachment; filename="drift-report.txt"/);
  assert.match(await dl.text(), /PSI 0\.04/);

  // The dashboard has moved.
  const after1 = await dashboard(page, 'dashboard-after');
  assert.match(after1.soa, /1 \/ 38/, 'one control decided');
  assert.match(after1.soa, /1 \/ 1 \(100%\)/, 'the applicable control implemented');
  assert.match(after1.categories, /High-risk/);
  assert.match(after1.activity, /EV-1/);
  const cell = page.locator('#hm-inherent a[href$="likelihood=4&impact=5"]');
  assert.match(await cell.getAttribute('aria-label'), /: 1$/, 'the risk counted in its inherent cell');
  assert.deepEqual(watch.dialogs, []);
  assert.deepEqual(watch.errors, []);
});

const KINDS = ['scope', 'context-issues', 'interested-parties', 'responsibilities', 'documents',
  'ai-systems', 'suppliers', 'risk-criteria', 'risks', 'impact-assessments', 'measures', 'evidence'];

test('every page: a screenshot, under 100 KB, and the organisation switcher', async () => {
  const { page, watch } = b;
  for (const kind of KINDS) {
    let resp = await page.goto(`${env.url}/o/acme/${kind}`);
    assert.equal(resp.status(), 200, kind);
    await shot(page, `list-${kind}`);
    assert.ok((await resp.body()).length < 100 * 1024, `${kind} list weighs under 100 KB`);
    if (kind !== 'risk-criteria' && !page.url().includes('/new')) {
      resp = await page.goto(`${env.url}/o/acme/${kind}/new`);
      assert.equal(resp.status(), 200, `${kind} form`);
      await shot(page, `new-${kind}`);
    }
  }
  await page.goto(`${env.url}/o/acme/risk-criteria/CRITERIA/edit`);
  await shot(page, 'edit-risk-criteria');
  const ready = await page.goto(`${env.url}/o/acme/readiness`);
  assert.equal(ready.status(), 200);
  assert.match(await page.textContent('main'), /Stage 1/);
  await shot(page, 'readiness');
  const soa = await page.goto(`${env.url}/o/acme/soa`);
  assert.ok((await soa.body()).length < 100 * 1024, 'the SoA page weighs under 100 KB');
  // A narrow screen: the menu folds away, nothing overflows sideways.
  await page.setViewportSize({ width: 360, height: 740 });
  for (const p of ['', 'risks', 'risks/RISK-1', 'soa']) {
    await page.goto(`${env.url}/o/acme/${p}`);
    const wide = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(wide <= 360, `/${p} fits 360 px (${wide})`);
    await shot(page, `narrow-${p.replace(/\//g, '-') || 'dashboard'}`);
  }
  await page.setViewportSize({ width: 1280, height: 900 });
  // A second organisation: the switcher offers both.
  addOrg(env.db, 'beta');
  aimsOk(['member', 'add', ADMIN, '--org', 'beta', '--role', 'manager', '--db', env.db]);
  await page.goto(`${env.url}/o/acme/`);
  await page.click('details.org summary');
  await Promise.all([page.waitForNavigation(), page.click('details.org a[href="/o/beta/"]')]);
  assert.match(page.url(), /\/o\/beta\/$/);
  assert.match(await page.textContent('.role'), /manager/);
  await shot(page, 'dashboard-beta');
  assert.deepEqual(watch.dialogs, []);
  assert.deepEqual(watch.errors, []);
});
