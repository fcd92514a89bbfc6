import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { PROJECT_ROOT } from './paths.ts';

/*
 * The real server process (`node --import tsx src/main.ts`), started as an operator would:
 * what happens at start with a database that is not there, and on SIGTERM. Nothing here
 * measures time; "exits" is bounded only by the test's generous timeout.
 */

const MAIN = path.join(PROJECT_ROOT, 'src', 'main.ts');
const TSX = import.meta.resolve('tsx');
const EXIT_BOUND = { timeout: 60_000 };

interface Server {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

function start(env: Record<string, string>, cwd = PROJECT_ROOT): Server {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('MASTHEAD_')));
  const child = spawn(process.execPath, ['--import', TSX, MAIN], {
    cwd,
    env: { ...clean, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, stdout: () => out, stderr: () => err, exited };
}

/** Resolves when the server's output matches `re`; rejects if it exits first. */
async function waitFor(server: Server, re: RegExp): Promise<RegExpMatchArray> {
  for (;;) {
    const m = server.stdout().match(re);
    if (m) return m;
    const exited = await Promise.race([server.exited.then(() => true), new Promise<false>((r) => setTimeout(() => r(false), 50))]);
    if (exited) throw new Error(`server exited before ${re}: ${server.stdout()}\n${server.stderr()}`);
  }
}

async function listening(server: Server): Promise<{ host: string; port: number }> {
  const m = await waitFor(server, /listening on http:\/\/([\d.]+):(\d+)/);
  return { host: m[1]!, port: Number(m[2]) };
}

/** Sends raw bytes on a fresh connection and collects what comes back until the server closes it. */
function connect(port: number): { socket: net.Socket; received: () => string; closed: Promise<void> } {
  const socket = net.connect(port, '127.0.0.1');
  let data = '';
  socket.on('data', (d) => (data += d.toString()));
  socket.on('error', () => {});
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  return { socket, received: () => data, closed };
}

const tmpDirs: string[] = [];
function tmpDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'masthead-main-'));
  tmpDirs.push(dir);
  return dir;
}
after(() => {
  for (const dir of tmpDirs) fs.rmSync(dir, { recursive: true, force: true });
});

describe('starting the server', () => {
  it('refuses to start on a configured SQLite file that is missing, saying so, and creates nothing', EXIT_BOUND, async () => {
    const dir = tmpDir();
    const file = path.join(dir, 'site.sqlite');
    const server = start({ MASTHEAD_DATABASE_URL: `sqlite:${file}`, MASTHEAD_MEDIA_DIR: path.join(dir, 'media') });
    assert.equal(await server.exited, 1);
    assert.match(server.stderr(), /^masthead: The SQLite database .*site\.sqlite does not exist/m);
    assert.match(server.stderr(), /MASTHEAD_DATABASE_CREATE=true/);
    assert.equal(fs.existsSync(file), false, 'no new database in its place');
    assert.doesNotMatch(server.stdout(), /demo administrator|loaded demo content/i);
  });

  it('creates a configured SQLite file only when told to, and then without demo content', EXIT_BOUND, async () => {
    const dir = tmpDir();
    const file = path.join(dir, 'site.sqlite');
    const server = start({
      MASTHEAD_DATABASE_URL: `sqlite:${file}`,
      MASTHEAD_DATABASE_CREATE: 'true',
      MASTHEAD_MEDIA_DIR: path.join(dir, 'media'),
    });
    const { port } = await listening(server);
    assert.ok(fs.existsSync(file));
    const home = await fetch(`http://127.0.0.1:${port}/`);
    assert.equal(home.status, 200);
    assert.doesNotMatch(server.stdout(), /loaded demo content/);
    server.child.kill('SIGTERM');
    assert.equal(await server.exited, 0);
  });

  it('on a fresh machine with nothing configured, creates the default database with the demo content (npm start)', EXIT_BOUND, async () => {
    const dir = tmpDir();
    const server = start({}, dir);
    const { port } = await listening(server);
    assert.ok(fs.existsSync(path.join(dir, 'data', 'masthead.sqlite')));
    assert.match(server.stdout(), /loaded demo content/);
    const story = await fetch(`http://127.0.0.1:${port}/world/russia-executing-soldiers-not-following-orders-says-us`);
    assert.equal(story.status, 200);
    server.child.kill('SIGTERM');
    assert.equal(await server.exited, 0);
  });
});

describe('operations endpoints of a started server', () => {
  it('reports ready once its loops run, and serves /metrics only on MASTHEAD_METRICS_PORT', EXIT_BOUND, async () => {
    const dir = tmpDir();
    const free = net.createServer();
    await new Promise<void>((resolve) => free.listen(0, '127.0.0.1', resolve));
    const metricsPort = (free.address() as net.AddressInfo).port;
    await new Promise<void>((resolve) => free.close(() => resolve()));
    const server = start({
      MASTHEAD_DATABASE_URL: `sqlite:${path.join(dir, 'site.sqlite')}`,
      MASTHEAD_DATABASE_CREATE: 'true',
      MASTHEAD_MEDIA_DIR: path.join(dir, 'media'),
      MASTHEAD_METRICS_PORT: String(metricsPort),
    });
    const { port } = await listening(server);
    await waitFor(server, /Masthead is serving/);
    const ready = await fetch(`http://127.0.0.1:${port}/health/ready`);
    const body = (await ready.json()) as { status: string; checks: Record<string, { ok: boolean }> };
    assert.equal(ready.status, 200, JSON.stringify(body));
    assert.deepEqual(body.checks.scheduler, { ok: true });
    assert.deepEqual(body.checks.webhookWorker, { ok: true });
    assert.equal((await fetch(`http://127.0.0.1:${port}/metrics`)).status, 404, 'not on the public port');
    const metrics = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
    assert.equal(metrics.status, 200);
    assert.match(await metrics.text(), /^# HELP /m);
    server.child.kill('SIGTERM');
    assert.equal(await server.exited, 0);
  });
});

describe('shutting down on SIGTERM', () => {
  it(
    'finishes a request in flight, does not wait for a client dribbling its headers, closes idle connections and exits 0',
    EXIT_BOUND,
    async () => {
      const dir = tmpDir();
      const server = start({
        MASTHEAD_DATABASE_URL: `sqlite:${path.join(dir, 'site.sqlite')}`,
        MASTHEAD_DATABASE_CREATE: 'true',
        MASTHEAD_MEDIA_DIR: path.join(dir, 'media'),
      });
      const { port } = await listening(server);

      // An idle keep-alive connection, after one answered request.
      const idle = connect(port);
      idle.socket.write('GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n');
      while (!idle.received().includes('"status":"ok"')) await new Promise((r) => setTimeout(r, 20));

      // A slow loris: a request whose headers never end.
      const loris = connect(port);
      loris.socket.write('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n');
      const dribble = setInterval(() => loris.socket.writable && loris.socket.write('X-Dribble: y\r\n'), 200);

      // A request in flight: headers sent, its body half sent.
      const body = 'email=a%40b.example&password=x';
      const inFlight = connect(port);
      inFlight.socket.write(
        `POST /newsroom/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 10)}`,
      );
      await new Promise((r) => setTimeout(r, 200));

      server.child.kill('SIGTERM');
      await waitFor(server, /shutting down/);
      inFlight.socket.write(body.slice(10));
      // Pipelined behind it, so it arrives while the server drains: answered by the app, not Fastify's JSON 503.
      inFlight.socket.write('GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');

      const code = await server.exited;
      clearInterval(dribble);
      assert.equal(code, 0, server.stderr());
      // The request in flight got its whole answer from the app (the form's refusal: no CSRF token), not a reset or a 503.
      await inFlight.closed;
      const status = /^HTTP\/1\.1 (\d{3})/.exec(inFlight.received());
      assert.ok(status, `an answer to the request in flight: ${JSON.stringify(inFlight.received().slice(0, 200))}`);
      assert.ok(Number(status[1]) < 500, inFlight.received().slice(0, 300));
      const [first, second] = inFlight.received().split(/(?=HTTP\/1\.1 \d{3})/);
      assert.match(first!, /<\/html>\s*$/, 'the whole page');
      assert.match(second ?? '', /^HTTP\/1\.1 200 /);
      assert.match(second!, /^connection: close\r$/im);
      assert.match(second!, /"status":"ok"/);
      // Neither the idle connection nor the slow one kept the process alive: both were closed.
      await Promise.all([idle.closed, loris.closed]);
      assert.doesNotMatch(loris.received(), /^HTTP\/1\.1 200/);
      assert.match(server.stdout(), /shut down/);
    },
  );
});
