// web_admin_axe.test.mjs - the administration pages under axe-core (WCAG 2.2
// A and AA rules, injected into the page): no serious or critical violation
// on settings, members with an invitation link shown, tokens with a secret
// shown, the account, the second-factor set-up with its QR code, a new
// organisation, the portfolio, the invitation and reset pages, and the
// sign-in page with its single sign-on form; at 1280 and 390 px.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { ADMIN, setup } from './lib.mjs';
import { openBrowser, shot, signIn, submit } from './browser.mjs';

const require = createRequire(import.meta.url);
// Evaluated through the DevTools protocol: the pages' CSP rightly forbids an injected script tag.
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
let env, wide, narrow;

before(async () => {
  env = await setup();
  wide = await openBrowser();
  narrow = await openBrowser({ width: 390, height: 844 });
  await signIn(wide.page, env.url, ADMIN);
  await signIn(narrow.page, env.url, ADMIN);
});
after(async () => {
  await wide?.close();
  await narrow?.close();
  await env?.cleanup();
});

async function axe(page) {
  await page.evaluate(AXE);
  const r = await page.evaluate(async () => window.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
  }));
  return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

async function check(page, name) {
  const found = await axe(page);
  assert.deepEqual(found, [], `${name}: ${found.join('\n')}`);
  assert.equal(await page.$$eval('h1', (h) => h.length), 1, `${name}: one h1`);
}

test('administration pages: no serious or critical axe violation, one h1, at 1280 and 390 px', async () => {
  for (const [b, size] of [[wide, 1280], [narrow, 390]]) {
    const { page } = b;
    await page.goto(`${env.url}/o/acme/members`);
    await page.fill('#invite-email', `axe${size}@example.com`);
    await submit(page, 'form[action$="/members/invite"] button');
    await check(page, `members with a link (${size})`);
    const link = await page.inputValue('#link-once');
    await shot(page, `members-${size}`);
    await page.goto(`${env.url}/o/acme/tokens`);
    await page.fill('#f-name', `axe ${size}`);
    await submit(page);
    await check(page, `tokens with a secret (${size})`);
    for (const [path, name] of [['/o/acme/settings', 'settings'], ['/account', 'account'],
      ['/orgs/new', 'new organisation'], ['/portfolio', 'portfolio'],
      ['/account/second-factor', 'second factor']]) {
      await page.goto(env.url + path);
      await check(page, `${name} (${size})`);
      await shot(page, `${name.replace(/ /g, '-')}-${size}`);
    }
    await submit(page, 'form[action="/account/second-factor/start"] button');
    await check(page, `second-factor set-up (${size})`);
    const guest = await openBrowser({ width: size, height: 900 });
    try {
      await guest.page.goto(link);
      await check(guest.page, `invitation (${size})`);
      for (const path of ['/sign-in', '/reset', '/reset/not-a-token']) {
        await guest.page.goto(env.url + path);
        await check(guest.page, `${path} (${size})`);
      }
    } finally {
      await guest.close();
    }
  }
});
