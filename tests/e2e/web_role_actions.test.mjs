// web_role_actions.test.mjs - a page shows only the actions its reader may
// take: signed in to the demo organisation as its viewer, every page
// reachable from the navigation is crawled (each kind's list, a few of its
// records, and every page they link to), every link is followed and every
// form rendered is sent as its own button would send it; none may answer 403.
// A link or a button that leads to "you may not" is a dead end the page
// should not have drawn (the permission table, core/perm.c, decides; pages
// ask it). The same crawl as the admin finds the actions the viewer does
// not see, so the test cannot pass by a page that shows nothing; the auditor
// and the contributor are crawled the same way. (A manager who changed the
// SoA draft is still shown Publish, refused with its reason: the four-eyes
// rule is core's to judge at the step, web_soa.test.mjs.)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { PG_URL, aims, pgDatabase, pgDrop, startServer, tempDir } from './lib.mjs';
import { openBrowser, signIn } from './browser.mjs';
import { strictWrites } from './lib.mjs';

// Every change these journeys make goes through the server's writer.
strictWrites();

const ORG = 'demo';
const BASE = `/o/${ORG}`;
const PAGES_MAX = 400;		// a bound on the crawl: the demo has fewer
const PER_SHAPE = 2;		// pages crawled of one shape (/o/demo/risks/:ref)

let dir;
let db;
let server;
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
});
after(async () => {
  await server?.stop();
  if (PG_URL && db) pgDrop(db);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

// The shape of a path: references and control ids stand for any other.
function shape(path) {
  return path.split('?')[0].split('/')
    .map((s) => (/^[A-Z]+-\d+$/.test(s) || /^[A-Z]\.\d+(\.\d+)*$/.test(s) ||
      /^[0-9a-f]{16,}$/.test(s) || /^\d+$/.test(s) ? ':id' : s)).join('/');
}

// Links and forms never followed: leaving the session, and downloads of
// files already checked by their own suites (followed for their status only).
const SKIP_FORM = [/^\/sign-out/, /^\/account\/sessions/];

// Crawls as email; returns { problems, forms, links } where forms and links
// are the distinct actions seen (shape of the target and the button's text).
async function crawl(email, { send }) {
  const b = await openBrowser();
  const { page } = b;
  const problems = [];
  const actions = new Set();
  try {
    await signIn(page, server.url, email, password);
    const queue = [`${BASE}/`];
    const from = new Map([[`${BASE}/`, 'the sign-in']]);
    const seen = new Set(queue);
    const shapes = new Map();
    const statusOf = new Map();
    let visited = 0;
    while (queue.length > 0 && visited < PAGES_MAX) {
      const path = queue.shift();
      const resp = await page.goto(server.url + path);
      visited++;
      const status = resp ? resp.status() : 0;
      if (status === 403) {
        problems.push(`${from.get(path)}: link to ${path}: 403`);
        continue;
      }
      const type = resp?.headers()['content-type'] || '';
      if (!type.startsWith('text/html') || status !== 200) continue;
      const found = await page.evaluate(() => {
        const links = [...document.querySelectorAll('a[href]')].map((a) => ({
          href: a.getAttribute('href'), text: a.textContent.trim().replace(/\s+/g, ' '),
          download: a.hasAttribute('download'),
        }));
        const forms = [...document.querySelectorAll('form')].map((f, i) => ({
          i, method: (f.getAttribute('method') || 'get').toLowerCase(),
          action: f.getAttribute('action') || location.pathname,
          buttons: [...f.querySelectorAll('button:not([type=button]), input[type=submit]'),
            ...(f.id ? document.querySelectorAll(`button[form="${f.id}"]`) : [])]
            .filter((x) => !x.matches(':disabled')).map((x) => ({ text: x.textContent.trim().replace(/\s+/g, ' ') || x.value,
              formaction: x.getAttribute('formaction') })),
        }));
        return { links, forms };
      });
      for (const l of found.links) {
        if (!l.href.startsWith('/') || l.href.startsWith('//')) continue;
        const target = l.href.split('#')[0];
        if (target === '' || seen.has(target)) continue;
        seen.add(target);
        if (!target.startsWith(BASE) && !target.startsWith('/api/') &&
            !['/account', '/portfolio', '/orgs/new', '/notifications'].some((p) => target.startsWith(p)))
          continue;
        if (l.download || target.startsWith('/api/') || /\/(files|download)\b/.test(target)) {
          // A download: its status is enough.
          if (!statusOf.has(target)) {
            const r = await page.request.get(server.url + target, { maxRedirects: 0 });
            statusOf.set(target, r.status());
            if (r.status() === 403) problems.push(`${path}: link "${l.text}" to ${target}: 403`);
          }
          continue;
        }
        const s = shape(target) + (target.includes('?') ? '?' + [...new URLSearchParams(target.split('?')[1]).keys()].sort().join('&') : '');
        const n = shapes.get(s) || 0;
        if (n >= PER_SHAPE) continue;
        shapes.set(s, n + 1);
        actions.add(`link ${shape(target)} ${l.text}`);
        queue.push(target);
        from.set(target, `${path} "${l.text}"`);
      }
      for (const f of found.forms) {
        if (f.method !== 'post') continue;
        // A form without a button to press (a record shown read-only) offers nothing.
        for (const btn of f.buttons) {
          const action = (btn.formaction || f.action).split('#')[0];
          const key = `form ${shape(action)} ${btn.text}`;
          if (actions.has(key)) continue;
          actions.add(key);
          if (!send || SKIP_FORM.some((re) => re.test(action))) continue;
          // Sent as the browser would send it (its own fields and CSRF token).
          const st = await page.evaluate(async ({ i, formaction }) => {
            const form = document.querySelectorAll('form')[i];
            const data = new FormData(form);
            const multipart = (form.getAttribute('enctype') || '').startsWith('multipart/');
            const r = await fetch(formaction || form.action, {
              method: 'POST', redirect: 'manual', credentials: 'same-origin',
              body: multipart ? data : new URLSearchParams(data),
            });
            return r.status;
          }, { i: f.i, formaction: btn.formaction });
          if (st === 403) problems.push(`${path}: form "${btn.text}" to ${action}: 403`);
        }
      }
    }
    assert.ok(visited < PAGES_MAX, `the crawl stopped at ${PAGES_MAX} pages`);
    return { problems, actions, visited };
  } finally {
    await b.close();
  }
}

test('a viewer is shown no link or button that answers 403', async () => {
  const viewer = await crawl('viewer@demo.example', { send: true });
  console.log(`viewer: ${viewer.visited} pages, ${viewer.actions.size} actions`);
  if (process.env.AIMS_TEST_VERBOSE) console.log([...viewer.actions].sort().join('\n'));
  assert.ok(viewer.visited >= 60, `the viewer's crawl reached ${viewer.visited} pages`);
  assert.deepEqual(viewer.problems, []);
  // The admin's crawl (nothing sent) sees the actions the viewer must not.
  const admin = await crawl('admin@demo.example', { send: false });
  const only = [...admin.actions].filter((a) => a.startsWith('form') && !viewer.actions.has(a));
  assert.ok(only.length >= 20, `the admin has actions the viewer lacks (${only.length})`);
  // Nor a link to a form that writes: they would answer 403 to the viewer.
  const writes = (acts) => [...acts].filter((a) => /^link \/o\/\S+\/(new|edit|import)(\s|$)/.test(a));
  assert.deepEqual(writes(viewer.actions), []);
  assert.ok(writes(admin.actions).some((a) => a.includes('/import')), 'the admin is offered the import');
  assert.ok(writes(admin.actions).length >= 10, `the admin is offered forms (${writes(admin.actions).length})`);
});

// The roles between: an auditor writes audits only, a contributor operational
// records only; each is offered nothing the table refuses them either.
for (const who of ['auditor@demo.example', 'contributor@demo.example']) {
  test(`${who.split('@')[0]}: no link or button that answers 403`, async () => {
    const r = await crawl(who, { send: true });
    console.log(`${who}: ${r.visited} pages, ${r.actions.size} actions`);
    assert.ok(r.visited >= 60, `the crawl reached ${r.visited} pages`);
    assert.deepEqual(r.problems, []);
  });
}
