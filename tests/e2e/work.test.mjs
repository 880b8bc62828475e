// work.test.mjs - work items, black-box: every declared due date becomes an
// item of the record's owner and follows the record (date moved, owner
// changed, done, retired) in the same write; tasks made by hand; "My work"
// over the API, the command line and the page, grouped as overdue, due this
// week, waiting for my approval and assigned by me; another organisation's
// work is never shown; the certification cycle checks its dates and the
// calendar lists the internal audits and management reviews before each
// external audit; the dashboard counts the days to the next; aims verify
// names a work item changed behind the application.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN, aims, aimsOk, addOrg, request, setup, signIn, sqlBehind } from './lib.mjs';
import { strictWrites } from './lib.mjs';

// Every change these journeys make goes through the server's writer.
strictWrites();

const NOW = '2026-06-10T12:00:00Z';
const ANN = 'ann@example.com';	// manager
const BEN = 'ben@example.com';	// manager
const CORA = 'cora@example.com';	// contributor
const A = '/api/v1/orgs/acme';

let env;
const s = {};

function person(email, name, role, org = 'acme') {
  aimsOk(['user', 'add', email, '--name', name, '--password-stdin', '--db', env.db],
    { input: 'correct horse battery staple\n' });
  aimsOk(['member', 'add', email, '--org', org, '--role', role, '--db', env.db]);
}

const api = (method, path, auth, body, headers) =>
  request(env.url, method, A + path, { auth, body, headers });

async function mine(who) {
  const r = await api('GET', '/my-work', s[who]);
  assert.equal(r.status, 200, r.text);
  return r.json;
}

const refs = (group) => group.items.map((i) => `${i.ref}:${i.field}`);

before(async () => {
  env = await setup({ env: { AIMS_FAKE_NOW: NOW } });
  person(ANN, 'Ann Smith', 'manager');
  person(BEN, 'Ben Jones', 'manager');
  person(CORA, 'Cora Lee', 'contributor');
  addOrg(env.db, 'other');
  aimsOk(['member', 'add', ANN, '--org', 'other', '--role', 'manager', '--db', env.db]);
  for (const who of [ADMIN, ANN, BEN, CORA]) s[who] = await signIn(env.url, who);
});

after(async () => { await env?.cleanup(); });

test('due dates of records become their owner\'s work and follow every change', async () => {
  let r = await api('POST', '/risks', s[ANN], { title: 'Model drift', likelihood: 3, impact: 3,
    owner: CORA, next_review: '2026-06-01' });
  assert.equal(r.status, 201, r.text);
  const risk = r.json.ref;
  let w = await mine(CORA);
  assert.deepEqual(refs(w.overdue), [`${risk}:next_review`]);
  assert.equal(w.overdue.count, 1);
  const item = w.overdue.items[0];
  assert.equal(item.title, 'Model drift');
  assert.equal(item.what, 'risk review');
  assert.equal(item.owner, CORA);
  assert.equal(item.due, '2026-06-01');
  assert.equal(item.status, 'open');
  assert.equal(item.source, risk);
  assert.equal(item.generated, true);
  // Ann made Cora the owner: it is assigned by Ann.
  assert.deepEqual(refs((await mine(ANN)).assigned_by_me), [`${risk}:next_review`]);

  // The review is moved into this week: the item moves with it, in the same write.
  r = await api('PATCH', `/risks/${risk}`, s[CORA], { next_review: '2026-06-12' });
  assert.equal(r.status, 200, r.text);
  w = await mine(CORA);
  assert.equal(w.overdue.count, 0);
  assert.deepEqual(refs(w.this_week), [`${risk}:next_review`]);

  // A new owner takes it over.
  r = await api('PATCH', `/risks/${risk}`, s[ANN], { owner: BEN });
  assert.equal(r.status, 200, r.text);
  assert.equal((await mine(CORA)).this_week.count, 0);
  assert.deepEqual(refs((await mine(BEN)).this_week), [`${risk}:next_review`]);

  // No date, no item; a retired record, no item.
  r = await api('PATCH', `/risks/${risk}`, s[ANN], { next_review: null });
  assert.equal((await mine(BEN)).this_week.count, 0);
  r = await api('PATCH', `/risks/${risk}`, s[ANN], { next_review: '2026-07-01' });
  assert.deepEqual(refs((await mine(BEN)).later), [`${risk}:next_review`]);
  // An accepted residual risk has its acceptance expiry: that is work too.
  r = await api('PATCH', `/risks/${risk}`, s[ANN], { acceptance_expires: '2026-06-14' });
  assert.equal(r.status, 200, r.text);
  const ben = await mine(BEN);
  assert.deepEqual(refs(ben.this_week), [`${risk}:acceptance_expires`]);
  assert.equal(ben.this_week.items[0].what, 'risk acceptance expires');
  r = await api('GET', '/risks?acceptance_expires=2026-06-14', s[ANN]);
  assert.deepEqual(r.json.items.map((x) => x.ref), [risk]);
  r = await api('DELETE', `/risks/${risk}`, s[ANN]);
  assert.equal(r.status, 204, r.text);
  assert.equal((await mine(BEN)).later.count, 0);
  assert.equal((await mine(BEN)).this_week.count, 0);
});

test('an obligation that ends with the record goes when the record is done', async () => {
  let r = await api('POST', '/objectives', s[ANN], { title: 'Fewer overturned decisions',
    metric: 'share overturned', target: '0.05', direction: 'lower_is_better',
    due: '2026-06-05', owner: ANN });
  assert.equal(r.status, 201, r.text);
  const obj = r.json.ref;
  assert.ok(refs((await mine(ANN)).overdue).includes(`${obj}:due`));
  r = await api('PATCH', `/objectives/${obj}`, s[ANN], { status: 'achieved' });
  assert.equal(r.status, 200, r.text);
  assert.ok(!refs((await mine(ANN)).overdue).includes(`${obj}:due`));
  // An approved document still has its next review: that obligation stands.
  r = await api('POST', '/documents', s[ANN], { title: 'AI procedure', kind: 'procedure',
    owner: ANN, next_review: '2026-06-11' });
  assert.equal(r.status, 201, r.text);
  const doc = r.json.ref;
  assert.ok(refs((await mine(ANN)).this_week).includes(`${doc}:next_review`));
  r = await api('PATCH', `/documents/${doc}`, s[ANN], { status: 'in_review' });
  assert.equal(r.status, 200, r.text);
  // Waiting for sign-off by someone other than its author: Ben, not Ann.
  let ben = await mine(BEN);
  const waiting = ben.approvals.items.filter((i) => i.kind === 'documents');
  assert.deepEqual(waiting.map((i) => `${i.ref}:${i.action}`), [`${doc}:approve`]);
  assert.equal(waiting[0].title, 'AI procedure');
  assert.ok(!(await mine(ANN)).approvals.items.some((i) => i.ref === doc));
  assert.ok(!(await mine(CORA)).approvals.items.some((i) => i.ref === doc));
  r = await api('PATCH', `/documents/${doc}`, s[BEN], { status: 'approved' });
  assert.equal(r.status, 200, r.text);
  ben = await mine(BEN);
  assert.ok(!ben.approvals.items.some((i) => i.ref === doc));
  assert.ok(refs((await mine(ANN)).this_week).includes(`${doc}:next_review`));
});

test('a metric its owner has no recent reading of is their work', async () => {
  let r = await api('POST', '/ai-systems', s[ANN], { name: 'Scoring model' });
  assert.equal(r.status, 201, r.text);
  r = await api('POST', '/metrics', s[ANN], { title: 'Approval rate drift', ai_system: r.json.ref,
    direction: 'lower_is_better', interval_hours: 24, on_breach: 'none', owner: CORA });
  assert.equal(r.status, 201, r.text);
  const met = r.json.ref;
  let stale = (await mine(CORA)).stale_metrics.items;
  assert.deepEqual(stale.map((m) => [m.ref, m.last_at]), [[met, null]]);
  r = await api('POST', `/metrics/${met}/readings`, s[CORA], [{ at: '2026-06-10T06:00:00Z', value: 0.1 }]);
  assert.equal(r.status, 200, r.text);
  assert.deepEqual((await mine(CORA)).stale_metrics.items, []);
  r = await api('POST', `/metrics/${met}/readings`, s[CORA], [{ at: '2026-06-01T06:00:00Z', value: 0.1 }]);
  assert.deepEqual((await mine(CORA)).stale_metrics.items, [], 'the last reading counts');
  const page = await request(env.url, 'GET', '/o/acme/my-work', { auth: s[ANN] });
  assert.doesNotMatch(page.text, /Metrics without a recent reading/);
});

test('tasks made by hand: fields named in the error, owner must be a member, done ends them', async () => {
  let r = await api('POST', '/tasks', s[CORA], { title: 'Call the model vendor', due: '2026-06-09' });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.field, 'owner');
  r = await api('POST', '/tasks', s[CORA], { title: 'Call the model vendor', owner: 'x@nowhere.example',
    due: '2026-06-09' });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.field, 'owner');
  r = await api('POST', '/tasks', s[CORA], { title: 'Call the model vendor', owner: BEN,
    due: 'tomorrow' });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.field, 'due');
  r = await api('POST', '/tasks', s[CORA], { title: 'Call the model vendor', owner: BEN,
    due: '2026-06-09', source: 'DOC-1' });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.status, 'open');
  const task = r.json.ref;
  assert.match(task, /^TASK-\d+$/);
  let w = await mine(BEN);
  const it = w.overdue.items.find((i) => i.ref === task);
  assert.ok(it, JSON.stringify(w.overdue));
  assert.equal(it.generated, false);
  assert.equal(it.source, 'DOC-1');
  assert.equal(it.title, 'Call the model vendor');
  assert.ok((await mine(CORA)).assigned_by_me.items.some((i) => i.ref === task));
  r = await api('PATCH', `/tasks/${task}`, s[BEN], { status: 'done' });
  assert.equal(r.status, 200, r.text);
  assert.ok(!(await mine(BEN)).overdue.items.some((i) => i.ref === task));
  assert.ok(!(await mine(CORA)).assigned_by_me.items.some((i) => i.ref === task));
  // Listed and filtered as every kind.
  r = await api('GET', '/tasks?status=done', s[CORA]);
  assert.deepEqual(r.json.items.map((x) => x.ref), [task]);
});

test('the organisation\'s work items: generated and made by hand, filtered, dates checked', async () => {
  let r = await api('GET', `/work-items?owner=${encodeURIComponent(ANN)}&limit=500`, s[CORA]);
  assert.equal(r.status, 200, r.text);
  assert.ok(r.json.items.length > 0);
  for (const it of r.json.items) {
    assert.equal(it.owner, ANN);
    assert.equal(it.status, 'open');
    assert.ok(it.title && it.due && it.source !== undefined);
  }
  const dues = r.json.items.map((i) => i.due);
  assert.deepEqual(dues, [...dues].sort());
  r = await api('GET', '/work-items?from=2026-06-09&to=2026-06-11', s[CORA]);
  assert.ok(r.json.items.every((i) => i.due >= '2026-06-09' && i.due <= '2026-06-11'), JSON.stringify(r.json));
  assert.ok(r.json.items.some((i) => i.due === '2026-06-11'), 'the end day is included');
  assert.ok(r.json.items.some((i) => i.generated) || r.json.items.some((i) => !i.generated));
  r = await api('GET', '/work-items?from=tomorrow', s[CORA]);
  assert.equal(r.status, 400);
  assert.equal(r.json.error.field, 'from');
});

test('another organisation\'s work is not shown, and its records are 404', async () => {
  const O = '/api/v1/orgs/other';
  let r = await request(env.url, 'POST', `${O}/tasks`, { auth: s[ANN],
    body: { title: 'Other org task', owner: ANN, due: '2026-06-01' } });
  assert.equal(r.status, 201, r.text);
  const w = await mine(ANN);
  assert.ok(!w.overdue.items.some((i) => i.title === 'Other org task'));
  r = await request(env.url, 'GET', `${O}/my-work`, { auth: s[ANN] });
  assert.equal(r.status, 200);
  assert.deepEqual(r.json.overdue.items.map((i) => i.title), ['Other org task']);
  r = await request(env.url, 'GET', `${O}/my-work`, { auth: s[BEN] });
  assert.equal(r.status, 404);
  r = await request(env.url, 'GET', `${O}/tasks/TASK-1`, { auth: s[BEN] });
  assert.equal(r.status, 404);
});

test('the certification cycle: dates in order, the calendar, the dashboard', async () => {
  let r = await api('POST', '/certification', s[ANN], { body: 'Example Certification Ltd',
    stage1_date: '2026-09-01', stage2_date: '2026-08-01' });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.field, 'stage2_date');
  r = await api('POST', '/certification', s[ANN], { body: 'Example Certification Ltd',
    issued_on: '2026-10-01', expires_on: '2029-10-02', stage1_date: '2026-07-01',
    stage2_date: '2026-09-01' });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.field, 'expires_on');
  r = await api('POST', '/certification', s[CORA], { body: 'Example Certification Ltd' });
  assert.equal(r.status, 403, 'a contributor does not manage the certification cycle');
  r = await api('POST', '/certification', s[ANN], { body: 'Example Certification Ltd',
    certificate_number: 'AIMS-0042', scope: 'The triage service', owner: ANN,
    stage1_date: '2026-07-01', stage2_date: '2026-09-01', issued_on: '2026-10-01',
    surveillance1_date: '2027-09-01', surveillance2_date: '2028-09-01',
    recertification_date: '2029-07-01', expires_on: '2029-09-30' });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.status, 'planned');
  const cert = r.json.ref;
  r = await api('POST', '/audits', s[ANN], { title: 'Internal audit before Stage 1',
    requirements: ['4.1'], lead_auditor: BEN, planned_start: '2026-06-20' });
  assert.equal(r.status, 201, r.text);
  const audit = r.json.ref;
  // The lead auditor holds it: it is their work.
  assert.ok(refs((await mine(BEN)).later).includes(`${audit}:planned_start`));
  r = await api('GET', '/calendar', s[CORA]);
  assert.equal(r.status, 200, r.text);
  const cal = r.json;
  assert.deepEqual(cal.events.map((e) => `${e.date} ${e.what}`), [
    '2026-07-01 Stage 1 audit', '2026-09-01 Stage 2 audit', '2027-09-01 surveillance audit 1',
    '2028-09-01 surveillance audit 2', '2029-07-01 recertification audit']);
  assert.equal(cal.events[0].ref, cert);
  assert.deepEqual(cal.events[0].before.map((b) => `${b.ref} ${b.held}`), [`${audit} false`]);
  assert.deepEqual(cal.events[1].before, []);
  assert.equal(cal.next.what, 'Stage 1 audit');
  assert.equal(cal.next.days, 21);
  const page = await request(env.url, 'GET', '/o/acme/', { auth: s[CORA] });
  assert.match(page.text, /id="d-next-audit"[\s\S]*<strong>21<\/strong> days[\s\S]*Stage 1 audit/);
  const calPage = await request(env.url, 'GET', '/o/acme/calendar', { auth: s[CORA] });
  assert.equal(calPage.status, 200);
  assert.match(calPage.text, /in 21 days/);
  assert.match(calPage.text, new RegExp(`${audit}</a> Internal audit before Stage 1 <span class="badge">to hold`));
  assert.match(calPage.text, /No internal audit or management review is planned before it/);
});

test('the My work page and the command line show the same groups', async () => {
  const page = await request(env.url, 'GET', '/o/acme/my-work', { auth: s[BEN] });
  assert.equal(page.status, 200);
  const w = await mine(BEN);
  for (const g of ['overdue', 'this_week', 'assigned_by_me', 'later'])
    assert.match(page.text, new RegExp(`id="w-${g}"[\\s\\S]*?data-count>${w[g].count}<`));
  assert.match(page.text, /Waiting for my approval/);
  let r = aims(['work', 'mine', '--org', 'acme', '--db', env.db, '--as', BEN, '--format', 'json'],
    { env: { AIMS_FAKE_NOW: NOW } });
  assert.equal(r.status, 0, r.stderr);
  const cli = JSON.parse(r.stdout);
  for (const g of ['overdue', 'this_week', 'later', 'assigned_by_me'])
    assert.deepEqual(refs(cli[g]), refs(w[g]));
  r = aims(['work', 'mine', '--org', 'acme', '--db', env.db]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--as EMAIL/);
  r = aims(['work', 'calendar', '--org', 'acme', '--db', env.db], { env: { AIMS_FAKE_NOW: NOW } });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /2026-07-01  Stage 1 audit/);
  assert.match(r.stdout, /to hold internal audit AUD-\d+/);
  r = aims(['work', '--help']);
  assert.equal(r.status, 0);
  assert.match(r.stdout, /aims work mine/);
});

test('aims verify recomputes the work items and names one changed behind aims', async () => {
  let r = aims(['verify', '--db', env.db]);
  assert.equal(r.status, 0, r.stderr);
  sqlBehind(env.db, "UPDATE work_items SET owner = 'cora@example.com' WHERE kind = 'audits';");
  r = aims(['verify', '--db', env.db]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /work item planned_start of audits AUD-\d+ .* is stored but its record does not give it/);
});

test('the tasks list shows the generated tasks after those made by hand, read-only', async () => {
  const G = '/api/v1/orgs/gentasks';
  addOrg(env.db, 'gentasks');
  aimsOk(['member', 'add', ANN, '--org', 'gentasks', '--role', 'manager', '--db', env.db]);
  aimsOk(['member', 'add', CORA, '--org', 'gentasks', '--role', 'contributor', '--db', env.db]);
  const g = (method, path, who, body) => request(env.url, method, G + path, { auth: s[who], body });
  let r = await g('POST', '/tasks', CORA, { title: 'Brief the board', owner: CORA, due: '2026-06-20' });
  assert.equal(r.status, 201, r.text);
  const hand = r.json.ref;
  r = await g('POST', '/documents', ANN, { title: 'Generated AI policy', kind: 'policy', owner: CORA,
    next_review: '2026-06-15' });
  assert.equal(r.status, 201, r.text);
  const doc = r.json.ref;
  r = await g('POST', '/objectives', ANN, { title: 'Fewer appeals', metric: 'appeals', target: '3',
    direction: 'lower_is_better', due: '2026-06-05', owner: ANN });
  assert.equal(r.status, 201, r.text);
  const obj = r.json.ref;

  r = await g('GET', '/tasks', CORA);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.total, 3);
  assert.equal(r.json.next_cursor, null);
  // Made by hand first, then the generated ones nearest first.
  assert.deepEqual(r.json.items.map((i) => [i.ref, i.generated]),
    [[hand, false], [`${obj}.due`, true], [`${doc}.next_review`, true]]);
  const gen = r.json.items[2];
  assert.equal(gen.source, doc);
  assert.equal(gen.source_kind, 'documents');
  assert.equal(gen.owner, CORA);
  assert.equal(gen.due, '2026-06-15');
  assert.equal(gen.status, 'open');
  assert.equal(gen.title, 'Generated AI policy');
  assert.equal(gen.what, 'review');

  // Done by completing the source, never through the tasks.
  r = await g('PATCH', `/tasks/${doc}.next_review`, ANN, { status: 'done' });
  assert.equal(r.status, 409, r.text);
  assert.match(r.json.error.message, new RegExp(`follows document ${doc}.*completing ${doc}`));
  r = await g('DELETE', `/tasks/${doc}.next_review`, ANN);
  assert.equal(r.status, 409, r.text);
  r = await g('PATCH', `/tasks/${doc}.no_such_field`, ANN, { status: 'done' });
  assert.equal(r.status, 404, r.text);
  const cli = aims(['record', 'update', 'tasks', `${doc}.next_review`, '--org', 'gentasks',
    '--as', ANN, '--db', env.db, '--json', '{"status":"done"}']);
  assert.notEqual(cli.status, 0);
  assert.match(cli.stderr, /completing/);

  // Paging over both: every page counts all, no item twice, none left out.
  for (const limit of [1, 2, 3]) {
    const seen = [];
    let cursor = null;
    do {
      r = await g('GET', `/tasks?limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, CORA);
      assert.equal(r.status, 200, r.text);
      assert.equal(r.json.total, 3);
      assert.ok(r.json.items.length <= limit && r.json.items.length > 0, r.text);
      seen.push(...r.json.items.map((i) => i.ref));
      cursor = r.json.next_cursor;
    } while (cursor);
    assert.deepEqual(seen, [hand, `${obj}.due`, `${doc}.next_review`], `limit ${limit}`);
  }
  r = await g('GET', '/tasks?sort=-due', CORA);
  assert.deepEqual(r.json.items.map((i) => i.ref), [hand, `${doc}.next_review`, `${obj}.due`]);

  // Filters apply to both; a done status lists the tasks made by hand alone.
  r = await g('GET', `/tasks?owner=${encodeURIComponent(CORA)}`, CORA);
  assert.deepEqual(r.json.items.map((i) => i.ref), [hand, `${doc}.next_review`]);
  assert.equal(r.json.total, 2);
  r = await g('GET', '/tasks?due=2026-06-05', CORA);
  assert.deepEqual(r.json.items.map((i) => i.ref), [`${obj}.due`]);
  r = await g('GET', `/tasks?source=${doc}`, CORA);
  assert.deepEqual(r.json.items.map((i) => i.ref), [`${doc}.next_review`]);
  r = await g('GET', '/tasks?q=appeals', CORA);
  assert.deepEqual(r.json.items.map((i) => i.ref), [`${obj}.due`]);
  r = await g('PATCH', `/tasks/${hand}`, CORA, { status: 'done' });
  assert.equal(r.status, 200, r.text);
  r = await g('GET', '/tasks?status=done', CORA);
  assert.deepEqual(r.json.items.map((i) => [i.ref, i.generated]), [[hand, false]]);
  assert.equal(r.json.total, 1);
  r = await g('GET', '/tasks?status=open', CORA);
  assert.deepEqual(r.json.items.map((i) => i.ref), [`${obj}.due`, `${doc}.next_review`]);
  assert.equal(r.json.total, 2);

  // The command line and the page list them too.
  const rows = JSON.parse(aimsOk(['record', 'list', 'tasks', '--org', 'gentasks', '--db', env.db,
    '--format', 'json']).stdout);
  assert.deepEqual(rows.map((i) => i.ref), [hand, `${obj}.due`, `${doc}.next_review`]);
  const page = await request(env.url, 'GET', '/o/gentasks/tasks', { auth: s[CORA] });
  assert.equal(page.status, 200);
  assert.ok(page.text.includes(`${doc}.next_review`), 'the page lists the generated task');
  assert.ok(page.text.includes(`href="/o/gentasks/documents/${doc}"`), 'linked to its source');

  // The source reaching a done state past its due ends the task.
  r = await g('PATCH', `/objectives/${obj}`, ANN, { status: 'achieved' });
  assert.equal(r.status, 200, r.text);
  r = await g('GET', '/tasks', CORA);
  assert.deepEqual(r.json.items.map((i) => i.ref), [hand, `${doc}.next_review`]);
  assert.equal(r.json.total, 2);
  r = await g('PATCH', `/tasks/${obj}.due`, ANN, { status: 'done' });
  assert.equal(r.status, 404, r.text);

  // Another organisation's tasks are not listed, and are 404 to a non-member.
  r = await api('GET', '/tasks?limit=500', s[ANN]);
  assert.ok(!r.json.items.some((i) => i.title === 'Generated AI policy'));
  r = await g('GET', '/tasks', BEN);
  assert.equal(r.status, 404);
  r = await g('PATCH', `/tasks/${doc}.next_review`, BEN, { status: 'done' });
  assert.equal(r.status, 404);
});
