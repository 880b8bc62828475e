// web_mail_links.test.mjs - invitations and password reset links mailed,
// against a real SMTP server (python3 -m aiosmtpd): an invitation made while
// the mail server is down waits in the outbox, sealed, and goes out when it
// is back; its link (at the operator's site_url) is accepted and the new
// member signs in. A reset asked for by address is mailed, works once and
// sets the password; an unknown address gets the same answer and no mail;
// one address is not mailed over and over. The sealed links are erased from
// the outbox once sent, and the ledger verifies.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { ADMIN, PG_URL, addMember, aimsOk, request, setup } from './lib.mjs';
import { openBrowser, shot, signIn, submit } from './browser.mjs';
import { strictWrites } from './lib.mjs';

// Every change these journeys make goes through the server's writer.
strictWrites();

let env, smtpPort, sitePort, maildir, smtpd, admin;
const SQLITE = PG_URL ? 'reads the outbox with the sqlite3 shell' : false;

function freePort() {
  return new Promise((res) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => { const p = srv.address().port; srv.close(() => res(p)); });
  });
}

async function waitFor(what, fn, ms = 20000) {
  const until = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > until) throw new Error(`waited in vain for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function mails() {
  try {
    return readdirSync(join(maildir, 'new')).map((f) => readFileSync(join(maildir, 'new', f), 'utf8'));
  } catch { return []; }
}
const mailsTo = (addr) => mails().filter((m) => new RegExp(`^To: ${addr.replace('.', '\\.')}`, 'm').test(m));
const text = (m) => Buffer.from(m.split(/\r?\n\r?\n/).slice(1).join('').replace(/\s+/g, ''), 'base64').toString('utf8');

async function startSmtp() {
  smtpd = spawn('/usr/bin/python3', ['-m', 'aiosmtpd', '-n', '-l', `127.0.0.1:${smtpPort}`,
    '-c', 'aiosmtpd.handlers.Mailbox', maildir], { stdio: 'ignore' });
  await waitFor('the SMTP server', () => new Promise((res) => {
    const c = net.connect(smtpPort, '127.0.0.1', () => { c.end(); res(true); });
    c.on('error', () => res(false));
  }));
}

function outbox(event) {
  const r = spawnSync('sqlite3', [env.db, `SELECT state || '|' || body FROM outbox WHERE event = '${event}' ORDER BY id`],
    { encoding: 'utf8' });
  return r.stdout.trim().split('\n').filter(Boolean);
}

before(async () => {
  env = await setup();
  addMember(env.db, 'rae@example.com', 'viewer');
  maildir = join(env.dir, 'mail');
  for (const d of ['tmp', 'new', 'cur']) mkdirSync(join(maildir, d), { recursive: true });
  smtpPort = await freePort();
  sitePort = await freePort();
  // The mail server is set but not up yet: what is mailed waits and is retried.
  await env.restart({ args: ['--listen', `127.0.0.1:${sitePort}`, '--retry-base', '1',
    '--outbox-poll', '50'], env: { AIMS_SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
    AIMS_MAIL_FROM: 'aims@acme.example', AIMS_SITE_URL: `http://127.0.0.1:${sitePort}/` } });
  assert.equal(env.url, `http://127.0.0.1:${sitePort}`);
  admin = await openBrowser();
  await signIn(admin.page, env.url, ADMIN);
});
after(async () => {
  smtpd?.kill('SIGTERM');
  await admin?.close();
  await env?.cleanup();
});

test('invite by mail: waits while the mail server is down, arrives, accepted, signs in', async () => {
  const { page } = admin;
  await page.goto(`${env.url}/o/acme/members`);
  assert.match(await page.textContent('#invite + form, form[action$="/members/invite"]'), /mailed to the address/);
  await page.fill('#invite-email', 'nia@example.com');
  await page.selectOption('#invite-role', 'contributor');
  assert.equal(await submit(page, 'form[action$="/members/invite"] button'), 201);
  assert.match(await page.textContent('#invite-mailed'), /invitation is mailed to nia@example\.com/);
  assert.equal(await page.$('#link-once'), null, 'the link is mailed, not shown');
  assert.match(await page.textContent('main'), /Waiting invitations.*nia@example\.com/s);
  await shot(page, 'members-invite-mailed');

  if (!SQLITE) {
    // Queued and sealed: the database does not hold the link in clear.
    const rows = await waitFor('the queued invitation', () => outbox('invitation').length === 1 && outbox('invitation'));
    assert.match(rows[0], /^pending\|\{"sealed":"[A-Za-z0-9+/=]+"\}$/);
    assert.doesNotMatch(rows[0], /invite\//);
  }
  // The mail server comes up: the retry delivers it.
  await startSmtp();
  const m = await waitFor('the invitation mail', () => mailsTo('nia@example.com')[0], 30000);
  assert.match(m, /^From: aims@acme\.example/m);
  assert.match(m, /^Subject: Invitation to join acme on OpenAIMS/m);
  const body = text(m);
  assert.match(body, /admin@example\.com invites you to join acme \(acme\) on OpenAIMS/);
  const link = body.match(/http:\/\/\S+\/invite\/[A-Za-z0-9_-]{43}/)[0];
  assert.ok(link.startsWith(`http://127.0.0.1:${sitePort}/invite/`), `the link is at site_url: ${link}`);
  if (!SQLITE) {
    const sent = await waitFor('the sent row', () => outbox('invitation')[0]?.startsWith('sent') && outbox('invitation'));
    assert.equal(sent[0], 'sent|{"sealed":null}', 'the link is erased once sent');
  }

  const guest = await openBrowser();
  try {
    await guest.page.goto(link);
    assert.match(await guest.page.textContent('main'), /nia@example\.com is invited to join acme as Contributor/);
    await guest.page.fill('#f-display_name', 'Nia');
    await guest.page.fill('#f-password', 'a long enough password');
    await guest.page.fill('#f-password_again', 'a long enough password');
    await submit(guest.page);
    await guest.page.fill('#email', 'nia@example.com');
    await guest.page.fill('#password', 'a long enough password');
    await submit(guest.page);
    assert.match(guest.page.url(), /\/o\/acme\/$/);
    assert.equal((await guest.page.goto(link)).status(), 404, 'the link works once');
  } finally {
    await guest.close();
  }
});

test('reset by mail: the link sets the password once; an unknown address, same answer, no mail', async () => {
  if (!smtpd) await startSmtp();
  const guest = await openBrowser();
  const ask = async (email) => {
    await guest.page.goto(`${env.url}/reset`);
    await guest.page.fill('#f-email', email);
    const status = await submit(guest.page);
    return { status, flash: await guest.page.textContent('#reset-asked') };
  };
  try {
    await guest.page.goto(`${env.url}/reset`);
    assert.match(await guest.page.textContent('main'), /a link to set a new password is mailed to it/);
    const known = await ask('rae@example.com');
    const unknown = await ask('ghost@example.com');
    assert.equal(known.status, 200);
    assert.equal(unknown.status, 200);
    assert.equal(known.flash.replace('rae@', 'X@'), unknown.flash.replace('ghost@', 'X@'));
    await shot(guest.page, 'reset-asked-mail');
    const m = await waitFor('the reset mail', () => mailsTo('rae@example.com')[0], 30000);
    assert.match(m, /^Subject: Set a new password for OpenAIMS/m);
    const link = text(m).match(/http:\/\/\S+\/reset\/[A-Za-z0-9_-]{43}/)[0];
    assert.ok(link.startsWith(`http://127.0.0.1:${sitePort}/reset/`));

    await guest.page.goto(link);
    assert.match(await guest.page.textContent('main'), /For rae@example\.com/);
    await guest.page.fill('#f-password', 'rae has a mailed password');
    await guest.page.fill('#f-password_again', 'rae has a mailed password');
    await submit(guest.page);
    assert.match(await guest.page.textContent('.flash'), /password is set/);
    await signIn(guest.page, env.url, 'rae@example.com', 'rae has a mailed password');
    assert.match(guest.page.url(), /\/o\/acme\/$/);
    assert.equal((await guest.page.goto(link)).status(), 404, 'the link works once');

    // Nothing went to the unknown address.
    await new Promise((r) => setTimeout(r, 1000));
    assert.equal(mailsTo('ghost@example.com').length, 0);
    if (!SQLITE)
      assert.ok(outbox('password_reset').every((r) => r === 'sent|{"sealed":null}'));
  } finally {
    await guest.close();
  }
});

test('reset by mail: one address is mailed a couple of times, then no more for a while', async () => {
  const before = mailsTo('mo@example.com').length;
  addMember(env.db, 'mo@example.com', 'viewer');
  // Asked from different networks would pass the per-network throttle: the address has its own.
  for (let i = 0; i < 4; i++) {
    const page = await request(env.url, 'GET', '/reset');
    const cookie = page.headers.get('set-cookie').match(/aims_form=[^;]+/)[0];
    const csrf = page.text.match(/name="_csrf" value="([^"]+)"/)[1];
    const r = await request(env.url, 'POST', '/reset', { headers: { cookie, origin: env.url,
      'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: csrf, email: i % 2 ? 'MO@example.com' : 'mo@example.com' }).toString() });
    if (r.status === 429) break;	// this network's own budget: also fine, nothing more is sent
    assert.equal(r.status, 200);
  }
  await waitFor('the first reset mails', () => mailsTo('mo@example.com').length > before);
  await new Promise((r) => setTimeout(r, 1500));
  assert.ok(mailsTo('mo@example.com').length - before <= 2,
    `${mailsTo('mo@example.com').length - before} mails to one address`);
  assert.match(aimsOk(['verify', '--db', env.db]).stdout, /verified/);
});
