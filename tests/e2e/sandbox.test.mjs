// sandbox.test.mjs - defence in depth around `aims serve`: the running
// process has no_new_privs and a seccomp filter, cannot write outside its
// database and evidence directories (Landlock), warns when run as root and
// switches to --user; temporary files a crash left are removed at start; a
// page upload nobody may send is not stored while it arrives; evidence file
// names with bidirectional controls are refused; after signing in, `next`
// leads only to a page of this site.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync,
  utimesSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { ADMIN, PASSWORD, addMember, aims, aimsOk, makeDb, request, setup, signIn, startServer,
  tempDir } from './lib.mjs';

const VIEWER = 'viewer@example.com';
let env;

before(async () => {
  env = await setup();
  addMember(env.db, VIEWER, 'viewer');
});
after(async () => { await env?.cleanup(); });

function status(pid) {
  const s = readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name) => (s.match(new RegExp(`^${name}:\\s*(.*)$`, 'm')) || [])[1];
  return { seccomp: field('Seccomp'), noNewPrivs: field('NoNewPrivs'), uid: field('Uid') };
}

const landlockMissing = (srv) => /no Landlock/.test(srv.errors());

function token(db, role = 'contributor') {
  return JSON.parse(aimsOk(['token', 'create', '--org', 'acme', '--name', `t-${role}-${Date.now()}`,
    '--role', role, '--format', 'json', '--db', db]).stdout).token;
}

async function apiUpload(url, tok, name, bytes = 'measured: yes\n') {
  const form = new FormData();
  form.append('record', JSON.stringify({ title: `Evidence ${name}` }));
  form.append('file', new Blob([bytes]), name);
  const r = await fetch(`${url}/api/v1/orgs/acme/evidence`, {
    method: 'POST', headers: { authorization: `Bearer ${tok}` }, body: form,
  });
  const text = await r.text();
  let json;
  try { json = JSON.parse(text); } catch { json = undefined; }
  return { status: r.status, json, text };
}

test('the server runs with no_new_privs and a seccomp filter (and without them under --no-sandbox)', async () => {
  const st = status(env.server.proc.pid);
  assert.equal(st.noNewPrivs, '1');
  assert.equal(st.seccomp, '2', 'seccomp filter mode');
  const { db, dir } = makeDb();
  const srv = await startServer(db, { args: ['--no-sandbox'] });
  try {
    assert.equal(status(srv.proc.pid).seccomp, '0');
    assert.match(srv.errors(), /--no-sandbox: file access and system calls are not restricted/);
  } finally {
    await srv.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('confined to its paths: an upload directory that leads elsewhere cannot be written', async (t) => {
  // The evidence upload directory is a link to a directory outside the
  // server's paths: without Landlock the server writes there, with it not.
  const outside = tempDir();
  const { db, dir } = makeDb();
  mkdirSync(join(dir, 'data'), { recursive: true });
  symlinkSync(outside, join(dir, 'data', 'uploads'));
  const tok = token(db);
  try {
    const open = await startServer(db, { args: ['--no-sandbox'] });
    const before = await apiUpload(open.url, tok, 'before.txt');
    await open.stop();
    assert.equal(before.status, 201, before.text);

    const srv = await startServer(db);
    try {
      if (landlockMissing(srv)) {
        t.skip('this kernel has no Landlock: file access cannot be restricted here');
        return;
      }
      const r = await apiUpload(srv.url, tok, 'after.txt', 'another file\n');
      assert.notEqual(r.status, 201, 'an upload through the link was stored');
      assert.deepEqual(readdirSync(outside), []);
      assert.equal(status(srv.proc.pid).seccomp, '2', 'the server is still running');
    } finally {
      await srv.stop();
    }
    // Inside its paths everything works: the upload directory made at start.
    rmSync(join(dir, 'data', 'uploads'));
    const again = await startServer(db);
    try {
      const ok = await apiUpload(again.url, tok, 'inside.txt', 'third file\n');
      assert.equal(ok.status, 201, ok.text);
      assert.deepEqual(readdirSync(outside), []);
    } finally {
      await again.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  }
});

test('as root it warns; with --user it runs as that user and still stores evidence', async (t) => {
  if (process.getuid() !== 0) {
    t.skip('not running as root: the root warning and --user need root');
    return;
  }
  let nobody;
  try {
    nobody = execFileSync('id', ['-u', 'nobody'], { encoding: 'utf8' }).trim();
  } catch {
    t.skip('no user nobody on this system');
    return;
  }
  assert.match(env.server.errors(), /running as root/);
  const { db, dir } = makeDb();
  const tok = token(db);
  try {
    // Not yet the user's: refused at start, naming the path.
    execFileSync('chmod', ['0700', dir]);
    let refused = await startServer(db, { args: ['--user', 'nobody'] }).catch((e) => e);
    assert.ok(refused instanceof Error, 'started although nobody cannot write the database');
    assert.match(refused.message, new RegExp(`cannot (create|read|write|use) ${dir}.*chown -R`));
    execFileSync('chown', ['-R', 'nobody', dir]);
    const srv = await startServer(db, { args: ['--user', 'nobody'] });
    try {
      assert.equal(status(srv.proc.pid).uid.split(/\s+/).join(' '), `${nobody} ${nobody} ${nobody} ${nobody}`);
      assert.doesNotMatch(srv.errors(), /running as root/);
      assert.match(srv.errors(), /running as user nobody/);
      const r = await apiUpload(srv.url, tok, 'as-nobody.txt');
      assert.equal(r.status, 201, r.text);
      const me = await signIn(srv.url);
      assert.ok(me.cookie);
    } finally {
      await srv.stop();
    }
    refused = await startServer(db, { args: ['--user', 'no-such-user-here'] }).catch((e) => e);
    assert.match(refused.message, /there is no user 'no-such-user-here'/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('temporary files a crash left are removed at start', async () => {
  const { db, dir } = makeDb();
  const data = join(dir, 'data');
  mkdirSync(join(data, 'uploads'), { recursive: true });
  mkdirSync(join(data, 'blobs'), { recursive: true });
  const old = new Date(Date.now() - 3600 * 1000);
  const left = [join(data, 'uploads', 'upload-Ab12Cd'), join(data, 'blobs', '.tmp-Ef34Gh')];
  for (const f of left) {
    writeFileSync(f, 'half a file');
    utimesSync(f, old, old);
  }
  const keep = join(data, 'uploads', 'README');
  writeFileSync(keep, 'not ours');
  utimesSync(keep, old, old);
  const srv = await startServer(db);
  try {
    for (const f of left) assert.equal(existsSync(f), false, `${f} is still there`);
    assert.equal(existsSync(keep), true);
    assert.match(srv.errors(), /removed 2 temporary files/);
  } finally {
    await srv.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

// Sends a page upload's head and the start of its file, then waits: is
// anything being stored? Returns the files in data/uploads meanwhile and
// the answer once the body is complete.
function slowPageUpload(url, path, cookie) {
  const boundary = 'sandbox-test-boundary';
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\nSlow\r\n` +
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="slow.txt"\r\n` +
    'Content-Type: text/plain\r\n\r\n';
  const tail = `\r\n--${boundary}--\r\n`;
  const chunk = 'x'.repeat(64 * 1024);
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = httpRequest({
      host: u.hostname, port: u.port, method: 'POST', path,
      headers: {
        cookie, origin: url, 'content-type': `multipart/form-data; boundary=${boundary}`,
        'content-length': Buffer.byteLength(head) + chunk.length + Buffer.byteLength(tail),
      },
    }, (res) => {
      res.resume();
      res.on('end', () => resolve({ during, status: res.statusCode }));
    });
    let during;
    req.on('error', reject);
    req.write(head);
    req.write(chunk);
    setTimeout(() => {
      const d = join(env.dir, 'data', 'uploads');
      during = existsSync(d) ? readdirSync(d) : [];
      req.end(tail);
    }, 400);
  });
}

test('a page upload is stored while it arrives only for a member who may write evidence', async () => {
  const admin = await signIn(env.url, ADMIN, PASSWORD);
  const viewer = await signIn(env.url, VIEWER, PASSWORD);
  // The check can see a body being stored: the admin's is.
  let r = await slowPageUpload(env.url, '/o/acme/evidence', admin.cookie);
  assert.equal(r.during.filter((f) => f.startsWith('upload-')).length, 1);
  // A viewer's, one for an organisation they are not in, and one without a session are not.
  r = await slowPageUpload(env.url, '/o/acme/evidence', viewer.cookie);
  assert.deepEqual(r.during, []);
  assert.equal(r.status, 403);
  r = await slowPageUpload(env.url, '/o/nowhere/evidence', admin.cookie);
  assert.deepEqual(r.during, []);
  r = await slowPageUpload(env.url, '/o/acme/risks', admin.cookie);
  assert.deepEqual(r.during, []);
});

test('a file name with a bidirectional control character is refused by the API and the CLI', async () => {
  const tok = token(env.db);
  const r = await apiUpload(env.url, tok, 'invoice\u202Efdp.exe');
  assert.equal(r.status, 400, r.text);
  assert.equal(r.json.error.field, 'filename');
  assert.match(r.json.error.message, /bidirectional control character U\+202E/);
  const ok = await apiUpload(env.url, tok, 'r\u00e9sum\u00e9.txt');
  assert.equal(ok.status, 201, ok.text);
  // The CLI names the file after the path it is given.
  const file = join(env.dir, 'invoice\u2066fdp.exe');
  writeFileSync(file, 'plain text\n');
  const cli = aims(['record', 'attach', 'evidence', ok.json.ref, file, '--org', 'acme',
    '--as', ADMIN, '--db', env.db]);
  assert.notEqual(cli.status, 0);
  assert.match(cli.stderr, /filename.*bidirectional control character U\+2066|bidirectional control character U\+2066/);
});

async function formSignIn(url, next) {
  const page = await fetch(`${url}/sign-in`);
  const cookie = page.headers.get('set-cookie').split(';')[0];
  const csrf = (await page.text()).match(/name="_csrf" value="([^"]+)"/)[1];
  const body = new URLSearchParams({ _csrf: csrf, email: ADMIN, password: PASSWORD, next });
  const r = await fetch(`${url}/sign-in`, {
    method: 'POST', redirect: 'manual', body,
    headers: { cookie, origin: url, 'content-type': 'application/x-www-form-urlencoded' },
  });
  return r.headers.get('location');
}

test('after signing in, next leads only to a page of this site', async () => {
  for (const next of ['/\t/evil.example', '/\n/evil.example', '//evil.example', '/\\evil.example',
    'https://evil.example/', '/\x0b/evil.example']) {
    assert.equal(await formSignIn(env.url, next), '/', JSON.stringify(next));
  }
  assert.equal(await formSignIn(env.url, '/o/acme/risks?sort=title'), '/o/acme/risks?sort=title');
  const r = await request(env.url, 'GET', '/sign-in?next=%2F%09%2Fevil.example');
  assert.equal(r.status, 200);
  assert.doesNotMatch(r.text, /name="next"/);
});
