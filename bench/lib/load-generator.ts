/*
 * The load generator, in its own process: never in a server's process, nor in the driver's
 * (whose IPC and bookkeeping would then compete with it). Forked by the driver with one JSON
 * argument; it runs one load, reports the result over IPC and exits.
 *
 *   tool 'wrk'        → spawns `wrk -t1 --latency` (C, the cheapest load generator: on a 2-core
 *                       machine it leaves the most CPU to the server). Its CPU comes from this
 *                       process's cutime/cstime in /proc/self/stat, which the kernel adds a
 *                       child's usage to once the child has been waited for (Linux only).
 *   tool 'autocannon' → runs autocannon's programmatic API here (this process is the generator).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import autocannon from 'autocannon';
import type { LoadReport, LoadSpec } from './ipc.ts';

const spec = JSON.parse(process.argv[2]!) as LoadSpec;

/** utime+stime of waited-for children (cutime+cstime), milliseconds; NaN off Linux. */
function childrenCpuMs(): number {
  try {
    // Fields after the command name (which may contain spaces) start at state, field 3.
    const stat = fs.readFileSync('/proc/self/stat', 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(f[13]) + Number(f[14]); // cutime, cstime (fields 16, 17)
    return (ticks * 1000) / 100; // USER_HZ is 100 on Linux
  } catch {
    return NaN;
  }
}

/** wrk prints durations as 812.00us, 1.23ms or 1.05s. */
function wrkMs(text: string | undefined): number {
  const m = /^([\d.]+)(us|ms|s|m)$/.exec(text ?? '');
  if (!m) return NaN;
  const v = Number(m[1]);
  return m[2] === 'us' ? v / 1000 : m[2] === 'ms' ? v : m[2] === 's' ? v * 1000 : v * 60_000;
}

async function runWrk(): Promise<LoadReport> {
  const cpu0 = childrenCpuMs();
  const t0 = performance.now();
  const args = [
    '-t1',
    `-c${spec.connections}`,
    `-d${spec.durationS}s`,
    '--latency',
    '--timeout',
    '10s',
    ...(spec.script ? ['-s', spec.script] : []),
    spec.url,
  ];
  const out = await new Promise<string>((resolve, reject) => {
    const p = spawn('wrk', args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let text = '';
    p.stdout.on('data', (d: Buffer) => (text += d.toString()));
    p.on('error', reject);
    p.on('exit', (code) => (code === 0 ? resolve(text) : reject(new Error(`wrk exited with ${code}: ${text}`))));
  });
  const wall = performance.now() - t0;
  const cpu = childrenCpuMs() - cpu0;
  const dist = (pct: string) => wrkMs(new RegExp(`^\\s*${pct}%\\s+(\\S+)`, 'm').exec(out)?.[1]);
  const total = Number(/(\d+) requests in ([\d.]+)(\w+)/.exec(out)?.[1] ?? NaN);
  const durationMs = wrkMs(/\d+ requests in ([\d.]+\w+)/.exec(out)?.[1]);
  const errs = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  return {
    tool: 'wrk',
    reqPerSec: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? NaN),
    total,
    p50: dist('50'),
    p90: dist('90'),
    p99: dist('99'),
    max: wrkMs(/^\s*Latency\s+\S+\s+\S+\s+(\S+)/m.exec(out)?.[1]),
    non2xx: Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0),
    errors: errs ? errs.slice(1).reduce((a, b) => a + Number(b), 0) : 0,
    durationS: durationMs / 1000,
    loadGenCpuShare: cpu / wall,
  };
}

async function runAutocannon(): Promise<LoadReport> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const r = await autocannon({ url: spec.url, connections: spec.connections, duration: spec.durationS, pipelining: 1 });
  const wall = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return {
    tool: 'autocannon',
    reqPerSec: r.requests.average,
    total: r.requests.total,
    p50: r.latency.p50,
    p90: r.latency.p90,
    p99: r.latency.p99,
    max: r.latency.max,
    non2xx: r.non2xx,
    errors: r.errors,
    durationS: r.duration,
    loadGenCpuShare: (cpu.user + cpu.system) / 1000 / wall,
  };
}

const report = spec.tool === 'wrk' ? await runWrk() : await runAutocannon();
if (os.platform() !== 'linux' && spec.tool === 'wrk') report.loadGenCpuShare = NaN;
process.send!(report, () => process.disconnect());
