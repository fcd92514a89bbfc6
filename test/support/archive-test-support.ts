import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import tar from 'tar-stream';
import { loadConfig } from '../../src/config.ts';
import type { DialectName } from '../../src/db/database.ts';
import { createDeps, type Deps } from '../../src/deps.ts';
import { createTestDatabase, drainBeforeDestroy } from './test-db.ts';

/** One archive entry, in memory (test archives are small). */
export interface Entry {
  name: string;
  data: Buffer;
}

export async function readEntries(file: string): Promise<Entry[]> {
  const extract = tar.extract();
  const entries: Entry[] = [];
  const done = new Promise<void>((resolve, reject) => {
    extract.on('entry', (header, stream, next) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c) => chunks.push(c as Buffer));
      stream.on('end', () => {
        entries.push({ name: header.name, data: Buffer.concat(chunks) });
        next();
      });
    });
    extract.on('finish', resolve);
    extract.on('error', reject);
  });
  extract.end(zlib.gunzipSync(fs.readFileSync(file)));
  await done;
  return entries;
}

export async function writeEntries(file: string, entries: Entry[]): Promise<void> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  pack.on('data', (c) => chunks.push(c as Buffer));
  const ended = new Promise<void>((resolve) => pack.on('end', () => resolve()));
  for (const e of entries) pack.entry({ name: e.name, size: e.data.length }, e.data);
  pack.finalize();
  await ended;
  fs.writeFileSync(file, zlib.gzipSync(Buffer.concat(chunks)));
}

/** A copy of `file` with its entries changed by `edit`; `resign` recomputes the manifest's checksums. */
export async function rewriteArchive(
  file: string,
  target: string,
  edit: (entries: Entry[], manifest: Record<string, any>) => Entry[] | void,
  options: { resign?: boolean } = {},
): Promise<void> {
  let entries = await readEntries(file);
  const manifestEntry = entries.find((e) => e.name === 'manifest.json')!;
  const manifest = JSON.parse(manifestEntry.data.toString('utf8'));
  entries = edit(entries, manifest) ?? entries;
  if (options.resign) {
    const byName = new Map(entries.map((e) => [e.name, e]));
    for (const f of manifest.files) {
      const e = byName.get(f.path);
      if (e) Object.assign(f, { sha256: createHash('sha256').update(e.data).digest('hex'), bytes: e.data.length });
    }
  }
  const m = entries.find((e) => e.name === 'manifest.json');
  if (m) m.data = Buffer.from(JSON.stringify(manifest));
  await writeEntries(target, entries);
}

export interface RestoreTarget {
  deps: Deps;
  mediaDir: string;
  destroy(): Promise<void>;
}

/** An empty, migrated database of `dialect` with an empty media folder, as a restore target. */
export async function emptyTarget(dialect: DialectName, options: { migrate?: boolean } = {}): Promise<RestoreTarget> {
  const db = await createTestDatabase(dialect, options);
  const mediaDir = fs.mkdtempSync(path.join(os.tmpdir(), 'masthead-restore-media-'));
  const deps = await createDeps(loadConfig({ MASTHEAD_MEDIA_DIR: mediaDir, LOG_LEVEL: 'silent' }), { handle: db.handle });
  // Related lists still being recomputed are waited for before the database goes.
  drainBeforeDestroy(db.handle, deps.deferredWork);
  return {
    deps,
    mediaDir,
    async destroy() {
      await deps.changes.close().catch(() => {});
      await db.destroy();
      fs.rmSync(mediaDir, { recursive: true, force: true });
    },
  };
}

/** Every file under `dir` (relative path → SHA-256), for comparing media folders. */
export function filesUnder(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[path.relative(dir, p)] = createHash('sha256').update(fs.readFileSync(p)).digest('hex');
    }
  };
  if (fs.existsSync(dir)) walk(dir);
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : 1)));
}
