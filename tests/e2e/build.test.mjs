// build.test.mjs - the two commands of the README: `make run` installs and
// links only what running needs and serves where PORT or LISTEN says;
// `make test` installs the test tools.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { AIMS_RELEASE } from './lib.mjs';

const ROOT = new URL('../..', import.meta.url).pathname;

// Run as if typed: not as a sub-make of the `make test` that runs this file.
const env = { ...process.env };
for (const v of ['MAKEFLAGS', 'MFLAGS', 'MAKELEVEL', 'MAKEOVERRIDES']) delete env[v];

function sh(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: ROOT, encoding: 'utf8', env, timeout: 120000 });
  if (r.error) throw r.error;
  assert.equal(r.status, 0, `${cmd} ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

const TEST_ONLY = ['chromium', 'clang', 'libclang-rt-14-dev', 'libcmocka-dev', 'nginx-light',
  'wrk', 'unzip', 'sqlite3', 'nodejs', 'npm'];

test('install-deps run lists no test or bench tool; test lists the test tools', () => {
  const run = sh('scripts/install-deps', ['--list', 'run']).trim().split(/\s+/);
  const tst = sh('scripts/install-deps', ['--list', 'test']).trim().split(/\s+/);
  for (const p of TEST_ONLY) assert.ok(!run.includes(p), `run installs ${p}`);
  for (const p of ['chromium', 'clang', 'libcmocka-dev', 'unzip', 'sqlite3'])
    assert.ok(tst.includes(p), `test misses ${p}`);
  for (const p of run) assert.ok(tst.includes(p), `test misses run's ${p}`);
  for (const p of ['postgresql', 'python3-aiosmtpd'])
    assert.ok(!run.includes(p), `run installs the test server ${p}`);
});

test('the release binary links only the libraries it calls', () => {
  const needed = [...sh('readelf', ['-d', AIMS_RELEASE]).matchAll(/\(NEEDED\).*\[(.+)\]/g)]
    .map((m) => m[1]);
  assert.ok(needed.some((l) => l.startsWith('libmicrohttpd')), needed.join(' '));
  assert.ok(needed.some((l) => l.startsWith('libarchive')), 'the audit pack needs libarchive');
  assert.ok(needed.some((l) => l.startsWith('liboath')), 'the second factor needs liboath');
  assert.ok(needed.some((l) => l.startsWith('libqrencode')), 'its QR code needs libqrencode');
  assert.ok(needed.some((l) => l.startsWith('libcurl')), 'single sign-on, mail and webhooks need libcurl');
  assert.ok(needed.some((l) => l.startsWith('libcrypto')), 'ID token signatures need libcrypto');
  assert.ok(needed.some((l) => l.startsWith('libyaml')), 'model card metadata needs libyaml');
  for (const unused of ['libcmocka'])
    assert.ok(!needed.some((l) => l.startsWith(unused)), `${unused} linked: ${needed.join(' ')}`);
});

test('make run serves on PORT or LISTEN and installs the run set only', () => {
  let out = sh('make', ['-n', '--no-print-directory', 'run', 'PORT=9123']);
  assert.match(out, /install-deps run/);
  assert.doesNotMatch(out, /install-deps test/);
  assert.match(out, /aims serve --db aims\.db --listen 127\.0\.0\.1:9123/);
  out = sh('make', ['-n', '--no-print-directory', 'run', 'LISTEN=0.0.0.0:8080']);
  assert.match(out, /--listen 0\.0\.0\.0:8080/);
  out = sh('make', ['-n', '--no-print-directory', 'run']);
  assert.match(out, /--listen 127\.0\.0\.1:8042/);
});

test('make test installs the test tools', () => {
  const out = sh('make', ['-n', '--no-print-directory', 'test']);
  assert.match(out, /install-deps test/);
});
