// lib.mjs - shared helpers for the black-box tests: run the aims binary,
// make temporary directories.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const AIMS = process.env.AIMS_BIN || new URL('../../build/rel/aims', import.meta.url).pathname;

// Fast password hashing for tests only: argon2id with libsodium's minimum cost.
export const testEnv = { ...process.env, AIMS_FAST_HASH: '1' };

export function tempDir() {
  return mkdtempSync(join(tmpdir(), 'aims-test-'));
}

export function aims(args, { input, env } = {}) {
  const r = spawnSync(AIMS, args, { input: input ?? '', encoding: 'utf8',
    env: { ...testEnv, ...(env || {}) }, timeout: 60000 });
  if (r.error) throw r.error;
  return r;
}
