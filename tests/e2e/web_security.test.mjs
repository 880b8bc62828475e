// web_security.test.mjs - who may post what from where: a form posted from
// another site is refused even with a stolen token, a viewer sees no write
// buttons and a forced write is refused, signing in is throttled with a
// message, and signing out ends the session.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request as httpRequest } from 'node:http';
import { ADMIN, PASSWORD, addMember, aimsOk, setup } from './lib.mjs';
import { openBrowser, shot, signIn } from './browser.mjs';
import { strictWrites } from './lib.mjs';

// Every change these journeys make goes through the server's writer.
strictWrites();

const VIEWER = 'viewer@example.com';
let env;
let b;
let attacker;

before(async () => {
  env = await setup();
  addMember(env.db, VIEWER, 'viewer');
  aimsOk(['record', 'create', 'risks', '--org', 'acme', '--as', ADMIN, '--db', env.db, '--json',
    JSON.stringify({ title: 'Prompt injection through uploaded documents', likelihood: 3, impact: 4 })]);
  b = await openBrowser();
});
after(async () => {
  await b?.close();
  attacker?.close();
  await env?.cleanup();
});

// A page on another origin whose form posts itself to our server at once.
function startAttacker(target, fields) {
  const inputs = Object.entries(fields)
    .map(([k, v]) => `<input type="hidden" name="${k}" value="${v}">`).join('');
  const html = `<!doctype html><form id="f" method="post" action="${target}">${inputs}</form>` +
    '<script>document.getElementById("f").submit()</script>';
  attacker = createServer((req, res) => { res.setHeader('content-type', 'text/html'); res.end(html); });
  return new Promise((resolve) => attacker.listen(0, '127.0.0.1', () => resolve(attacker.address().port)));
}

async function csrfToken(page) {
  return page.getAttribute('form[action="/sign-out"] input[name=_csrf]', 'value');
}

async function issueCount(page) {
  await page.goto(`${env.url}/o/acme/context-issues`);
  return (await page.textContent('main')).includes('There are no context issues yet.') ? 0 : -1;
}

test('a form posted from another site is refused, even with the right token', async () => {
  const { page } = b;
  await signIn(page, env.url, ADMIN);
  const token = await csrfToken(page);
  const port = await startAttacker(`${env.url}/o/acme/context-issues`,
    { _csrf: token, _f: 'title,kind', title: 'Planted by another site', kind: 'external' });
  for (const host of ['localhost', '127.0.0.1']) {	// another site; the same site, another origin
    const [resp] = await Promise.all([
      page.waitForResponse((r) => r.url().startsWith(env.url) && r.request().method() === 'POST'),
      page.goto(`http://${host}:${port}/`),
    ]);
    assert.equal(resp.status(), 403, `a post from ${host}:${port}`);
    await page.waitForLoadState();
    assert.match(await page.textContent('main'), /sent from another site/);
    await shot(page, `cross-site-refused-${host === 'localhost' ? 'site' : 'origin'}`);
  }
  assert.equal(await issueCount(page), 0, 'nothing was created');
  // Without the token, from this very site, it is refused too.
  const r = await page.request.post(`${env.url}/o/acme/context-issues`, {
    form: { _f: 'title,kind', title: 'No token', kind: 'internal' },
    headers: { origin: env.url }, maxRedirects: 0,
  });
  assert.equal(r.status(), 403);
  assert.equal(await issueCount(page), 0);
});

const WRITE_WORDS = /\b(New [a-z]|Edit|Delete|Retire|Approve|Submit for review|Accept risk|Save|Create)\b/;

test('a viewer sees no write buttons and a forced write is refused', async () => {
  const { page, context } = b;
  await context.clearCookies();
  await signIn(page, env.url, VIEWER, PASSWORD);
  const pages = ['/o/acme/', '/o/acme/risks', '/o/acme/risks/RISK-1', '/o/acme/soa',
    '/o/acme/ai-systems', '/o/acme/evidence', '/o/acme/documents', '/o/acme/risk-criteria/CRITERIA'];
  for (const p of pages) {
    const resp = await page.goto(env.url + p);
    assert.equal(resp.status(), 200, p);
    const forms = await page.$$eval('main form[method=post]', (fs) => fs.map((f) => f.action));
    assert.deepEqual(forms, [], `${p}: no form that writes`);
    const buttons = await page.$$eval('main a.btn, main button', (els) => els.map((e) => e.textContent.trim()));
    for (const t of buttons) assert.doesNotMatch(t, WRITE_WORDS, `${p}: "${t}"`);
  }
  await page.goto(`${env.url}/o/acme/risks/RISK-1`);
  await shot(page, 'viewer-risk');
  await page.goto(`${env.url}/o/acme/soa`);
  assert.equal(await page.$$eval('[data-soa-swap]', (e) => e.length), 0, 'no SoA row opens');
  assert.equal((await page.goto(`${env.url}/o/acme/risks/new`)).status(), 403);
  assert.equal((await page.goto(`${env.url}/o/acme/risks/RISK-1/edit`)).status(), 403);
  await shot(page, 'viewer-refused');

  const token = await csrfToken(page);
  const post = (path, form) => page.request.post(env.url + path, {
    form: { _csrf: token, ...form }, headers: { origin: env.url }, maxRedirects: 0,
  });
  const attempts = [
    ['/o/acme/risks', { _f: 'title', title: 'Forced' }],
    ['/o/acme/risks/RISK-1', { _version: '1', _f: 'title', title: 'Forced' }],
    ['/o/acme/risks/RISK-1/workflow', { _version: '1', action: 'accept' }],
    ['/o/acme/risks/RISK-1/delete', { _version: '1' }],
    ['/o/acme/soa/A.5.2', { _version: '1', _f: 'applicable', applicable: 'true' }],
    ['/o/acme/scope', { _f: 'statement', statement: 'Forced' }],
  ];
  for (const [path, form] of attempts) {
    const r = await post(path, form);
    assert.equal(r.status(), 403, `POST ${path}`);
  }
  await page.goto(`${env.url}/o/acme/risks/RISK-1`);
  assert.match(await page.textContent('h1'), /Prompt injection/);
  assert.match(await page.textContent('.meta'), /Version 1/);
});

test('sign-in is throttled with a message; signing out ends the session', async () => {
  const { page, context } = b;
  await context.clearCookies();
  let status = 0;
  for (let i = 0; i < 6; i++) {
    await page.goto(`${env.url}/sign-in`);
    await page.fill('#email', 'nobody@example.com');
    await page.fill('#password', 'not the password');
    const [resp] = await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
    status = resp.status();
    if (i < 5) {
      assert.equal(status, 401);
      assert.match(await page.textContent('.flash.error'), /Wrong email or password/);
    }
  }
  assert.equal(status, 429);
  assert.match(await page.textContent('.flash.error'), /Too many failed attempts.*try again in \d+ (seconds|minutes?)/);
  assert.equal(await page.inputValue('#email'), 'nobody@example.com');
  await shot(page, 'sign-in-throttled');

  await signIn(page, env.url, ADMIN);
  await Promise.all([page.waitForNavigation(), page.click('form[action="/sign-out"] button')]);
  assert.match(page.url(), /\/sign-in$/);
  assert.match(await page.textContent('main'), /You are signed out/);
  await page.goto(`${env.url}/o/acme/risks`);
  assert.match(page.url(), /\/sign-in\?next=%2Fo%2Facme%2Frisks$/);
});

// Sends only the headers of a POST and waits for the answer.
function headersOnly(url, path, headers) {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${url}${path}`, { method: 'POST', headers }, (res) => {
      res.resume();
      resolve(res.statusCode);
    });
    req.on('error', reject);
    req.flushHeaders();
  });
}

test('an upload over the size limit is refused before its body is sent', async () => {
  const { page, context } = b;
  await context.clearCookies();
  await signIn(page, env.url, ADMIN);
  const cookie = (await context.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
  const status = await headersOnly(env.url, '/o/acme/evidence', {
    cookie, origin: env.url, expect: '100-continue',
    'content-type': 'multipart/form-data; boundary=x',
    'content-length': String(200 * 1024 * 1024),
  });
  assert.equal(status, 413);
});
