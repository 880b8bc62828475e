// browser.mjs - helpers for the browser tests: Debian's chromium driven by
// playwright-core (never a downloaded browser) with a fresh profile, signing
// in through the sign-in page, watching for any dialog or script that a
// page should never run, and screenshots kept under tests/e2e/artifacts/.
import { chromium } from 'playwright-core';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PASSWORD } from './lib.mjs';

export const CHROMIUM = '/usr/bin/chromium';
export const ARTIFACTS = new URL('./artifacts/', import.meta.url).pathname;
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

// A browser with its own new profile; close() removes the profile.
export async function openBrowser({ width = 1280, height = 900 } = {}) {
  const profile = mkdtempSync(join(tmpdir(), 'aims-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM, args: ARGS, headless: true, viewport: { width, height },
  });
  const page = context.pages()[0] || await context.newPage();
  const watch = watchPage(page);
  return {
    context, page, watch,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

// Counts dialogs (dismissed at once) and page errors: an escaped payload
// never opens one.
export function watchPage(page) {
  const seen = { dialogs: [], errors: [] };
  page.on('dialog', async (d) => { seen.dialogs.push(d.message()); await d.dismiss(); });
  page.on('pageerror', (e) => { seen.errors.push(e.message); });
  return seen;
}

export async function signIn(page, url, email, password = PASSWORD) {
  await page.goto(`${url}/sign-in`);
  await page.fill('#email', email);
  await page.fill('#password', password);
  await Promise.all([page.waitForNavigation(), page.click('form.record-form button[type=submit]')]);
}

export async function shot(page, name) {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

// Submits the form holding `selector` and waits for the page it leads to;
// returns that page's HTTP status.
export async function submit(page, selector = 'form.record-form button[type=submit]') {
  const [resp] = await Promise.all([
    page.waitForNavigation(),
    page.click(selector),
  ]);
  return resp ? resp.status() : 0;
}

// Ticks values in the searchable picker that stands for the multiple select
// `selector` (app.js): filters by each value and ticks the option that starts
// with it, as a person would.
export async function pick(page, selector, values) {
  const id = await page.getAttribute(selector, 'id');
  const filter = page.locator(`[id="${id}-filter"]`);
  const box = page.locator(`[id="${id}-filter"] ~ .picker-list`);
  for (const v of values) {
    await filter.fill(v);
    const item = box.locator('.picker-item:visible').filter({ hasText: new RegExp(`^\\s*${v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`) });
    await item.locator('input').check();
  }
  await filter.fill('');
}
