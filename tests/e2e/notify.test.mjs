// notify.test.mjs - what leaves the process, black-box, against real
// receivers: webhooks to an HTTP receiver in this test (every delivery's
// X-AIMS-Signature checked, retries after failures with the same delivery
// id, the delivery log, disabled after repeated failure and enabled again by
// an admin, loopback refused unless the operator allows it, a server
// SIGKILLed after the commit delivering on restart); mail to a real SMTP
// server (python3 -m aiosmtpd) for an assignment at once and the daily
// digest for those who chose it; the in-app notifications.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { join } from 'node:path';
import { ADMIN, aims, aimsOk, dumpDb, localFileOf, request, setup, signIn, sqlBehind, startServer, tempDir } from './lib.mjs';
import { strictWrites } from './lib.mjs';

// Every change these journeys make goes through the server's writer.
strictWrites();

const ANN = 'ann@example.com';	// manager
const CORA = 'cora@example.com';	// contributor
const BEN = 'ben@example.com';	// contributor who chose the digest
const A = '/api/v1/orgs/acme';
const PRIVATE = ['--webhooks-private', '--retry-base', '1', '--outbox-poll', '50'];

let env;
let hook;	// the receiver
const s = {};

// An HTTP receiver: answers the next status planned for the request's path and
// event (plan['/hook/a record.created'] = [500]; then 200), records every request.
function receiver() {
  const r = { got: [], plan: {} };
  r.at = (path) => r.got.filter((g) => g.url === `/hook/${path}`);
  r.server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (d) => { body += d; });
    req.on('end', () => {
      r.got.push({ headers: req.headers, body, url: req.url });
      const planned = r.plan[`${req.url} ${req.headers['x-aims-event']}`] || [];
      const status = planned.length ? planned.shift() : 200;
      res.writeHead(status, { 'content-type': 'text/plain' });
      res.end(status < 300 ? 'thanks' : 'not now');
    });
  });
  return new Promise((resolve) => r.server.listen(0, '127.0.0.1', () => {
    r.url = `http://127.0.0.1:${r.server.address().port}/hook`;
    resolve(r);
  }));
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

function checkSignature(secret, req) {
  const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(req.headers['x-aims-signature'] || '');
  assert.ok(m, `signature header: ${req.headers['x-aims-signature']}`);
  const want = createHmac('sha256', secret).update(`${m[1]}.${req.body}`).digest('hex');
  assert.equal(m[2], want, 'HMAC-SHA256 of t.body with the secret');
  return JSON.parse(req.body);
}

function person(email, name, role) {
  aimsOk(['user', 'add', email, '--name', name, '--password-stdin', '--db', env.db],
    { input: 'correct horse battery staple\n' });
  aimsOk(['member', 'add', email, '--org', 'acme', '--role', role, '--db', env.db]);
}

const api = (method, path, who, body) => request(env.url, method, A + path, { auth: s[who], body });

async function signInAll() {
  for (const who of [ADMIN, ANN, CORA, BEN]) s[who] = await signIn(env.url, who);
}

before(async () => {
  env = await setup();
  person(ANN, 'Ann Smith', 'manager');
  person(CORA, 'Cora Lee', 'contributor');
  person(BEN, 'Ben Jones', 'contributor');
  await signInAll();
  hook = await receiver();
});

after(async () => {
  hook?.server.close();
  await env?.cleanup();
});

test('webhooks: input named in errors, admins only, loopback refused by default', async () => {
  let r = await api('POST', '/webhooks', ADMIN, { url: 'ftp://example.org/x', events: ['*'] });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.field, 'url');
  r = await api('POST', '/webhooks', ADMIN, { url: 'https://user:pw@example.org/x', events: ['*'] });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.field, 'url');
  r = await api('POST', '/webhooks', ADMIN, { url: 'https://example.org/x', events: ['record.exploded'] });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.field, 'events');
  r = await api('POST', '/webhooks', ANN, { url: hook.url, events: ['*'] });
  assert.equal(r.status, 403, 'a manager does not configure webhooks');
  r = await api('POST', '/webhooks', ADMIN, { url: `${hook.url}/loopback`, events: ['record.created'] });
  assert.equal(r.status, 201, r.text);
  assert.match(r.json.secret, /^whsec_[A-Za-z0-9_-]{43}$/);
  const id = r.json.id;
  r = await api('GET', `/webhooks/${id}`, ADMIN);
  assert.equal(r.json.secret, undefined, 'the secret is shown once');
  r = await api('POST', '/tasks', ANN, { title: 'Loopback probe', owner: ANN, due: '2030-01-01' });
  assert.equal(r.status, 201, r.text);
  const log = await waitFor('a refused attempt', async () => {
    const d = await api('GET', `/webhooks/${id}/deliveries`, ADMIN);
    return d.json.items.length ? d.json.items : null;
  });
  assert.equal(log[0].ok, false);
  assert.match(log[0].error, /refused: 127\.0\.0\.1 is a loopback, private, link-local or reserved address/);
  assert.equal(hook.at('loopback').length, 0, 'nothing reached the receiver');
  r = await api('DELETE', `/webhooks/${id}`, ADMIN);
  assert.equal(r.status, 204);
  r = await api('GET', `/webhooks/${id}`, ADMIN);
  assert.equal(r.status, 404);
  // Another organisation's webhook is 404.
  aimsOk(['org', 'create', 'other', '--db', env.db]);
  aimsOk(['member', 'add', ADMIN, '--org', 'other', '--role', 'admin', '--db', env.db]);
  r = await request(env.url, 'POST', '/api/v1/orgs/other/webhooks', { auth: s[ADMIN],
    body: { url: `${hook.url}/other`, events: ['*'] } });
  assert.equal(r.status, 201);
  r = await api('GET', `/webhooks/${r.json.id}`, ADMIN);
  assert.equal(r.status, 404);
});

test('deliveries are signed, retried after failures with backoff, and logged', async () => {
  await env.restart({ args: PRIVATE });
  await signInAll();
  let r = await api('POST', '/webhooks', ADMIN, { url: `${hook.url}/signed`, events: ['record.created', 'task.assigned'] });
  assert.equal(r.status, 201, r.text);
  const { id, secret } = r.json;
  hook.plan['/hook/signed record.created'] = [500, 502];
  r = await api('POST', '/tasks', ANN, { title: 'Sign the supplier contract', owner: CORA, due: '2030-02-01' });
  assert.equal(r.status, 201, r.text);
  const task = r.json.ref;
  // record.created fails twice then goes; task.assigned goes at once (or after those).
  const got = () => hook.at('signed');
  await waitFor('three attempts and the assignment', () =>
    got().filter((g) => g.headers['x-aims-event'] === 'record.created').length >= 3 &&
    got().some((g) => g.headers['x-aims-event'] === 'task.assigned'));
  const created = got().filter((g) => g.headers['x-aims-event'] === 'record.created');
  assert.equal(created.length, 3, 'no attempt after the success');
  assert.equal(new Set(created.map((g) => g.headers['x-aims-delivery'])).size, 1,
    'retries carry the same delivery id');
  for (const g of got()) {
    const body = checkSignature(secret, g);
    assert.equal(body.ref, task);
    assert.equal(g.headers['content-type'], 'application/json');
  }
  const assigned = JSON.parse(got().find((g) => g.headers['x-aims-event'] === 'task.assigned').body);
  assert.equal(assigned.assignee, CORA);
  assert.equal(assigned.event, 'task.assigned');
  // A forged body does not verify with the secret.
  const forged = { ...created[2], body: created[2].body.replace(task, 'TASK-999') };
  assert.throws(() => checkSignature(secret, forged));
  // The receiver sees an attempt before the server logs its answer: wait for the log.
  const log = await waitFor('three attempts logged', async () => {
    const items = (await api('GET', `/webhooks/${id}/deliveries`, ADMIN)).json.items
      .filter((d) => d.event === 'record.created').reverse();
    return items.length >= 3 ? items : null;
  });
  assert.deepEqual(log.map((d) => [d.attempt, d.status, d.ok]), [[1, 500, false], [2, 502, false], [3, 200, true]]);
  assert.match(log[0].error, /answered 500/);
  r = await api('GET', `/webhooks/${id}`, ADMIN);
  assert.equal(r.json.failures, 0);
  assert.equal(r.json.enabled, true);
  await api('DELETE', `/webhooks/${id}`, ADMIN);
});

test('a webhook failing again and again is disabled; an admin enables it and the backlog goes', async () => {
  let r = await api('POST', '/webhooks', ADMIN, { url: `${hook.url}/backlog`, events: ['record.created'] });
  const { id, secret } = r.json;
  hook.plan['/hook/backlog record.created'] = Array(10).fill(503);
  for (let i = 0; i < 10; i++) {
    r = await api('POST', '/tasks', ANN, { title: `Backlog ${i}`, owner: ANN, due: '2030-03-01' });
    assert.equal(r.status, 201, r.text);
  }
  const w = await waitFor('the webhook disabled', async () => {
    const g = await api('GET', `/webhooks/${id}`, ADMIN);
    return g.json.enabled === false ? g.json : null;
  });
  assert.match(w.disabled_reason, /10 deliveries in a row failed; the last: the receiver answered 503/);
  const seen = hook.at('backlog').length;
  assert.equal(seen, 10);
  await new Promise((res) => setTimeout(res, 1500));
  assert.equal(hook.at('backlog').length, seen, 'nothing is sent to a disabled webhook');
  r = await api('POST', `/webhooks/${id}/enable`, ANN);
  assert.equal(r.status, 403);
  r = await api('POST', `/webhooks/${id}/enable`, ADMIN);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.enabled, true);
  const titles = await waitFor('all ten delivered', () => {
    const ok = new Set(hook.at('backlog').slice(seen).map((g) => checkSignature(secret, g).title));
    return ok.size === 10 ? ok : null;
  });
  assert.equal(titles.size, 10);
  // The disabling and the enabling are in the ledger, and it verifies.
  r = await request(env.url, 'GET', `${A}/ledger?limit=500`, { auth: s[ADMIN] });
  const acts = r.json.items.filter((e) => e.kind === 'webhook' && e.ref === String(id)).map((e) => `${e.action}:${e.actor}`);
  assert.ok(acts.includes('disable:system'), acts.join());
  assert.ok(acts.includes(`enable:user:${ADMIN}`), acts.join());
  await api('DELETE', `/webhooks/${id}`, ADMIN);
});

test('a server killed right after the commit delivers on restart', async () => {
  let r = await api('POST', '/webhooks', ADMIN, { url: `${hook.url}/crash`, events: ['record.created'] });
  const { secret } = r.json;
  // The delivery thread looks for work once a day: nothing goes before the kill.
  await env.restart({ args: ['--webhooks-private', '--outbox-poll', '86400000'] });
  await signInAll();
  r = await api('POST', '/tasks', ANN, { title: 'Committed before the crash', owner: ANN, due: '2030-04-01' });
  assert.equal(r.status, 201, r.text);
  const ref = r.json.ref;
  env.server.proc.kill('SIGKILL');
  await env.server.exited;
  assert.equal(hook.at('crash').length, 0);
  env.server = await startServer(env.db, { args: PRIVATE });
  env.url = env.server.url;
  await signInAll();
  const got = await waitFor('the delivery after the restart', () => hook.at('crash').find((g) => checkSignature(secret, g).ref === ref));
  assert.equal(JSON.parse(got.body).title, 'Committed before the crash');
});

test('in-app notifications: the bell counts, a read one is read, another org is apart', async () => {
  let r = await api('GET', '/notifications', CORA);
  assert.equal(r.status, 200);
  const before = r.json.unread;
  r = await api('POST', '/tasks', ANN, { title: 'Check the model card', owner: CORA, due: '2030-05-01' });
  const ref = r.json.ref;
  r = await api('GET', '/notifications', CORA);
  assert.equal(r.json.unread, before + 1);
  const n = r.json.items[0];
  assert.equal(n.ref, ref);
  assert.equal(n.event, 'assigned');
  assert.match(n.text, new RegExp(`${ANN} made you the owner of task ${ref}: Check the model card`));
  // Ann did it: she is not told about her own change.
  r = await api('GET', '/notifications', ANN);
  assert.ok(!r.json.items.some((x) => x.ref === ref));
  const page = await request(env.url, 'GET', '/o/acme/', { auth: s[CORA] });
  assert.match(page.text, new RegExp(`data-unread="${before + 1}"`));
  r = await api('POST', '/notifications/read', CORA, { id: n.id });
  assert.equal(r.json.unread, before);
  r = await api('POST', '/notifications/read', CORA, {});
  assert.equal(r.json.unread, 0);
  r = await request(env.url, 'GET', '/api/v1/orgs/other/notifications', { auth: s[CORA] });
  assert.equal(r.status, 404);
});

test('mail: an assignment at once, the daily digest for who chose it, none for none', async () => {
  const maildir = join(env.dir, 'mail');
  for (const d of ['tmp', 'new', 'cur']) mkdirSync(join(maildir, d), { recursive: true });
  const port = await new Promise((res) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => { const p = srv.address().port; srv.close(() => res(p)); });
  });
  const smtpd = spawn('/usr/bin/python3', ['-m', 'aiosmtpd', '-n', '-l', `127.0.0.1:${port}`,
    '-c', 'aiosmtpd.handlers.Mailbox', maildir], { stdio: 'ignore' });
  try {
    await waitFor('the SMTP server', () => new Promise((res) => {
      const c = net.connect(port, '127.0.0.1', () => { c.end(); res(true); });
      c.on('error', () => res(false));
    }));
    let r = await api('PUT', '/notification-settings', BEN, { mail: 'weekly' });
    assert.equal(r.status, 400);
    assert.equal(r.json.error.field, 'mail');
    r = await api('PUT', '/notification-settings', BEN, { mail: 'digest' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.mail, 'digest');
    r = await api('PUT', '/notification-settings', ANN, { mail: 'none' });
    assert.equal(r.status, 200);
    await env.restart({ args: PRIVATE, env: { AIMS_SMTP_URL: `smtp://127.0.0.1:${port}`,
      AIMS_MAIL_FROM: 'aims@acme.example', AIMS_FAKE_NOW: '2030-06-10T05:00:00Z' } });
    await signInAll();
    const mails = () => {
      try {
        return readdirSync(join(maildir, 'new')).map((f) => readFileSync(join(maildir, 'new', f), 'utf8'));
      } catch { return []; }
    };
    const text = (m) => Buffer.from(m.split(/\r?\n\r?\n/).slice(1).join('').replace(/\s+/g, ''), 'base64').toString('utf8');
    r = await api('POST', '/tasks', ADMIN, { title: 'Renew the DPIA, soon', owner: CORA, due: '2030-06-01' });
    const coraTask = r.json.ref;
    r = await api('POST', '/tasks', ADMIN, { title: 'Review the risk register', owner: BEN, due: '2030-06-01' });
    const benTask = r.json.ref;
    r = await api('POST', '/tasks', ADMIN, { title: 'Nobody mails me', owner: ANN, due: '2030-06-01' });
    // Mail queued while no server was set up goes too; this one is about coraTask.
    const m = await waitFor('the mail to Cora', () => mails().find((x) =>
      /^To: cora@example\.com/m.test(x) && x.includes(`${coraTask}: assigned to you`)));
    assert.match(m, /^From: aims@acme\.example/m);
    assert.match(m, new RegExp(`^Subject: \\[OpenAIMS\\] ${coraTask}: assigned to you`, 'm'));
    assert.match(text(m), new RegExp(`made you the owner of task ${coraTask}: Renew the DPIA, soon`));
    // Before the digest hour (06:00 UTC): Ben has had nothing, Ann nothing at all.
    await new Promise((res) => setTimeout(res, 1000));
    assert.ok(!mails().some((x) => /^To: (ben|ann)@example\.com/m.test(x)));
    await env.restart({ args: PRIVATE, env: { AIMS_SMTP_URL: `smtp://127.0.0.1:${port}`,
      AIMS_MAIL_FROM: 'aims@acme.example', AIMS_FAKE_NOW: '2030-06-10T07:00:00Z' } });
    const digest = await waitFor('the digest to Ben', () => mails().find((x) => /^To: ben@example\.com/m.test(x)));
    assert.match(digest, /^Subject: \[OpenAIMS\] Your work in acme, 2030-06-10/m);
    const body = text(digest);
    assert.match(body, /Overdue \(1\):/);
    assert.match(body, new RegExp(`2030-06-01  ${benTask} task: Review the risk register`));
    assert.match(body, /Unread notifications \(1\):/);
    await new Promise((res) => setTimeout(res, 1000));
    assert.equal(mails().filter((x) => /^To: ben@example\.com/m.test(x)).length, 1, 'one digest a day');
    assert.ok(!mails().some((x) => /^To: ann@example\.com/m.test(x)));
  } finally {
    smtpd.kill('SIGTERM');
  }
});

test('the command line: webhooks for admins, mail settings beside the database', async () => {
  const base = ['--org', 'acme', '--db', env.db];
  let r = aims(['webhook', 'create', 'https://hooks.example.org/cli', '--events', 'record.created,task.assigned', ...base, '--as', ANN]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /webhooks are set up by an admin/);
  r = aims(['webhook', 'create', 'https://hooks.example.org/cli', '--events', 'record.exploded', ...base, '--as', ADMIN]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /field 'events': 'record\.exploded' is not an event/);
  r = aims(['webhook', 'create', 'https://hooks.example.org/cli', '--events', 'record.created,task.assigned', ...base, '--as', ADMIN]);
  assert.equal(r.status, 0, r.stderr);
  const w = JSON.parse(r.stdout);
  assert.match(w.secret, /^whsec_/);
  assert.deepEqual(w.events, ['record.created', 'task.assigned']);
  r = aims(['webhook', 'list', ...base]);
  assert.match(r.stdout, new RegExp(`^${w.id}  enabled  https://hooks\\.example\\.org/cli$`, 'm'));
  assert.doesNotMatch(r.stdout, /whsec_/);
  r = aims(['webhook', 'delete', String(w.id), ...base, '--as', ADMIN]);
  assert.equal(r.status, 0, r.stderr);
  r = aims(['webhook', 'deliveries', String(w.id), ...base]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /no webhook/);
  r = aims(['webhook', '--help']);
  assert.match(r.stdout, /X-AIMS-Signature/);
  // Mail settings: a file of their own, 0600, the password never printed.
  r = aims(['config', 'set', 'smtp_url', 'smtp://aims:s3cret@mail.example.org:587', '--db', env.db]);
  assert.equal(r.status, 0, r.stderr);
  r = aims(['config', 'set', 'smtp_password', 'x', '--db', env.db]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /unknown setting 'smtp_password'/);
  r = aims(['config', 'list', '--db', env.db]);
  assert.equal(r.stdout, 'smtp_url=smtp://aims:****@mail.example.org:587\n');
  assert.equal(statSync(localFileOf(env.db, '.conf')).mode & 0o777, 0o600);
  const inDb = dumpDb(env.db);
  assert.match(inDb, /webhooks/, 'the dump is of the store');
  assert.ok(!inDb.includes('s3cret'), 'the password is not in the database');
  r = aims(['config', 'unset', 'smtp_url', '--db', env.db]);
  assert.equal(aims(['config', 'list', '--db', env.db]).stdout, '');
});

test('the webhooks page: admins add one (its secret shown once), enable and delete; others 403', async () => {
  let page = await request(env.url, 'GET', '/o/acme/webhooks', { auth: s[ANN] });
  assert.equal(page.status, 403);
  page = await request(env.url, 'GET', '/o/acme/webhooks', { auth: s[ADMIN] });
  assert.equal(page.status, 200);
  const csrf = page.text.match(/name="_csrf" value="([^"]+)"/)[1];
  const form = (fields) => ({ body: new URLSearchParams(fields).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' }, auth: s[ADMIN] });
  const body = new URLSearchParams([['_csrf', csrf], ['url', 'https://hooks.example.org/page'],
    ['events', 'record.created'], ['events', 'approval.requested']]);
  let r = await request(env.url, 'POST', '/o/acme/webhooks', { auth: s[ADMIN], body: body.toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  assert.equal(r.status, 200, r.text);
  assert.match(r.text, /data-secret>The signing secret of https:\/\/hooks\.example\.org\/page: <span class="feed-url">whsec_/);
  const id = (await api('GET', '/webhooks', ADMIN)).json.items.find((w) => w.url === 'https://hooks.example.org/page').id;
  page = await request(env.url, 'GET', '/o/acme/webhooks', { auth: s[ADMIN] });
  assert.doesNotMatch(page.text, /whsec_/, 'the secret is shown once');
  assert.match(page.text, new RegExp(`data-webhook="${id}"[\\s\\S]*?Events: record\\.created, approval\\.requested`));
  // Disabled by repeated failure (as the delivery thread would), enabled from the page.
  aimsOk(['webhook', 'list', '--org', 'acme', '--db', env.db]);
  sqlBehind(env.db, `UPDATE webhooks SET enabled = 0, failures = 10, disabled_reason = 'tested' WHERE id = ${id};`);
  r = await request(env.url, 'POST', `/o/acme/webhooks/${id}/enable`, form({ _csrf: csrf }));
  assert.equal(r.status, 303);
  assert.equal((await api('GET', `/webhooks/${id}`, ADMIN)).json.enabled, true);
  r = await request(env.url, 'POST', `/o/acme/webhooks/${id}/delete`, form({ _csrf: csrf }));
  assert.equal(r.status, 303);
  assert.equal((await api('GET', `/webhooks/${id}`, ADMIN)).status, 404);
});

test('an import tells each person once, with how many records are theirs', async () => {
  const before = (await api('GET', '/notifications', CORA)).json;
  const csv = join(env.dir, 'tasks.csv');
  writeFileSync(csv, `title,owner,due\n${[1, 2, 3].map((i) => `Imported ${i},${CORA},2030-07-0${i}`).join('\n')}\nMine,${ADMIN},2030-07-09\n`);
  aimsOk(['import', 'tasks', csv, '--org', 'acme', '--as', ADMIN, '--db', env.db]);
  const after = (await api('GET', '/notifications', CORA)).json;
  assert.equal(after.unread, before.unread + 1);
  assert.equal(after.items[0].text, `${ADMIN} made you the owner of 3 tasks in an import.`);
  // A checked import keeps nothing and tells nobody.
  aimsOk(['import', 'tasks', csv, '--org', 'acme', '--as', ADMIN, '--db', env.db, '--check']);
  assert.equal((await api('GET', '/notifications', CORA)).json.unread, after.unread);
});

test('mail over STARTTLS: the server\'s certificate is checked, and a trusted one delivers', async () => {
  const dir = join(env.dir, 'tls');
  const maildir = join(dir, 'mail');
  for (const d of ['tmp', 'new', 'cur']) mkdirSync(join(maildir, d), { recursive: true });
  // Outside the database's directory: the sandbox opens the CA file named, wherever it is.
  const cert = join(tempDir(), 'smtp-cert.pem');
  const key = join(dir, 'smtp-key.pem');
  const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1',
    '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', key, '-out', cert],
  { encoding: 'utf8' });
  assert.equal(made.status, 0, made.stderr);
  const port = await new Promise((res) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => { const p = srv.address().port; srv.close(() => res(p)); });
  });
  // The server refuses any mail before STARTTLS (aiosmtpd's require_starttls).
  const smtpd = spawn('/usr/bin/python3', ['-m', 'aiosmtpd', '-n', '-l', `127.0.0.1:${port}`,
    '--tlscert', cert, '--tlskey', key, '-c', 'aiosmtpd.handlers.Mailbox', maildir], { stdio: 'ignore' });
  const mails = () => {
    try { return readdirSync(join(maildir, 'new')); } catch { return []; }
  };
  try {
    await waitFor('the SMTP server', () => new Promise((res) => {
      const c = net.connect(port, '127.0.0.1', () => { c.end(); res(true); });
      c.on('error', () => res(false));
    }));
    const mailEnv = { AIMS_SMTP_URL: `smtp://127.0.0.1:${port}`, AIMS_MAIL_FROM: 'aims@acme.example' };
    // Not trusted: the certificate is refused and nothing is sent.
    await env.restart({ args: PRIVATE, env: mailEnv });
    await signInAll();
    let r = await api('POST', '/tasks', ADMIN, { title: 'Over TLS', owner: CORA, due: '2030-08-01' });
    assert.equal(r.status, 201, r.text);
    const ref = r.json.ref;
    await waitFor('a refused certificate', () => /outbox: mail \d+ attempt \d+ failed: .*(SSL|certificate)/i.test(env.server.errors()));
    assert.equal(mails().length, 0);
    // Trusted through AIMS_SMTP_CA_FILE: what waited goes, over TLS.
    await env.restart({ args: PRIVATE, env: { ...mailEnv, AIMS_SMTP_CA_FILE: cert } });
    await signInAll();
    // Among what waited (earlier tests queued mail too), the mail about this task.
    await waitFor('the mail over TLS', () => mails().some((f) => {
      const m = readFileSync(join(maildir, 'new', f), 'utf8');
      return /^To: cora@example\.com/m.test(m) && m.includes(`${ref}: assigned to you`);
    }));
  } finally {
    smtpd.kill('SIGTERM');
  }
});
