// bom.mjs - what the ML-BOM tests (ai_bom, modelcard) share: the CycloneDX
// 1.6 schema check of an exported ML-BOM, an AI system and a kind's records
// made and read with the CLI, and a file sent to an AI system's imports API.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { ADMIN, aims, aimsOk } from './lib.mjs';

const SCHEMAS = new URL('../../schemas/cyclonedx/', import.meta.url).pathname;

const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
// Formats ajv-formats does not define; draft-07 makes format an annotation anyway.
ajv.addFormat('iri-reference', true);
ajv.addFormat('idn-email', true);
for (const f of ['spdx.schema.json', 'jsf-0.82.schema.json']) {
  ajv.addSchema(JSON.parse(readFileSync(join(SCHEMAS, f), 'utf8')));
}
const validateBom = ajv.compile(JSON.parse(readFileSync(join(SCHEMAS, 'bom-1.6.schema.json'), 'utf8')));

// Fails, with the first schema errors, unless doc is a valid CycloneDX 1.6 BOM.
export function assertValidBom(doc) {
  assert.ok(validateBom(doc), JSON.stringify(validateBom.errors?.slice(0, 5), null, 1));
}

// A new AI system of org; returns its reference.
export function newSystem(db, name = 'Claims triage', org = 'acme') {
  return JSON.parse(aimsOk(['record', 'create', 'ai-systems', '--org', org, '--as', ADMIN,
    '--db', db, '--json', JSON.stringify({ name })]).stdout).ref;
}

// Every record of kind in org, retired ones too.
export function list(db, kind, org = 'acme') {
  return JSON.parse(aimsOk(['record', 'list', kind, '--org', org, '--db', db, '--format',
    'json', '--all']).stdout);
}

// `aims import FORMAT FILE` into the AI system ais of acme; returns the run.
export function importFile(db, format, file, ais, extra = []) {
  return aims(['import', format, file, '--org', 'acme', '--ai-system', ais, '--as', ADMIN,
    '--db', db, ...extra]);
}

// A multipart POST of body as the file (and format, when given) by the
// signed-in s, as the page's form sends it; returns { status, json }.
export async function upload(env, s, path, format, body, name) {
  const form = new FormData();
  form.append('file', new Blob([body]), name);
  if (format) form.append('format', format);
  const r = await fetch(env.url + path, { method: 'POST', body: form,
    headers: { cookie: s.cookie, origin: env.url, 'x-csrf-token': s.csrf } });
  return { status: r.status, json: await r.json() };
}
