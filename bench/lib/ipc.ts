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
    };
