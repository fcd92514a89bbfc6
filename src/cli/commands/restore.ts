import fs from 'node:fs';
import path from 'node:path';
import { ArchiveError, RestoreTargetError } from '../../domain/backup/archive-format.ts';
import { restoreSite } from '../../domain/backup/site-restore.ts';
import type { CliCommand } from '../cli-context.ts';
import { CliError } from '../cli-io.ts';
import { progressLine } from './progress-line.ts';

/** Exit codes beyond the usual 1 (failed) and 2 (usage), so scripts can tell the refusals apart. */
export const EXIT_BAD_ARCHIVE = 3;
export const EXIT_TARGET_NOT_EMPTY = 4;

/**
 * `restore <archive>`: loads an archive into the configured, empty database (SQLite or
 * PostgreSQL, whichever wrote it) and media store. The archive is verified whole before
 * anything is written; a refusal is one line and leaves the target as it was.
 */
export const restoreCommand: CliCommand = {
  name: 'restore',
  summary: `Load an archive made by export into an empty database and media store (exit ${EXIT_BAD_ARCHIVE}: damaged or too new archive, ${EXIT_TARGET_NOT_EMPTY}: target not empty)`,
  usage: 'restore <archive.tar.gz>',
  async run(args, ctx) {
    if (args.length !== 1 || args[0]!.startsWith('-'))
      throw new CliError('restore needs exactly one argument: the archive file to read', 2);
    const file = path.resolve(args[0]!);
    if (!fs.existsSync(file)) throw new CliError(`no archive at ${file}`, 2);
    const deps = await ctx.openDeps({ migrate: false });
    const progress = progressLine(ctx.io, { bytes: true });
    let result;
    try {
      result = await restoreSite(deps, file, {
        onProgress: (p) => progress.update(p.phase === 'verify' ? 'verifying' : 'restoring', p.done, p.total),
      });
    } catch (err) {
      progress.end();
      if (err instanceof ArchiveError) throw new CliError(`cannot restore ${path.basename(file)}: ${err.message}`, EXIT_BAD_ARCHIVE);
      if (err instanceof RestoreTargetError) throw new CliError(`cannot restore: ${err.message}`, EXIT_TARGET_NOT_EMPTY);
      throw err;
    }
    progress.end();
    const { manifest } = result;
    ctx.io.stdout.write(
      `Restored ${result.rows} rows into ${manifest.tables.length} tables and ${result.mediaFiles} media files ` +
        `(from ${manifest.source.dialect}, schema ${manifest.source.schemaVersion}, exported ${manifest.createdAt}) into ${deps.dialect}\n`,
    );
  },
};
