// web_admin.test.mjs - administration in the browser: invitations (a link
// that works once and expires) accepted by a new person, role changes and
// removal (never the last admin), API tokens made and revoked from the
// page, the account's sessions, password reset links, a new organisation
// and the portfolio; and what an attacker tries: a used or expired
// invitation, a forwarded one, a reset link twice, forms without their
// token, another organisation's pages.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN, addMember, addOrg, aims, aimsOk, request, setup, signIn as apiSignIn }
  from './lib.mjs';
import { openBrowser, shot, signIn, submit } from './browser.mjs';
import { strictWrites } from './lib.mjs';

// Every change these journeys make goes through the server's writer.
strictWrites();

let env, admin;

before(async () => {
  env = await setup();
  addMember(env.db, 'mo@example.com', 'manager');
  addMember(env.db, 'vic@example.com', 'viewer');
  admin = await openBrowser();
  await signIn(admin.page, env.url, ADMIN);
});
after(async () => {
  await admin?.close();
  await env?.cleanup();
});

// A form post as a signed-in person (auth from lib's signIn), with its form token unless told.
function postForm(path, fields, auth, { csrf = true, origin = env.url } = {}) {
  const body = new URLSearchParams({ ...(csrf ? { _csrf: auth.csrf } : {}), ...fields });
  const headers = { 'content-type': 'application/x-www-form-urlencoded' };
  if (origin) headers.origin = origin;
  return request(env.url, 'POST', path, { body: body.toString(), auth: { cookie: auth.cookie },
    headers, origin: false });
}

function linkIn(html, kind) {
  const m = html.match(new RegExp(`value="(http://[^"]*/${kind}/[A-Za-z0-9_-]{43})"`));
  return m ? m[1] : null;
}

test('invite -> accept -> sign in: a new person joins with the invited role, once', async () => {
  const { page } = admin;
  await page.goto(`${env.url}/o/acme/members`);
  await page.fill('#invite-email', 'nia@example.com');
  await page.selectOption('#invite-role', 'contributor');
  assert.equal(await submit(page, 'form[action$="/members/invite"] button'), 201);
  const link = await page.inputValue('#link-once');
  assert.match(link, /^http:\/\/127\.0\.0\.1:\d+\/invite\/[A-Za-z0-9_-]{43}$/);
  assert.match(await page.textContent('main'), /Waiting invitations.*nia@example\.com/s);
  await shot(page, 'members-invite-link');

  const guest = await openBrowser();
  try {
    await guest.page.goto(link);
    assert.match(await guest.page.textContent('main'), /nia@example\.com is invited to join acme as Contributor/);
    await guest.page.fill('#f-display_name', 'Nia');
    await guest.page.fill('#f-password', 'a long enough password');
    await guest.page.fill('#f-password_again', 'a long enough password');
    await submit(guest.page);
    assert.match(guest.page.url(), /\/sign-in\?next=%2Fo%2Facme%2F$/);
    assert.match(await guest.page.textContent('.flash'), /joined the organisation/);
    await guest.page.fill('#email', 'nia@example.com');
    await guest.page.fill('#password', 'a long enough password');
    await submit(guest.page);
    assert.match(guest.page.url(), /\/o\/acme\/$/);
    // The link worked once.
    const again = await guest.page.goto(link);
    assert.equal(again.status(), 404);
    assert.match(await guest.page.textContent('main'), /not valid: it was used/);
  } finally {
    await guest.close();
  }
  await page.goto(`${env.url}/o/acme/members`);
  assert.match(await page.textContent('main tbody tr:has-text("nia@example.com")'), /Contributor/);
  assert.doesNotMatch(await page.textContent('main'), /Waiting invitations/);
});

test('an invitation expires, and a used one cannot be accepted again', async () => {
  const auth = await apiSignIn(env.url);
  const r = await postForm('/o/acme/members/invite', { email: 'late@example.com', role: 'viewer' }, auth);
  assert.equal(r.status, 201);
  const link = linkIn(r.text, 'invite');
  const path = new URL(link).pathname;
  const later = new Date(Date.now() + 8 * 86400e3).toISOString().slice(0, 19) + 'Z';
  await env.restart({ env: { AIMS_FAKE_NOW: later } });
  try {
    const g = await request(env.url, 'GET', path);
    assert.equal(g.status, 404);
    const p = await request(env.url, 'POST', path, { headers: {
      'content-type': 'application/x-www-form-urlencoded', origin: env.url },
    body: 'display_name=Late&password=a+long+enough+password&password_again=a+long+enough+password' });
    assert.equal(p.status, 404);
    assert.match(p.text, /not valid/);
  } finally {
    await env.restart();
    // Sessions idle in the faked future were expired: sign in again.
    await signIn(admin.page, env.url, ADMIN);
  }
  const login = await request(env.url, 'POST', '/api/v1/session',
    { body: { email: 'late@example.com', password: 'a long enough password' } });
  assert.equal(login.status, 401, 'no account was made from an expired link');
});

test('a forwarded invitation grants nothing to someone signed in as another address', async () => {
  const auth = await apiSignIn(env.url);
  addOrg(env.db, 'other');
  addMember(env.db, 'vic@example.com', 'viewer', 'other');
  const r = await postForm('/o/acme/members/invite', { email: 'vic-twin@example.com', role: 'manager' }, auth);
  const path = new URL(linkIn(r.text, 'invite')).pathname;
  const vic = await apiSignIn(env.url, 'vic@example.com');
  const p = await postForm(path, {}, vic);
  assert.equal(p.status, 403, p.text.match(/<main[\s\S]*<\/main>/)?.[0]);
  assert.match(p.text, /This invitation is for vic-twin@example\.com/);
  const members = await request(env.url, 'GET', '/api/v1/orgs/acme/members/vic@example.com', { auth });
  assert.equal(members.json.role, 'viewer');
});

test('a manager invites up to manager, never admin; the last admin is never demoted', async () => {
  const mo = await apiSignIn(env.url, 'mo@example.com');
  const page = await request(env.url, 'GET', '/o/acme/members', { auth: { cookie: mo.cookie } });
  assert.doesNotMatch(page.text.match(/<select id="invite-role"[\s\S]*?<\/select>/)[0], /value="admin"/);
  const r = await postForm('/o/acme/members/invite', { email: 'boss@example.com', role: 'admin' }, mo);
  assert.equal(r.status, 403);
  assert.match(r.text, /may not invite someone as admin/);
  const auth = await apiSignIn(env.url);
  const d = await postForm('/o/acme/members/admin@example.com/role', { role: 'viewer' }, auth);
  assert.equal(d.status, 409);
  assert.match(d.text, /last admin/);
  const rm = await postForm('/o/acme/members/admin@example.com/remove', {}, auth);
  assert.equal(rm.status, 409);
  assert.match(rm.text, /last admin/);
});

test('an admin changes a role and removes a member from the page', async () => {
  addMember(env.db, 'sam@example.com', 'viewer');
  const { page } = admin;
  await page.goto(`${env.url}/o/acme/members`);
  const row = 'main tbody tr:has-text("sam@example.com")';
  await page.selectOption(`${row} select[name=role]`, 'auditor');
  assert.equal(await submit(page, `${row} button:has-text("Change role")`), 200);
  assert.match(await page.textContent('.flash'), /role is changed/);
  assert.match(await page.textContent(row), /Auditor/);
  page.removeAllListeners('dialog');
  page.once('dialog', (d) => d.accept());
  assert.equal(await submit(page, `${row} button:has-text("Remove")`), 200);
  assert.match(await page.textContent('.flash'), /member is removed/);
  assert.equal(await page.$(row), null);
});

test('an API token is made with its secret shown once, works, and is revoked from the page', async () => {
  const { page } = admin;
  await page.goto(`${env.url}/o/acme/tokens`);
  assert.equal(await page.$$eval('h1', (h) => h.length), 1);
  await page.fill('#f-name', 'CI pipeline');
  await page.selectOption('#f-role', 'contributor');
  assert.equal(await submit(page), 201);
  const secret = await page.inputValue('#token-secret');
  assert.match(secret, /^aims_[A-Za-z0-9_-]{43}$/);
  await shot(page, 'tokens-created');
  const use = await request(env.url, 'GET', '/api/v1/orgs/acme/ai-systems', { auth: { token: secret } });
  assert.equal(use.status, 200);
  // Shown once: the list page never carries it again.
  const again = await page.goto(`${env.url}/o/acme/tokens`);
  assert.doesNotMatch(await again.text(), new RegExp(secret));
  page.removeAllListeners('dialog');
  page.once('dialog', (d) => d.accept());
  assert.equal(await submit(page, 'main tbody tr:has-text("CI pipeline") button'), 200);
  assert.match(await page.textContent('.flash'), /token is revoked/);
  assert.match(await page.textContent('main tbody tr:has-text("CI pipeline")'), /Revoked/);
  const after = await request(env.url, 'GET', '/api/v1/orgs/acme/ai-systems', { auth: { token: secret } });
  assert.equal(after.status, 401);
});

test('a token role above the maker\'s is refused; a viewer has no tokens page', async () => {
  const mo = await apiSignIn(env.url, 'mo@example.com');
  const r = await postForm('/o/acme/tokens', { name: 'too much', role: 'admin' }, mo);
  assert.equal(r.status, 403);
  assert.match(r.text, /id="form-error"/);
  const vic = await apiSignIn(env.url, 'vic@example.com');
  const v = await request(env.url, 'GET', '/o/acme/tokens', { auth: { cookie: vic.cookie } });
  assert.equal(v.status, 403);
  const bad = await postForm('/o/acme/tokens', { name: 'x', role: 'viewer', expires_at: 'soon' },
    await apiSignIn(env.url));
  assert.equal(bad.status, 422);
  assert.match(bad.text, /id="f-expires_at"[^>]*aria-invalid="true"/);
});

test('settings: the name and AI roles are saved and ledgered; a viewer cannot save', async () => {
  const { page } = admin;
  await page.goto(`${env.url}/o/acme/settings`);
  await page.fill('#f-name', 'Acme Analytics');
  await page.check('#ai-role-provider');
  await page.check('#ai-role-customer');
  assert.equal(await submit(page), 200);
  assert.match(await page.textContent('.flash'), /settings are saved/);
  const auth = await apiSignIn(env.url);
  const org = await request(env.url, 'GET', '/api/v1/orgs/acme', { auth });
  assert.equal(org.json.name, 'Acme Analytics');
  assert.deepEqual(org.json.ai_roles, ['provider', 'customer']);
  const empty = await postForm('/o/acme/settings', { name: '' }, auth);
  assert.equal(empty.status, 422);
  assert.match(empty.text, /id="f-name"[^>]*aria-invalid="true"/);
  const vic = await apiSignIn(env.url, 'vic@example.com');
  const v = await postForm('/o/acme/settings', { name: 'Hijacked' }, vic);
  assert.equal(v.status, 403);
  const out = aimsOk(['verify', '--db', env.db]).stdout;
  assert.match(out, /verified/);
});

test('sessions: the account lists them and signs out the others', async () => {
  const other = await apiSignIn(env.url);
  const { page } = admin;
  await page.goto(`${env.url}/account`);
  assert.equal(await page.$$eval('h1', (h) => h.length), 1);
  assert.ok((await page.$$('main tbody tr')).length >= 2);
  assert.match(await page.textContent('main tbody'), /This session/);
  assert.equal(await submit(page, 'form[action="/account/sessions/end-others"] button'), 200);
  assert.match(await page.textContent('.flash'), /Every other session/);
  assert.equal((await page.$$('main tbody tr')).length, 1);
  const gone = await request(env.url, 'GET', '/api/v1/session', { auth: { cookie: other.cookie } });
  assert.equal(gone.status, 401);
});

test('password reset: a link from an admin works once and ends every session', async () => {
  addMember(env.db, 'rae@example.com', 'viewer');
  const rae = await apiSignIn(env.url, 'rae@example.com');
  const auth = await apiSignIn(env.url);
  const r = await postForm('/o/acme/members/rae@example.com/reset-link', {}, auth);
  assert.equal(r.status, 201);
  const link = linkIn(r.text, 'reset');
  const guest = await openBrowser();
  try {
    await guest.page.goto(link);
    assert.match(await guest.page.textContent('main'), /For rae@example\.com/);
    await guest.page.fill('#f-password', 'short');
    await guest.page.fill('#f-password_again', 'short');
    assert.equal(await submit(guest.page), 422);
    await guest.page.fill('#f-password', 'rae has a new password');
    await guest.page.fill('#f-password_again', 'rae has a new password');
    await submit(guest.page);
    assert.match(guest.page.url(), /\/sign-in$/);
    assert.match(await guest.page.textContent('.flash'), /password is set/);
    await signIn(guest.page, env.url, 'rae@example.com', 'rae has a new password');
    assert.match(guest.page.url(), /\/o\/acme\/$/);
    const twice = await guest.page.goto(link);
    assert.equal(twice.status(), 404);
  } finally {
    await guest.close();
  }
  const old = await request(env.url, 'GET', '/api/v1/session', { auth: { cookie: rae.cookie } });
  assert.equal(old.status, 401, 'the reset ended the sessions opened before it');
  // An admin of acme only cannot reset someone who also belongs to an organisation they do not run.
  const v = await postForm('/o/acme/members/vic@example.com/reset-link', {}, auth);
  assert.equal(v.status, 403);
  assert.match(v.text, /organisation\(s\) you are not admin of/);
});

test('asking for a reset link answers the same for any address, and is throttled', async () => {
  const ask = async (email) => {
    const page = await request(env.url, 'GET', '/reset');
    const cookie = page.headers.get('set-cookie').match(/aims_form=[^;]+/)[0];
    const csrf = page.text.match(/name="_csrf" value="([^"]+)"/)[1];
    return request(env.url, 'POST', '/reset', { headers: { cookie, origin: env.url,
      'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: csrf, email }).toString() });
  };
  // A link an admin handed out is not voided by someone asking for the same address.
  const handed = aimsOk(['user', 'reset-link', 'mo@example.com', '--db', env.db]).stdout.trim();
  const known = await ask('mo@example.com');
  const unknown = await ask('nobody@example.com');
  assert.equal((await request(env.url, 'GET', new URL(handed).pathname)).status, 200);
  assert.equal(known.status, 200);
  assert.equal(unknown.status, 200);
  const strip = (t) => t.replace(/name="_csrf" value="[^"]+"/, '').replace(/(mo|nobody)@example\.com/g, 'X');
  assert.equal(strip(known.text), strip(unknown.text));
  assert.doesNotMatch(known.text, /\/reset\/[A-Za-z0-9_-]{43}/, 'the link is never handed to whoever asks');
  // Without its form token the request is refused.
  const forged = await request(env.url, 'POST', '/reset', { headers: { origin: env.url,
    'content-type': 'application/x-www-form-urlencoded' }, body: 'email=mo%40example.com' });
  assert.equal(forged.status, 403);
  let last;
  for (let i = 0; i < 6; i++) last = await ask(`n${i}@example.com`);
  assert.equal(last.status, 429);
  assert.match(last.text, /Too many requests/);
});

test('a new organisation makes its creator admin; the portfolio shows each with its readiness', async () => {
  const { page } = admin;
  await page.goto(`${env.url}/orgs/new`);
  assert.equal(await page.$$eval('h1', (h) => h.length), 1);
  await page.fill('#f-name', 'Beta Labs');
  await page.fill('#f-slug', 'beta');
  await submit(page);
  assert.match(page.url(), /\/o\/beta\/settings$/);
  assert.match(await page.textContent('.flash'), /you are its admin/);
  await page.goto(`${env.url}/orgs/new`);
  await page.fill('#f-name', 'Beta again');
  await page.fill('#f-slug', 'beta');
  assert.equal(await submit(page), 409);
  assert.equal(await page.getAttribute('#f-slug', 'aria-invalid'), 'true');
  await page.goto(`${env.url}/portfolio`);
  const rows = await page.$$eval('main tbody tr', (trs) => trs.map((t) => t.textContent));
  assert.ok(rows.some((r) => /Beta Labs.*Admin.*\d+%/s.test(r)), rows.join('\n'));
  assert.ok(rows.some((r) => /Acme.*Admin.*\d+%/s.test(r)), rows.join('\n'));
  await shot(page, 'portfolio');
});

test('every new form refuses a post without its token or from another site', async () => {
  const auth = await apiSignIn(env.url);
  const forms = [
    ['/o/acme/members/invite', { email: 'x@example.com', role: 'viewer' }],
    ['/o/acme/members/mo@example.com/role', { role: 'viewer' }],
    ['/o/acme/members/mo@example.com/remove', {}],
    ['/o/acme/members/mo@example.com/reset-link', {}],
    ['/o/acme/members/invites/1/withdraw', {}],
    ['/o/acme/settings', { name: 'CSRF' }],
    ['/o/acme/tokens', { name: 'csrf', role: 'viewer' }],
    ['/o/acme/tokens/1/revoke', {}],
    ['/account/sessions/end-others', {}],
    ['/account/sessions/1/end', {}],
    ['/orgs/new', { name: 'Evil', slug: 'evil' }],
  ];
  for (const [path, fields] of forms) {
    const noToken = await postForm(path, fields, auth, { csrf: false });
    assert.equal(noToken.status, 403, `${path} without token`);
    const crossSite = await postForm(path, fields, auth, { origin: 'http://evil.example' });
    assert.equal(crossSite.status, 403, `${path} from another site`);
  }
  const mo = await request(env.url, 'GET', '/api/v1/orgs/acme/members/mo@example.com', { auth });
  assert.equal(mo.json.role, 'manager');
  const evil = await request(env.url, 'GET', '/api/v1/orgs/evil', { auth });
  assert.equal(evil.status, 404);
});

test('another organisation\'s administration pages answer 404', async () => {
  addOrg(env.db, 'rival');
  const auth = await apiSignIn(env.url, 'mo@example.com');
  for (const p of ['/o/rival/members', '/o/rival/settings', '/o/rival/tokens']) {
    const r = await request(env.url, 'GET', p, { auth: { cookie: auth.cookie } });
    assert.equal(r.status, 404, p);
  }
  const r = await postForm('/o/rival/members/invite', { email: 'spy@example.com', role: 'admin' }, auth);
  assert.equal(r.status, 404);
});

test('the operator prints a reset link; an unknown address is named as such', async () => {
  addMember(env.db, 'ops@example.com', 'viewer');
  const r = aimsOk(['user', 'reset-link', 'ops@example.com', '--db', env.db, '--url', env.url + '/']);
  const link = r.stdout.trim();
  assert.match(link, new RegExp(`^${env.url}/reset/[A-Za-z0-9_-]{43}$`));
  const page = await request(env.url, 'GET', new URL(link).pathname);
  assert.equal(page.status, 200);
  assert.match(page.text, /For ops@example\.com/);
  const newer = aimsOk(['user', 'reset-link', 'ops@example.com', '--db', env.db]).stdout.trim();
  assert.notEqual(newer, link);
  const old = await request(env.url, 'GET', new URL(link).pathname);
  assert.equal(old.status, 404, 'a newer link voids the older');
  const unknown = aims(['user', 'reset-link', 'ghost@example.com', '--db', env.db]);
  assert.notEqual(unknown.status, 0);
  assert.match(unknown.stderr, /no enabled account 'ghost@example\.com'/);
});

test('a new organisation from another\'s setup: criteria, documents as drafts, SoA decisions', async () => {
  const auth = await apiSignIn(env.url);
  const A = '/api/v1/orgs/acme';
  const doc = await request(env.url, 'POST', `${A}/documents`, { auth,
    body: { title: 'AI policy', kind: 'policy', is_ai_policy: true, body: '# Policy\nWe use AI with care.', owner: ADMIN } });
  assert.equal(doc.status, 201, doc.text);
  const soa = await request(env.url, 'GET', `${A}/soa/A.2.2`, { auth });
  const p = await request(env.url, 'PATCH', `${A}/soa/A.2.2`, { auth,
    headers: { 'if-match': `"${soa.json.version}"` },
    body: { applicable: true, justification: 'Our AI policy covers it', status: 'partial' } });
  assert.equal(p.status, 200, p.text);
  const ex = await request(env.url, 'GET', `${A}/soa/A.10.4`, { auth });
  assert.equal((await request(env.url, 'PATCH', `${A}/soa/A.10.4`, { auth,
    headers: { 'if-match': `"${ex.json.version}"` },
    body: { applicable: false, justification: 'We have no customers' } })).status, 200);
  const crit = await request(env.url, 'GET', `${A}/risk-criteria`, { auth });
  const item = crit.json.items ? crit.json.items[0] : crit.json;
  const cp = await request(env.url, 'PATCH', `${A}/risk-criteria/${item.ref}`, { auth,
    headers: { 'if-match': `"${item.version}"` }, body: { acceptance_threshold: 7 } });
  assert.equal(cp.status, 200, cp.text);

  const { page } = admin;
  await page.goto(`${env.url}/orgs/new`);
  await page.fill('#f-name', 'Gamma Health');
  await page.fill('#f-slug', 'gamma');
  await page.selectOption('#f-from', 'acme');
  await submit(page);
  assert.match(page.url(), /\/o\/gamma\/settings$/);
  assert.match(await page.textContent('.flash'), /from the other's setup/);

  const G = '/api/v1/orgs/gamma';
  const docs = await request(env.url, 'GET', `${G}/documents`, { auth });
  const copy = docs.json.items.find((d) => d.title === 'AI policy');
  assert.ok(copy, docs.text);
  assert.equal(copy.status, 'draft');
  assert.equal(copy.owner, null, 'people are not copied');
  assert.match(copy.body, /We use AI with care/);
  const s = await request(env.url, 'GET', `${G}/soa/A.2.2`, { auth });
  assert.equal(s.json.applicable, true);
  assert.equal(s.json.justification, 'Our AI policy covers it');
  assert.notEqual(s.json.status, 'partial', 'implementation is the new organisation\'s own');
  const x = await request(env.url, 'GET', `${G}/soa/A.10.4`, { auth });
  assert.equal(x.json.applicable, false);
  const gc = await request(env.url, 'GET', `${G}/risk-criteria`, { auth });
  assert.equal((gc.json.items ? gc.json.items[0] : gc.json).acceptance_threshold, 7, gc.text);
  assert.match(aimsOk(['verify', '--db', env.db]).stdout, /verified/);

  // A viewer of acme may not start from its setup; the choice is not even offered.
  addMember(env.db, 'val@example.com', 'viewer');
  const val = await apiSignIn(env.url, 'val@example.com');
  const form = await request(env.url, 'GET', '/orgs/new', { auth: { cookie: val.cookie } });
  assert.doesNotMatch(form.text, /id="f-from"/);
  const r = await postForm('/orgs/new', { name: 'Sneaky', slug: 'sneaky', from: 'acme' }, val);
  assert.equal(r.status, 403);
  assert.match(r.text, /may not copy its setup/);
  const n = await postForm('/orgs/new', { name: 'Spy', slug: 'spy', from: 'rival-none' }, val);
  assert.equal(n.status, 404);
  assert.equal((await request(env.url, 'GET', '/api/v1/orgs/spy', { auth: { cookie: val.cookie } })).status, 404);
});
