// ical.test.mjs - calendar feeds, black-box: a feed's URL is made once, read
// with no other credentials, parsed back against RFC 5545 (CRLF line ends,
// content lines folded at 75 octets without splitting a character, TEXT
// escaped, DTSTAMP in UTC, all-day dates), revoked at once, and never leaks
// another person's or organisation's work; who may make an organisation's.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN, aimsOk, request, setup, signIn } from './lib.mjs';

const ANN = 'ann@example.com';	// manager
const CORA = 'cora@example.com';	// contributor
const A = '/api/v1/orgs/acme';
const TRICKY = 'Review, sign; file \\ archive — the supplier\'s "AI Act" obligations, clause by clause, once more';

let env;
const s = {};

const api = (method, path, who, body) => request(env.url, method, A + path, { auth: s[who], body });

// RFC 5545 3.1: unfold (CRLF followed by one space or tab), then split the properties.
function parse(text) {
  assert.ok(text.endsWith('\r\n'), 'the last line ends with CRLF');
  const raw = text.slice(0, -2).split('\r\n');
  for (const l of raw) {
    assert.ok(Buffer.byteLength(l, 'utf8') <= 75, `a line of ${Buffer.byteLength(l, 'utf8')} octets: ${l}`);
    assert.ok(!l.includes('\n') && !l.includes('\r'), 'no bare line break');
    // A fold never splits a UTF-8 character: every physical line is valid UTF-8 on its own.
    assert.equal(Buffer.from(l, 'utf8').toString('utf8'), l);
  }
  const lines = text.replace(/\r\n[ \t]/g, '').slice(0, -2).split('\r\n');
  const events = [];
  let cur = null;
  for (const l of lines) {
    if (l === 'BEGIN:VEVENT') cur = {};
    else if (l === 'END:VEVENT') { events.push(cur); cur = null; }
    else if (cur) {
      const i = l.indexOf(':');
      cur[l.slice(0, i)] = l.slice(i + 1);
    }
  }
  return { lines, events, folded: raw.length > lines.length };
}

// TEXT unescaped (RFC 5545 3.3.11).
const unescape = (v) => v.replace(/\\([\\;,nN])/g, (_, c) => (c === 'n' || c === 'N' ? '\n' : c));

before(async () => {
  env = await setup({ env: { AIMS_FAKE_NOW: '2026-06-10T12:34:56Z' } });
  for (const [email, role] of [[ANN, 'manager'], [CORA, 'contributor']]) {
    aimsOk(['user', 'add', email, '--password-stdin', '--db', env.db], { input: 'correct horse battery staple\n' });
    aimsOk(['member', 'add', email, '--org', 'acme', '--role', role, '--db', env.db]);
  }
  for (const who of [ADMIN, ANN, CORA]) s[who] = await signIn(env.url, who);
});

after(async () => { await env?.cleanup(); });

test('a person\'s feed: their work, escaped, folded, in UTC, read with the URL alone', async () => {
  let r = await api('POST', '/tasks', ANN, { title: TRICKY, owner: CORA, due: '2026-06-30',
    notes: 'line one\nline two' });
  assert.equal(r.status, 201, r.text);
  const task = r.json.ref;
  r = await api('POST', '/tasks', ANN, { title: 'Not Cora\'s', owner: ANN, due: '2026-06-30' });
  r = await api('POST', '/calendar-feeds', CORA, { scope: 'me' });
  assert.equal(r.status, 201, r.text);
  assert.match(r.json.url, /^\/ical\/\d+-[A-Za-z0-9_-]{43}\.ics$/);
  const { url, id } = r.json;
  r = await api('GET', '/calendar-feeds', CORA);
  assert.deepEqual(r.json.items.map((f) => [f.id, f.scope]), [[id, 'me']]);
  assert.equal(r.json.items[0].url, undefined, 'the URL is shown once');
  const feed = await request(env.url, 'GET', url);
  assert.equal(feed.status, 200);
  assert.equal(feed.headers.get('content-type'), 'text/calendar; charset=utf-8');
  const cal = parse(feed.text);
  assert.equal(cal.lines[0], 'BEGIN:VCALENDAR');
  assert.ok(cal.lines.includes('VERSION:2.0'));
  assert.ok(cal.lines.some((l) => l.startsWith('PRODID:')));
  assert.equal(cal.lines.at(-1), 'END:VCALENDAR');
  assert.ok(cal.folded, 'the long summary is folded');
  assert.equal(cal.events.length, 1, 'only Cora\'s work');
  const e = cal.events[0];
  assert.equal(unescape(e.SUMMARY), `${task}: ${TRICKY} (task)`);
  assert.match(e.SUMMARY, /Review\\, sign\\; file \\\\ archive/);
  assert.equal(e['DTSTART;VALUE=DATE'], '20260630');
  assert.equal(e['DTEND;VALUE=DATE'], '20260701');
  assert.equal(e.DTSTAMP, '20260610T123456Z');
  assert.equal(e.UID, `o1.tasks.${task}.due@openaims`);
  // Another key for the same id, or a changed secret, is not the feed.
  const bad = url.replace(/-(.)/, (m, c) => `-${c === 'A' ? 'B' : 'A'}`);
  assert.equal((await request(env.url, 'GET', bad)).status, 404);
  assert.equal((await request(env.url, 'GET', url.replace('.ics', ''))).status, 404);
  assert.equal((await request(env.url, 'GET', '/ical/999-x.ics')).status, 404);
  // Someone else cannot revoke it (404, not 403); Cora can, and it answers 404 at once.
  r = await api('DELETE', `/calendar-feeds/${id}`, ANN);
  assert.equal(r.status, 404);
  r = await api('DELETE', `/calendar-feeds/${id}`, CORA);
  assert.equal(r.status, 204);
  assert.equal((await request(env.url, 'GET', url)).status, 404);
});

test('the organisation\'s feed: the certification calendar; managers make it; it stops with its person', async () => {
  let r = await api('POST', '/calendar-feeds', CORA, { scope: 'org' });
  assert.equal(r.status, 403);
  r = await api('POST', '/calendar-feeds', CORA, { scope: 'team' });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.field, 'scope');
  r = await api('POST', '/certification', ANN, { body: 'Certifier, Inc.', stage1_date: '2026-08-03',
    stage2_date: '2026-10-05' });
  assert.equal(r.status, 201, r.text);
  r = await api('POST', '/management-reviews', ANN, { title: 'Review before Stage 1', planned_date: '2026-07-20' });
  assert.equal(r.status, 201, r.text);
  const mr = r.json.ref;
  r = await api('POST', '/calendar-feeds', ANN, { scope: 'org' });
  assert.equal(r.status, 201, r.text);
  const { url } = r.json;
  const cal = parse((await request(env.url, 'GET', url)).text);
  assert.deepEqual(cal.events.map((e) => [e['DTSTART;VALUE=DATE'], unescape(e.SUMMARY)]), [
    ['20260803', 'Stage 1 audit (Certifier, Inc.)'],
    ['20260720', `${mr}: Review before Stage 1 (management review)`],
    ['20261005', 'Stage 2 audit (Certifier, Inc.)'],
  ]);
  assert.match(cal.lines.find((l) => l.startsWith('X-WR-CALNAME')), /certification calendar/);
  // Ann leaves the organisation: her feeds stop.
  aimsOk(['member', 'remove', ANN, '--org', 'acme', '--db', env.db]);
  assert.equal((await request(env.url, 'GET', url)).status, 404);
});
