// The role matrix: every role x every route of the API, with the status each
// must answer; and what higher roles may not be given or touched.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, request, signIn, addMember, aimsOk, ROLES, PASSWORD, ADMIN } from './lib.mjs';
import { strictWrites } from './lib.mjs';

// Every change these journeys make goes through the server's writer.
strictWrites();

let env;
const sessions = {};
const tokenIds = {};
let adminTokenId;

before(async () => {
  env = await setup();
  for (const role of ROLES) {
    if (role !== 'admin') addMember(env.db, `${role}@example.com`, role);
    addMember(env.db, `target-${role}@example.com`, 'viewer');
    addMember(env.db, `gone-${role}@example.com`, 'viewer');
    // A user who exists but is not yet a member, for each role to add.
    aimsOk(['user', 'add', `new-${role}@example.com`, '--password-stdin', '--db', env.db],
      { input: 'correct horse battery staple\n' });
    const t = JSON.parse(aimsOk(['token', 'create', '--org', 'acme', '--name', `t-${role}`,
      '--role', 'viewer', '--format', 'json', '--db', env.db]).stdout);
    tokenIds[role] = t.id;
  }
  adminTokenId = tokenIds.admin;
  aimsOk(['record', 'create', 'ai-systems', '--org', 'acme', '--as', ADMIN, '--json', '{"name":"Matrix system"}',
    '--db', env.db]);
  aimsOk(['record', 'create', 'metrics', '--org', 'acme', '--as', ADMIN, '--json', JSON.stringify({ title: 'Matrix metric',
    ai_system: 'AIS-1', direction: 'higher_is_better', interval_hours: 24, on_breach: 'none' }), '--db', env.db]);
  for (const role of ROLES) {
    sessions[role] = await signIn(env.url, role === 'admin' ? 'admin@example.com' : `${role}@example.com`);
  }
});
after(async () => { await env.cleanup(); });

const ALL = { viewer: 200, auditor: 200, contributor: 200, manager: 200, admin: 200 };
const MANAGERS = (ok) => ({ viewer: 403, auditor: 403, contributor: 403, manager: ok, admin: ok });
const CONTRIBUTORS = (ok) => ({ viewer: 403, auditor: 403, contributor: ok, manager: ok, admin: ok });

// [method, path (role substituted for ROLE), body, expected status per role]
const MATRIX = [
  ['GET', '/healthz', undefined, ALL],
  ['GET', '/readyz', undefined, ALL],
  ['GET', '/metrics', undefined, ALL],
  ['GET', '/api/v1/openapi.json', undefined, ALL],
  ['POST', '/api/v1/session', { email: 'ROLE@example.com', password: PASSWORD }, ALL],
  ['GET', '/api/v1/session', undefined, ALL],
  ['GET', '/api/v1/orgs', undefined, ALL],
  ['POST', '/api/v1/orgs', { slug: 'org-ROLE' }, { viewer: 201, auditor: 201, contributor: 201, manager: 201, admin: 201 }],
  ['GET', '/api/v1/orgs/acme', undefined, ALL],
  ['PATCH', '/api/v1/orgs/acme', { name: 'Acme by ROLE' }, MANAGERS(200)],
  ['GET', '/api/v1/orgs/acme/members', undefined, ALL],
  ['POST', '/api/v1/orgs/acme/members', { email: 'new-ROLE@example.com', role: 'viewer' }, MANAGERS(201)],
  ['GET', '/api/v1/orgs/acme/members/target-ROLE@example.com', undefined, ALL],
  ['PATCH', '/api/v1/orgs/acme/members/target-ROLE@example.com', { role: 'auditor' }, MANAGERS(200)],
  ['DELETE', '/api/v1/orgs/acme/members/gone-ROLE@example.com', undefined, MANAGERS(204)],
  ['GET', '/api/v1/orgs/acme/tokens', undefined, CONTRIBUTORS(200)],
  ['POST', '/api/v1/orgs/acme/tokens', { name: 'made by ROLE', role: 'viewer' }, CONTRIBUTORS(201)],
  ['GET', '/api/v1/orgs/acme/tokens/ADMINTOKEN', undefined, CONTRIBUTORS(200)],
  ['DELETE', '/api/v1/orgs/acme/tokens/TOKEN', undefined, CONTRIBUTORS(204)],
  ['GET', '/api/v1/catalog/requirements?framework=iso42001&kind=control', undefined, ALL],
  ['GET', '/api/v1/catalog/requirements/A.5.2', undefined, ALL],
  ['GET', '/api/v1/orgs/acme/ledger?limit=5', undefined, ALL],
  ['POST', '/api/v1/orgs/acme/ledger/verify', undefined, { viewer: 202, auditor: 202, contributor: 202, manager: 202, admin: 202 }],
  ['POST', '/api/v1/orgs/acme/packs', {}, { viewer: 202, auditor: 202, contributor: 202, manager: 202, admin: 202 }],
  ['GET', '/api/v1/orgs/acme/packs/999/pack.zip', undefined, { viewer: 404, auditor: 404, contributor: 404, manager: 404, admin: 404 }],
  ['GET', '/api/v1/orgs/acme/readiness', undefined, ALL],
  ['GET', '/api/v1/orgs/acme/coverage?framework=eu-ai-act', undefined, ALL],
  ['GET', '/api/v1/orgs/acme/exports/oscal/mapping.json?framework=iso27001', undefined, ALL],
  ['GET', '/api/v1/orgs/acme/metric-status', undefined, ALL],
  ['POST', '/api/v1/orgs/acme/metrics/MET-1/readings', [{ at: '2026-03-01T00:00:00Z', value: 1 }], CONTRIBUTORS(200)],
  ['GET', '/api/v1/orgs/acme/metrics/MET-1/readings', undefined, ALL],
  ['GET', '/api/v1/orgs/acme/competence-gaps', undefined, ALL],
  // Every member acknowledges, whatever the role: no such document here, so 404 for all.
  ['GET', '/api/v1/orgs/acme/documents/AIS-1/acknowledgements', undefined, { viewer: 404, auditor: 404, contributor: 404, manager: 404, admin: 404 }],
  ['POST', '/api/v1/orgs/acme/documents/AIS-1/acknowledgements', undefined, { viewer: 404, auditor: 404, contributor: 404, manager: 404, admin: 404 }],
  ['GET', '/api/v1/orgs/acme/soa-versions', undefined, ALL],
  ['POST', '/api/v1/orgs/acme/soa-versions', { note: 'by ROLE' }, MANAGERS(409)],
  ['GET', '/api/v1/orgs/acme/soa-versions/999', undefined, { viewer: 404, auditor: 404, contributor: 404, manager: 404, admin: 404 }],
  ['GET', '/api/v1/orgs/acme/soa-changes', undefined, ALL],
  ['GET', '/api/v1/orgs/acme/exports/soa.xlsx', undefined, ALL],
  ['GET', '/api/v1/orgs/acme/exports/soa.csv', undefined, ALL],
  ['GET', '/api/v1/orgs/acme/exports/soa.json', undefined, ALL],
  ['GET', '/api/v1/orgs/acme/exports/risks.xlsx', undefined, ALL],
  ['GET', '/api/v1/orgs/acme/exports/risks.csv', undefined, ALL],
  ['GET', '/api/v1/orgs/acme/exports/ai-systems.xlsx', undefined, ALL],
  ['GET', '/api/v1/orgs/acme/exports/ai-systems.csv', undefined, ALL],
  ['GET', '/api/v1/orgs/acme/exports/readiness.html', undefined, ALL],
  ['GET', '/api/v1/orgs/acme/exports/readiness.json', undefined, ALL],
  // Started above, long finished by now (a few entries).
  ['GET', '/api/v1/orgs/acme/ledger/verify', undefined, ALL],
  ['GET', '/api/v1/orgs/acme/packs/latest', undefined, ALL],
  ['GET', '/api/v1/orgs/acme/exports/oscal/catalog.json', undefined, ALL],
  ['GET', '/api/v1/orgs/acme/exports/oscal/profile.json', undefined, { viewer: 409, auditor: 409, contributor: 409, manager: 409, admin: 409 }],
  ['GET', '/api/v1/orgs/acme/exports/oscal/ssp.json', undefined, ALL],
  ['GET', '/api/v1/orgs/acme/exports/oscal/assessment-results.json', undefined, ALL],
  ['GET', '/api/v1/orgs/acme/exports/oscal/poam.json', undefined, ALL],
  ['POST', '/api/v1/orgs/acme/imports/oscal', { not: 'multipart' }, CONTRIBUTORS(415)],
  ['GET', '/api/v1/orgs/acme/imported-catalogs', undefined, ALL],
  ['GET', '/api/v1/orgs/acme/ai-systems?lifecycle_stage=design_development', undefined, ALL],
  ['POST', '/api/v1/orgs/acme/ai-systems', { name: 'System by ROLE' }, CONTRIBUTORS(201)],
  // The EU AI Act per AI system: AIS-1 is not classified, so 409 once the role passes.
  ['GET', '/api/v1/orgs/acme/ai-systems/AIS-1/obligations', undefined, { viewer: 409, auditor: 409, contributor: 409, manager: 409, admin: 409 }],
  ['POST', '/api/v1/orgs/acme/ai-systems/AIS-1/obligations', undefined, CONTRIBUTORS(409)],
  ['GET', '/api/v1/orgs/acme/ai-systems/AIS-1/annex-iv.json', undefined, { viewer: 409, auditor: 409, contributor: 409, manager: 409, admin: 409 }],
  ['GET', '/api/v1/orgs/acme/ai-systems/AIS-1/annex-viii.json', undefined, { viewer: 409, auditor: 409, contributor: 409, manager: 409, admin: 409 }],
  ['PATCH', '/api/v1/orgs/acme/scope', { statement: 'Scope by ROLE' }, MANAGERS(200)],
  ['GET', '/api/v1/orgs/acme/ai-systems/AIS-1', undefined, ALL],
  ['PATCH', '/api/v1/orgs/acme/ai-systems/AIS-1', { purpose: 'Edited by ROLE' }, CONTRIBUTORS(200)],
  // Comments: whoever reads the record reads them; auditors and up may add one.
  ['GET', '/api/v1/orgs/acme/ai-systems/AIS-1/comments', undefined, ALL],
  ['POST', '/api/v1/orgs/acme/ai-systems/AIS-1/comments', { body: 'Checked by ROLE' }, { viewer: 403, auditor: 201, contributor: 201, manager: 201, admin: 201 }],
  ['DELETE', '/api/v1/orgs/acme/ai-systems/AIS-999', undefined, { viewer: 403, auditor: 403, contributor: 404, manager: 404, admin: 404 }],
  ['GET', '/api/v1/orgs/acme/ai-systems/AIS-1/versions', undefined, ALL],
  ['GET', '/api/v1/orgs/acme/ai-systems/AIS-1/versions/1', undefined, ALL],
  ['GET', '/api/v1/orgs/acme/ai-systems/AIS-1/links', undefined, ALL],
  ['GET', '/api/v1/orgs/acme/ai-systems/AIS-1/steps', undefined, ALL],
  ['GET', '/api/v1/orgs/acme/ai-systems/AIS-1/bom.json', undefined, ALL],
  // A JSON body to the import route: past the permission check, refused for its type.
  ['POST', '/api/v1/orgs/acme/ai-systems/AIS-1/imports', { not: 'multipart' }, CONTRIBUTORS(415)],
  ['GET', '/api/v1/orgs/acme/evidence/EV-999/files', undefined, { viewer: 404, auditor: 404, contributor: 404, manager: 404, admin: 404 }],
  // A JSON body to the upload route: past the permission check, refused for its type.
  ['POST', '/api/v1/orgs/acme/evidence/EV-999/files', { file: 'x' }, CONTRIBUTORS(415)],
  ['GET', '/api/v1/orgs/acme/evidence/EV-999/files/1', undefined, { viewer: 404, auditor: 404, contributor: 404, manager: 404, admin: 404 }],
  ['GET', '/api/v1/orgs/acme/audit-programmes/PROG-999/coverage', undefined, { viewer: 404, auditor: 404, contributor: 404, manager: 404, admin: 404 }],
  ['PUT', '/api/v1/orgs/acme/audits/AUD-999/checklist/9.1', { notes: 'by ROLE' }, { viewer: 403, auditor: 404, contributor: 403, manager: 404, admin: 404 }],
  ['GET', '/api/v1/orgs/acme/audits/AUD-999/report', undefined, { viewer: 404, auditor: 404, contributor: 404, manager: 404, admin: 404 }],
  ['GET', '/api/v1/orgs/acme/my-audits', undefined, ALL],
  ['POST', '/api/v1/orgs/acme/audits', { title: 'Audit by ROLE', requirements: ['9.1'], lead_auditor: 'auditor@example.com' }, { viewer: 403, auditor: 201, contributor: 403, manager: 201, admin: 201 }],
  ['GET', '/api/v1/orgs/acme/concern-channel', undefined, ALL],
  ['POST', '/api/v1/orgs/acme/concern-channel', { open: false }, MANAGERS(200)],
  // Public routes: whoever calls, a closed channel and an unknown key are 404.
  ['POST', '/api/v1/public/orgs/acme/concerns', { text: 'A concern sent by ROLE.' }, { viewer: 404, auditor: 404, contributor: 404, manager: 404, admin: 404 }],
  ['GET', '/api/v1/public/concerns/X', undefined, { viewer: 404, auditor: 404, contributor: 404, manager: 404, admin: 404 }],
  // Work, notifications, webhooks (admins only) and calendar feeds (an organisation's: managers).
  ['GET', '/api/v1/orgs/acme/my-work', undefined, ALL],
  ['GET', '/api/v1/orgs/acme/calendar', undefined, ALL],
  ['GET', '/api/v1/orgs/acme/work-items?owner=ROLE@example.com', undefined, ALL],
  ['GET', '/api/v1/orgs/acme/notifications', undefined, ALL],
  ['POST', '/api/v1/orgs/acme/notifications/read', {}, ALL],
  ['GET', '/api/v1/orgs/acme/notification-settings', undefined, ALL],
  ['PUT', '/api/v1/orgs/acme/notification-settings', { mail: 'digest' }, ALL],
  ['GET', '/api/v1/orgs/acme/webhooks', undefined, { viewer: 403, auditor: 403, contributor: 403, manager: 403, admin: 200 }],
  ['POST', '/api/v1/orgs/acme/webhooks', { url: 'https://hooks.example.org/ROLE', events: ['*'] }, { viewer: 403, auditor: 403, contributor: 403, manager: 403, admin: 201 }],
  ['GET', '/api/v1/orgs/acme/webhooks/999', undefined, { viewer: 403, auditor: 403, contributor: 403, manager: 403, admin: 404 }],
  ['DELETE', '/api/v1/orgs/acme/webhooks/999', undefined, { viewer: 403, auditor: 403, contributor: 403, manager: 403, admin: 404 }],
  ['POST', '/api/v1/orgs/acme/webhooks/999/enable', undefined, { viewer: 403, auditor: 403, contributor: 403, manager: 403, admin: 404 }],
  ['GET', '/api/v1/orgs/acme/webhooks/999/deliveries', undefined, { viewer: 403, auditor: 403, contributor: 403, manager: 403, admin: 404 }],
  ['GET', '/api/v1/orgs/acme/calendar-feeds', undefined, ALL],
  ['POST', '/api/v1/orgs/acme/calendar-feeds', { scope: 'org' }, MANAGERS(201)],
  ['DELETE', '/api/v1/orgs/acme/calendar-feeds/999', undefined, { viewer: 404, auditor: 404, contributor: 404, manager: 404, admin: 404 }],
  ['GET', '/ical/1-unknown.ics', undefined, { viewer: 404, auditor: 404, contributor: 404, manager: 404, admin: 404 }],
  ['POST', '/api/v1/orgs/acme/members/target-ROLE@example.com/disable', undefined, { viewer: 403, auditor: 403, contributor: 403, manager: 403, admin: 200 }],
  ['POST', '/api/v1/orgs/acme/members/target-ROLE@example.com/enable', undefined, { viewer: 403, auditor: 403, contributor: 403, manager: 403, admin: 200 }],
  ['POST', '/api/v1/session/password', { current_password: PASSWORD, new_password: PASSWORD }, { viewer: 204, auditor: 204, contributor: 204, manager: 204, admin: 204 }],
  ['DELETE', '/api/v1/session', undefined, { viewer: 204, auditor: 204, contributor: 204, manager: 204, admin: 204 }],
];

test('every role gets the expected status on every route', async () => {
  const failures = [];
  for (const [method, path, body, expect] of MATRIX) {
    for (const role of ROLES) {
      const p = path.replace('ROLE', role).replace('ADMINTOKEN', adminTokenId).replace('TOKEN', tokenIds[role]);
      const b = body && JSON.parse(JSON.stringify(body).replace('ROLE', role));
      const r = await request(env.url, method, p, { auth: sessions[role], body: b });
      if (r.status !== expect[role]) failures.push(`${role} ${method} ${p}: ${r.status}, expected ${expect[role]} ${r.text}`);
    }
  }
  assert.deepEqual(failures, []);
});

test('the matrix covers every route in the OpenAPI document', async () => {
  const doc = (await request(env.url, 'GET', '/api/v1/openapi.json')).json;
  const covered = new Set(MATRIX.map(([m, p]) => `${m} ${p.split('?')[0]}`));
  // The record routes are listed per kind: any kind stands for {kind}.
  const kinds = Object.entries(doc.components.schemas).filter(([, s]) => s['x-aims-kind']).map(([n]) => n);
  const kindSeg = new RegExp(`(?<=/orgs/(\\{org\\}|acme)/)(${kinds.map((k) => k.replace(/[.-]/g, '\\$&')).join('|')})(?=/|$)`);
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of Object.keys(item)) {
      const concrete = path.replace(kindSeg, '{kind}').replace('{org}', 'acme').replace('{email}', 'X').replace('{id}', 'X').replace('{req}', 'X').replace('{id}', 'X').replace('{kind}', 'X').replace('{ref}', 'X').replace('{key}', 'X').replace('{feed}', 'X');
      const hit = [...covered].some((c) => {
        const [m, p] = c.split(' ');
        return m === method.toUpperCase() && p.replace(kindSeg, 'X').replace(/[^/]*@example\.com|TOKEN|ADMINTOKEN|A\.5\.2|AIS-\d+|EV-999|PROG-\d+|AUD-\d+|(?<=checklist\/)[0-9.]+|999|(?<=(versions|files)\/)1|(?<=acme\/)(ai-systems|scope)(?=\/|$)|AIS-\d+|MET-\d+|\d+-unknown\.ics/g, 'X') === concrete;
      });
      assert.ok(hit, `${method.toUpperCase()} ${path} is not in the role matrix`);
    }
  }
});

test('without credentials every non-public route answers 401', async () => {
  for (const [method, path, body] of MATRIX) {
    const p = path.replace('ROLE', 'viewer').replace('ADMINTOKEN', '1').replace('TOKEN', '1');
    const r = await request(env.url, method, p, { body: body && JSON.parse(JSON.stringify(body).replace('ROLE', 'x')) });
    const pub = ['/healthz', '/readyz', '/metrics', '/api/v1/openapi.json'].includes(p) || p.startsWith('/api/v1/catalog/');
    // The concern channel's public routes take no credentials: a closed one is 404
    // (or 429: the matrix above used this network's reports of the hour).
    if (p.startsWith('/api/v1/public/')) assert.ok([404, 429].includes(r.status), `${method} ${p}: ${r.status}`);
    // A calendar feed's secret URL is its own credential: an unknown one is 404.
    else if (p.startsWith('/ical/')) assert.equal(r.status, 404, `${method} ${p}`);
    else if (pub) assert.equal(r.status, 200, `${method} ${p}`);
    else assert.equal(r.status, 401, `${method} ${p}`);
  }
});

test('nobody grants or touches a role higher than their own', async () => {
  addMember(env.db, 'mgr2@example.com', 'manager');
  addMember(env.db, 'contrib2@example.com', 'contributor');
  addMember(env.db, 'boss@example.com', 'admin');
  const mgr = await signIn(env.url, 'mgr2@example.com');
  const con = await signIn(env.url, 'contrib2@example.com');
  aimsOk(['user', 'add', 'hopeful@example.com', '--password-stdin', '--db', env.db], { input: 'correct horse battery staple\n' });
  let r = await request(env.url, 'POST', '/api/v1/orgs/acme/members', { auth: mgr, body: { email: 'hopeful@example.com', role: 'admin' } });
  assert.equal(r.status, 403);
  assert.equal(r.json.error.field, 'role');
  r = await request(env.url, 'PATCH', '/api/v1/orgs/acme/members/boss@example.com', { auth: mgr, body: { role: 'viewer' } });
  assert.equal(r.status, 403);
  r = await request(env.url, 'DELETE', '/api/v1/orgs/acme/members/boss@example.com', { auth: mgr });
  assert.equal(r.status, 403);
  r = await request(env.url, 'PATCH', '/api/v1/orgs/acme/members/mgr2@example.com', { auth: mgr, body: { role: 'admin' } });
  assert.equal(r.status, 403);
  r = await request(env.url, 'POST', '/api/v1/orgs/acme/tokens', { auth: con, body: { name: 'big', role: 'manager' } });
  assert.equal(r.status, 403);
  assert.equal(r.json.error.field, 'role');
  r = await request(env.url, 'POST', '/api/v1/orgs/acme/tokens', { auth: mgr, body: { name: 'adm', role: 'admin' } });
  assert.equal(r.status, 403);
  // Auditor is not below contributor: it writes audits, which a contributor may not.
  r = await request(env.url, 'POST', '/api/v1/orgs/acme/tokens', { auth: con, body: { name: 'aud', role: 'auditor' } });
  assert.equal(r.status, 403);
  assert.equal(r.json.error.field, 'role');
  const t = JSON.parse(aimsOk(['token', 'create', '--org', 'acme', '--name', 'admin-token', '--role', 'admin', '--format', 'json', '--db', env.db]).stdout);
  r = await request(env.url, 'DELETE', `/api/v1/orgs/acme/tokens/${t.id}`, { auth: mgr });
  assert.equal(r.status, 403);
  r = await request(env.url, 'POST', '/api/v1/orgs/acme/members', { auth: mgr, body: { email: 'hopeful@example.com', role: 'manager' } });
  assert.equal(r.status, 201);
});
