// pack_api.test.mjs - the audit pack over the API: POST starts it in the
// background, GET .../packs/latest follows it, the zip downloads and verifies
// with `aims verify --pack` and with the independent Node verifier; any
// member may make one (a read), another organisation's pack is 404, and bad
// arguments are named.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setup, request, signIn, aimsOk, addMember, addOrg, ADMIN, pubKeyOf } from './lib.mjs';
import { verifyPack } from './pack_verifier.mjs';

let env, admin;

async function makePack(auth, body, org = 'acme') {
  const started = await request(env.url, 'POST', `/api/v1/orgs/${org}/packs`, { auth, body: body ?? {} });
  if (started.status !== 202) return started;
  assert.equal(started.headers.get('location'), `/api/v1/orgs/${org}/packs/latest`);
  const until = Date.now() + 20000;
  for (;;) {
    const r = await request(env.url, 'GET', `/api/v1/orgs/${org}/packs/latest`, { auth });
    if (r.status !== 202 || Date.now() > until) return r;
    await new Promise((res) => setTimeout(res, 20));
  }
}

before(async () => {
  env = await setup();
  const as = ['--org', 'acme', '--as', ADMIN, '--db', env.db];
  aimsOk(['record', 'create', 'ai-systems', ...as, '--json', '{"name": "Chat assistant"}']);
  aimsOk(['record', 'create', 'evidence', ...as, '--json', '{"title": "Eval", "kind": "file"}']);
  writeFileSync(join(env.dir, 'e.txt'), 'evaluation results\n');
  aimsOk(['record', 'attach', 'evidence', 'EV-1', join(env.dir, 'e.txt'), ...as]);
  addMember(env.db, 'viewer@example.com', 'viewer');
  addOrg(env.db, 'other');
  admin = await signIn(env.url);
});
after(async () => env && env.cleanup());

test('POST starts a pack, GET follows it, the zip downloads and verifies offline', async () => {
  const done = await makePack(admin);
  assert.equal(done.status, 200, done.text);
  assert.equal(done.json.state, 'done', done.text);
  assert.equal(done.json.started_by, `user:${ADMIN}`);
  assert.equal(done.json.evidence, 1);
  assert.ok(done.json.records > 40 && done.json.size > 0);
  const r = await fetch(`${env.url}/api/v1/orgs/acme/packs/${done.json.id}/pack.zip`, { headers: { cookie: admin.cookie } });
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-type'), 'application/zip');
  assert.match(r.headers.get('content-disposition'), new RegExp(`filename="acme-audit-pack-${done.json.id}.zip"`));
  const zip = Buffer.from(await r.arrayBuffer());
  assert.equal(zip.length, done.json.size);
  const path = join(env.dir, 'api.zip');
  writeFileSync(path, zip);
  assert.match(aimsOk(['verify', '--pack', path, '--key', pubKeyOf(env.db)]).stdout, /^pack verified: acme/);
  const n = verifyPack(zip);
  assert.equal(n.ok, true, n.failure);
  assert.equal(n.stats.evidence, 1);
});

test('a viewer may make a pack; another organisation is 404; an old id is 404', async () => {
  const viewer = await signIn(env.url, 'viewer@example.com');
  const done = await makePack(viewer, { since: '2020-01-01' });
  assert.equal(done.json.state, 'done', done.text);
  assert.equal(done.json.since, '2020-01-01');
  const other = await request(env.url, 'POST', '/api/v1/orgs/other/packs', { auth: viewer, body: {} });
  assert.equal(other.status, 404);
  assert.equal((await request(env.url, 'GET', '/api/v1/orgs/other/packs/latest', { auth: admin })).status, 404);
  const old = await request(env.url, 'GET', `/api/v1/orgs/acme/packs/${done.json.id - 1}/pack.zip`, { auth: admin });
  assert.equal(old.status, 404);
  assert.equal((await request(env.url, 'GET', '/api/v1/orgs/acme/packs/latest')).status, 401);
});

test('bad arguments are named and start nothing', async () => {
  let r = await request(env.url, 'POST', '/api/v1/orgs/acme/packs', { auth: admin, body: { since: 'yesterday' } });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.field, 'since');
  r = await request(env.url, 'POST', '/api/v1/orgs/acme/packs', { auth: admin, body: { requirements: ' , ' } });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.field, 'requirements');
  r = await request(env.url, 'POST', '/api/v1/orgs/acme/packs', { auth: admin, body: { colour: 'red' } });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.field, 'colour');
  const scoped = await makePack(admin, { requirements: 'A.6.2.6' });
  assert.equal(scoped.json.state, 'done', scoped.text);
  assert.equal(scoped.json.requirements, 'A.6.2.6');
  assert.equal(scoped.json.evidence, 0);
});
