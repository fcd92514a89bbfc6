import { execSync, fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
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

export function forkTs(name: string, file: string, args: string[], env: NodeJS.ProcessEnv): Child {
  const proc = fork(path.join(ROOT, 'dist', 'bench', 'lib', file.replace(/\.ts$/, '.js')), args, {
    cwd: ROOT,
    env,
    execArgv: ['--enable-source-maps'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Child(name, proc);
}
