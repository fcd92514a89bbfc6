import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { reindexAll, reindexImages } from '../../domain/search/search-reindex.ts';
import type { CliCommand } from '../cli-context.ts';
import { CliError } from '../cli-io.ts';

/**
 * `search reindex`: rebuilds every story's search document (after an upgrade whose migration
 * could not stem, a section renamed, or a changed tokenizer), the spelling vocabulary with
 * them, then the media library's image index. Batches commit one by one and
 * the position is kept, so an interrupted run continues where it stopped; the site keeps
 * serving meanwhile.
 */
export const searchReindexCommand: CliCommand = {
  name: 'search reindex',
  summary: 'Rebuild the full-text search index (resumable; --restart starts over, --batch N stories per transaction)',
  usage: 'search reindex [--restart] [--batch 200]',
  async run(args, ctx) {
    let values: { restart?: boolean; batch?: string };
    try {
      ({ values } = parseArgs({ args, options: { restart: { type: 'boolean' }, batch: { type: 'string' } }, allowPositionals: false }));
    } catch (err) {
      throw new CliError((err as Error).message, 2);
    }
    const batchSize = values.batch === undefined ? 200 : Number(values.batch);
    if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000)
      throw new CliError('--batch must be a whole number from 1 to 10000', 2);
    const deps = await ctx.openDeps();
    const stderr = ctx.io.stderr as NodeJS.WritableStream & { isTTY?: boolean };
    // A bar for people at a terminal; otherwise a line every 10% (logs, CI, pipes).
    const bar = stderr.isTTY
      ? new cliProgress.SingleBar(
          { stream: stderr, format: 'indexing [{bar}] {value}/{total} stories', hideCursor: true },
          cliProgress.Presets.shades_classic,
        )
      : null;
    let started = false;
    let lastTenth = -1;
    const startedAt = Date.now();
    const result = await reindexAll(deps, {
      batchSize,
      restart: values.restart ?? false,
      onProgress: ({ done, total, resumed }) => {
        if (!started) {
          started = true;
          if (resumed) ctx.io.stdout.write(`Resuming a stopped reindex at ${done} of ${total} stories\n`);
          bar?.start(total, done);
        }
        bar?.update(done);
        const tenth = total ? Math.floor((done / total) * 10) : 10;
        if (!bar && tenth !== lastTenth) {
          lastTenth = tenth;
          ctx.io.stdout.write(`indexed ${done} of ${total} stories\n`);
        }
      },
    });
    bar?.stop();
    const seconds = ((Date.now() - startedAt) / 1000).toFixed(1);
    ctx.io.stdout.write(
      `Reindexed ${result.indexed} stories in ${seconds} s${result.removed ? `, removed ${result.removed} documents of deleted stories` : ''}\n`,
    );
    // The media library's index: quick (a few short fields per image), so rebuilt whole each time.
    ctx.io.stdout.write(`Reindexed ${await reindexImages(deps, { batchSize })} images for the media library\n`);
  },
};
