// web_lists.test.mjs - every list in the browser: rows per page, next and
// previous pages that keep the search and filters, and the CSV and XLSX
// downloads of exactly what the filters show, in words people read
// ("Identified", never a code such as treatment_planned).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN, request, setup, signIn as apiSignIn } from './lib.mjs';
import { openBrowser, shot, signIn } from './browser.mjs';
import { strictWrites } from './lib.mjs';

// Every change these journeys make goes through the server's writer.
strictWrites();

const N = 60;
let env;
let b;

before(async () => {
  env = await setup();
  const auth = await apiSignIn(env.url);
  for (let i = 1; i <= N; i++) {
    const r = await request(env.url, 'POST', '/api/v1/orgs/acme/risks', { auth, body: {
      title: `Risk number ${String(i).padStart(2, '0')}`, likelihood: i % 3 === 0 ? 2 : 4, impact: 3,
    } });
    assert.equal(r.status, 201, r.text);
  }
  b = await openBrowser();
  await signIn(b.page, env.url, ADMIN);
});
after(async () => {
  await b?.close();
  await env?.cleanup();
});

async function refs(page) {
  return page.$$eval('table.list tbody td.ref a', (as) => as.map((a) => a.textContent));
}

test('rows per page, next and previous pages keep the sort and filters', async () => {
  const { page } = b;
  await page.goto(`${env.url}/o/acme/risks?sort=title`);
  assert.equal((await refs(page)).length, 50, 'fifty rows by default');
  await page.selectOption('#page-size', '25');
  await Promise.all([page.waitForNavigation(), page.click('.page-size button')]);
  const first = await refs(page);
  assert.equal(first.length, 25);
  assert.equal(first[0], 'RISK-1');
  assert.equal(await page.locator('a[rel=prev]').count(), 0, 'no previous page on the first');
  await Promise.all([page.waitForNavigation(), page.click('a[rel=next]')]);
  const second = await refs(page);
  assert.deepEqual([second.length, second[0]], [25, 'RISK-26']);
  assert.match(await page.textContent('.summary'), /Showing 26–50 of 60/);
  await Promise.all([page.waitForNavigation(), page.click('a[rel=next]')]);
  const third = await refs(page);
  assert.deepEqual([third.length, third[0]], [10, 'RISK-51']);
  assert.equal(await page.locator('a[rel=next]').count(), 0, 'no next page on the last');
  await shot(page, 'list-last-page');
  await Promise.all([page.waitForNavigation(), page.click('a[rel=prev]')]);
  assert.deepEqual(await refs(page), second, 'previous goes back one page');
  assert.match(await page.textContent('.summary'), /Showing 26–50 of 60/);
  await Promise.all([page.waitForNavigation(), page.click('a[rel=prev]')]);
  assert.deepEqual(await refs(page), first);
  assert.equal(new URL(page.url()).searchParams.get('limit'), '25', 'the page size is kept');
  assert.equal(new URL(page.url()).searchParams.get('sort'), 'title', 'the sort is kept');
});

test('the CSV and XLSX downloads hold what the filters show, in words', async () => {
  const { page } = b;
  await page.goto(`${env.url}/o/acme/risks`);
  await page.selectOption('#flt-likelihood', '2');
  await Promise.all([page.waitForNavigation(), page.click('form.filters button[type=submit]')]);
  assert.match(await page.textContent('.summary'), /of 20 risks/);
  assert.match(await page.textContent('.downloads'), /Download these results/);
  const href = await page.getAttribute('.downloads a[href*="format=csv"]', 'href');
  assert.match(href, /likelihood=2/);
  const csv = await page.request.get(env.url + href);
  assert.equal(csv.status(), 200);
  assert.match(csv.headers()['content-type'], /text\/csv/);
  assert.match(csv.headers()['content-disposition'], /attachment; filename="acme-risks\.csv"/);
  const lines = (await csv.text()).trim().split('\r\n');
  assert.equal(lines.length, 21, 'a header and the twenty filtered risks');
  const head = lines[0].split(',');
  const status = head.indexOf('Status');
  assert.ok(status > 0, lines[0]);
  for (const line of lines.slice(1)) {
    assert.equal(line.split(',')[status], 'Identified');
    assert.doesNotMatch(line, /(^|,)[a-z]+_[a-z_]+(,|$)/, `a code in ${line}`);
  }
  const xhref = await page.getAttribute('.downloads a[href*="format=xlsx"]', 'href');
  const x = await page.request.get(env.url + xhref);
  assert.equal(x.status(), 200);
  assert.equal((await x.body()).subarray(0, 2).toString(), 'PK');
  const bad = await page.request.get(`${env.url}/o/acme/risks?format=pdf`);
  assert.equal(bad.status(), 400);
});

test('another organisation\'s list does not download', async () => {
  const r = await b.page.request.get(`${env.url}/o/other/risks?format=csv`);
  assert.equal(r.status(), 404);
});

test('the header searches every kind, and only this organisation', async () => {
  const { page } = b;
  const { aimsOk } = await import('./lib.mjs');
  aimsOk(['org', 'create', 'other', '--db', env.db]);
  aimsOk(['member', 'add', ADMIN, '--org', 'other', '--role', 'admin', '--db', env.db]);
  aimsOk(['record', 'create', 'risks', '--org', 'other', '--as', ADMIN, '--db', env.db, '--json',
    JSON.stringify({ title: 'Zeppelin telemetry drift', likelihood: 1, impact: 1 })]);
  aimsOk(['record', 'create', 'ai-systems', '--org', 'acme', '--as', ADMIN, '--db', env.db, '--json',
    JSON.stringify({ name: 'Zeppelin route planner', purpose: 'Plans routes.' })]);
  await page.goto(`${env.url}/o/acme/risks`);
  await page.fill('#find-q', 'zeppelin');
  await Promise.all([page.waitForNavigation(), page.press('#find-q', 'Enter')]);
  assert.equal(new URL(page.url()).pathname, '/o/acme/search');
  await shot(page, 'search');
  const main = await page.textContent('main');
  assert.match(main, /1 record matches/);
  assert.match(main, /Zeppelin route planner/);
  assert.doesNotMatch(main, /telemetry drift/, 'another organisation\'s record is not found');
  assert.equal(await page.inputValue('#find-q'), 'zeppelin', 'the box keeps the text');
  await Promise.all([page.waitForNavigation(), page.click('.found-list a')]);
  assert.match(new URL(page.url()).pathname, /^\/o\/acme\/ai-systems\/AIS-\d+$/);

  await page.goto(`${env.url}/o/acme/search?q=number`);
  assert.match(await page.textContent('main'), /Matches for “number” in 1 kind; the first 5 of each are shown/);
  assert.equal(await page.locator('#found-risks ~ ul li, section:has(#found-risks) li').count(), 5);
  const all = await page.getAttribute('section:has(#found-risks) p a', 'href');
  assert.equal(all, '/o/acme/risks?q=number');
  await page.goto(`${env.url}/o/acme/search?q=nothing-like-this`);
  assert.match(await page.textContent('main'), /Nothing matches/);
});

test('a whole list as a file is a heavy read, for the page and the API alike', async () => {
  await env.restart({ args: ['--heavy-reads-per-minute', '3'] });
  const auth = await apiSignIn(env.url);
  const got = [];
  for (const path of ['/o/acme/risks?format=csv', '/api/v1/orgs/acme/risks?format=csv',
    '/o/acme/risks?format=xlsx', '/o/acme/risks?format=csv', '/api/v1/orgs/acme/risks?format=csv'])
    got.push((await request(env.url, 'GET', path, { auth })).status);
  assert.deepEqual(got, [200, 200, 200, 429, 429]);
  const again = await request(env.url, 'GET', '/o/acme/risks', { auth });
  assert.equal(again.status, 200, 'a page of the list is not heavy');
  await env.restart();
});
