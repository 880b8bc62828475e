// web_forms.test.mjs - forms in the browser: an edit that lost a race says so
// and shows the newer values, refused input comes back with each message next
// to its field and the typed values kept, and a script payload typed into every
// text field of every form is shown as text and never runs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN, setup } from './lib.mjs';
import { openBrowser, shot, signIn, submit } from './browser.mjs';
import { strictWrites } from './lib.mjs';

// Every change these journeys make goes through the server's writer.
strictWrites();

const PAYLOAD = '<script>window.__xss=1</script><img src=x onerror="window.__xss=2">' +
  '"\'><svg onload="window.__xss=3;alert(3)">';
// Every kind with a create form, in an order where each finds what it refers to.
const KINDS = ['scope', 'context-issues', 'interested-parties', 'responsibilities', 'documents',
  'ai-systems', 'suppliers', 'models', 'measures', 'risks', 'impact-assessments', 'evidence'];

let env;
let b;

before(async () => {
  env = await setup();
  b = await openBrowser();
  await signIn(b.page, env.url, ADMIN);
});
after(async () => {
  await b?.close();
  await env?.cleanup();
});

async function noScriptRan(page, where) {
  assert.equal(await page.evaluate(() => window.__xss), undefined, `a script ran on ${where}`);
  assert.deepEqual(b.watch.dialogs, [], `a dialog opened on ${where}`);
}

test('an edit that raced another says so, shows the newer values and keeps the user\'s', async () => {
  const { page, context } = b;
  await page.goto(`${env.url}/o/acme/ai-systems/new`);
  await page.fill('#f-name', 'Chat assistant');
  await page.fill('#f-purpose', 'Answers customer questions.');
  assert.equal(await submit(page), 200);
  const url = page.url();

  await page.goto(`${url}/edit`);
  const other = await context.newPage();
  await other.goto(`${url}/edit`);
  await other.fill('#f-purpose', 'Answers questions and books appointments.');
  assert.equal(await submit(other), 200);
  await other.close();

  await page.fill('#f-purpose', 'Answers customer questions in three languages.');
  assert.equal(await submit(page), 409);
  await shot(page, 'form-stale');
  const warn = await page.textContent('.flash.warn');
  assert.match(warn, /was changed while you were editing it/);
  assert.match(warn, /now version 2/);
  assert.match(await page.textContent('.newer'), /Answers questions and books appointments\./);
  assert.equal(await page.inputValue('#f-purpose'), 'Answers customer questions in three languages.');
  assert.equal(await page.inputValue('input[name=_version]'), '2');
  // Saving again is deliberate, and wins.
  assert.equal(await submit(page), 200);
  assert.match(await page.textContent('main'), /in three languages/);
  assert.match(await page.textContent('.meta'), /Version 3/);
});

test('refused input: the message sits next to its field and what was typed stays', async () => {
  const { page } = b;
  await page.goto(`${env.url}/o/acme/risks/new`);
  await page.fill('#f-title', 'Bias against older applicants');
  await page.fill('#f-description', 'Seen in the **March** review.');
  // A form drawn before the criteria went down to 5 levels still offers a sixth.
  await page.$eval('#f-likelihood', (s) => s.add(new Option('6 — Almost certain', '6')));
  await page.selectOption('#f-likelihood', '6');
  await page.selectOption('#f-impact', '3');
  assert.equal(await submit(page), 422);
  await shot(page, 'form-errors');
  assert.match(await page.textContent('#f-likelihood-err'), /above the 5 levels/);
  assert.equal(await page.getAttribute('#f-likelihood', 'aria-invalid'), 'true');
  assert.match(await page.textContent('#errors'), /Likelihood/);
  assert.equal(await page.getAttribute('#errors a', 'href'), '#f-likelihood');
  assert.equal(await page.inputValue('#f-title'), 'Bias against older applicants');
  assert.equal(await page.inputValue('#f-description'), 'Seen in the **March** review.');
  assert.equal(await page.inputValue('#f-impact'), '3');
  assert.equal(await page.inputValue('#f-likelihood'), '6', 'the refused value stays shown');
  await page.selectOption('#f-likelihood', '2');
  assert.equal(await submit(page), 200);
  assert.match(page.url(), /\/risks\/RISK-\d+$/);

  // A Statement of Applicability row refused in place: implemented needs a measure.
  await page.goto(`${env.url}/o/acme/soa?edit=A.5.2#ctl-A.5.2`);
  const row = page.locator('form#ctl-A\\.5\\.2');
  await row.locator('select[name=applicable]').selectOption('true');
  await row.locator('textarea[name=justification]').fill('We assess every system before release.');
  await row.locator('select[name=status]').selectOption('implemented');
  await row.locator('button[type=submit]').click();
  await page.locator('form#ctl-A\\.5\\.2 .soa-msg.error').waitFor();
  await shot(page, 'soa-row-error');
  assert.match(await row.locator('.field.invalid').first().textContent(), /measure/i);
  assert.equal(await row.locator('textarea[name=justification]').inputValue(),
    'We assess every system before release.');
});

// Fills every text control of the form with the payload and picks the first
// option of every empty single select.
async function fillAll(page) {
  await page.$$eval('form.record-form select:not([multiple])', (sels) => {
    for (const s of sels) {
      if (s.value === '' && s.options.length > 1) s.value = s.options[1].value;
    }
  });
  for (const el of await page.$$('form.record-form textarea, form.record-form input[type=text]')) {
    await el.fill(PAYLOAD);
  }
}

test('a script typed into every text field of every form is shown as text', async () => {
  const { page } = b;
  for (const kind of KINDS) {
    await page.goto(`${env.url}/o/acme/${kind}/new`);
    await fillAll(page);
    const status = await submit(page);
    await noScriptRan(page, `${kind} after posting (${status})`);
    if (status !== 200) {
      // Refused: the form came back; what was typed is shown as typed.
      const first = page.locator('form.record-form input[type=text], form.record-form textarea').first();
      assert.equal(await first.inputValue(), PAYLOAD, `${kind}: typed value kept as text`);
      await shot(page, `xss-${kind}-refused`);
      continue;
    }
    assert.match(page.url(), new RegExp(`/${kind}/[A-Z]+(-\\d+)?$`), `${kind} created`);
    const main = await page.textContent('main');
    if (kind !== 'scope') assert.ok(main.includes(PAYLOAD), `${kind}: the payload is shown as text`);
    await shot(page, `xss-${kind}`);
    await page.goto(`${page.url()}/edit`);
    await noScriptRan(page, `${kind} edit form`);
    const first = page.locator('form.record-form input[type=text], form.record-form textarea').first();
    assert.equal(await first.inputValue(), PAYLOAD, `${kind}: the edit form holds it exactly`);
    if (kind !== 'scope') {
      await page.goto(`${env.url}/o/acme/${kind}`);
      await noScriptRan(page, `${kind} list`);
      assert.ok((await page.textContent('main')).includes(PAYLOAD), `${kind}: listed as text`);
    }
  }
  // The list search box and a Statement of Applicability row.
  await page.goto(`${env.url}/o/acme/risks?q=${encodeURIComponent(PAYLOAD)}`);
  await noScriptRan(page, 'a search');
  assert.equal(await page.inputValue('#q'), PAYLOAD);
  await page.goto(`${env.url}/o/acme/soa?edit=A.2.2#ctl-A.2.2`);
  const row = page.locator('form#ctl-A\\.2\\.2');
  await row.locator('select[name=applicable]').selectOption('false');
  await row.locator('textarea[name=justification]').fill(PAYLOAD);
  await row.locator('button[type=submit]').click();
  await page.locator('div#ctl-A\\.2\\.2').waitFor();
  await noScriptRan(page, 'the SoA');
  await page.goto(`${env.url}/o/acme/soa`);
  await noScriptRan(page, 'the SoA page');
  assert.ok((await page.textContent('#ctl-A\\.2\\.2')).includes(PAYLOAD));
  await page.goto(`${env.url}/o/acme/`);
  await noScriptRan(page, 'the dashboard');
  await shot(page, 'xss-dashboard');
  assert.deepEqual(b.watch.errors, []);
});

test('a file of a type not allowed is refused, and the evidence is not created', async () => {
  const { page } = b;
  await page.goto(`${env.url}/o/acme/evidence`);
  const before = await page.textContent('main');
  await page.goto(`${env.url}/o/acme/evidence/new`);
  await page.fill('#f-title', 'Looks like a report');
  await page.selectOption('#f-kind', 'file');
  await page.setInputFiles('#f-file', { name: 'report.pdf', mimeType: 'application/pdf',
    buffer: Buffer.from('<!doctype html><html><body><script>window.__xss=9</script></body></html>\n') });
  await page.click('form.record-form button[type=submit]');
  await page.locator('#errors').waitFor();
  await shot(page, 'evidence-type-refused');
  assert.match(await page.textContent('#errors'), /type|allow/i);
  assert.match(await page.textContent('#f-file-err'), /text\/html are not accepted/);
  assert.equal(await page.inputValue('#f-title'), 'Looks like a report');
  await noScriptRan(page, 'a refused upload');
  await page.goto(`${env.url}/o/acme/evidence`);
  assert.equal(await page.textContent('main'), before, 'no evidence was created');
});
