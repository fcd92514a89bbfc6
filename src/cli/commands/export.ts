import path from 'node:path';
import { exportSite } from '../../domain/backup/site-export.ts';
import type { CliCommand } from '../cli-context.ts';
import { CliError } from '../cli-io.ts';
import { progressLine } from './progress-line.ts';

/**
 * `export <path>`: the whole site (every table, every image file) in one archive, from one
 * consistent snapshot while the site keeps serving. Progress on stderr, the summary on stdout.
 */
export const exportCommand: CliCommand = {
  name: 'export',
  summary: 'Write the whole site (database rows and media files) to one archive file (.tar.gz)',
  usage: 'export <archive.tar.gz>',
  async run(args, ctx) {
    if (args.length !== 1 || args[0]!.startsWith('-'))
      throw new CliError('export needs exactly one argument: the archive file to write', 2);
    const file = path.resolve(args[0]!);
    const deps = await ctx.openDeps();
    const progress = progressLine(ctx.io);
    let result;
    try {
      result = await exportSite(deps, file, {
        onProgress: (p) => progress.update(p.phase === 'rows' ? 'rows' : 'images', p.done, p.total),
      });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') throw new CliError(`${file} is being written by another export`);
      if (code === 'ENOENT' || code === 'EACCES' || code === 'ENOSPC' || code === 'EROFS')
        throw new CliError(`cannot write ${file} (${code})`);
      throw err;
    } finally {
      progress.end();
    }
    const { manifest, bytes } = result;
    const rows = manifest.tables.reduce((n, t) => n + t.rows, 0);
    ctx.io.stdout.write(
      `Exported ${rows} rows from ${manifest.tables.length} tables and ${manifest.media.files} media files of ${manifest.media.keys.length} images ` +
        `(${manifest.source.dialect}, schema ${manifest.source.schemaVersion}) to ${file}, ${(bytes / 1048576).toFixed(1)} MB\n`,
    );
  },
};
