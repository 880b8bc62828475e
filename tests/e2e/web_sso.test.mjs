// web_sso.test.mjs - single sign-on with an organisation's OpenID provider.
// A real provider (npm oidc-provider) runs inside the test: an admin sets
// it up in the settings, a member signs in through it (authorization code
// with PKCE), an address that is not a member is refused. A scripted
// provider then shows that every check of the ID token refuses a token
// wrong in just one way: signature, algorithm, issuer, audience, expiry,
// nonce, unverified e-mail; and that the state binds the callback to the
// browser that started it and works once.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN, addMember, aimsOk, request, setup, signIn as apiSignIn } from './lib.mjs';
import { openBrowser, shot, signIn, submit } from './browser.mjs';
import { startProvider, startScripted } from './oidc_idp.mjs';
import { strictWrites } from './lib.mjs';

// Every change these journeys make goes through the server's writer.
strictWrites();

let env, admin, idp, fake;

before(async () => {
  env = await setup();
  addMember(env.db, 'pat@example.com', 'contributor');
  aimsOk(['org', 'create', 'beta', '--db', env.db]);
  aimsOk(['member', 'add', 'pat@example.com', '--org', 'beta', '--role', 'viewer', '--db', env.db]);
  aimsOk(['member', 'add', ADMIN, '--org', 'beta', '--role', 'admin', '--db', env.db]);
  idp = await startProvider({ redirectUri: `${env.url}/sso/callback`, accounts: {
    pat: { email: 'pat@example.com', email_verified: true },
    stranger: { email: 'stranger@example.com', email_verified: true },
  } });
  fake = await startScripted();
  admin = await openBrowser();
  await signIn(admin.page, env.url, ADMIN);
});
after(async () => {
  await admin?.close();
  await idp?.close();
  await fake?.close();
  await env?.cleanup();
});

function postForm(path, fields, auth) {
  return request(env.url, 'POST', path, { auth: { cookie: auth.cookie }, origin: false,
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: env.url },
    body: new URLSearchParams({ _csrf: auth.csrf, ...fields }).toString() });
}

// Through the provider's own login and consent pages.
async function providerLogin(page, login) {
  await page.waitForSelector('input[name=login]');
  await page.fill('input[name=login]', login);
  await page.fill('input[name=password]', 'anything');
  await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
  if (await page.$('button[autofocus][type=submit]')) {
    await Promise.all([page.waitForNavigation(), page.click('button[autofocus][type=submit]')]);
  }
}

test('an admin sets up the provider; a member signs in with it from the sign-in page', async () => {
  const { page } = admin;
  await page.goto(`${env.url}/o/acme/settings`);
  assert.match(await page.textContent('#sso ~ p'), new RegExp(`${env.url}/sso/callback`));
  await page.fill('#f-issuer', idp.issuer);
  await page.fill('#f-client_id', idp.clientId);
  await page.fill('#f-client_secret', idp.clientSecret);
  assert.equal(await submit(page, 'form[action$="/settings/sso"] button'), 200);
  assert.match(await page.textContent('.flash'), /Single sign-on is saved/);
  assert.equal(await page.inputValue('#f-client_secret'), '', 'the secret is never shown again');

  const pat = await openBrowser();
  try {
    await pat.page.goto(`${env.url}/sign-in`);
    await pat.page.fill('#sso-org', 'acme');
    await Promise.all([pat.page.waitForURL((u) => u.href.startsWith(idp.issuer)),
      pat.page.click('form.sso button')]);
    await providerLogin(pat.page, 'pat');
    assert.equal(new URL(pat.page.url()).pathname, '/o/acme/');
    assert.match(await pat.page.textContent('header .who'), /pat@example\.com/);
    await shot(pat.page, 'sso-signed-in');
  } finally {
    await pat.close();
  }
  assert.match(aimsOk(['verify', '--db', env.db]).stdout, /verified/);
});

test('someone the provider knows but who is not a member gets nothing', async () => {
  const b = await openBrowser();
  try {
    await Promise.all([b.page.waitForURL((u) => u.href.startsWith(idp.issuer)),
      b.page.goto(`${env.url}/sso?org=acme`)]);
    await providerLogin(b.page, 'stranger');
    assert.equal(new URL(b.page.url()).pathname, '/sso/callback');
    assert.match(await b.page.textContent('main'), /The address stranger@example\.com is not a member/);
    const me = await b.page.goto(`${env.url}/o/acme/`);
    assert.match(me.url(), /\/sign-in/);
  } finally {
    await b.close();
  }
});

test('an organisation without single sign-on, and a non-admin, cannot use or set it', async () => {
  const r = await request(env.url, 'GET', '/sso?org=beta');
  assert.equal(r.status, 404);
  const pat = await apiSignIn(env.url, 'pat@example.com');
  const s = await postForm('/o/acme/settings/sso', { issuer: 'https://evil.example', client_id: 'x', client_secret: 'y' }, pat);
  assert.equal(s.status, 403);
  const noToken = await request(env.url, 'POST', '/o/acme/settings/sso', { auth: { cookie: (await apiSignIn(env.url)).cookie },
    origin: false, headers: { 'content-type': 'application/x-www-form-urlencoded', origin: env.url },
    body: 'issuer=https%3A%2F%2Fevil.example&client_id=x&client_secret=y' });
  assert.equal(noToken.status, 403);
  const auth = await apiSignIn(env.url);
  const bad = await postForm('/o/beta/settings/sso', { issuer: 'http://idp.example.com', client_id: 'x', client_secret: 'y' }, auth);
  assert.equal(bad.status, 422);
  assert.match(bad.text, /id="f-issuer"[^>]*aria-invalid="true"/);
});

// Starts a sign-in to beta (scripted provider): { cookie, state, auth }.
async function begin() {
  const r = await request(env.url, 'GET', '/sso?org=beta');
  assert.equal(r.status, 200, r.text);
  const loc = new URL(r.text.match(/id="sso-continue" href="([^"]+)"/)[1].replaceAll('&amp;', '&'));
  assert.match(r.text, /<meta http-equiv="refresh" content="0;url=/);
  const cookie = r.headers.get('set-cookie').match(/aims_sso=[^;]+/)[0];
  await fetch(loc);	// the scripted provider notes the authorization request
  return { cookie, state: loc.searchParams.get('state'), auth: Object.fromEntries(loc.searchParams) };
}
async function callback(b, { code = 'c0de', state = b.state, cookie = b.cookie } = {}) {
  return request(env.url, 'GET', `/sso/callback?code=${code}&state=${state}`, { headers: { cookie } });
}

test('the authorization request carries PKCE S256, state and nonce; the code is exchanged with them', async () => {
  const auth = await apiSignIn(env.url);
  const s = await postForm('/o/beta/settings/sso', { issuer: fake.issuer, client_id: 'aims', client_secret: 'fake-secret' }, auth);
  assert.equal(s.status, 303, s.text);
  const b = await begin();
  assert.equal(b.auth.code_challenge_method, 'S256');
  assert.match(b.auth.code_challenge, /^[A-Za-z0-9_-]{43}$/);
  assert.match(b.auth.nonce, /^[A-Za-z0-9_-]{43}$/);
  assert.equal(b.auth.scope, 'openid email');
  fake.state.tokenFor = (a) => fake.sign(fake.claims(a));
  const r = await callback(b);
  assert.equal(r.status, 303, r.text);
  assert.equal(r.headers.get('location'), '/o/beta/');
  assert.match(r.headers.get('set-cookie'), /aims_session=/);
  const { createHash } = await import('node:crypto');
  const verifier = fake.state.last.form.code_verifier;
  assert.equal(createHash('sha256').update(verifier).digest('base64url'), b.auth.code_challenge);
  assert.equal(fake.state.last.form.redirect_uri, `${env.url}/sso/callback`);
  assert.equal(Buffer.from(fake.state.last.authorization.split(' ')[1], 'base64').toString(), 'aims:fake-secret');
  // The state works once.
  const again = await callback(b);
  assert.equal(again.status, 401);
  assert.match(again.text, /unknown, was used or has expired/);
});

test('an ES256 ID token is accepted too', async () => {
  const b = await begin();
  fake.state.tokenFor = (a) => fake.sign(fake.claims(a), { alg: 'ES256' });
  assert.equal((await callback(b)).status, 303);
});

const wrong = [
  ['a signature by another key', (a) => fake.sign(fake.claims(a), { key: 'other' }), /signature does not verify/],
  ['alg none', (a) => fake.sign(fake.claims(a), { alg: 'none' }), /algorithm \(none\)/],
  ['HS256', (a) => fake.sign(fake.claims(a), { alg: 'HS256', header: {} }).replace(/\.[^.]*$/, '.AAAA'), /algorithm \(HS256\)/],
  ['another issuer', (a) => fake.sign(fake.claims(a, { iss: 'https://evil.example' })), /issued by another provider/],
  ['another audience', (a) => fake.sign(fake.claims(a, { aud: 'someone-else' })), /for another client/],
  ['several audiences without azp', (a) => fake.sign(fake.claims(a, { aud: ['aims', 'x'] })), /for another client/],
  ['an expired token', (a) => fake.sign(fake.claims(a, { exp: Math.floor(Date.now() / 1000) - 3600 })), /has expired/],
  ['a token issued in the future', (a) => fake.sign(fake.claims(a, { iat: Math.floor(Date.now() / 1000) + 3600 })), /in the future/],
  ['another sign-in\'s nonce', (a) => fake.sign(fake.claims(a, { nonce: 'not-this-one' })), /nonce/],
  ['an unverified e-mail', (a) => fake.sign(fake.claims(a, { email_verified: false })), /has not verified pat@example\.com/],
  ['a tampered payload', (a) => {
    const t = fake.sign(fake.claims(a)).split('.');
    t[1] = Buffer.from(JSON.stringify(fake.claims(a, { email: 'admin@example.com' }))).toString('base64url');
    return t.join('.');
  }, /signature does not verify/],
  ['not a JWS', () => 'garbage', /not a compact JWS/],
];
for (const [what, make, msg] of wrong) {
  test(`an ID token with ${what} is refused and signs nobody in`, async () => {
    const b = await begin();
    fake.state.tokenFor = make;
    const r = await callback(b);
    assert.equal(r.status, 401, r.text);
    assert.match(r.text, msg);
    assert.doesNotMatch(r.headers.get('set-cookie') || '', /aims_session=[^;]/);
  });
}

test('a callback without the state cookie, or with another sign-in\'s state, is refused (login CSRF)', async () => {
  const b = await begin();
  fake.state.tokenFor = () => fake.sign(fake.claims(b.auth));
  const noCookie = await callback(b, { cookie: '' });
  assert.equal(noCookie.status, 403);
  const other = await begin();
  const crossed = await callback(b, { cookie: other.cookie });
  assert.equal(crossed.status, 403);
  assert.match(crossed.text, /not started in this browser/);
  // The right pair still works: nothing was spent by the refusals.
  assert.equal((await callback(b)).status, 303);
});
