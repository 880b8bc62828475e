// web_settings.test.mjs - an organisation's time zone and readiness options,
// set in the settings page, the API and the CLI: pages show times in the
// zone with its abbreviation (the public concern page, the portfolio and the
// account's sessions too) while the API stays in UTC; the readiness
// options change what readiness counts and show the days left to the audit;
// bad values are refused naming the field, another organisation's settings
// are not found, a viewer cannot change them, and the ledger verifies.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN, addMember, addOrg, aims, aimsOk, request, setup, signIn as apiSignIn }
  from './lib.mjs';
import { openBrowser, shot, signIn, submit } from './browser.mjs';
import { strictWrites } from './lib.mjs';

// Every change these journeys make goes through the server's writer.
strictWrites();

let env, admin, auth;

before(async () => {
  env = await setup();
  addMember(env.db, 'vic@example.com', 'viewer');
  addOrg(env.db, 'rival');
  admin = await openBrowser();
  await signIn(admin.page, env.url, ADMIN);
  auth = await apiSignIn(env.url);
});
after(async () => {
  await admin?.close();
  await env?.cleanup();
});

// "2026-12-05 02:07 CET" for a UTC time, as the zone's wall clock shows it.
function wallClock(utc, zone) {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-GB', {
    timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit',
    minute: '2-digit', hourCycle: 'h23', timeZoneName: 'short',
  }).formatToParts(new Date(utc)).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
}

function isoDay(offsetDays) {
  return new Date(Date.now() + offsetDays * 86400000).toISOString().slice(0, 10);
}

async function orgVersion() {
  return (await request(env.url, 'GET', '/api/v1/orgs/acme', { auth })).json.version;
}

test('time zone: pages show Europe/Berlin with its abbreviation, the API stays UTC', async () => {
  const { page } = admin;
  await page.goto(`${env.url}/o/acme/settings`);
  assert.equal(await page.inputValue('#f-timezone'), 'UTC');
  await page.fill('#f-timezone', 'Europe/Berlin');
  assert.equal(await submit(page), 200);
  assert.match(await page.textContent('.flash'), /settings are saved/);

  const org = await request(env.url, 'GET', '/api/v1/orgs/acme', { auth });
  assert.equal(org.json.timezone, 'Europe/Berlin');
  const made = await request(env.url, 'POST', '/api/v1/orgs/acme/ai-systems',
    { auth, body: { name: 'Support chatbot' } });
  assert.equal(made.status, 201);
  const created = made.json.created_at;
  assert.match(created, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/, 'the API answers in UTC');

  await page.goto(`${env.url}/o/acme/ai-systems/${made.json.ref}`);
  const shown = await page.textContent(`time[datetime="${created}"]`);
  const berlin = wallClock(created, 'Europe/Berlin');
  const hours = (Date.parse(`${berlin.replace(' ', 'T')}:00Z`) - Date.parse(created.slice(0, 16) + ':00Z')) / 3600000;
  assert.ok(hours === 1 || hours === 2, `Berlin is 1 or 2 hours ahead of UTC, not ${hours}`);
  assert.match(shown, new RegExp(`^${berlin} (CET|CEST)$`));
  await shot(page, 'record-time-berlin');

  // Back to UTC: the same time as stored.
  const r = await request(env.url, 'PATCH', '/api/v1/orgs/acme', { auth,
    headers: { 'if-match': `"${await orgVersion()}"` }, body: { timezone: 'UTC' } });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.timezone, 'UTC');
  await page.goto(`${env.url}/o/acme/ai-systems/${made.json.ref}`);
  assert.equal(await page.textContent(`time[datetime="${created}"]`),
    `${created.slice(0, 10)} ${created.slice(11, 16)} UTC`);
});

test('time zone: the public concern page, the portfolio and the account show it too', async () => {
  const { page } = admin;
  const zone = async (timezone) => {
    const r = await request(env.url, 'PATCH', '/api/v1/orgs/acme', { auth,
      headers: { 'if-match': `"${await orgVersion()}"` }, body: { timezone } });
    assert.equal(r.status, 200, r.text);
  };
  await zone('Asia/Tokyo');

  // The reporter's page: the organisation's zone, though nothing else of it is shown.
  aimsOk(['org', 'concern-channel', 'acme', '--open', '--as', ADMIN, '--db', env.db]);
  const sent = await request(env.url, 'POST', '/api/v1/public/orgs/acme/concerns',
    { body: { text: 'The chatbot answers in the wrong language.' } });
  assert.ok(sent.json.key, sent.text);
  const received = (await request(env.url, 'GET', `/api/v1/public/concerns/${sent.json.key}`))
    .json.received_at;
  await page.goto(`${env.url}/public/concerns`);
  await page.fill('#key', sent.json.key);
  assert.equal(await submit(page), 200);
  assert.equal(await page.textContent(`time[datetime="${received}"]`),
    `${wallClock(received, 'Asia/Tokyo')} JST`);

  // One organisation: the portfolio and the account's sessions in its zone.
  await page.goto(`${env.url}/portfolio`);
  const acmeRow = 'tr:has(a[href="/o/acme/"]) time';
  const asOf = await page.getAttribute(acmeRow, 'datetime');
  assert.equal(await page.textContent(acmeRow), `${wallClock(asOf, 'Asia/Tokyo')} JST`);
  await page.goto(`${env.url}/account`);
  const since = await page.getAttribute('table time', 'datetime');
  assert.equal(await page.textContent('table time'), `${wallClock(since, 'Asia/Tokyo')} JST`);

  // Two in different zones: each row its own; the account, in no one's, says UTC.
  addOrg(env.db, 'lisbon');
  addMember(env.db, ADMIN, 'viewer', 'lisbon');
  await page.goto(`${env.url}/portfolio`);
  assert.match(await page.textContent(acmeRow), / JST$/);
  const lisbonRow = 'tr:has(a[href="/o/lisbon/"]) time';
  const lisbonAt = await page.getAttribute(lisbonRow, 'datetime');
  assert.equal(await page.textContent(lisbonRow),
    `${lisbonAt.slice(0, 10)} ${lisbonAt.slice(11, 16)} UTC`);
  await page.goto(`${env.url}/account`);
  assert.equal(await page.textContent('table time'), `${since.slice(0, 10)} ${since.slice(11, 16)} UTC`);
  await shot(page, 'account-times-utc');
  await zone('UTC');
});

test('time zone: a name the system does not know, or a path, is refused naming timezone', async () => {
  for (const timezone of ['Mars/Olympus_Mons', '../../../etc/passwd', '/etc/localtime', 'Europe//Paris', 'zone.tab']) {
    const r = await request(env.url, 'PATCH', '/api/v1/orgs/acme', { auth,
      headers: { 'if-match': `"${await orgVersion()}"` }, body: { timezone } });
    assert.equal(r.status, 400, `${timezone}: ${r.text}`);
    assert.equal(r.json.error.field, 'timezone');
  }
  const { page } = admin;
  await page.goto(`${env.url}/o/acme/settings`);
  await page.fill('#f-timezone', 'Atlantis/Capital');
  assert.equal(await submit(page), 422);
  assert.equal(await page.getAttribute('[id="f-timezone"]', 'aria-invalid'), 'true');
  assert.match(await page.textContent('[id="f-timezone-error"]'), /no time zone 'Atlantis\/Capital'/);
  // Nothing of the form was saved.
  assert.equal((await request(env.url, 'GET', '/api/v1/orgs/acme', { auth })).json.timezone, 'UTC');
});

test('readiness options: set in the form, used by readiness, shown with the days left', async () => {
  const { page } = admin;
  const audit = isoDay(30);
  await page.goto(`${env.url}/o/acme/readiness`);
  assert.match(await page.textContent('#rd-target'), /No target stage or audit date is set/);
  await page.goto(`${env.url}/o/acme/settings`);
  assert.equal(await page.inputValue('[id="f-readiness.metric_window_days"]'), '92');
  await page.selectOption('[id="f-readiness.target_stage"]', '2');
  await page.fill('[id="f-readiness.audit_date"]', audit);
  await page.fill('[id="f-readiness.evidence_max_age_days"]', '180');
  await page.fill('[id="f-readiness.metric_window_days"]', '60');
  await page.check('[id="f-readiness.manual_as_gaps"]');
  assert.equal(await submit(page), 200);
  await shot(page, 'settings-readiness-options');

  const org = await request(env.url, 'GET', '/api/v1/orgs/acme', { auth });
  assert.deepEqual(org.json.readiness, { target_stage: 2, audit_date: audit,
    evidence_max_age_days: 180, metric_window_days: 60, manual_as_gaps: true });
  const rd = await request(env.url, 'GET', '/api/v1/orgs/acme/readiness', { auth });
  assert.equal(rd.status, 200);
  assert.equal(rd.json.target.stage, 2);
  assert.equal(rd.json.target.days_left, 30);
  assert.equal(rd.json.target.verdict, rd.json.stages[1].verdict);
  // Nothing is left to confirm by hand: those items are gaps now.
  assert.equal(rd.json.to_confirm.length, 0);
  assert.equal(rd.json.counts.confirm_manually, 0);

  await page.goto(`${env.url}/o/acme/readiness`);
  const target = await page.textContent('#rd-target');
  assert.match(target, /Stage 2 audit/);
  assert.match(target, /30 days left/);
  await page.goto(`${env.url}/o/acme/`);
  assert.match(await page.textContent('#d-days-left'), new RegExp(`Audit on ${audit}: 30 days left`));

  // Reset through the API: null is the default again, and items to confirm come back.
  const r = await request(env.url, 'PATCH', '/api/v1/orgs/acme', { auth,
    headers: { 'if-match': `"${await orgVersion()}"` },
    body: { readiness: { manual_as_gaps: null, metric_window_days: null } } });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.readiness.metric_window_days, 92);
  assert.equal(r.json.readiness.manual_as_gaps, false);
  assert.equal(r.json.readiness.evidence_max_age_days, 180, 'what was not given stays');
  const again = await request(env.url, 'GET', '/api/v1/orgs/acme/readiness', { auth });
  assert.ok(again.json.to_confirm.length > 0);
});

test('readiness options: values out of bounds are refused at their field, and nothing changes', async () => {
  const before = (await request(env.url, 'GET', '/api/v1/orgs/acme', { auth })).json;
  const cases = [
    [{ target_stage: 3 }, 'readiness.target_stage'],
    [{ audit_date: '2020-01-01' }, 'readiness.audit_date'],
    [{ audit_date: '2027-02-30' }, 'readiness.audit_date'],
    [{ audit_date: isoDay(5 * 366) }, 'readiness.audit_date'],
    [{ evidence_max_age_days: 5 }, 'readiness.evidence_max_age_days'],
    [{ metric_window_days: 1000 }, 'readiness.metric_window_days'],
    [{ manual_as_gaps: 'yes' }, 'readiness.manual_as_gaps'],
    [{ surprise: 1 }, 'readiness'],
  ];
  for (const [readiness, field] of cases) {
    const r = await request(env.url, 'PATCH', '/api/v1/orgs/acme', { auth,
      headers: { 'if-match': `"${before.version}"` }, body: { readiness, name: 'Renamed' } });
    assert.equal(r.status, 400, `${JSON.stringify(readiness)}: ${r.text}`);
    assert.equal(r.json.error.field, field, JSON.stringify(readiness));
  }
  const after = (await request(env.url, 'GET', '/api/v1/orgs/acme', { auth })).json;
  assert.equal(after.version, before.version);
  assert.equal(after.name, before.name);

  const { page } = admin;
  await page.goto(`${env.url}/o/acme/settings`);
  await page.fill('[id="f-readiness.evidence_max_age_days"]', '5');
  assert.equal(await submit(page), 422);
  assert.equal(await page.getAttribute('[id="f-readiness.evidence_max_age_days"]',
    'aria-invalid'), 'true');
  const atField = await page.textContent('[id="f-readiness.evidence_max_age_days-error"]');
  assert.match(atField, /^A whole number of days from 30 to 1825, or null for none\.$/,
    'the message under the field reads as a sentence, without the field\'s API name');
  // The page keeps what was typed.
  assert.equal(await page.inputValue('[id="f-readiness.evidence_max_age_days"]'), '5');
  await shot(page, 'settings-error-at-field');
});

test('settings: a viewer cannot change them, another organisation is not found, the CLI sets them', async () => {
  const vic = await apiSignIn(env.url, 'vic@example.com');
  const v = await request(env.url, 'PATCH', '/api/v1/orgs/acme', { auth: vic,
    headers: { 'if-match': `"${await orgVersion()}"` }, body: { timezone: 'Asia/Tokyo' } });
  assert.equal(v.status, 403);
  const rival = await request(env.url, 'PATCH', '/api/v1/orgs/rival', { auth,
    headers: { 'if-match': '"1"' }, body: { timezone: 'Asia/Tokyo' } });
  assert.equal(rival.status, 404);
  assert.equal((await request(env.url, 'GET', '/o/rival/settings', { auth })).status, 404);

  assert.match(aimsOk(['org', 'settings', '--help']).stdout, /--evidence-max-age DAYS/);
  const noAs = aims(['org', 'settings', 'acme', '--timezone', 'Asia/Tokyo', '--db', env.db]);
  assert.notEqual(noAs.status, 0);
  const bad = aims(['org', 'settings', 'acme', '--metric-window', '3', '--as', ADMIN,
    '--db', env.db]);
  assert.notEqual(bad.status, 0);
  assert.match(bad.stderr, /readiness\.metric_window_days/);
  aimsOk(['org', 'settings', 'acme', '--timezone', 'Asia/Tokyo', '--target-stage', '1',
    '--as', ADMIN, '--db', env.db]);
  const shown = JSON.parse(aimsOk(['org', 'settings', 'acme', '--format', 'json', '--db',
    env.db]).stdout);
  assert.equal(shown.timezone, 'Asia/Tokyo');
  assert.equal(shown.readiness.target_stage, 1);
  assert.match(aimsOk(['verify', '--db', env.db]).stdout, /verified/);
});

test('the AI roles derived from the AI systems follow each change (they are kept between views)', async () => {
  const derived = async () => (await request(env.url, 'GET', '/api/v1/orgs/acme', { auth })).json.ai_roles_derived;
  const { page } = admin;
  await page.goto(`${env.url}/o/acme/settings`);
  const before = await derived();
  assert.ok(!before.includes('producer'));
  const made = await request(env.url, 'POST', '/api/v1/orgs/acme/ai-systems', { auth,
    body: { name: 'In-house scorer', org_role: 'producer', in_scope: true, lifecycle_stage: 'deployment' } });
  assert.equal(made.status, 201, made.text);
  assert.ok((await derived()).includes('producer'));
  await page.goto(`${env.url}/o/acme/settings`);
  if ((await request(env.url, 'GET', '/api/v1/orgs/acme', { auth })).json.ai_roles.length === 0)
    assert.match(await page.textContent('main'), /Now derived from its AI systems: .*AI producer/);
  const gone = await request(env.url, 'PATCH', `/api/v1/orgs/acme/ai-systems/${made.json.ref}`, { auth,
    headers: { 'if-match': `"${made.json.version}"` }, body: { lifecycle_stage: 'retirement' } });
  assert.equal(gone.status, 200, gone.text);
  assert.ok(!(await derived()).includes('producer'));
});

test('settings, members and account at 1280 and 390 px: nothing wider than the screen', async () => {
  for (const width of [1280, 390]) {
    const b = await openBrowser({ width, height: 900 });
    try {
      await signIn(b.page, env.url, ADMIN);
      for (const [name, path] of [['settings', '/o/acme/settings'], ['members', '/o/acme/members'],
        ['account', '/account']]) {
        const r = await b.page.goto(`${env.url}${path}`);
        assert.equal(r.status(), 200, path);
        assert.equal(await b.page.$$eval('h1', (h) => h.length), 1, `${path}: one h1`);
        // The page does not scroll sideways (wide tables scroll inside their own region).
        const x = await b.page.evaluate(() => { window.scrollTo(10000, 0); return window.scrollX; });
        assert.equal(x, 0, `${path} at ${width} px scrolls sideways by ${x} px`);
        await shot(b.page, `admin-${name}-${width}`);
      }
    } finally {
      await b.close();
    }
  }
});
