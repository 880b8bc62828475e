// web_a11y.test.mjs - WCAG 2.2 AA on every page: the demo organisation is
// crawled as its admin (dashboard, readiness, SoA, members, pack, and for
// every kind its list, a record, its create form and an edit form), then
// the signed-out pages, and axe-core (npm, injected into each page) runs on
// each; no serious or critical violation may remain. Every page also has
// exactly one h1 and a skip link to its main content. Screenshots at 1280
// and 390 px of the pages people live in are kept under artifacts/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { PG_URL, aims, pgDatabase, pgDrop, startServer, tempDir } from './lib.mjs';
import { openBrowser, shot, signIn } from './browser.mjs';

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const ORG = 'demo';
const ADMIN = 'admin@demo.example';

let dir;
let db;
let server;
let b;
let password;

before(async () => {
  dir = tempDir();
  // The demo organisation in the store under test (a database of the
  // PostgreSQL test cluster when make test-pg runs this).
  db = PG_URL ? pgDatabase(dir) : join(dir, 'aims.db');
  const r = aims(['init', '--demo', '--db', db]);
  assert.equal(r.status, 0, r.stderr);
  password = r.stdout.match(/password for all demo users: (\S+)/)[1];
  server = await startServer(db);
  b = await openBrowser();
});
after(async () => {
  await b?.close();
  await server?.stop();
  if (PG_URL && db) pgDrop(db);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

// axe on the current page: the serious and critical violations, as text.
async function axe(page) {
  if (!(await page.evaluate(() => typeof window.axe === 'object')))
    await page.evaluate(AXE);
  const res = await page.evaluate(async () => {
    const r = await window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
    });
    return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.impact} ${v.id}: ${v.help} at ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
  });
  return res;
}

let signedIn = false;
async function ensureSignedIn(page) {
  if (!signedIn) await signIn(page, server.url, ADMIN, password);
  signedIn = true;
}

let checked = 0;
async function check(page, path, problems) {
  checked++;
  const resp = await page.goto(server.url + path);
  const status = resp ? resp.status() : 0;
  if (status !== 200) {
    problems.push(`${path}: answered ${status}`);
    return;
  }
  const h1 = await page.locator('h1').count();
  if (h1 !== 1) problems.push(`${path}: ${h1} h1 elements`);
  if ((await page.locator('a.skip[href="#main"]').count()) !== 1) problems.push(`${path}: no skip link`);
  for (const v of await axe(page)) problems.push(`${path}: ${v}`);
}

// Same-origin links of the current page whose path matches re.
async function links(page, re) {
  const hrefs = await page.$$eval('a[href]', (as) => as.map((a) => a.getAttribute('href')));
  return [...new Set(hrefs.filter((h) => h.startsWith('/') && re.test(h.split('?')[0])))];
}

test('every signed-out page passes axe with no serious or critical violation', async () => {
  const problems = [];
  for (const path of ['/sign-in', '/public/concerns'])
    await check(b.page, path, problems);
  // The public concern form, once the channel is open.
  const r = aims(['org', 'concern-channel', ORG, '--open', '--as', ADMIN, '--db', db]);
  assert.equal(r.status, 0, r.stderr);
  await check(b.page, `/public/orgs/${ORG}/concerns`, problems);
  assert.deepEqual(problems, []);
});

test('every page of the demo organisation passes axe with no serious or critical violation', async () => {
  const { page } = b;
  const problems = [];
  await ensureSignedIn(page);
  const base = `/o/${ORG}`;
  const pages = [`${base}/`, `${base}/readiness`, `${base}/soa`, `${base}/my-audits`,
    `${base}/members`, `${base}/pack`, '/account/password', `${base}/search?q=model`,
    `${base}/soa/versions`, `${base}/soa?edit=A.5.2`];
  await page.goto(`${server.url}${base}/`);
  // Every kind in the navigation, as the demo's admin sees it.
  const kinds = (await links(page, new RegExp(`^${base}/[a-z-]+$`)))
    .map((h) => h.split('?')[0]).filter((h, i, a) => a.indexOf(h) === i)
    .filter((h) => !pages.includes(h));
  assert.ok(kinds.length >= 20, `the navigation lists the kinds (${kinds.length})`);
  for (const p of pages)
    await check(page, p, problems);
  for (const list of kinds) {
    await check(page, list, problems);
    // A list's columns fit a 1280 px screen: its table does not scroll sideways.
    const over = await page.evaluate(() => [...document.querySelectorAll('table.list')]
      .map((t) => t.parentElement.scrollWidth - t.parentElement.clientWidth).filter((d) => d > 1));
    if (over.length > 0) problems.push(`${list}: the list is ${over[0]} px wider than the screen`);
    const kind = list.slice(base.length + 1);
    const recs = (await links(page, new RegExp(`^${base}/${kind}/[A-Za-z0-9.-]+$`)))
      .filter((h) => !h.endsWith('/new'));
    if ((await page.locator(`a[href="${list}/new"]`).count()) > 0)
      await check(page, `${list}/new`, problems);
    if (recs.length > 0) {
      await check(page, recs[0], problems);
      if ((await page.locator(`a[href="${recs[0]}/edit"]`).count()) > 0)
        await check(page, `${recs[0]}/edit`, problems);
    }
  }
  console.log(`a11y: ${checked} pages checked`);
  assert.ok(checked >= 80, `${checked} pages checked`);
  assert.deepEqual(problems, []);
});

// The WCAG relative luminance contrast of two computed CSS colours.
const CONTRAST = `(a, b) => {
  const lum = (c) => {
    const [r, g, bl] = c.match(/[\\d.]+/g).slice(0, 3).map((x) => {
      const v = Number(x) / 255;
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
}`;

test('input borders and the focus ring stand out at 3:1 or more (WCAG 1.4.11, 2.4.13)', async () => {
  const { page } = b;
  await ensureSignedIn(page);
  await page.goto(`${server.url}/o/${ORG}/risks/new`);
  const low = await page.evaluate((src) => {
    const contrast = eval(src);	// eslint-disable-line no-eval
    const bgOf = (el) => {
      for (let e = el.parentElement; e; e = e.parentElement) {
        const c = getComputedStyle(e).backgroundColor;
        if (!/rgba\(.*, 0\)$/.test(c) && c !== 'transparent') return c;
      }
      return 'rgb(255, 255, 255)';
    };
    const out = [];
    for (const el of document.querySelectorAll('main input:not([type=hidden]):not([type=checkbox]):not([type=radio]), main select, main textarea')) {
      const r = contrast(getComputedStyle(el).borderTopColor, bgOf(el));
      if (r < 3) out.push(`border of #${el.id}: ${r.toFixed(2)}`);
    }
    for (const el of [document.querySelector('main input[type=text]'), document.querySelector('main button'),
      document.querySelector('header a')]) {
      el.focus();
      const s = getComputedStyle(el);
      const r = contrast(s.outlineColor, bgOf(el));
      if (s.outlineStyle === 'none' || r < 3) out.push(`focus ring of ${el.tagName}: ${s.outlineStyle} ${r.toFixed(2)}`);
    }
    return out;
  }, CONTRAST);
  assert.deepEqual(low, []);
});

test('the pages people live in, at 1280 and 390 px', async () => {
  const { page } = b;
  await ensureSignedIn(page);
  const base = `/o/${ORG}`;
  for (const [name, path] of [['dashboard', `${base}/`], ['risks', `${base}/risks`],
    ['soa', `${base}/soa`], ['risk-new', `${base}/risks/new`], ['search', `${base}/search?q=ai`],
    ['readiness', `${base}/readiness`]]) {
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 900 });
      await page.goto(server.url + path);
      await shot(page, `a11y-${name}-${width}`);
      // Nothing is wider than the screen but the tables that scroll in their own box.
      const wide = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(wide <= 1, `${path} at ${width} px scrolls sideways by ${wide} px`);
    }
  }
  await page.setViewportSize({ width: 1280, height: 900 });
});
