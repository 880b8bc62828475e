// oidc_idp.mjs - OpenID providers for the single sign-on tests: a real one
// (the npm oidc-provider package, with its development login and consent
// pages), and a scripted one that signs whatever ID token a test asks
// for, so that each check of the ID token (signature, issuer, audience,
// expiry, nonce, verified e-mail) is shown to refuse a token wrong in just
// that way.
import http from 'node:http';
import { createSign, generateKeyPairSync, randomBytes } from 'node:crypto';
import Provider from 'oidc-provider';

function listen(server) {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server.address().port)));
}

// accounts: { login: { email, email_verified } }. Any password is accepted.
export async function startProvider({ redirectUri, clientId = 'aims', clientSecret = 'aims-client-secret', accounts }) {
  const server = http.createServer();
  const port = await listen(server);
  const issuer = `http://127.0.0.1:${port}`;
  const provider = new Provider(issuer, {
    clients: [{ client_id: clientId, client_secret: clientSecret, redirect_uris: [redirectUri],
      grant_types: ['authorization_code'], response_types: ['code'] }],
    claims: { openid: ['sub'], email: ['email', 'email_verified'] },
    features: { devInteractions: { enabled: true } },
    // The scope's claims in the ID token itself, as most providers send them.
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    async findAccount(ctx, id) {
      const a = accounts[id];
      if (!a) return undefined;
      return { accountId: id, async claims() { return { sub: id, ...a }; } };
    },
  });
  provider.on('server_error', (ctx, err) => console.error('provider:', err));
  server.on('request', provider.callback());
  return { issuer, clientId, clientSecret, close: () => new Promise((r) => server.close(r)) };
}

const b64u = (b) => Buffer.from(b).toString('base64url');

// A provider whose token endpoint answers with the ID token next() builds.
export async function startScripted({ clientId = 'aims' } = {}) {
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = (k, kid, alg) => ({ ...k.publicKey.export({ format: 'jwk' }), kid, use: 'sig', alg });
  const keys = [jwk(rsa, 'rsa-1', 'RS256'), jwk(ec, 'ec-1', 'ES256')];
  const state = { last: null, tokenFor: null, authorizations: [] };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, idp.issuer);
    const json = (code, body) => { res.writeHead(code, { 'content-type': 'application/json' }); res.end(JSON.stringify(body)); };
    if (url.pathname === '/.well-known/openid-configuration') {
      return json(200, { issuer: idp.issuer, authorization_endpoint: `${idp.issuer}/auth`,
        token_endpoint: `${idp.issuer}/token`, jwks_uri: `${idp.issuer}/jwks`,
        id_token_signing_alg_values_supported: ['RS256', 'ES256'] });
    }
    if (url.pathname === '/jwks') return json(200, { keys });
    if (url.pathname === '/auth') {
      state.authorizations.push(Object.fromEntries(url.searchParams));
      res.writeHead(200, { 'content-type': 'text/plain' });
      return res.end('authorize');
    }
    if (url.pathname === '/token' && req.method === 'POST') {
      let body = '';
      req.on('data', (d) => { body += d; });
      req.on('end', () => {
        const form = Object.fromEntries(new URLSearchParams(body));
        state.last = { form, authorization: req.headers.authorization };
        const auth = state.authorizations.at(-1);
        json(200, { access_token: 'at', token_type: 'Bearer', id_token: state.tokenFor(auth, form) });
      });
      return undefined;
    }
    res.writeHead(404);
    return res.end();
  });
  const port = await listen(server);
  const idp = {
    issuer: `http://127.0.0.1:${port}`, clientId, state,
    close: () => new Promise((r) => server.close(r)),
    // Signs claims (over the defaults for the last authorization) as alg with a key.
    sign(claims, { alg = 'RS256', kid, key, header = {} } = {}) {
      const h = { alg, typ: 'JWT', kid: kid ?? (alg === 'ES256' ? 'ec-1' : 'rsa-1'), ...header };
      const input = `${b64u(JSON.stringify(h))}.${b64u(JSON.stringify(claims))}`;
      if (alg === 'none') return `${input}.`;
      const signer = createSign('SHA256');
      signer.update(input);
      const priv = key === 'other' ? other.privateKey : alg === 'ES256' ? ec.privateKey : rsa.privateKey;
      const sig = alg === 'ES256' ? signer.sign({ key: priv, dsaEncoding: 'ieee-p1363' }) : signer.sign(priv);
      return `${input}.${b64u(sig)}`;
    },
    claims(auth, over = {}) {
      const now = Math.floor(Date.now() / 1000);
      return { iss: idp.issuer, aud: clientId, sub: 'u1', iat: now, exp: now + 300,
        nonce: auth.nonce, email: 'pat@example.com', email_verified: true, ...over };
    },
    random: () => randomBytes(8).toString('hex'),
  };
  return idp;
}
