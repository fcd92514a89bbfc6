/** Messages between the benchmark driver and its server child processes. */
export type ChildCommand = { type: 'start'; profile?: boolean } | { type: 'stop'; profileFile?: string } | { type: 'exit' };

export type ChildReport =
  | { type: 'seeded'; articles: number }
  | { type: 'ready'; port: number; pid: number }
  | { type: 'started' }
  | {
      type: 'stopped';
      /** process.cpuUsage() delta over the measured window, microseconds. */
      cpuUserUs: number;
      cpuSystemUs: number;
      wallMs: number;
      /** Highest RSS sampled (every 100 ms) during the measured window, bytes. */
      peakRssWindow: number;
      /** process.resourceUsage().maxRSS: the peak over the process's whole life, bytes. */
      maxRssLifetime: number;
      heapUsed: number;
      profileFile?: string | undefined;
      /** The page cache's own accounting, sampled with the RSS: its largest size and its bound (bytes). */
      pageCache?: { peakBytes: number; maxBytes: number; evictions: number; purges: number; hits: number; misses: number } | null;
    };

/** What the driver asks of the load generator child (bench/lib/load-generator.ts). */
export interface LoadSpec {
  tool: 'wrk' | 'autocannon';
  url: string;
  connections: number;
  durationS: number;
  /** A wrk Lua script choosing each request's path (wrk only). */
  script?: string;
}

/** One load run, as the load generator child measured it. Latencies in milliseconds. */
export interface LoadReport {
  tool: 'wrk' | 'autocannon';
  reqPerSec: number;
  total: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  non2xx: number;
  errors: number;
  durationS: number;
  /** CPU used by the load generator as a share of one core. */
  loadGenCpuShare: number;
}
