// web_readiness.test.mjs - the readiness page in the browser: verdicts and
// reasons that link to the records to fix, the verdict moving as records are
// added, statuses as a colour, a symbol and a word, grouped by clause and
// area, the next things to do, the AI roles form, and the dashboard showing
// readiness evaluated now with the getting-started steps.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN, addMember, aimsOk, setup } from './lib.mjs';
import { openBrowser, shot, signIn } from './browser.mjs';
import { strictWrites } from './lib.mjs';

// Every change these journeys make goes through the server's writer.
strictWrites();

let env;
let b;

before(async () => {
  env = await setup();
  addMember(env.db, 'approver@example.com', 'manager');
  aimsOk(['record', 'create', 'ai-systems', '--org', 'acme', '--as', ADMIN, '--db', env.db, '--json',
    JSON.stringify({ name: 'Unassessed triage model', in_scope: true })]);
  b = await openBrowser();
  await signIn(b.page, env.url, ADMIN);
});
after(async () => {
  await b?.close();
  await env?.cleanup();
});

test('the readiness page names the gaps and links to the records to fix', async () => {
  const { page } = b;
  await page.goto(`${env.url}/o/acme/readiness`);
  assert.equal(await page.textContent('h1'), 'Certification readiness');
  assert.match(await page.textContent('#rd-stage1 + p'), /Not ready/);
  const row = page.locator('#req-4\\.3');
  assert.match(await row.textContent(), /(Not|Partly) met.*no approved AIMS scope/s);
  // The in-scope AI system without a risk is named and links to its page.
  const link = page.locator('a.ref[href="/o/acme/ai-systems/AIS-1"]').first();
  assert.equal(await link.count(), 1);
  await shot(page, 'readiness');
  await Promise.all([page.waitForNavigation(), link.click()]);
  assert.match(page.url(), /\/o\/acme\/ai-systems\/AIS-1$/);
  await page.goto(`${env.url}/o/acme/readiness?status=met`);
  assert.equal(await page.locator('tbody tr[id^="req-"] .st-not_met').count(), 0);
});

test('approving the scope moves its requirement, and the dashboard shows the score', async () => {
  const { page } = b;
  await page.goto(`${env.url}/o/acme/readiness`);
  const before = await page.textContent('#req-4\\.3');
  aimsOk(['record', 'create', 'scope', '--org', 'acme', '--as', ADMIN, '--db', env.db, '--json',
    JSON.stringify({ statement: 'All AI systems of Acme.', boundaries: 'Acme Ltd' })]);
  // Approved by a manager other than its author.
  aimsOk(['record', 'update', 'scope', '--org', 'acme', '--as', 'approver@example.com', '--db',
    env.db, '--json', JSON.stringify({ status: 'approved' })]);
  await page.goto(`${env.url}/o/acme/readiness`);
  const after = await page.textContent('#req-4\\.3');
  assert.notEqual(after, before);
  assert.doesNotMatch(after, /no approved AIMS scope/);
  await page.goto(`${env.url}/o/acme/`);
  assert.match(await page.textContent('#d-readiness + p'), /\d+%.*Stage 1/s);
  await shot(page, 'dashboard-readiness');
});

test('statuses carry a word and a symbol, grouped by clause and area; next steps link to their fix', async () => {
  const { page } = b;
  await page.goto(`${env.url}/o/acme/readiness`);
  assert.match(await page.locator('#req-6\\.2 .st').textContent(), /^\s*\u2717\s+Not met\s*$/);
  assert.match(await page.locator('#req-4\\.3 .st').textContent(), /^\s*\u2713\s+Met\s*$/);
  assert.equal(await page.locator('#req-6\\.2 .st-mark').getAttribute('aria-hidden'), 'true');
  // Distinct colours for distinct statuses.
  const colour = async (sel) => page.locator(sel).first().evaluate((e) => getComputedStyle(e).backgroundColor);
  const colours = new Set();
  for (const st of ['met', 'partly_met', 'not_met']) {
    if (await page.locator(`tbody .st-${st}`).count()) colours.add(await colour(`tbody .st-${st}`));
  }
  assert.ok(colours.size >= 2, [...colours].join(' '));
  // Grouped: a heading row per clause and per Annex A area.
  const groups = await page.locator('tr.group th').allTextContents();
  assert.ok(groups.some((g) => /^\s*4\s+Context of the organization/.test(g)), groups.join('|'));
  assert.ok(groups.some((g) => /^\s*A\.6\s/.test(g)), groups.join('|'));
  // The next things to do, the first the undecided SoA, linking to where it is fixed.
  const first = page.locator('ol.next li').first();
  assert.match(await first.textContent(), /Major nonconformity.*Annex A controls are not yet decided/s);
  assert.equal(await first.locator('a.fix').getAttribute('href'), '/o/acme/soa');
  assert.ok(await page.locator('#rd-confirm').count() === 1, 'what is to confirm by hand');
  await shot(page, 'readiness-grouped');
});

test('the AI roles form sets the roles the readiness page shows', async () => {
  const { page } = b;
  await page.goto(`${env.url}/o/acme/readiness`);
  await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: 'Set the AI roles' }).click()]);
  assert.equal(await page.textContent('h1'), "The organisation's AI roles");
  await page.check('input[name="role_producer"]');
  await page.check('input[name="role_customer"]');
  await shot(page, 'ai-roles');
  await Promise.all([page.waitForNavigation(), page.click('form[action$="/ai-roles"] button[type=submit]')]);
  assert.match(page.url(), /\/o\/acme\/readiness$/);
  assert.match(await page.textContent('.flash'), /AI roles are saved/);
  assert.match(await page.textContent('#rd-roles + p'), /AI producer.*AI customer/s);
  const org = JSON.parse(aimsOk(['org', 'ai-roles', 'acme', '--format', 'json', '--db', env.db]).stdout);
  assert.deepEqual(org.declared, ['producer', 'customer']);
});

test('the dashboard shows readiness as it is now and the steps that unblock it', async () => {
  const { page } = b;
  await page.goto(`${env.url}/o/acme/`);
  const steps = page.locator('#d-start ~ ol.checklist li, ol.checklist li');
  assert.ok(await steps.count() >= 10);
  assert.match(await steps.nth(0).textContent(), /Done.*AI roles/s, 'roles declared above');
  assert.equal(await page.locator('ol.checklist a.btn').count(), 1, 'one next step to do');
  const before = await page.textContent('#d-readiness + p');
  // A change shows at once: no stored snapshot in between.
  aimsOk(['record', 'create', 'documents', '--org', 'acme', '--as', ADMIN, '--db', env.db, '--json',
    JSON.stringify({ title: 'AI policy', kind: 'policy', is_ai_policy: true, owner: ADMIN, next_review: '2099-01-01' })]);
  aimsOk(['record', 'update', 'documents', 'DOC-1', '--org', 'acme', '--as', ADMIN, '--db', env.db, '--json',
    JSON.stringify({ status: 'in_review' })]);
  aimsOk(['record', 'update', 'documents', 'DOC-1', '--org', 'acme', '--as', 'approver@example.com', '--db', env.db,
    '--json', JSON.stringify({ status: 'approved' })]);
  await page.goto(`${env.url}/o/acme/`);
  assert.notEqual(await page.textContent('#d-readiness + p'), before);
  assert.match(await page.locator('ol.checklist li', { hasText: 'AI policy' }).textContent(), /Done/);
  await shot(page, 'dashboard-getting-started');
});
