import { createHash } from 'node:crypto';
import fs from 'node:fs';
import type { Readable } from 'node:stream';
import zlib from 'node:zlib';
import tar from 'tar-stream';
import {
  ARCHIVE_FORMAT,
  ARCHIVE_FORMAT_VERSION,
  ArchiveError,
  MANIFEST_ENTRY,
  manifestSchema,
  parseMediaPath,
  type ArchiveManifest,
} from './archive-format.ts';

/** How far through the archive file a pass is, in bytes of the file. */
export type ReadProgress = (done: number, total: number) => void;

/**
 * Streams the archive's entries to `onEntry`, one at a time; `onEntry` must read its stream to
 * the end. Damage in the compressed stream or the tar layout (including a file cut short)
 * rejects with an ArchiveError.
 */
export async function readArchiveEntries(
  file: string,
  onEntry: (path: string, stream: Readable) => Promise<void>,
  onProgress?: ReadProgress,
): Promise<void> {
  let total: number;
  try {
    total = (await fs.promises.stat(file)).size;
  } catch (err) {
    throw new ArchiveError(`cannot read the archive ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, 'damaged');
  }
  await new Promise<void>((resolve, reject) => {
    const source = fs.createReadStream(file);
    const gunzip = zlib.createGunzip();
    const extract = tar.extract();
    let done = 0;
    let failed = false;
    const fail = (err: unknown) => {
      if (failed) return;
      failed = true;
      source.destroy();
      gunzip.destroy();
      extract.destroy();
      reject(describeDamage(err));
    };
    source.on('data', (chunk) => {
      done += chunk.length;
      onProgress?.(done, total);
    });
    extract.on('entry', (header, stream, next) => {
      onEntry(header.name, stream as unknown as Readable).then(() => next(), fail);
    });
    extract.on('finish', () => {
      if (!failed) resolve();
    });
    source.on('error', fail);
    gunzip.on('error', fail);
    extract.on('error', fail);
    source.pipe(gunzip).pipe(extract as unknown as NodeJS.WritableStream);
  });
}

function describeDamage(err: unknown): Error {
  if (err instanceof ArchiveError || !(err instanceof Error)) return err as Error;
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'Z_BUF_ERROR' || /unexpected end/i.test(err.message))
    return new ArchiveError('the archive is truncated (it ends before its last entry): copy it again', 'damaged');
  if (code === 'Z_DATA_ERROR' || /tar header|checksum/i.test(err.message))
    return new ArchiveError(`the archive is damaged or not a Masthead archive (${err.message})`, 'damaged');
  // Anything else (a failed insert, a media write) is not about the archive: passed on as it is.
  return err;
}

interface SeenEntry {
  sha256: string;
  bytes: number;
  lines: number;
}

/**
 * The first pass: reads every entry, checks each against the manifest (SHA-256, size, rows per
 * table, nothing missing and nothing extra) and returns the manifest. Nothing is written.
 */
export async function verifyArchive(file: string, onProgress?: ReadProgress): Promise<ArchiveManifest> {
  const seen = new Map<string, SeenEntry>();
  let manifestText: string | null = null;
  await readArchiveEntries(
    file,
    async (path, stream) => {
      if (seen.has(path) || (path === MANIFEST_ENTRY && manifestText !== null))
        throw new ArchiveError(`the archive holds ${path} twice: it is damaged`, 'damaged');
      const hash = createHash('sha256');
      const chunks: Buffer[] = [];
      let bytes = 0;
      let lines = 0;
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        hash.update(chunk);
        bytes += chunk.length;
        if (path === MANIFEST_ENTRY) chunks.push(chunk);
        else for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
      }
      if (path === MANIFEST_ENTRY) manifestText = Buffer.concat(chunks).toString('utf8');
      else seen.set(path, { sha256: hash.digest('hex'), bytes, lines });
    },
    onProgress,
  );
  if (manifestText === null)
    throw new ArchiveError(`the archive has no ${MANIFEST_ENTRY}: it is incomplete or not a Masthead archive`, 'damaged');
  const manifest = parseManifest(manifestText);
  checkEntries(manifest, seen);
  return manifest;
}

function parseManifest(text: string): ArchiveManifest {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new ArchiveError(`the archive's ${MANIFEST_ENTRY} is not valid JSON: it is damaged`, 'damaged');
  }
  const head = raw as { format?: unknown; formatVersion?: unknown };
  if (head?.format !== ARCHIVE_FORMAT)
    throw new ArchiveError('this is not a Masthead site archive (its manifest names another format)', 'damaged');
  if (typeof head.formatVersion === 'number' && head.formatVersion > ARCHIVE_FORMAT_VERSION)
    throw new ArchiveError(
      `the archive has format version ${head.formatVersion}, newer than this Masthead reads (${ARCHIVE_FORMAT_VERSION}): restore it with a newer Masthead`,
      'unsupported',
    );
  const parsed = manifestSchema.safeParse(raw);
  if (!parsed.success)
    throw new ArchiveError(`the archive's ${MANIFEST_ENTRY} is malformed: ${parsed.error.issues[0]?.message ?? 'invalid'}`, 'damaged');
  return parsed.data;
}

function checkEntries(manifest: ArchiveManifest, seen: Map<string, SeenEntry>): void {
  const listed = new Set<string>();
  for (const f of manifest.files) {
    const entry = seen.get(f.path);
    if (!entry) throw new ArchiveError(`${f.path} is listed in the manifest but missing from the archive: it is damaged`, 'damaged');
    if (entry.sha256 !== f.sha256 || entry.bytes !== f.bytes)
      throw new ArchiveError(`${f.path} does not match its SHA-256 in the manifest: the archive is damaged`, 'damaged');
    listed.add(f.path);
  }
  for (const path of seen.keys())
    if (!listed.has(path)) throw new ArchiveError(`${path} is in the archive but not in its manifest: it is damaged`, 'damaged');
  for (const t of manifest.tables) {
    let rows = 0;
    for (const part of t.parts) {
      if (!listed.has(part)) throw new ArchiveError(`${part} of table ${t.name} is not in the manifest's file list`, 'damaged');
      rows += seen.get(part)!.lines;
    }
    if (rows !== t.rows) throw new ArchiveError(`table ${t.name} has ${rows} rows in the archive, the manifest says ${t.rows}`, 'damaged');
  }
  const keys = new Set(manifest.media.keys);
  for (const path of listed) {
    const media = parseMediaPath(path);
    if (path.startsWith('media/') && (!media || !keys.has(media.key)))
      throw new ArchiveError(`${path} belongs to no media key of the manifest`, 'damaged');
  }
}
