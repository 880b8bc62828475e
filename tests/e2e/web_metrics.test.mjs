// web_metrics.test.mjs - the monitoring charts in the browser: an AI
// system's page draws each of its metrics with the warning and breach lines,
// the range links change the range, a long range is downsampled on the
// server, and an objective's page draws its target.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN, aimsOk, setup } from './lib.mjs';
import { openBrowser, shot, signIn } from './browser.mjs';
import { strictWrites } from './lib.mjs';

// Every change these journeys make goes through the server's writer.
strictWrites();

let env;
let b;
const create = (kind, fields) => JSON.parse(aimsOk(['record', 'create', kind, '--org', 'acme', '--as', ADMIN,
  '--db', env.db, '--json', JSON.stringify(fields)]).stdout).ref;
const push = (ref, readings) => aimsOk(['metrics', 'push', ref, '--org', 'acme', '--as', ADMIN, '--db', env.db],
  { input: JSON.stringify(readings) });
const iso = (t) => new Date(t).toISOString().replace(/\.\d+Z$/, 'Z');

before(async () => {
  env = await setup();
  const ai = create('ai-systems', { name: 'Claims triage', in_scope: true, lifecycle_stage: 'operation_monitoring' });
  const acc = create('metrics', { title: 'Accuracy', ai_system: ai, unit: '%', direction: 'higher_is_better',
    warn: '92', breach: '90', interval_hours: 1, on_breach: 'none' });
  // Per-minute readings over ten days: 14,400 readings.
  const now = Date.now();
  const all = [];
  for (let i = 0; i < 14400; i++) all.push({ at: iso(now - (14400 - i) * 60e3), value: 93 + Math.sin(i / 300) * 2 });
  for (let i = 0; i < all.length; i += 5000) push(acc, all.slice(i, i + 5000));
  const obj = create('objectives', { title: 'Accurate triage', metric: 'accuracy', target: '95', unit: '%',
    direction: 'higher_is_better', due: '2027-06-30' });
  const m2 = create('metrics', { title: 'Objective accuracy', objective: obj, unit: '%', direction: 'higher_is_better',
    interval_hours: 24, on_breach: 'none' });
  push(m2, [{ at: iso(now - 3 * 86400e3), value: 91 }, { at: iso(now - 86400e3), value: 93.5 }]);
  b = await openBrowser();
  await signIn(b.page, env.url, ADMIN);
});
after(async () => {
  await b?.close();
  await env?.cleanup();
});

test('the AI system page charts its metric with threshold lines, over a chosen range', async () => {
  const { page } = b;
  await page.goto(`${env.url}/o/acme/ai-systems/AIS-1`);
  const chart = page.locator('#monitoring svg.series').first();
  assert.equal(await chart.count(), 1);
  assert.equal(await chart.locator('line.th-warn').count(), 1);
  assert.equal(await chart.locator('line.th-breach').count(), 1);
  assert.match(await chart.locator('desc').textContent(), /each the mean of a time bucket.*warn line at 92\. breach line at 90\./);
  const points = (await chart.locator('polyline.line').getAttribute('points')).split(' ');
  // 400 buckets over 30 days; the ten days with readings fill about a third of them.
  assert.ok(points.length >= 130 && points.length <= 136, `${points.length} points`);
  assert.equal(await chart.locator('polygon.envelope').count(), 1);
  assert.match(await page.textContent('#monitoring figcaption'), /14400 readings, shown as \d+ time buckets/);
  await shot(page, 'metric-chart-30d');
  await Promise.all([page.waitForNavigation(), page.click('#monitoring a:text("1 days")')]);
  assert.match(page.url(), /range=1/);
  const day = page.locator('#monitoring svg.series').first();
  const dayPoints = (await day.locator('polyline.line').getAttribute('points')).split(' ');
  // A day holds 1,440 readings: every bucket (of about 217 s, so 398 of them) has some.
  assert.ok(dayPoints.length >= 395 && dayPoints.length <= 400, `${dayPoints.length} points over a day`);
  assert.match(await page.textContent('#monitoring .ranges strong'), /1 days/);
});

test('the dashboard lists the metrics that need attention', async () => {
  const { page } = b;
  await page.goto(`${env.url}/o/acme/`);
  const card = page.locator('#d-monitoring').locator('xpath=..');
  const text = await card.textContent();
  // MET-1's last reading, 93 + 2 sin(14399 / 300) = 91.5, is under warn 92; MET-2's last
  // reading is a day old for a daily metric: stale.
  assert.match(text, /MET-1\s*Accuracy\s*Warning/);
  assert.match(text, /MET-2\s*Objective accuracy\s*Stale/);
  push('MET-1', [{ at: iso(Date.now() - 30e3), value: 89 }]);
  await page.goto(`${env.url}/o/acme/`);
  const after = await page.locator('#d-monitoring').locator('xpath=..').textContent();
  assert.match(after, /MET-1\s*Accuracy\s*Breach/);
  await shot(page, 'dashboard-monitoring');
});

test('the objective page charts progress against its target', async () => {
  const { page } = b;
  await page.goto(`${env.url}/o/acme/objectives/OBJ-1`);
  const chart = page.locator('#monitoring svg.series');
  assert.equal(await chart.count(), 1);
  assert.equal(await chart.locator('line.th-target').count(), 1);
  assert.match(await chart.locator('desc').textContent(), /2 readings .*last 93\.5\. target line at 95\./);
  await shot(page, 'objective-chart');
});
