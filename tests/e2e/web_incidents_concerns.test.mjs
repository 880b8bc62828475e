// web_incidents_concerns.test.mjs - in the browser: the incident page shows
// the EU AI Act reporting deadline with the time left (fake clock) and, once
// past it, how late; the public concern form works with no account, escapes
// what is written, gives a key once, and the reporter reads the reply with
// it on the key page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { aimsOk, setup, request, signIn as apiSignIn, ADMIN } from './lib.mjs';
import { openBrowser, shot, signIn, submit } from './browser.mjs';
import { strictWrites } from './lib.mjs';

// Every change these journeys make goes through the server's writer.
strictWrites();

let env;
let b;

before(async () => {
  env = await setup({ env: { AIMS_FAKE_NOW: '2026-03-03T09:30:00Z' } });
  aimsOk(['record', 'create', 'ai-systems', '--org', 'acme', '--as', ADMIN, '--db', env.db,
    '--json', JSON.stringify({ name: 'Claims triage' })]);
  aimsOk(['record', 'create', 'incidents', '--org', 'acme', '--as', ADMIN, '--db', env.db,
    '--json', JSON.stringify({ title: 'Wrong denials', ai_system: 'AIS-1',
      occurred_at: '2026-03-01T22:00:00Z', aware_at: '2026-03-02T09:30:00Z', severity: 'high',
      serious: true, serious_kind: 'death', role: 'provider' })]);
  aimsOk(['record', 'create', 'incidents', '--org', 'acme', '--as', ADMIN, '--db', env.db,
    '--json', JSON.stringify({ title: 'Grid outage', ai_system: 'AIS-1',
      occurred_at: '2026-03-01T00:00:00Z', aware_at: '2026-03-01T00:00:00Z', severity: 'critical',
      serious: true, serious_kind: 'critical_infrastructure', role: 'provider' })]);
  aimsOk(['org', 'concern-channel', 'acme', '--open', '--as', ADMIN, '--db', env.db]);
  b = await openBrowser();
});
after(async () => {
  await b?.close();
  await env?.cleanup();
});

test('the incident page shows the deadline and the time left, or how late', async () => {
  const { page } = b;
  await signIn(page, env.url, ADMIN);
  await page.goto(`${env.url}/o/acme/incidents/INC-1`);
  const open = await page.textContent('#deadline');
  assert.match(open, /due 2026-03-12 09:30 UTC/);
  assert.match(open, /market surveillance authority/);
  assert.match(open, /9 days 0 hours left/);
  await shot(page, 'incident-deadline');
  await page.goto(`${env.url}/o/acme/incidents/INC-2`);
  const late = await page.textContent('#deadline');
  assert.match(late, /due 2026-03-03 00:00 UTC/);
  assert.match(late, /Overdue by 9 hours 30 minutes/);
  assert.equal(await page.getAttribute('#deadline', 'role'), 'alert');
  // A report in the notification log, a day late: the page says so.
  const admin = await apiSignIn(env.url);
  const u = await request(env.url, 'PATCH', '/api/v1/orgs/acme/incidents/INC-2', { auth: admin,
    body: { notifications: [{ to: 'Energy regulator', at: '2026-03-04T00:00:00Z', reference: 'ER-7' }] } });
  assert.equal(u.status, 200, u.text);
  await page.goto(`${env.url}/o/acme/incidents/INC-2`);
  assert.match(await page.textContent('#deadline'), /Reported 2026-03-04 00:00 UTC, 1 day 0 hours late/);
});

test('a report sent through the public form, with no account, is read back with its key', async () => {
  // A fresh profile: nobody is signed in there.
  const pub = await openBrowser();
  try {
    const page = pub.page;
    await page.goto(`${env.url}/public/orgs/acme/concerns`);
    assert.match(await page.textContent('h1'), /Report a concern/);
    await page.fill('#text', '<img src=x onerror=alert(1)> The model rejects older applicants.');
    const status = await submit(page);
    assert.equal(status, 201);
    const key = (await page.textContent('#concern-key')).trim();
    assert.match(key, /^[A-Za-z0-9_-]{43}$/);
    await shot(page, 'concern-sent');

    // The organisation replies.
    const admin = await apiSignIn(env.url);
    const list = await request(env.url, 'GET', '/api/v1/orgs/acme/concerns', { auth: admin });
    const ref = list.json.items[0].ref;
    const u = await request(env.url, 'PATCH', `/api/v1/orgs/acme/concerns/${ref}`, { auth: admin,
      body: { replies: [{ text: 'We have paused the model <b>today</b>.' }] } });
    assert.equal(u.status, 200, u.text);

    await page.goto(`${env.url}/public/concerns`);
    await page.fill('#key', key);
    assert.equal(await submit(page), 200);
    assert.match(await page.textContent('.concern-text'), /<img src=x onerror=alert\(1\)>/);
    assert.match(await page.textContent('.concern-replies'), /We have paused the model <b>today<\/b>\./);
    assert.equal(page.url(), `${env.url}/public/concerns`, 'the key is not in the URL');

    await page.goto(`${env.url}/public/concerns`);
    await page.fill('#key', key.slice(0, -2) + 'zz');
    assert.equal(await submit(page), 404);
    assert.match(await page.textContent('[role=alert]'), /No report has this key/);
    assert.deepEqual(pub.watch.dialogs, []);
    assert.deepEqual(pub.watch.errors, []);
  } finally {
    await pub.close();
  }
});

test('a closed channel and an unknown organisation show the same page', async () => {
  aimsOk(['org', 'create', 'quiet', '--db', env.db]);
  const a = await request(env.url, 'GET', '/public/orgs/quiet/concerns');
  const c = await request(env.url, 'GET', '/public/orgs/nobody-here/concerns');
  assert.equal(a.status, 404);
  assert.equal(c.status, 404);
  assert.equal(a.text, c.text);
});

test('a manager closes and opens the channel from the concerns page; a viewer only sees it', async () => {
  aimsOk(['user', 'add', 'viewer@example.com', '--password-stdin', '--db', env.db], { input: 'correct horse battery staple\n' });
  aimsOk(['member', 'add', 'viewer@example.com', '--org', 'acme', '--role', 'viewer', '--db', env.db]);
  const { page } = b;	// signed in as the admin by the first test
  await page.goto(`${env.url}/o/acme/concerns`);
  assert.match(await page.textContent('#concern-channel'), /Open: anyone may report/);
  assert.equal(await submit(page, '#concern-channel button[type=submit]'), 200);
  assert.match(await page.textContent('#concern-channel'), /Closed/);
  assert.equal((await request(env.url, 'GET', '/public/orgs/acme/concerns')).status, 404);
  assert.equal(await submit(page, '#concern-channel button[type=submit]'), 200);
  assert.equal((await request(env.url, 'GET', '/public/orgs/acme/concerns')).status, 200);

  const v = await openBrowser();
  try {
    await signIn(v.page, env.url, 'viewer@example.com');
    await v.page.goto(`${env.url}/o/acme/concerns`);
    assert.match(await v.page.textContent('#concern-channel'), /Open/);
    assert.equal(await v.page.locator('#concern-channel form').count(), 0);
  } finally {
    await v.close();
  }
});

test('a reply added on the concern form keeps the earlier ones as sent', async () => {
  const { page } = b;	// the admin
  const admin = await apiSignIn(env.url);
  const ref = (await request(env.url, 'GET', '/api/v1/orgs/acme/concerns', { auth: admin })).json.items[0].ref;
  const before = (await request(env.url, 'GET', `/api/v1/orgs/acme/concerns/${ref}`, { auth: admin })).json.replies;
  assert.equal(before.length, 1);
  await page.goto(`${env.url}/o/acme/concerns/${ref}/edit`);
  await page.fill('#f-triage_note', 'Passed to the model owner.');
  assert.ok([200, 303].includes(await submit(page)));
  const after = (await request(env.url, 'GET', `/api/v1/orgs/acme/concerns/${ref}`, { auth: admin })).json;
  assert.equal(after.triage_note, 'Passed to the model owner.');
  assert.deepEqual(after.replies, before);
});
