// euact.test.mjs - the EU AI Act per AI system: the classification worked out
// from the answers on the AI system for every Annex III area, Annex I, Art. 5,
// Art. 50, general-purpose AI and the Art. 6(3) derogation (and the answers
// the Act does not allow refused, naming the field); the Art. 27
// fundamental-rights fields asked exactly where Art. 27 applies (approval and
// readiness); the obligations that follow per role, created once; the Annex IV
// documentation and Annex VIII registration data with their gaps; the CLI;
// roles and tenant isolation; and the ledger still verifies.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, request, signIn, addOrg, addMember, aims, aimsOk, ADMIN, verifyLedger } from './lib.mjs';
import { strictWrites } from './lib.mjs';

// Every change these journeys make goes through the server's writer.
strictWrites();

const A = '/api/v1/orgs/acme';
const MANAGER = 'manager@example.com';
let env, admin, manager, viewer, outsider;

before(async () => {
  env = await setup();
  addMember(env.db, MANAGER, 'manager');
  addMember(env.db, 'viewer@example.com', 'viewer');
  addOrg(env.db, 'other');
  addMember(env.db, 'outsider@example.com', 'admin', 'other');
  admin = await signIn(env.url);
  manager = await signIn(env.url, MANAGER);
  viewer = await signIn(env.url, 'viewer@example.com');
  outsider = await signIn(env.url, 'outsider@example.com');
});
after(async () => { await env.cleanup(); });

const call = (method, path, body, auth = admin) => request(env.url, method, A + path, { body, auth });
async function system(fields) {
  const r = await call('POST', '/ai-systems', { name: 'System', ...fields });
  assert.equal(r.status, 201, r.text);
  return r.json;
}
const classified = (fields) => system({ eu_prohibited_checked: true, eu_ai_act_roles: ['provider'], ...fields });

test('each Annex III area makes a system high-risk, with the point and area in the reasoning', async () => {
  const areas = {
    '1a_remote_biometric_identification': [/point 1\(a\) \(biometrics\)/],
    '2_critical_infrastructure': [/point 2 \(critical infrastructure\)/],
    '3b_learning_outcomes': [/point 3\(b\) \(education and vocational training\)/],
    '4a_recruitment_selection': [/point 4\(a\) \(employment/],
    '5b_creditworthiness_credit_scoring': [/point 5\(b\) \(access to essential private and public services/],
    '6d_offending_risk': [/point 6\(d\) \(law enforcement\)/],
    '7c_asylum_visa_applications': [/point 7\(c\) \(migration, asylum and border control\)/],
    '8b_elections_voting': [/point 8\(b\) \(administration of justice and democratic processes\)/],
  };
  for (const [point, res] of Object.entries(areas)) {
    const s = await classified({ eu_annex_iii: [point] });
    assert.equal(s.eu_ai_act_category, 'high_risk', point);
    for (const re of res) assert.match(s.eu_ai_act_reasoning, re, point);
    assert.match(s.eu_ai_act_reasoning, /Art\. 5: checked, no prohibited practice/);
    assert.match(s.eu_ai_act_reasoning, /Category: high_risk\.$/);
  }
});

test('the Art. 6(3) derogation: conditions and reasons taken, the profiling exception and bad answers refused', async () => {
  const reasons = 'It only converts scanned application forms into structured data for a human caseworker.';
  const d = await classified({ eu_annex_iii: ['5a_public_benefits'], eu_art6_3_derogation: true,
    eu_art6_3_conditions: ['a_narrow_procedural_task'], eu_art6_3_reasons: reasons });
  assert.equal(d.eu_ai_act_category, 'minimal');
  assert.match(d.eu_ai_act_reasoning, /Art\. 6\(3\) derogation applies under \(a\): It only/);
  assert.match(d.eu_ai_act_reasoning, /registration under Art\. 49\(2\)/);
  // The same system that profiles people is always high-risk: the derogation is refused.
  let r = await call('POST', '/ai-systems', { name: 'Profiler', eu_prohibited_checked: true,
    eu_annex_iii: ['5a_public_benefits'], eu_profiling: true, eu_art6_3_derogation: true,
    eu_art6_3_conditions: ['a_narrow_procedural_task'], eu_art6_3_reasons: reasons });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.field, 'eu_art6_3_derogation');
  assert.match(r.json.error.message, /profiles natural persons is always high-risk/);
  const p = await classified({ eu_annex_iii: ['5a_public_benefits'], eu_profiling: true });
  assert.equal(p.eu_ai_act_category, 'high_risk');
  assert.match(p.eu_ai_act_reasoning, /profiles natural persons, so no derogation/);
  r = await call('POST', '/ai-systems', { name: 'X', eu_annex_iii: ['4a_recruitment_selection'],
    eu_art6_3_derogation: true, eu_art6_3_conditions: ['d_preparatory_task'], eu_art6_3_reasons: 'N/A' });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.field, 'eu_art6_3_reasons');
  r = await call('POST', '/ai-systems', { name: 'X', eu_annex_iii: ['4a_recruitment_selection'],
    eu_art6_3_derogation: true, eu_art6_3_reasons: reasons });
  assert.equal(r.json.error.field, 'eu_art6_3_conditions');
  r = await call('POST', '/ai-systems', { name: 'X', eu_art6_3_derogation: true,
    eu_art6_3_conditions: ['d_preparatory_task'], eu_art6_3_reasons: reasons });
  assert.equal(r.json.error.field, 'eu_art6_3_derogation');
  assert.match(r.json.error.message, /only for systems listed in Annex III/);
  r = await call('POST', '/ai-systems', { name: 'X', eu_annex_iii: ['9z_nowhere'] });
  assert.equal(r.json.error.field, 'eu_annex_iii[0]');
});

test('Art. 5, Annex I, general-purpose AI, Art. 50 and an unchecked system', async () => {
  const banned = await classified({ eu_prohibited_practices: ['c_social_scoring'], eu_annex_iii: ['5a_public_benefits'] });
  assert.equal(banned.eu_ai_act_category, 'prohibited');
  assert.match(banned.eu_ai_act_reasoning, /Art\. 5\(1\)\(c\) social scoring/);
  let r = await call('POST', '/ai-systems', { name: 'Robot arm', eu_prohibited_checked: true, eu_annex_i: true });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.field, 'eu_annex_i_legislation');
  const machine = await classified({ eu_annex_i: true, eu_annex_i_legislation: 'Machinery Regulation (EU) 2023/1230' });
  assert.equal(machine.eu_ai_act_category, 'high_risk');
  assert.match(machine.eu_ai_act_reasoning, /Art\. 6\(1\).*Machinery Regulation/);
  const model = await classified({ eu_gpai: 'model_systemic_risk' });
  assert.equal(model.eu_ai_act_category, 'gpai');
  assert.match(model.eu_ai_act_reasoning, /systemic risk: Art\. 53 and 55 apply/);
  const bot = await classified({ eu_transparency: ['50_1_interacts_with_people'] });
  assert.equal(bot.eu_ai_act_category, 'limited');
  const plain = await classified({});
  assert.equal(plain.eu_ai_act_category, 'minimal');
  // Not checked yet: the category given stays, and the reasoning says why.
  const open = await system({ eu_ai_act_category: 'limited', eu_annex_iii: ['4a_recruitment_selection'] });
  assert.equal(open.eu_ai_act_category, 'limited');
  assert.match(open.eu_ai_act_reasoning, /Not classified yet/);
  // Checking it works the category out from the answers.
  r = await call('PATCH', `/ai-systems/${open.ref}`, { eu_prohibited_checked: true, eu_ai_act_roles: ['deployer'] });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.eu_ai_act_category, 'high_risk');
});

// An impact assessment of system ref written by the admin, approved by the manager.
async function approveAssessment(ref) {
  const ia = await call('POST', '/impact-assessments', { ai_system: ref, scope: 'Whole system' });
  assert.equal(ia.status, 201, ia.text);
  return call('PATCH', `/impact-assessments/${ia.json.ref}`, { status: 'approved' }, manager);
}

test('Art. 27: the fundamental-rights fields are asked exactly where it applies', async () => {
  const deploy = (points, extra = {}) => classified({ eu_ai_act_roles: ['deployer'], eu_annex_iii: points,
    in_scope: true, lifecycle_stage: 'operation_monitoring', ...extra });
  // Credit scoring (5(b)) and life and health insurance pricing (5(c)): always.
  for (const point of ['5b_creditworthiness_credit_scoring', '5c_life_health_insurance_pricing']) {
    const s = await deploy([point]);
    const r = await approveAssessment(s.ref);
    assert.equal(r.status, 400, `${point}: ${r.text}`);
    assert.equal(r.json.error.field, 'fria_process_description');
    assert.match(r.json.error.message, new RegExp(`Annex III point ${point[0]}\\(${point[1]}\\)`));
  }
  // Recruitment by a private company that provides no public service: not asked.
  const hiring = await deploy(['4a_recruitment_selection']);
  assert.equal((await approveAssessment(hiring.ref)).status, 200);
  // The provider of a credit scorer is not its deployer: not asked.
  const provided = await classified({ eu_annex_iii: ['5b_creditworthiness_credit_scoring'] });
  assert.equal((await approveAssessment(provided.ref)).status, 200);
  // A deployer of a high-risk system that is not of Annex III (Annex I only): not asked.
  const machine = await deploy([], { eu_annex_i: true, eu_annex_i_legislation: 'Medical Devices Regulation' });
  assert.equal((await approveAssessment(machine.ref)).status, 200);

  let r = await call('GET', '/readiness');
  const art27 = () => r.json.requirements.find((q) => q.id === '8.4').checks.find((c) => c.rule === '8.4-art27');
  const refs = () => (art27().findings || []).flatMap((f) => f.refs);
  assert.ok(!refs().includes(hiring.ref));

  // The organisation declares itself a body governed by public law: now asked for recruitment too,
  // but still not for critical infrastructure (Annex III point 2 is excepted).
  r = await call('PATCH', '/eu-ai-act-profile', { public_body: true }, manager);
  assert.equal(r.status, 200, r.text);
  const hiring2 = await deploy(['4a_recruitment_selection']);
  r = await approveAssessment(hiring2.ref);
  assert.equal(r.status, 400, r.text);
  assert.match(r.json.error.message, /a body governed by public law/);
  const grid = await deploy(['2_critical_infrastructure']);
  assert.equal((await approveAssessment(grid.ref)).status, 200);
  r = await call('GET', '/readiness');
  assert.equal(art27().status, 'fail');
  assert.ok(refs().includes(hiring.ref), JSON.stringify(art27()));
  assert.ok(refs().includes(hiring2.ref));
  assert.ok(!refs().includes(grid.ref));
  assert.ok(!refs().includes(provided.ref));
  // A private entity providing public services says which.
  r = await call('PATCH', '/eu-ai-act-profile', { public_body: false, public_service: true }, manager);
  assert.equal(r.status, 400);
  assert.equal(r.json.error.field, 'public_service_description');
  // Only managers and admins set the profile.
  r = await call('PATCH', '/eu-ai-act-profile', { notes: 'x' }, viewer);
  assert.equal(r.status, 403);
});

test('the obligations that follow per role are created once, due when the article applies', async () => {
  const articles = async (ref) => (await call('GET', `/ai-systems/${ref}/obligations`)).json.obligations
    .map((o) => `${o.article}:${o.role}`).sort();
  const provider = await classified({ owner: ADMIN, eu_annex_iii: ['4a_recruitment_selection'] });
  assert.deepEqual(await articles(provider.ref), ['4:provider', '9:provider', '10:provider', '11:provider',
    '12:provider', '13:provider', '14:provider', '15:provider', '16:provider', '17:provider', '43:provider',
    '47:provider', '48:provider', '49:provider', '72:provider', '73:provider'].sort());
  const deployer = await classified({ eu_ai_act_roles: ['deployer'], eu_annex_iii: ['5c_life_health_insurance_pricing'],
    eu_transparency: ['50_4_deep_fake'] });
  assert.deepEqual(await articles(deployer.ref), ['4:deployer', '26:deployer', '27:deployer', '50:deployer'].sort());
  const both = await classified({ eu_ai_act_roles: ['provider', 'deployer'], eu_transparency: ['50_1_interacts_with_people'] });
  assert.deepEqual(await articles(both.ref), ['4:deployer', '4:provider', '50:provider'].sort());
  const derog = await classified({ eu_annex_iii: ['3a_education_access'], eu_art6_3_derogation: true,
    eu_art6_3_conditions: ['d_preparatory_task'], eu_art6_3_reasons: 'It only sorts applications by date of arrival for staff.' });
  assert.deepEqual(await articles(derog.ref), ['4:provider', '49:provider'].sort());
  const banned = await classified({ eu_prohibited_practices: ['e_untargeted_facial_scraping'] });
  assert.ok((await articles(banned.ref)).includes('5:provider'));
  const unclassified = await system({});
  let r = await call('GET', `/ai-systems/${unclassified.ref}/obligations`);
  assert.equal(r.status, 409);
  assert.equal(r.json.error.field, 'eu_prohibited_checked');

  r = await call('POST', `/ai-systems/${provider.ref}/obligations`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.created.length, 16);
  const again = await call('POST', `/ai-systems/${provider.ref}/obligations`);
  assert.equal(again.json.created.length, 0);
  assert.deepEqual(again.json.existing.sort(), r.json.created.sort());
  const list = (await call('GET', `/obligations?ai_system=${provider.ref}&limit=100`)).json.items;
  assert.equal(list.length, 16);
  const art9 = list.find((o) => o.article === '9');
  assert.equal(art9.title, 'Art. 9 Risk management system');
  assert.equal(art9.due, '2026-08-02');
  assert.equal(art9.owner, ADMIN);
  assert.equal(art9.status, 'open');
  assert.equal(list.find((o) => o.article === '4').due, '2025-02-02');
  // Met needs the records that satisfy it; not applicable needs a reason; one per article and role.
  r = await call('PATCH', `/obligations/${art9.ref}`, { status: 'met' });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.field, 'satisfied_by');
  r = await call('PATCH', `/obligations/${art9.ref}`, { status: 'met', satisfied_by: [provider.ref] });
  assert.equal(r.status, 200, r.text);
  r = await call('POST', '/obligations', { ai_system: provider.ref, article: '9', role: 'provider' });
  assert.equal(r.status, 409);
  assert.equal(r.json.error.field, 'article');
  r = await call('POST', '/obligations', { ai_system: provider.ref, article: '999', role: 'provider' });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.field, 'article');
  // The classification changes: the open obligations it no longer gives are named, none removed.
  r = await call('PATCH', `/ai-systems/${provider.ref}`, { eu_annex_iii: [] });
  assert.equal(r.json.eu_ai_act_category, 'minimal');
  r = await call('POST', `/ai-systems/${provider.ref}/obligations`);
  assert.equal(r.json.no_longer_following.length, 14, r.text);
  assert.ok(!r.json.no_longer_following.includes(art9.ref), 'a met one is not named');
  // Roles: a viewer reads but does not create; another organisation sees nothing.
  assert.equal((await call('POST', `/ai-systems/${deployer.ref}/obligations`, undefined, viewer)).status, 403);
  assert.equal((await call('GET', `/ai-systems/${deployer.ref}/obligations`, undefined, viewer)).status, 200);
  assert.equal((await call('GET', `/ai-systems/${deployer.ref}/obligations`, undefined, outsider)).status, 404);
  assert.equal((await call('POST', `/ai-systems/${deployer.ref}/obligations`, undefined, outsider)).status, 404);
  const v = await verifyLedger(env.url, admin);
  assert.equal(v.status, 200, v.text);
  assert.equal(v.json.verified, true, v.text);
});

test('Annex IV documentation and Annex VIII registration data from the records, with their gaps', async () => {
  const s = await classified({ name: 'Exam proctor', eu_annex_iii: ['3d_test_behaviour_monitoring'] });
  let r = await call('GET', `/ai-systems/${s.ref}/annex-iv.json`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.complete, false);
  assert.equal(r.json.sections.length, 9);
  assert.ok(r.json.gaps.some((g) => g.startsWith('1(a)')));
  assert.ok(r.json.gaps.some((g) => g.startsWith('5:')));
  assert.match(r.headers.get('content-disposition'), new RegExp(`${s.ref}-annex-iv\\.json`));
  // Recording the intended purpose and a risk of the system closes those gaps.
  assert.equal((await call('PATCH', `/ai-systems/${s.ref}`, { intended_use: 'Flags irregular behaviour in remote exams for a human invigilator.' })).status, 200);
  const risk = await call('POST', '/risks', { title: 'False flags of disabled students', ai_systems: [s.ref], likelihood: 3, impact: 4 });
  assert.equal(risk.status, 201, risk.text);
  r = await call('GET', `/ai-systems/${s.ref}/annex-iv.json`);
  assert.ok(!r.json.gaps.some((g) => g.startsWith('1(a)')), r.json.gaps.join('|'));
  assert.ok(!r.json.gaps.some((g) => g.startsWith('5:')));
  assert.deepEqual(r.json.sections[4].records.map((x) => x.ref), [risk.json.ref]);

  r = await call('GET', `/ai-systems/${s.ref}/annex-viii.json`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.section, 'A');
  assert.ok(r.json.items.some((i) => i.point === '5' && /irregular behaviour/.test(i.value)));
  assert.ok(r.json.missing.some((m) => m.point === '10'));
  const derog = await classified({ eu_annex_iii: ['3a_education_access'], eu_art6_3_derogation: true,
    eu_art6_3_conditions: ['c_detects_decision_patterns'], eu_art6_3_reasons: 'It reports grading patterns to the exam board and replaces no assessment.' });
  r = await call('GET', `/ai-systems/${derog.ref}/annex-viii.json`);
  assert.equal(r.json.section, 'B');
  assert.ok(r.json.items.some((i) => i.point === '7' && /grading patterns/.test(i.value)));
  assert.equal((await call('GET', `/ai-systems/${derog.ref}/annex-iv.json`)).status, 409);
  const minimal = await classified({});
  assert.equal((await call('GET', `/ai-systems/${minimal.ref}/annex-viii.json`)).status, 409);
  const deployed = await classified({ eu_ai_act_roles: ['deployer'], eu_annex_iii: ['4a_recruitment_selection'] });
  r = await call('GET', `/ai-systems/${deployed.ref}/annex-iv.json`);
  assert.equal(r.status, 409);
  assert.match(r.json.error.message, /not the provider/);
  // A deployer that is a public body (the profile set above) registers its use: Section C,
  // with the findings of its fundamental-rights impact assessment once one is approved.
  r = await call('GET', `/ai-systems/${deployed.ref}/annex-viii.json`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.section, 'C');
  assert.ok(r.json.missing.some((m) => m.point === '4'));
  const ia = await call('POST', '/impact-assessments', { ai_system: deployed.ref,
    fria_process_description: 'Shortlisting of applicants for municipal jobs',
    fria_period_frequency: 'Each hiring round', fria_affected_categories: 'Applicants',
    fria_specific_risks: 'Indirect discrimination by age.', fria_human_oversight: 'A recruiter reviews each list',
    fria_risk_measures: 'Appeals desk and quarterly bias review.' });
  assert.equal(ia.status, 201, ia.text);
  assert.equal((await call('PATCH', `/impact-assessments/${ia.json.ref}`, { status: 'approved' }, manager)).status, 200);
  r = await call('GET', `/ai-systems/${deployed.ref}/annex-viii.json`);
  const four = r.json.items.find((i) => i.point === '4');
  assert.match(four.value, new RegExp(`${ia.json.ref}: risks: Indirect discrimination by age\\. Measures: Appeals desk`));
  // Critical infrastructure (point 2) and Annex I products are not in the EU database.
  const grid = await classified({ eu_ai_act_roles: ['deployer'], eu_annex_iii: ['2_critical_infrastructure'] });
  r = await call('GET', `/ai-systems/${grid.ref}/annex-viii.json`);
  assert.equal(r.status, 409);
  assert.match(r.json.error.message, /Art\. 49\(5\)/);
  const machine = await classified({ eu_annex_i: true, eu_annex_i_legislation: 'Machinery Regulation (EU) 2023/1230' });
  assert.equal((await call('GET', `/ai-systems/${machine.ref}/annex-viii.json`)).status, 409);
  assert.equal((await call('GET', `/ai-systems/${machine.ref}/annex-iv.json`)).status, 200);
  assert.ok(!(await call('GET', `/ai-systems/${machine.ref}/obligations`)).json.obligations.some((o) => o.article === '49'));
  assert.equal((await call('GET', `/ai-systems/${s.ref}/annex-iv.json`, undefined, outsider)).status, 404);
});

test('the CLI: obligations, Annex IV and VIII, its options and --as', async () => {
  const s = await classified({ eu_ai_act_roles: ['deployer'], eu_annex_iii: ['5b_creditworthiness_credit_scoring'] });
  const due = JSON.parse(aimsOk(['euact', 'obligations', s.ref, '--org', 'acme', '--db', env.db]).stdout);
  assert.deepEqual(due.map((o) => o.article).sort(), ['26', '27', '4']);
  let r = aims(['euact', 'obligations', s.ref, '--org', 'acme', '--create', '--db', env.db]);
  assert.equal(r.status, 2, r.stderr);
  r = aims(['euact', 'obligations', s.ref, '--org', 'acme', '--create', '--as', 'viewer@example.com', '--db', env.db]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /viewer/);
  const made = JSON.parse(aimsOk(['euact', 'obligations', s.ref, '--org', 'acme', '--create', '--as', ADMIN, '--db', env.db]).stdout);
  assert.equal(made.created.length, 3);
  r = aims(['euact', 'annex-iv', s.ref, '--org', 'acme', '--db', env.db]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /not the provider/);
  r = aims(['euact', '--help']);
  assert.equal(r.status, 0);
  assert.match(r.stdout, /annex-viii/);
  r = aims(['euact', 'annex-ix', s.ref, '--org', 'acme', '--db', env.db]);
  assert.equal(r.status, 2);
  r = aims(['euact', 'obligations', 'AIS-9999', '--org', 'acme', '--db', env.db]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /no AI system AIS-9999/);
});

test('the web page: classification, obligations recorded by a form, Annex IV; a viewer gets no form', async () => {
  const s = await classified({ name: 'Loan engine', eu_annex_iii: ['5b_creditworthiness_credit_scoring'] });
  const path = `/o/acme/ai-systems/${s.ref}/eu-ai-act`;
  let page = await request(env.url, 'GET', path, { auth: admin });
  assert.equal(page.status, 200);
  assert.match(page.text, /Annex III point 5\(b\)/);
  assert.match(page.text, /Art\. 9 Risk management system/);
  assert.match(page.text, /not recorded yet/);
  assert.match(page.text, /Record these obligations/);
  assert.match(page.text, /Annex IV technical documentation/);
  assert.match(page.text, /Gap: 1\(a\)/);
  assert.match(page.text, new RegExp(`/api/v1/orgs/acme/ai-systems/${s.ref}/annex-viii\\.json`));
  // The AI system's page links to it.
  const rec = await request(env.url, 'GET', `/o/acme/ai-systems/${s.ref}`, { auth: admin });
  assert.match(rec.text, new RegExp(`href="/o/acme/ai-systems/${s.ref}/eu-ai-act"`));
  const csrf = page.text.match(/name="_csrf" value="([^"]+)"/)[1];
  const r = await request(env.url, 'POST', path, { auth: admin,
    body: new URLSearchParams({ _csrf: csrf }).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  assert.equal(r.status, 303, r.text);
  assert.equal(r.headers.get('location'), path);
  page = await request(env.url, 'GET', path, { auth: admin });
  assert.doesNotMatch(page.text, /not recorded yet/);
  assert.doesNotMatch(page.text, /Record these obligations/);
  assert.match(page.text, /OBL-\d+/);
  // An open Art. 72 obligation is no post-market monitoring plan.
  assert.match(page.text, /Gap: 9: no post-market monitoring plan/);
  const seen = await request(env.url, 'GET', path, { auth: viewer });
  assert.equal(seen.status, 200);
  assert.doesNotMatch(seen.text, /Record these obligations/);
  assert.equal((await request(env.url, 'GET', path, { auth: outsider })).status, 404);
});
