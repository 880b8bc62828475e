// group_commit.test.mjs - record changes go through the server's one writer
// (group commit): concurrent changes are applied each on its own (a refused
// one does not fail the others), every change is answered only once it is
// committed, and a server killed with SIGKILL during concurrent writes has
// kept every change it acknowledged, with a ledger that verifies. Sign-ins,
// sign-outs, Idempotency-Keys and evidence uploads go through it too: under
// a concurrent load of them no request writes on its own connection, and
// after a SIGKILL during keyed creates every acknowledged key replays. So do
// the administration and account changes: memberships, tokens, organisations,
// passwords, comments, notifications, webhooks, feeds and the concerns channel.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { makeDb, startServer, request, aimsOk, aims, addMember, addOrg, signIn, ADMIN, PASSWORD, PG_URL } from './lib.mjs';

const A = '/api/v1/orgs/acme';
const CLIENTS = 16;

function token(db, role = 'contributor') {
  const out = aimsOk(['token', 'create', '--db', db, '--org', 'acme', '--name', `t-${role}-${Math.random()}`,
    '--role', role, '--format', 'json']).stdout;
  return { token: JSON.parse(out).token };
}

async function writerCounts(url, auth) {
  const r = await request(url, 'GET', '/metrics', { auth });
  const figure = (name) => Number((r.text.match(new RegExp(`^${name} (\\d+)$`, 'm')) || [])[1]);
  return { requests: figure('aims_db_write_requests_total'), groups: figure('aims_db_write_groups_total') };
}

test('concurrent changes: each applied or refused on its own, all through the writer', async () => {
  const { dir, db } = makeDb();
  const server = await startServer(db);
  try {
    const auth = token(db);
    const admin = token(db, 'admin');
    // A token's first use writes its last use through the writer too: done
    // here, so that the counts below are the records' changes alone.
    await request(server.url, 'GET', `${A}/ai-systems`, { auth });
    const before = await writerCounts(server.url, admin);
    assert.ok(Number.isInteger(before.requests), 'the writer counts its changes in /metrics');
    // Every other create is refused (an unknown lifecycle stage): the refusals
    // must not undo the good ones sharing their transaction.
    const results = await Promise.all(Array.from({ length: CLIENTS }, (_, i) =>
      request(server.url, 'POST', `${A}/ai-systems`, {
        auth, body: { name: `System ${i}`, lifecycle_stage: i % 2 ? 'flying' : 'deployment' },
      })));
    const good = results.filter((r, i) => i % 2 === 0);
    const bad = results.filter((r, i) => i % 2 === 1);
    for (const r of good) assert.equal(r.status, 201, r.text);
    for (const r of bad) {
      assert.equal(r.status, 400, r.text);
      assert.equal(r.json.error.field, 'lifecycle_stage');
    }
    const refs = new Set(good.map((r) => r.json.ref));
    assert.equal(refs.size, CLIENTS / 2, 'every created record has its own reference');
    const list = await request(server.url, 'GET', `${A}/ai-systems?limit=100`, { auth });
    assert.equal(list.json.total, CLIENTS / 2);
    assert.deepEqual(new Set(list.json.items.map((x) => x.ref)), refs);
    // Updates and deletes go the same way; a stale version is refused alone.
    const [first, second] = good.map((r) => r.json);
    const [ok, stale] = await Promise.all([
      request(server.url, 'PATCH', `${A}/ai-systems/${first.ref}`, { auth, body: { purpose: 'Ranks claims' }, headers: { 'if-match': '"1"' } }),
      request(server.url, 'PATCH', `${A}/ai-systems/${second.ref}`, { auth, body: { purpose: 'Late' }, headers: { 'if-match': '"7"' } }),
    ]);
    assert.equal(ok.status, 200, ok.text);
    assert.equal(stale.status, 412, stale.text);
    const read = await request(server.url, 'GET', `${A}/ai-systems/${first.ref}`, { auth });
    assert.equal(read.json.purpose, 'Ranks claims');
    assert.equal(read.headers.get('etag'), '"2"');
    const after = await writerCounts(server.url, admin);
    assert.equal(after.requests - before.requests, CLIENTS + 2, 'every change went through the writer');
    const m = (await request(server.url, 'GET', '/metrics', { auth: admin })).text;
    for (const name of ['aims_db_log_copies_total', 'aims_db_log_restarts_total'])
      assert.match(m, new RegExp(`^# TYPE ${name} counter\\n${name} \\d+$`, 'm'));
    // The writer's load: nothing left queued once every change is answered,
    // and its time writing groups, of which the commits are a part.
    assert.match(m, /^# TYPE aims_db_writer_queued gauge\naims_db_writer_queued 0$/m);
    const seconds = (name) => Number((m.match(new RegExp(`^${name} ([0-9.]+)$`, 'm')) || [])[1]);
    const busy = seconds('aims_db_writer_busy_seconds_total');
    const commit = seconds('aims_db_writer_commit_seconds_total');
    assert.ok(commit > 0 && busy > commit, `writer busy ${busy} s, committing ${commit} s`);
    assert.ok(after.groups - before.groups >= 1 && after.groups - before.groups <= CLIENTS + 2);
  } finally {
    await server.stop();
  }
  assert.match(aimsOk(['verify', '--db', db]).stdout, /verified/);
  rmSync(dir, { recursive: true, force: true });
});

test("a token's last use is written through the writer, once for a burst of its requests", async () => {
  const { dir, db } = makeDb();
  const admin = token(db, 'admin');
  const auth = token(db, 'viewer');
  let server = await startServer(db, { env: { AIMS_FAKE_NOW: '2030-01-01T00:00:00Z' } });
  try {
    const before = await writerCounts(server.url, admin);
    // Beside the writer, each of these waited in SQLite's busy handler while
    // the writer committed: the once-a-minute write stalled a busy client.
    const reads = await Promise.all(Array.from({ length: CLIENTS }, () =>
      request(server.url, 'GET', `${A}/ai-systems`, { auth })));
    for (const r of reads) assert.equal(r.status, 200, r.text);
    const after = await writerCounts(server.url, admin);
    assert.equal(after.requests - before.requests, 1, 'one write for the burst, by the writer');
    const list = await request(server.url, 'GET', `${A}/tokens`, { auth: admin });
    const used = list.json.items.find((t) => t.role === 'viewer');
    assert.equal(used.last_used_at, '2030-01-01T00:00:00Z');
    // Within the minute: no write at all.
    await request(server.url, 'GET', `${A}/ai-systems`, { auth });
    assert.equal((await writerCounts(server.url, admin)).requests, after.requests);
    await server.stop();
    // A minute later it is due again.
    server = await startServer(db, { env: { AIMS_FAKE_NOW: '2030-01-01T00:01:00Z' } });
    const again = await writerCounts(server.url, admin);
    assert.equal((await request(server.url, 'GET', `${A}/ai-systems`, { auth })).status, 200);
    assert.equal((await writerCounts(server.url, admin)).requests - again.requests, 1);
    const later = await request(server.url, 'GET', `${A}/tokens`, { auth: admin });
    assert.equal(later.json.items.find((t) => t.role === 'viewer').last_used_at, '2030-01-01T00:01:00Z');
  } finally {
    await server.stop();
  }
  rmSync(dir, { recursive: true, force: true });
});

test('SIGKILL during concurrent writes: every acknowledged record is kept and verify passes', async () => {
  const { dir, db } = makeDb();
  const server = await startServer(db);
  const auth = token(db);
  const admin = token(db, 'admin');
  const acked = new Map();	// ref -> name, for every 201 received
  const ACKED_BEFORE_KILL = 200;
  const ACKED_AT_MOST = 20000;	// the log must have been restarted long before
  let killed = false;
  // The kill comes once the writer has also restarted its log at least once
  // (a copy of it into the database beside the commits, then one by the
  // writer), so the crash finds a log that was copied and started again.
  // PostgreSQL keeps its own log: there is nothing to wait for.
  let restarted = Boolean(PG_URL);
  const watcher = async () => {
    while (!killed && !restarted) {
      try {
        const m = (await request(server.url, 'GET', '/metrics', { auth: admin })).text;
        const figure = (name) => Number((m.match(new RegExp(`^${name} (\\d+)$`, 'm')) || [])[1]);
        restarted = figure('aims_db_log_copies_total') >= 1 && figure('aims_db_log_restarts_total') >= 1;
      } catch {
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  const client = async (c) => {
    for (let i = 0; !killed; i++) {
      const name = `Crash ${c}-${i}`;
      let r;
      try {
        r = await request(server.url, 'POST', `${A}/ai-systems`, { auth, body: { name, lifecycle_stage: 'deployment' } });
      } catch {
        return;	// the server is gone: this request was never acknowledged
      }
      if (r.status === 201) acked.set(r.json.ref, name);
      else assert.fail(`create answered ${r.status}: ${r.text}`);
      if (!killed && ((acked.size >= ACKED_BEFORE_KILL && restarted) || acked.size >= ACKED_AT_MOST)) {
        killed = true;
        server.proc.kill('SIGKILL');
      }
    }
  };
  await Promise.all([watcher(), ...Array.from({ length: CLIENTS }, (_, c) => client(c))]);
  assert.ok(restarted, `the log was not restarted in ${acked.size} creates`);
  const { signal } = await server.exited;
  assert.equal(signal, 'SIGKILL');
  assert.ok(acked.size >= ACKED_BEFORE_KILL);

  // Every acknowledged record is there, as acknowledged; the ledger verifies.
  const v = aims(['verify', '--db', db]);
  assert.equal(v.status, 0, v.stderr + v.stdout);
  const again = await startServer(db);
  try {
    for (const [ref, name] of acked) {
      const r = await request(again.url, 'GET', `${A}/ai-systems/${ref}`, { auth });
      assert.equal(r.status, 200, `${ref}: ${r.text}`);
      assert.equal(r.json.name, name);
    }
  } finally {
    await again.stop();
  }
  rmSync(dir, { recursive: true, force: true });
});

// Sends again while the server answers 503 (at most so many password checks run at once).
async function retried(send) {
  for (let i = 0; ; i++) {
    const r = await send();
    if (r.status !== 503 || i === 200) return r;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

// /metrics figures by name.
async function figures(url, auth) {
  const m = (await request(url, 'GET', '/metrics', { auth })).text;
  return (name) => Number((m.match(new RegExp(`^${name} (\\d+)$`, 'm')) || [])[1]);
}

// A multipart upload of a new evidence record and its file over the API.
async function uploadEvidence(url, auth, name, headers = {}) {
  const form = new FormData();
  form.append('record', JSON.stringify({ title: `Evidence ${name}`, source: 'ci' }));
  form.append('file', new Blob([`report ${name}\n`]), `${name}.txt`);
  const r = await fetch(`${url}${A}/evidence`, {
    method: 'POST', headers: { authorization: `Bearer ${auth.token}`, ...headers }, body: form,
  });
  const text = await r.text();
  return { status: r.status, headers: r.headers, text, json: text ? JSON.parse(text) : undefined };
}

// The sign-in page's form: its token cookie and field, then the post.
async function webSignIn(url, email, password) {
  const page = await fetch(`${url}/sign-in`);
  const cookie = (page.headers.get('set-cookie') || '').match(/aims_signin=([^;]+)/)[1];
  const csrf = (await page.text()).match(/name="_csrf" value="([^"]+)"/)[1];
  const r = await fetch(`${url}/sign-in`, {
    method: 'POST', redirect: 'manual',
    headers: { cookie: `aims_signin=${cookie}`, origin: url, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: csrf, email, password }).toString(),
  });
  await r.text();
  const session = (r.headers.get('set-cookie') || '').match(/aims_session=([^;]+)/);
  return { status: r.status, cookie: session ? `aims_session=${session[1]}` : undefined };
}

// A new evidence record with its file from the page's form (multipart, with the session's token).
async function webUpload(url, cookie, name) {
  const page = await fetch(`${url}/o/acme/evidence/new`, { headers: { cookie } });
  const html = await page.text();
  assert.equal(page.status, 200, html);
  const csrf = html.match(/name="_csrf" value="([^"]+)"/)[1];
  const form = new FormData();
  form.append('_csrf', csrf);
  // Each field comes with its marker, as the page's form sends it.
  for (const [f, v] of [['title', `Page evidence ${name}`], ['kind', 'file']]) {
    form.append('_f', f);
    form.append(f, v);
  }
  form.append('file', new Blob([`page report ${name}\n`]), `${name}.txt`);
  const r = await fetch(`${url}/o/acme/evidence`, {
    method: 'POST', redirect: 'manual', headers: { cookie, origin: url }, body: form,
  });
  return { status: r.status, text: await r.text(), location: r.headers.get('location') };
}

test('sign-ins, Idempotency-Keys and uploads under load: every write through the writer', async () => {
  const { dir, db } = makeDb();
  const people = Array.from({ length: 4 }, (_, i) => `member${i}@example.com`);
  for (const p of people) addMember(db, p, 'contributor');
  const server = await startServer(db);
  try {
    const auth = token(db);
    const admin = token(db, 'admin');
    const before = await figures(server.url, admin);
    assert.equal(before('aims_db_stray_writes_total'), 0, 'the count is in /metrics');
    const keyed = (i) => ({ 'idempotency-key': `create-${i}` });
    const create = (i) => request(server.url, 'POST', `${A}/ai-systems`, {
      auth, headers: keyed(i), body: { name: `Keyed ${i}`, lifecycle_stage: 'deployment' } });
    // CLIENTS clients at once (within the server's connections per address), each a mix.
    const client = async (i) => {
      const who = people[i % people.length];
      // An idempotent create sent twice at once: one runs, the other waits (409) or replays.
      for (const r of await Promise.all([create(i), create(i)]))
        assert.ok(r.status === 201 || r.status === 409, `${r.status} ${r.text}`);
      // An upload, every other one with a key of its own.
      const up = await uploadEvidence(server.url, auth, `up-${i}`, i % 2 ? { 'idempotency-key': `up-${i}` } : {});
      assert.equal(up.status, 201, up.text);
      // A sign-in over the API, its session used at once, and a sign-out.
      const r = await retried(() => request(server.url, 'POST', '/api/v1/session', { body: { email: who, password: PASSWORD } }));
      assert.equal(r.status, 200, r.text);
      const cookie = `aims_session=${(r.headers.get('set-cookie') || '').match(/aims_session=([^;]+)/)[1]}`;
      const me = await request(server.url, 'GET', '/api/v1/session', { auth: { cookie } });
      assert.equal(me.status, 200, 'the session was on disk when its cookie came');
      const out = await request(server.url, 'DELETE', '/api/v1/session', { auth: { cookie } });
      assert.equal(out.status, 204, out.text);
      // A wrong password (counted), then a sign-in on the page, and a page's upload.
      const bad = await retried(() => request(server.url, 'POST', '/api/v1/session', {
        body: { email: `nobody${i}@example.com`, password: 'wrong wrong wrong' } }));
      assert.equal(bad.status, 401, bad.text);
      const s = await retried(() => webSignIn(server.url, who, PASSWORD));
      assert.equal(s.status, 303);
      if (i % 4 === 0) {
        const u = await webUpload(server.url, s.cookie, `page-${i}`);
        assert.equal(u.status, 303, u.text);
      }
    };
    await Promise.all(Array.from({ length: CLIENTS }, (_, i) => client(i)));
    // A replay of every key answers the first answer: it was stored with the create.
    const made = new Set();
    for (let i = 0; i < CLIENTS; i++) {
      const r = await request(server.url, 'POST', `${A}/ai-systems`, {
        auth, headers: keyed(i), body: { name: `Keyed ${i}`, lifecycle_stage: 'deployment' } });
      assert.equal(r.status, 201, r.text);
      assert.equal(r.headers.get('idempotent-replayed'), 'true');
      made.add(r.json.ref);
    }
    assert.equal(made.size, CLIENTS);
    const list = await request(server.url, 'GET', `${A}/ai-systems?limit=100`, { auth });
    assert.equal(list.json.total, CLIENTS, 'one record per key');
    const after = await figures(server.url, admin);
    assert.equal(after('aims_db_stray_writes_total'), 0, 'no request wrote beside the writer');
    assert.ok(after('aims_db_write_requests_total') - before('aims_db_write_requests_total') >= CLIENTS * 8,
      'the sign-ins, keys and uploads were the writer\'s changes');
  } finally {
    await server.stop();
  }
  assert.match(aimsOk(['verify', '--db', db]).stdout, /verified/);
  rmSync(dir, { recursive: true, force: true });
});

test('memberships, tokens, organisations, accounts and notifications at once: every write through the writer', async () => {
  const { dir, db } = makeDb();
  const N = 6;
  // People with accounts (made in another organisation) whom acme's admins add.
  addOrg(db, 'beta');
  const people = Array.from({ length: N }, (_, i) => `joiner${i}@example.com`);
  for (const p of people) addMember(db, p, 'viewer', 'beta');
  addMember(db, ADMIN, 'admin', 'beta');	// so that acme's admin may disable them
  const server = await startServer(db, { args: ['--webhooks-private'] });
  try {
    const admin = token(db, 'admin');
    // Tokens and webhooks are a person's to make: the admin signs in.
    const boss = { cookie: (await signIn(server.url, ADMIN)).cookie };
    const before = await figures(server.url, admin);
    const sys = await request(server.url, 'POST', `${A}/ai-systems`, { auth: admin, body: { name: 'Commented', lifecycle_stage: 'deployment' } });
    assert.equal(sys.status, 201, sys.text);
    const ok = (r, status) => assert.equal(r.status, status, `${r.status} ${r.text}`);
    const client = async (i) => {
      const email = people[i];
      const m = `${A}/members/${email}`;
      ok(await request(server.url, 'POST', `${A}/members`, { auth: boss, body: { email, role: 'viewer' } }), 201);
      const got = await request(server.url, 'GET', m, { auth: boss });
      ok(await request(server.url, 'PATCH', m, { auth: boss, body: { role: 'contributor' }, headers: { 'if-match': got.headers.get('etag') } }), 200);
      ok(await request(server.url, 'POST', `${m}/disable`, { auth: boss }), 200);
      ok(await request(server.url, 'POST', `${m}/enable`, { auth: boss }), 200);
      // The person's own changes, on their session.
      const si = await retried(() => request(server.url, 'POST', '/api/v1/session', { body: { email, password: PASSWORD } }));
      ok(si, 200);
      const me = { cookie: `aims_session=${(si.headers.get('set-cookie') || '').match(/aims_session=([^;]+)/)[1]}` };
      ok(await request(server.url, 'POST', `${A}/ai-systems/${sys.json.ref}/comments`, { auth: me, body: { body: `Note ${i}` } }), 201);
      ok(await request(server.url, 'POST', `${A}/notifications/read`, { auth: me, body: {} }), 200);
      ok(await request(server.url, 'PUT', `${A}/notification-settings`, { auth: me, body: { mail: 'digest' } }), 200);
      const feed = await request(server.url, 'POST', `${A}/calendar-feeds`, { auth: me, body: { scope: 'me' } });
      ok(feed, 201);
      ok(await request(server.url, 'DELETE', `${A}/calendar-feeds/${feed.json.id}`, { auth: me }), 204);
      ok(await retried(() => request(server.url, 'POST', '/api/v1/session/password', { auth: me, body: { current_password: PASSWORD, new_password: `${PASSWORD} ${i}` } })), 204);
      const org = await request(server.url, 'POST', '/api/v1/orgs', { auth: me, body: { slug: `own-${i}`, name: `Own ${i}` } });
      ok(org, 201);
      const o = await request(server.url, 'GET', `/api/v1/orgs/own-${i}`, { auth: me });
      ok(await request(server.url, 'PATCH', `/api/v1/orgs/own-${i}`, { auth: me, body: { timezone: 'Europe/Paris' }, headers: { 'if-match': o.headers.get('etag') } }), 200);
      // The admin's tokens and webhooks, and the member's removal.
      const t = await request(server.url, 'POST', `${A}/tokens`, { auth: boss, body: { name: `t${i}`, role: 'viewer' } });
      ok(t, 201);
      ok(await request(server.url, 'DELETE', `${A}/tokens/${t.json.ref}`, { auth: boss, headers: { 'if-match': t.headers.get('etag') } }), 204);
      const h = await request(server.url, 'POST', `${A}/webhooks`, { auth: boss, body: { url: `http://127.0.0.1:9/hook-${i}`, events: ['record.created'] } });
      ok(h, 201);
      ok(await request(server.url, 'POST', `${A}/webhooks/${h.json.id}/enable`, { auth: boss }), 200);
      ok(await request(server.url, 'DELETE', `${A}/webhooks/${h.json.id}`, { auth: boss }), 204);
      const now = await request(server.url, 'GET', m, { auth: boss });
      ok(await request(server.url, 'DELETE', m, { auth: boss, headers: { 'if-match': now.headers.get('etag') } }), 204);
    };
    await Promise.all(Array.from({ length: N }, (_, i) => client(i)));
    ok(await request(server.url, 'POST', `${A}/concern-channel`, { auth: boss, body: { open: true } }), 200);
    ok(await request(server.url, 'POST', '/api/v1/public/orgs/acme/concerns', { body: { text: 'Something is off with the model.' } }), 201);
    const after = await figures(server.url, admin);
    assert.equal(after('aims_db_stray_writes_total'), 0, 'no request wrote beside the writer');
    assert.ok(after('aims_db_write_requests_total') - before('aims_db_write_requests_total') >= N * 18,
      'each of those changes was one of the writer\'s');
    const members = await request(server.url, 'GET', `${A}/members?limit=100`, { auth: boss });
    assert.deepEqual(members.json.items.filter((x) => people.includes(x.email)), [], 'every joiner was removed again');
  } finally {
    await server.stop();
  }
  assert.match(aimsOk(['verify', '--db', db]).stdout, /verified/);
  rmSync(dir, { recursive: true, force: true });
});

test('SIGKILL during idempotent creates: every acknowledged key replays its first answer', async () => {
  const { dir, db } = makeDb();
  const server = await startServer(db);
  const auth = token(db);
  const acked = new Map();	// key -> ref, for every 201 received
  const ACKED_BEFORE_KILL = 100;
  let killed = false;
  const body = (key) => ({ name: `Keyed ${key}`, lifecycle_stage: 'deployment' });
  const client = async (c) => {
    for (let i = 0; !killed; i++) {
      const key = `crash-${c}-${i}`;
      let r;
      try {
        r = await request(server.url, 'POST', `${A}/ai-systems`, { auth, headers: { 'idempotency-key': key }, body: body(key) });
      } catch {
        return;	// the server is gone: never acknowledged
      }
      if (r.status === 201) acked.set(key, r.json.ref);
      else assert.fail(`create answered ${r.status}: ${r.text}`);
      if (!killed && acked.size >= ACKED_BEFORE_KILL) {
        killed = true;
        server.proc.kill('SIGKILL');
      }
    }
  };
  await Promise.all(Array.from({ length: CLIENTS }, (_, c) => client(c)));
  assert.equal((await server.exited).signal, 'SIGKILL');
  // Each acknowledged key's answer was on disk with its record: a retry replays it.
  const again = await startServer(db);
  try {
    for (const [key, ref] of acked) {
      const r = await request(again.url, 'POST', `${A}/ai-systems`, { auth, headers: { 'idempotency-key': key }, body: body(key) });
      assert.equal(r.status, 201, `${key}: ${r.text}`);
      assert.equal(r.headers.get('idempotent-replayed'), 'true', key);
      assert.equal(r.json.ref, ref);
    }
  } finally {
    await again.stop();
  }
  assert.equal(aims(['verify', '--db', db]).status, 0);
  rmSync(dir, { recursive: true, force: true });
});
