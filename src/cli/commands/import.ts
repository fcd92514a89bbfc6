import fs from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { authorsForArticle } from '../../domain/authors/author.ts';
import type { ServiceDeps } from '../../domain/deps.ts';
import { DomainError } from '../../domain/errors.ts';
import { importHtmlPage } from '../../domain/wire/html-import.ts';
import { importNinjsDocument, type LocalFileReader } from '../../domain/wire/ninjs-import.ts';
import { NINJS_VERSIONS, type NinjsVersion } from '../../domain/wire/ninjs-schemas.ts';
import { looksBinary, sniffWireContent } from '../../domain/wire/wire-sniff.ts';
import { sniffSiteExport } from '../../domain/wire/site-export-sniff.ts';
import { importGhostExport } from '../../domain/wire/ghost-import.ts';
import type { ImportLine } from '../../domain/wire/site-story.ts';
import { importWordpressExport } from '../../domain/wire/wordpress-import.ts';
import { mediaFolder } from './import-media-folder.ts';
import type { CliCommand } from '../cli-context.ts';
import { CliError } from '../cli-io.ts';

/** Largest file read as a document (pictures beside ninjs documents have their own upload limit). */
const MAX_FILE_BYTES = 10 * 1024 * 1024;
/** Largest WordPress or Ghost export read (a whole site's text; pictures come from --media). */
const MAX_EXPORT_BYTES = 512 * 1024 * 1024;
const CANDIDATE = /\.(json|html?|xml)$/i;

interface Line {
  file: string;
  status: 'created' | 'updated' | 'rejected';
  id: string | null;
  headline: string | null;
  byline: string | null;
  error: string | null;
  changed?: boolean;
  notes?: string[];
}

/** Files named on the command line, plus, inside folders, .json/.html/.htm and extensionless files (recursively, sorted). */
async function collectFiles(args: string[]): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string) => {
    const entries = (await fs.readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
    for (const e of entries) {
      if (e.name.startsWith('.')) continue;
      const p = path.join(dir, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.isFile() && /\.xml$/i.test(e.name)) {
        // Inside a folder an XML file is taken only when it is a WordPress export.
        if (sniffSiteExport(await readHead(p)) === 'wordpress') out.push(p);
      } else if (e.isFile() && (CANDIDATE.test(e.name) || !path.extname(e.name))) out.push(p);
    }
  };
  for (const arg of args) {
    let stat;
    try {
      stat = await fs.stat(arg);
    } catch {
      throw new CliError(`${arg}: no such file or folder`, 2);
    }
    if (stat.isDirectory()) await walk(arg);
    else out.push(arg);
  }
  return out;
}

/** Reads pictures that sit beside (or below) the document's folder; nothing outside it. */
function localFilesBeside(file: string): LocalFileReader {
  const dir = path.resolve(path.dirname(file));
  return {
    async read(relative) {
      const target = path.resolve(dir, relative);
      if (target !== dir && !target.startsWith(dir + path.sep)) return null;
      try {
        const stat = await fs.stat(target);
        return stat.isFile() ? await fs.readFile(target) : null;
      } catch {
        return null;
      }
    },
  };
}

/** The first bytes of a file, to tell a site export from a wire document before reading it whole. */
async function readHead(file: string): Promise<string> {
  const handle = await fs.open(file, 'r');
  try {
    const buf = Buffer.alloc(8192);
    const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
    return buf.subarray(0, bytesRead).toString('utf8');
  } finally {
    await handle.close();
  }
}

/**
 * A whole site moved in (WordPress WXR or Ghost JSON): one line per story and per author,
 * section, image, comment and old address it brought; true when no story was rejected.
 */
async function importSiteExport(
  deps: ServiceDeps,
  file: string,
  kind: 'wordpress' | 'ghost',
  options: { sectionSlug?: string; force: boolean; media?: string },
  print: (line: object) => void,
): Promise<boolean> {
  const stat = await fs.stat(file);
  if (stat.size > MAX_EXPORT_BYTES) throw new CliError(`the export is larger than ${MAX_EXPORT_BYTES / 1024 / 1024} MB`);
  const text = (await fs.readFile(file, 'utf8')).replace(/^\uFEFF/, '');
  const common = {
    force: options.force,
    ...(options.sectionSlug ? { sectionSlug: options.sectionSlug } : {}),
    ...(options.media ? { media: mediaFolder(options.media) } : {}),
    onLine: (line: ImportLine) => print({ file, ...line }),
  };
  const summary = kind === 'wordpress' ? await importWordpressExport(deps, text, common) : await importGhostExport(deps, text, common);
  return summary.stories.rejected === 0;
}

async function importOne(
  deps: ServiceDeps,
  file: string,
  options: { sectionSlug?: string; force: boolean; schemaVersion?: NinjsVersion },
): Promise<Line> {
  const stat = await fs.stat(file);
  if (stat.size > MAX_FILE_BYTES) throw new CliError(`the file is larger than ${MAX_FILE_BYTES / 1024 / 1024} MB`);
  const data = await fs.readFile(file);
  const kind = looksBinary(data) ? null : sniffWireContent(data.toString('utf8'));
  if (!kind) throw new CliError('not a ninjs JSON document or an HTML page');
  const text = data.toString('utf8').replace(/^\uFEFF/, '');
  const common = { force: options.force, ...(options.sectionSlug ? { sectionSlug: options.sectionSlug } : {}) };
  const result =
    kind === 'ninjs'
      ? await importNinjsDocument(deps, null, text, {
          ...common,
          localFiles: localFilesBeside(file),
          ...(options.schemaVersion ? { schemaVersion: options.schemaVersion } : {}),
        })
      : await importHtmlPage(deps, null, text, common);
  const authors = await authorsForArticle(deps.db, result.article.id);
  return {
    file,
    status: result.status,
    id: result.article.id,
    headline: result.article.headline,
    byline: authors.map((a) => a.name).join(', ') || null,
    error: null,
    changed: result.changed,
    ...(result.notes.length ? { notes: result.notes } : {}),
  };
}

export const importCommand: CliCommand = {
  name: 'import',
  summary:
    'import ninjs (1.x–3.x) JSON documents and web pages (HTML) as drafts, or a whole WordPress (WXR) or Ghost (JSON) export with its pictures from --media, its statuses and its old addresses as redirects; one JSON line per item on stdout; exit 1 when any item was rejected',
  usage: `import <file|folder>… [--section <slug>] [--force] [--media <folder>] [--ninjs-version <${NINJS_VERSIONS[0]}…${NINJS_VERSIONS[NINJS_VERSIONS.length - 1]}>]`,
  async run(args, ctx) {
    let parsed;
    try {
      parsed = parseArgs({
        args,
        options: {
          section: { type: 'string' },
          force: { type: 'boolean', default: false },
          'ninjs-version': { type: 'string' },
          media: { type: 'string' },
        },
        strict: true,
        allowPositionals: true,
      });
    } catch (err) {
      throw new CliError((err as Error).message.split('\n')[0]!, 2);
    }
    const { values, positionals } = parsed;
    if (!positionals.length) throw new CliError(`name at least one file or folder; usage: ${this.usage}`, 2);
    const schemaVersion = values['ninjs-version'];
    if (schemaVersion !== undefined && !(NINJS_VERSIONS as readonly string[]).includes(schemaVersion)) {
      throw new CliError(`--ninjs-version must be one of: ${NINJS_VERSIONS.join(', ')} (got "${schemaVersion}")`, 2);
    }
    if (values.media !== undefined) {
      const stat = await fs.stat(values.media).catch(() => null);
      if (!stat?.isDirectory()) throw new CliError(`--media ${values.media}: no such folder`, 2);
    }
    const files = await collectFiles(positionals);
    if (!files.length) throw new CliError('no .json, .html or .htm files found to import');

    const deps = await ctx.openDeps();
    const stderr = ctx.io.stderr as NodeJS.WritableStream & { isTTY?: boolean };
    // Progress only for people watching a terminal; scripts read stdout and get clean lines.
    const bar = stderr.isTTY
      ? new cliProgress.SingleBar(
          { stream: stderr, format: 'importing [{bar}] {value}/{total} {file}', hideCursor: true, clearOnComplete: true },
          cliProgress.Presets.shades_classic,
        )
      : null;
    bar?.start(files.length, 0, { file: '' });
    let rejected = 0;
    try {
      for (const file of files) {
        bar?.update({ file: path.basename(file) });
        let line: Line;
        const site = await readHead(file)
          .then(sniffSiteExport)
          .catch(() => null);
        if (site) {
          if (bar) stderr.write('\r\x1b[2K');
          try {
            const clean = await importSiteExport(
              deps,
              file,
              site,
              {
                force: values.force ?? false,
                ...(values.section ? { sectionSlug: values.section } : {}),
                ...(values.media ? { media: values.media } : {}),
              },
              (l) => ctx.io.stdout.write(`${JSON.stringify(l)}\n`),
            );
            if (!clean) rejected++;
          } catch (err) {
            if (!(err instanceof DomainError || err instanceof CliError)) throw err;
            rejected++;
            ctx.io.stdout.write(
              `${JSON.stringify({ file, kind: 'export', ok: false, status: 'rejected', id: null, error: err.message })}\n`,
            );
          }
          bar?.increment();
          continue;
        }
        try {
          line = await importOne(deps, file, {
            force: values.force ?? false,
            ...(values.section ? { sectionSlug: values.section } : {}),
            ...(schemaVersion ? { schemaVersion: schemaVersion as NinjsVersion } : {}),
          });
        } catch (err) {
          // One bad item never stops the others; its transaction left nothing behind.
          rejected++;
          const known = err instanceof DomainError || err instanceof CliError;
          line = {
            file,
            status: 'rejected',
            id: null,
            headline: null,
            byline: null,
            error: known ? err.message : `internal error: ${(err as Error).message}`,
          };
        }
        // Clear the bar's line first so a terminal showing both streams stays readable.
        if (bar) stderr.write('\r\x1b[2K');
        ctx.io.stdout.write(`${JSON.stringify(line)}\n`);
        bar?.increment();
      }
    } finally {
      bar?.stop();
    }
    if (rejected) throw new CliError(`${rejected} of ${files.length} items rejected`, 1);
  },
};
