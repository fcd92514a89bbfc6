import { ConfigError, loadConfig } from '../config.ts';
import { DatabaseUnavailableError } from '../db/database.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { createDeps, type Deps } from '../deps.ts';
import { bulkGenerate, DEFAULT_BATCH, DEFAULT_RELATED, defaultWindowDays, type BulkProgress } from './bulk-generate.ts';

/*
 * `npm run generate -- --articles N [--seed S] [--batch B] [--related K] [--days D]`
 *
 * Fills the configured database (MASTHEAD_DATABASE_URL) with N generated, published
 * articles for benchmarks. Progress goes to stderr; the summary to stdout.
 */

const USAGE = `usage: npm run generate -- --articles N [--seed S] [--batch B] [--related K] [--days D]

  --articles N   how many articles to add (required, positive whole number)
  --seed S       story seed; the same seed gives the same stories (default 1)
  --batch B      articles per transaction (default ${DEFAULT_BATCH}, max 10000)
  --related K    store "You might also like" lists for the newest K articles (default ${DEFAULT_RELATED});
                 older generated articles have no stored related list
  --days D       spread publication dates over the last D days (default: N/200, 30 to 3650)

The database is MASTHEAD_DATABASE_URL (default sqlite:./data/masthead.sqlite); images go to MASTHEAD_MEDIA_DIR.`;

class UsageError extends Error {}

interface CliOptions {
  articles: number;
  seed: number;
  batch: number;
  related: number;
  days: number | undefined;
}

function parseArgs(argv: string[]): CliOptions | 'help' {
  const values = new Map<string, string>();
  const known = ['articles', 'seed', 'batch', 'related', 'days'];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') return 'help';
    const m = /^--([a-z]+)(?:=(.*))?$/.exec(arg);
    if (!m || !known.includes(m[1]!)) throw new UsageError(`unknown option ${JSON.stringify(arg)} (try --help)`);
    const name = m[1]!;
    let value = m[2];
    if (value === undefined) {
      value = argv[++i];
      if (value === undefined || value.startsWith('--')) throw new UsageError(`--${name} needs a value`);
    }
    if (values.has(name)) throw new UsageError(`--${name} given twice`);
    values.set(name, value);
  }
  const int = (name: string, fallback: number | undefined, min: number, max: number, what: string): number | undefined => {
    const raw = values.get(name);
    if (raw === undefined) return fallback;
    const s = raw.replace(/_/g, '');
    const n = /^\d+$/.test(s) ? Number(s) : NaN;
    if (!Number.isSafeInteger(n) || n < min || n > max) throw new UsageError(`--${name} must be ${what} (got ${JSON.stringify(raw)})`);
    return n;
  };
  if (!values.has('articles')) throw new UsageError('--articles N is required, e.g. npm run generate -- --articles 1000');
  return {
    articles: int('articles', undefined, 1, 100_000_000, 'a positive whole number')!,
    seed: int('seed', 1, 0, 2 ** 31 - 1, 'a whole number from 0 to 2147483647')!,
    batch: int('batch', DEFAULT_BATCH, 1, 10_000, 'a whole number from 1 to 10000')!,
    related: int('related', DEFAULT_RELATED, 0, 1_000_000, 'a whole number from 0 to 1000000')!,
    days: int('days', undefined, 1, 36_500, 'a whole number of days from 1 to 36500'),
  };
}

function duration(ms: number): string {
  if (!Number.isFinite(ms)) return '?';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

const fmt = (n: number) => n.toLocaleString('en-US');

/** Progress on stderr: one line rewritten in place on a terminal, a line every few seconds otherwise. */
function progressReporter() {
  const tty = process.stderr.isTTY === true;
  let phase = '';
  let phaseStart = 0;
  let lastDraw = 0;
  return {
    update(p: BulkProgress) {
      const now = Date.now();
      if (p.phase !== phase) {
        if (tty && phase) process.stderr.write('\n');
        phase = p.phase;
        phaseStart = now;
        lastDraw = 0;
      }
      const finished = p.done === p.total;
      // Periodic lines (not a terminal) start once there is a rate to report.
      if (!tty && p.done === 0 && !finished) return;
      if (!finished && now - lastDraw < (tty ? 200 : 5000)) return;
      lastDraw = now;
      const elapsed = now - phaseStart;
      const rate = elapsed > 0 ? (p.done / elapsed) * 1000 : 0;
      const eta = rate > 0 ? ((p.total - p.done) / rate) * 1000 : Infinity;
      const pct = p.total ? ((p.done / p.total) * 100).toFixed(1) : '100.0';
      const label = p.phase === 'articles' ? 'articles' : 'related lists';
      const line = `${label}: ${fmt(p.done)} / ${fmt(p.total)} (${pct}%) · ${fmt(Math.round(rate))}/s · ${finished ? `done in ${duration(elapsed)}` : `ETA ${duration(eta)}`}`;
      if (tty) process.stderr.write(`\r\x1b[2K${line}`);
      else process.stderr.write(`${line}\n`);
    },
    end() {
      if (tty && phase) process.stderr.write('\n');
      phase = '';
    },
  };
}

async function main(): Promise<number> {
  let options: CliOptions | 'help';
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`generate: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
  if (options === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const config = loadConfig();
  const deps: Deps = await createDeps(config);
  const reporter = progressReporter();
  try {
    await migrateToLatest(deps.db);
    const days = options.days ?? defaultWindowDays(options.articles);
    process.stderr.write(
      `generate: adding ${fmt(options.articles)} articles to ${deps.dialect} (seed ${options.seed}, batch ${options.batch}, related ${fmt(options.related)}, ${days} days)\n`,
    );
    const started = Date.now();
    const result = await bulkGenerate(deps, {
      articles: options.articles,
      seed: options.seed,
      batchSize: options.batch,
      related: options.related,
      days,
      onProgress: (p) => reporter.update(p),
    });
    reporter.end();
    process.stdout.write(
      `generated ${fmt(result.articles)} articles published ${result.from.slice(0, 10)} – ${result.to.slice(0, 10)}, related lists for the newest ${fmt(result.related)}, in ${duration(Date.now() - started)}\n`,
    );
    return 0;
  } finally {
    reporter.end();
    await deps.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    // Expected failures get one clear line, not a stack trace.
    if (err instanceof ConfigError) process.stderr.write(`generate: invalid configuration: ${err.problems.join('; ')}\n`);
    else if (err instanceof DatabaseUnavailableError) process.stderr.write(`generate: ${err.message}\n`);
    else process.stderr.write(`generate: failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
