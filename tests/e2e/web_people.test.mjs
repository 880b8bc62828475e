// web_people.test.mjs - awareness and the life cycle in the browser: a
// member opens the approved AI policy, sees that they have not acknowledged
// the version in force, acknowledges it with one click and is listed as
// having done so while the others are still listed as not yet; a new
// approved version asks them again. An AI system's page shows its life cycle
// stage by stage, and a life-cycle record added from there names the system.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { aimsOk, request, setup, signIn as apiSignIn } from './lib.mjs';
import { openBrowser, shot, signIn, submit } from './browser.mjs';
import { strictWrites } from './lib.mjs';

// Every change these journeys make goes through the server's writer.
strictWrites();

const ANN = 'ann@example.com';
const BEN = 'ben@example.com';
const A = '/api/v1/orgs/acme';

let env;
let b;
let ann;
let ben;

before(async () => {
  env = await setup();
  for (const [email, name] of [[ANN, 'Ann Smith'], [BEN, 'Ben Jones']]) {
    aimsOk(['user', 'add', email, '--name', name, '--password-stdin', '--db', env.db],
      { input: 'correct horse battery staple\n' });
    aimsOk(['member', 'add', email, '--org', 'acme', '--role', 'manager', '--db', env.db]);
  }
  ann = await apiSignIn(env.url, ANN);
  ben = await apiSignIn(env.url, BEN);
  b = await openBrowser();
});
after(async () => {
  await b?.close();
  await env?.cleanup();
});

const api = async (method, path, body, auth) => {
  const r = await request(env.url, method, A + path, { auth, body });
  assert.ok(r.status < 300, `${method} ${path}: ${r.status} ${r.text}`);
  return r.json;
};

test('a member acknowledges the AI policy in force; a new version asks again', async () => {
  const pol = await api('POST', '/documents', { title: 'AI policy', kind: 'policy',
    is_ai_policy: true, body: 'We use AI with care.' }, ann);
  await api('PATCH', `/documents/${pol.ref}`, { status: 'in_review' }, ann);
  await api('PATCH', `/documents/${pol.ref}`, { status: 'approved' }, ben);

  const { page } = b;
  await signIn(page, env.url, ANN);
  await page.goto(`${env.url}/o/acme/documents/${pol.ref}`);
  assert.match(await page.textContent('[data-ack-summary]'),
    /Version 3 is in force: 0 of 3 members acknowledged it/);
  assert.equal(await page.locator('tr[data-pending]').count(), 3);
  await shot(page, 'ack-before');
  assert.equal(await submit(page, 'button[data-ack]'), 200);
  assert.match(await page.textContent('body'), /You acknowledged the version of DOC-1 in force/);
  assert.match(await page.textContent('[data-ack-summary]'), /1 of 3 members/);
  assert.match(await page.textContent('tr[data-acked]'), /Ann Smith/);
  assert.equal(await page.locator('button[data-ack]').count(), 0, 'nothing left to acknowledge');
  assert.equal(await page.locator('tr[data-pending]').count(), 2);
  await shot(page, 'ack-after');

  // A revision approved by Ben is a new version in force: Ann is asked again.
  await api('PATCH', `/documents/${pol.ref}`, { body: 'We use AI with care and lawfully.' }, ann);
  await api('PATCH', `/documents/${pol.ref}`, { status: 'in_review' }, ann);
  await api('PATCH', `/documents/${pol.ref}`, { status: 'approved' }, ben);
  await page.goto(`${env.url}/o/acme/documents/${pol.ref}`);
  assert.match(await page.textContent('[data-ack-summary]'), /0 of 3 members/);
  assert.equal(await page.locator('button[data-ack]').count(), 1);
});

test('an AI system\'s page shows its life cycle stage by stage', async () => {
  const ais = await api('POST', '/ai-systems', { name: 'Triage bot', in_scope: true,
    lifecycle_stage: 'design_development' }, ann);
  await api('POST', '/lifecycle-records', { ai_system: ais.ref, stage: 'requirements',
    content: 'Must route urgent cases first' }, ann);
  const { page } = b;
  await page.goto(`${env.url}/o/acme/ai-systems/${ais.ref}`);
  assert.match(await page.textContent('tr[data-stage="requirements"]'),
    /LC-1 Requirements and specification: Triage bot\s+draft/);
  assert.match(await page.textContent('tr[data-stage="verification_validation"]'), /none recorded/);
  await shot(page, 'lifecycle');
  // Adding a record from the page starts the form with the system.
  await page.click('a:has-text("Add a life-cycle record")');
  assert.equal(await page.inputValue('#f-ai_system'), ais.ref);
  await page.selectOption('#f-stage', 'verification_validation');
  await page.fill('#f-acceptance_criteria', 'Recall of urgent cases >= 0.95');
  assert.equal(await submit(page), 200);
  await page.goto(`${env.url}/o/acme/ai-systems/${ais.ref}`);
  assert.match(await page.textContent('tr[data-stage="verification_validation"]'), /LC-2/);
  // Moving to deployment is refused in words.
  await page.goto(`${env.url}/o/acme/ai-systems/${ais.ref}/edit`);
  await page.selectOption('#f-lifecycle_stage', 'deployment');
  assert.equal(await submit(page), 409);
  assert.match(await page.textContent('body'),
    /cannot move to its deployment stage: it has no approved verification and validation record/);
});

test('the competence gap page lists a gap until a training closes it', async () => {
  await api('POST', '/responsibilities', { role_name: 'Model validator', assignee: BEN }, ann);
  const comp = await api('POST', '/competences', { title: 'Model validation',
    roles: ['ROLE-1'] }, ann);
  const { page } = b;
  await page.goto(`${env.url}/o/acme/members`);
  await Promise.all([page.waitForNavigation(), page.click('a:has-text("Competence gaps")')]);
  assert.match(await page.textContent('table[data-gaps] tbody'),
    new RegExp(`Ben Jones\\s*ROLE-1 Model validator\\s*${comp.ref} Model validation\\s*no training recorded`));
  assert.match(await page.textContent('[data-literacy]'), /0 of 3 members \(0%\)/);
  await shot(page, 'competence-gaps');
  await api('POST', '/trainings', { person: BEN, competence: comp.ref,
    completed_on: '2026-01-15', ai_literacy: true }, ann);
  await page.reload();
  assert.match(await page.textContent('table[data-gaps] tbody'), /No gaps/);
  assert.match(await page.textContent('[data-literacy]'), /1 of 3 members \(33%\)/);
});
