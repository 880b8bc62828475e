// web_comments.test.mjs - comments on any record and reviewers' notes: over
// the API and on the record page, members @mentioned are named (others are
// just text), the text is Markdown shown safely, who may comment is the
// permission table's 'comment' row, another organisation's record is 404,
// a note goes with the approval it was given with, and every comment is in
// the ledger that `aims verify` checks.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN, addMember, addOrg, request, setup, signIn as apiSignIn, verifyLedger } from './lib.mjs';
import { openBrowser, shot, signIn, submit } from './browser.mjs';
import { strictWrites } from './lib.mjs';

// Every change these journeys make goes through the server's writer.
strictWrites();

const ANN = 'ann@example.com';
const BEN = 'ben@example.com';
const VIC = 'vic@example.com';
const AUD = 'aud@example.com';
const A = '/api/v1/orgs/acme';
let env;
let b;
const s = {};

before(async () => {
  env = await setup();
  addMember(env.db, ANN, 'manager');
  addMember(env.db, BEN, 'manager');
  addMember(env.db, VIC, 'viewer');
  addMember(env.db, AUD, 'auditor');
  addOrg(env.db, 'other');
  addMember(env.db, 'out@example.com', 'admin', 'other');
  for (const who of [ADMIN, ANN, BEN, VIC, AUD, 'out@example.com']) s[who] = await apiSignIn(env.url, who);
  const r = await request(env.url, 'POST', `${A}/risks`, { auth: s[ANN], body: { title: 'Drift', likelihood: 2, impact: 2 } });
  assert.equal(r.status, 201, r.text);
  b = await openBrowser();
});
after(async () => {
  await b?.close();
  await env?.cleanup();
});

test('API: a comment names the members it mentions; roles and organisations are kept apart', async () => {
  const post = (who, body, path = `${A}/risks/RISK-1/comments`) =>
    request(env.url, 'POST', path, { auth: s[who], body });
  const r = await post(ANN, { body: 'Please check the drift figures, @ben@example.com and @nobody@example.com.' });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.author, ANN);
  assert.deepEqual(r.json.mentions, [BEN], 'a non-member is not mentioned');
  assert.equal(r.json.step, null);
  assert.equal((await post(AUD, { body: 'Sampled for the internal audit.' })).status, 201,
    'an auditor comments on what they may not change');
  const viewer = await post(VIC, { body: 'I would like to say something.' });
  assert.equal(viewer.status, 403);
  const blank = await post(ANN, { body: '   ' });
  assert.equal(blank.status, 400);
  assert.equal(blank.json.error.field, 'body');
  const unknown = await post(ANN, { body: 'x', extra: 1 });
  assert.equal(unknown.status, 400);
  assert.equal((await post(ANN, { body: 'Hello' }, `${A}/risks/RISK-99/comments`)).status, 404);
  assert.equal((await post('out@example.com', { body: 'Hello' }, `${A}/risks/RISK-1/comments`)).status, 404,
    'another organisation\'s record is not found');
  // Ben is told, in the app; Ann, who wrote it, is not.
  const told = await request(env.url, 'GET', `${A}/notifications`, { auth: s[BEN] });
  assert.equal(told.status, 200, told.text);
  const note = told.json.items.find((n) => n.event === 'mention');
  assert.ok(note, JSON.stringify(told.json));
  assert.equal(note.ref, 'RISK-1');
  assert.match(note.text, /ann@example\.com mentioned you in a comment on RISK-1/);
  const self = await request(env.url, 'GET', `${A}/notifications`, { auth: s[ANN] });
  assert.equal(self.json.items.filter((n) => n.event === 'mention').length, 0);
  const list = await request(env.url, 'GET', `${A}/risks/RISK-1/comments`, { auth: s[VIC] });
  assert.equal(list.status, 200);
  assert.deepEqual(list.json.items.map((c) => c.author), [ANN, AUD]);
  const v = await verifyLedger(env.url, s[ADMIN]);
  assert.equal(v.status, 200, v.text);
  assert.equal(v.json.verified, true, v.text);
});

test('the record page lists comments and takes a new one, shown safely', async () => {
  const { page, watch } = b;
  await signIn(page, env.url, ANN);
  await page.goto(`${env.url}/o/acme/risks/RISK-1`);
  assert.match(await page.textContent('#comments'), /Please check the drift figures/);
  assert.match(await page.textContent('#comments'), /Mentions: ben@example\.com/);
  await page.fill('#comment-body', 'Agreed with **@ben@example.com**. <script>window.__xss=1</script>');
  assert.equal(await submit(page, '.comment-form button[type=submit]'), 200);
  assert.match(page.url(), /#comments$/);
  await shot(page, 'comments');
  assert.match(await page.textContent('.flash.ok'), /Your comment on RISK-1 is saved/);
  const last = page.locator('#comments li').last();
  assert.equal(await last.locator('strong').textContent(), '@ben@example.com');
  assert.equal(await page.evaluate(() => window.__xss), undefined);
  assert.deepEqual(watch.dialogs, []);
  assert.equal(await page.locator('#comments li').count(), 3);
});

test('a reviewer\'s note goes with the approval it was given with', async () => {
  const { page } = b;
  const d = await request(env.url, 'POST', `${A}/documents`, { auth: s[ANN],
    body: { title: 'Model release procedure', kind: 'procedure', body: 'Steps.' } });
  assert.equal(d.status, 201, d.text);
  const rv = await request(env.url, 'PATCH', `${A}/documents/${d.json.ref}`, { auth: s[ANN],
    body: { status: 'in_review' }, headers: { 'if-match': '"1"' } });
  assert.equal(rv.status, 200, rv.text);
  await b.context.clearCookies();
  await signIn(page, env.url, BEN);
  await page.goto(`${env.url}/o/acme/documents/${d.json.ref}`);
  await page.click('.step-note summary');
  await page.fill('#step-note', 'Approved on condition that section 3 names the owner.');
  assert.equal(await submit(page, 'form[action$="/workflow"] button:has-text("Approve")'), 200);
  const note = page.locator('#comments li').last();
  assert.match(await note.textContent(), /Note with Approve \(version 3\)/);
  assert.match(await note.textContent(), /section 3 names the owner/);
  const list = await request(env.url, 'GET', `${A}/documents/${d.json.ref}/comments`, { auth: s[ANN] });
  assert.deepEqual(list.json.items.map((c) => [c.author, c.step, c.version]), [[BEN, 'approve', 3]]);
  const rec = await request(env.url, 'GET', `${A}/documents/${d.json.ref}`, { auth: s[ANN] });
  assert.equal(rec.json.approved_by, BEN);
});

test('a viewer sees comments but no form, and a forced post is refused', async () => {
  const { page } = b;
  await b.context.clearCookies();
  await signIn(page, env.url, VIC);
  await page.goto(`${env.url}/o/acme/risks/RISK-1`);
  assert.equal(await page.locator('#comments li').count(), 3);
  assert.equal(await page.locator('#comment-body').count(), 0);
  const csrf = await page.getAttribute('form[action="/sign-out"] input[name=_csrf]', 'value');
  const r = await page.request.post(`${env.url}/o/acme/risks/RISK-1/comments`, {
    form: { _csrf: csrf, body: 'forced' }, headers: { origin: env.url },
  });
  assert.equal(r.status(), 403);
});

test('CLI: aims record comment needs --as and writes what the page shows', async () => {
  const { aims } = await import('./lib.mjs');
  const anon = aims(['record', 'comment', 'risks', 'RISK-1', 'From the command line.', '--org', 'acme', '--db', env.db]);
  assert.equal(anon.status, 2);
  assert.match(anon.stderr, /--as EMAIL/);
  const r = aims(['record', 'comment', 'risks', 'RISK-1', 'From the command line, @ann@example.com.',
    '--org', 'acme', '--as', BEN, '--db', env.db]);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout).mentions, [ANN]);
  const list = JSON.parse(aims(['record', 'comments', 'risks', 'RISK-1', '--org', 'acme', '--db', env.db]).stdout);
  assert.equal(list.at(-1).author, BEN);
  const other = aims(['record', 'comments', 'risks', 'RISK-1', '--org', 'other', '--db', env.db]);
  assert.notEqual(other.status, 0, 'another organisation has no RISK-1');
});
