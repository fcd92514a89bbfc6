import { execSync, fork, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { ChildCommand, ChildReport } from './ipc.ts';

/* The benchmarks' child processes: Masthead servers and baselines, driven over IPC. */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export class Child {
  private queue: ChildReport[] = [];
  private waiters: Array<(m: ChildReport) => void> = [];
  private exited: Promise<number | null>;
  constructor(
    readonly name: string,
    readonly proc: ChildProcess,
  ) {
    proc.on('message', (m) => {
      const w = this.waiters.shift();
      if (w) w(m as ChildReport);
      else this.queue.push(m as ChildReport);
    });
    this.exited = new Promise((resolve) => proc.on('exit', (code) => resolve(code)));
    void this.exited.then((code) => {
      if (code !== 0 && code !== null) for (const w of this.waiters.splice(0)) w({ type: 'error', code } as never);
    });
  }
  async next<T extends ChildReport['type']>(type: T, timeoutMs = 300_000): Promise<Extract<ChildReport, { type: T }>> {
    const msg =
      this.queue.shift() ??
      (await new Promise<ChildReport>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`${this.name}: no "${type}" within ${timeoutMs} ms`)), timeoutMs);
        this.waiters.push((m) => {
          clearTimeout(t);
          resolve(m);
        });
      }));
    if (msg.type !== type) throw new Error(`${this.name}: expected "${type}", got ${JSON.stringify(msg)}`);
    return msg as Extract<ChildReport, { type: T }>;
  }
  send(cmd: ChildCommand): void {
    this.proc.send(cmd);
  }
  async exit(): Promise<void> {
    if (this.proc.exitCode !== null) return;
    this.send({ type: 'exit' });
    await this.exited;
  }
}

/**
 * The servers run as compiled JavaScript, as `npm start` runs Masthead in production: the
 * tsx loader would add ~50 MB of memory and start-up work that production never pays.
 */
export function buildServers(): void {
  execSync('npx tsc -p tsconfig.bench.json', { cwd: ROOT, stdio: 'inherit' });
}

/**
 * Forks `bench/lib/<file>` compiled into `<root>/dist`, with `root` as its working directory:
 * this checkout by default, or another tree (the page bench's `--reference` extracts an
 * earlier commit into its temp dir and compiles it there).
 */
export function forkTs(name: string, file: string, args: string[], env: NodeJS.ProcessEnv, root: string = ROOT): Child {
  const proc = fork(path.join(root, 'dist', 'bench', 'lib', file.replace(/\.ts$/, '.js')), args, {
    cwd: root,
    env,
    execArgv: ['--enable-source-maps'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Child(name, proc);
}

export interface BenchDb {
  url: string;
  label: string;
  drop(): Promise<void>;
}

/** A fresh PostgreSQL database (MASTHEAD_BENCH_POSTGRES_URL, else the tests' server), dropped by `drop()`. */
export async function createPostgresDatabase(): Promise<BenchDb> {
  const admin =
    process.env.MASTHEAD_BENCH_POSTGRES_URL ?? process.env.MASTHEAD_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `masthead_bench_${process.pid}_${crypto.randomBytes(3).toString('hex')}`;
  const run = async (sql: string) => {
    const c = new pg.Client({ connectionString: admin });
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  };
  await run(`create database "${name}"`);
  const u = new URL(admin);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    label: `PostgreSQL (${u.host}, same machine; pg pool max 10)`,
    drop: () => run(`drop database if exists "${name}" with (force)`),
  };
}
