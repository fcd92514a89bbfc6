import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/*
 * A real Varnish for tests: Debian's varnishd with deploy/varnish/masthead.vcl as shipped,
 * next to a masthead-backend.vcl that is the shipped one with the test origin's port, on a
 * free loopback port. `-j none` needs no privilege separation (root or not).
 */

const DEPLOY_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../deploy/varnish');

/** Debian installs varnishd in /usr/sbin, which is not on a regular user's PATH. */
const VARNISHD = process.env.VARNISHD ?? (fs.existsSync('/usr/sbin/varnishd') ? '/usr/sbin/varnishd' : 'varnishd');

/** Why Varnish tests cannot run here (undefined when they can); throws under CI=true, which installs it. */
export function varnishUnavailable(): string | undefined {
  const reason = whyNot();
  if (reason && process.env.CI === 'true') throw new Error(`${reason}; CI must test the VCL against a real Varnish`);
  return reason;
}

function whyNot(): string | undefined {
  const probe = spawnSync(VARNISHD, ['-V'], { stdio: 'ignore' });
  if (probe.error || probe.status !== 0) return 'varnishd not found (apt-get install -y varnish varnish-modules)';
  // Compiling a VCL that imports xkey proves varnish-modules is there for this Varnish.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'masthead-vcc-'));
  try {
    fs.writeFileSync(path.join(dir, 'probe.vcl'), 'vcl 4.1;\nimport xkey;\nbackend default none;\n');
    const vcc = spawnSync(VARNISHD, ['-C', '-j', 'none', '-n', path.join(dir, 'work'), '-f', path.join(dir, 'probe.vcl')], {
      stdio: 'ignore',
    });
    return vcc.status === 0 ? undefined : 'vmod xkey not found (apt-get install -y varnish-modules)';
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface RunningVarnish {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export async function startVarnish(originPort: number): Promise<RunningVarnish> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'masthead-varnish-'));
  fs.copyFileSync(path.join(DEPLOY_DIR, 'masthead.vcl'), path.join(dir, 'masthead.vcl'));
  const backend = fs.readFileSync(path.join(DEPLOY_DIR, 'masthead-backend.vcl'), 'utf8');
  const testBackend = backend.replace(/\.port = "3000";/, `.port = "${originPort}";`);
  if (testBackend === backend) throw new Error('masthead-backend.vcl no longer declares .port = "3000"');
  fs.writeFileSync(path.join(dir, 'masthead-backend.vcl'), testBackend);
  const port = await freePort();
  let log = '';
  const child: ChildProcess = spawn(
    VARNISHD,
    [
      '-F',
      '-j',
      'none',
      '-n',
      path.join(dir, 'work'),
      '-a',
      `127.0.0.1:${port}`,
      '-T',
      'none',
      '-f',
      path.join(dir, 'masthead.vcl'),
      '-s',
      'malloc,32m',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout?.on('data', (d: Buffer) => (log += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (log += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`varnishd exited (${child.exitCode}):\n${log}`);
    if (await answers(port)) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`varnishd did not answer on ${url}:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    port,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.request({ host: '127.0.0.1', port, method: 'OPTIONS', path: '/', agent: false, timeout: 1000 }, (res) => {
      res.resume();
      resolve(true);
    });
    req.once('timeout', () => req.destroy());
    req.once('error', () => resolve(false));
    req.end();
  });
}

export interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** One request on a fresh connection (`localAddress` picks the client address Varnish sees). */
export function request(
  url: string,
  opts: { method?: string; headers?: Record<string, string>; localAddress?: string } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { method: opts.method ?? 'GET', headers: opts.headers, localAddress: opts.localAddress, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}
