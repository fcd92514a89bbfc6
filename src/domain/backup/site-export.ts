import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import { sql } from 'kysely';
import tar from 'tar-stream';
import type { Db } from '../../db/database.ts';
import { withReadSnapshot } from '../../db/read-snapshot.ts';
import type { ServiceDeps } from '../deps.ts';
import {
  ARCHIVE_FORMAT,
  ARCHIVE_FORMAT_VERSION,
  encodeValue,
  MANIFEST_ENTRY,
  mediaPath,
  tablePartPath,
  type ArchiveManifest,
} from './archive-format.ts';
import { appliedMigrations, readCatalog, type CatalogTable } from './schema-catalog.ts';

export interface ExportProgress {
  phase: 'rows' | 'media';
  done: number;
  total: number;
  /** The table being read (rows phase). */
  table?: string;
}

export interface ExportOptions {
  /** Rows read per query (keyset page). */
  batchSize?: number;
  /** A table part is closed once it holds this many bytes. */
  partBytes?: number;
  /** Called after every page of rows and every image; the export waits for a returned promise. */
  onProgress?: (p: ExportProgress) => void | Promise<void>;
}

export interface ExportResult {
  manifest: ArchiveManifest;
  bytes: number;
}

const DEFAULT_BATCH = 1000;
const DEFAULT_PART_BYTES = 4 * 1024 * 1024;

/**
 * Writes the whole site to one archive at `file` (see archive-format.ts): every data table
 * and every stored file of every image, from one read snapshot taken while the site keeps
 * serving. Memory stays flat: rows are read a page at a time by key and written a part at a
 * time, and the tar stream holds back until the file has taken the previous entry. The file
 * appears only when complete (written beside it, then renamed).
 */
export async function exportSite(
  deps: Pick<ServiceDeps, 'db' | 'dialect' | 'mediaStore' | 'clock'>,
  file: string,
  options: ExportOptions = {},
): Promise<ExportResult> {
  const batchSize = options.batchSize ?? DEFAULT_BATCH;
  const partBytes = options.partBytes ?? DEFAULT_PART_BYTES;
  const tmp = `${file}.${process.pid}.partial`;
  const pack = tar.pack();
  const out = fs.createWriteStream(tmp, { flags: 'wx' });
  const written = pipeline(pack, zlib.createGzip({ level: 6 }), out);
  // A failure of the file (disk full) must stop the export instead of waiting forever.
  let writeError: unknown;
  written.catch((err: unknown) => (writeError = err));
  const mtime = deps.clock();
  const files: ArchiveManifest['files'] = [];
  const add = async (path: string, data: Buffer) => {
    if (writeError) throw writeError;
    files.push({ path, sha256: createHash('sha256').update(data).digest('hex'), bytes: data.length });
    // The callback comes once the entry has been taken by the stream below (backpressure).
    await new Promise<void>((resolve, reject) =>
      pack.entry({ name: path, size: data.length, mtime, mode: 0o644 }, data, (err) => (err ? reject(err) : resolve())),
    );
  };

  try {
    const manifest = await withReadSnapshot(deps.db, deps.dialect, async (trx) => {
      const migrations = await appliedMigrations(trx, deps.dialect);
      const catalog = await readCatalog(trx, deps.dialect);
      const counts = new Map<string, number>();
      for (const t of catalog) counts.set(t.name, await countRows(trx, t.name));
      const totalRows = [...counts.values()].reduce((a, b) => a + b, 0);
      let done = 0;
      await options.onProgress?.({ phase: 'rows', done, total: totalRows });

      const tables: ArchiveManifest['tables'] = [];
      for (const table of catalog) {
        const parts: string[] = [];
        let lines: string[] = [];
        let size = 0;
        const flush = async () => {
          const path = tablePartPath(table.name, parts.length + 1);
          parts.push(path);
          await add(path, Buffer.from(lines.join(''), 'utf8'));
          lines = [];
          size = 0;
        };
        let rows = 0;
        for await (const batch of pages(trx, table, batchSize)) {
          for (const row of batch) {
            const line = `${JSON.stringify(table.columns.map((c) => encodeValue(row[c])))}\n`;
            lines.push(line);
            size += Buffer.byteLength(line);
          }
          rows += batch.length;
          if (size >= partBytes) await flush();
          done += batch.length;
          await options.onProgress?.({ phase: 'rows', done, total: totalRows, table: table.name });
        }
        if (lines.length) await flush();
        tables.push({ name: table.name, columns: table.columns, rows, parts });
      }

      // Media of the images in this snapshot, read through the store (local disk or S3).
      // Image files are written before their row and never changed after, so what the store
      // holds for a key in the snapshot is that image; a key deleted meanwhile is skipped.
      const keys = catalog.some((t) => t.name === 'images')
        ? (await trx.selectFrom('images').select('storage_key').orderBy('storage_key').execute()).map((r) => r.storage_key)
        : [];
      const media = { keys: [] as string[], files: 0, bytes: 0 };
      await options.onProgress?.({ phase: 'media', done: 0, total: keys.length });
      for (const [i, key] of keys.entries()) {
        let any = false;
        for (const name of await deps.mediaStore.listFiles(key)) {
          const data = await deps.mediaStore.read(key, name);
          if (!data) continue;
          await add(mediaPath(key, name), data);
          any = true;
          media.files++;
          media.bytes += data.length;
        }
        if (any) media.keys.push(key);
        await options.onProgress?.({ phase: 'media', done: i + 1, total: keys.length });
      }

      return {
        format: ARCHIVE_FORMAT,
        formatVersion: ARCHIVE_FORMAT_VERSION,
        createdAt: mtime.toISOString(),
        source: { dialect: deps.dialect, schemaVersion: migrations.at(-1) ?? '', migrations },
        tables,
        media,
        files,
      } satisfies ArchiveManifest;
    });
    await new Promise<void>((resolve, reject) =>
      pack.entry({ name: MANIFEST_ENTRY, mtime, mode: 0o644 }, Buffer.from(JSON.stringify(manifest, null, 1)), (err) =>
        err ? reject(err) : resolve(),
      ),
    );
    pack.finalize();
    await written;
    await fs.promises.rename(tmp, file);
    return { manifest, bytes: (await fs.promises.stat(file)).size };
  } catch (err) {
    pack.destroy(err as Error);
    await written.catch(() => {});
    await fs.promises.rm(tmp, { force: true });
    throw err;
  }
}

async function countRows(db: Db, table: string): Promise<number> {
  const row = (await sql<{ n: number | string }>`select count(*) as n from ${sql.table(table)}`.execute(db)).rows[0];
  return Number(row?.n ?? 0);
}

/** The table's rows in key order, `size` at a time, each page starting after the last key seen. */
async function* pages(db: Db, table: CatalogTable, size: number): AsyncGenerator<Array<Record<string, unknown>>> {
  const cols = sql.join(table.columns.map((c) => sql.ref(c)));
  const key = sql.join(table.key.map((c) => sql.ref(c)));
  let after: unknown[] | null = null;
  for (;;) {
    const where: ReturnType<typeof sql> = after ? sql`where (${key}) > (${sql.join(after)})` : sql``;
    // The key is always among the archived columns (schema-catalog.ts picks it so).
    const { rows } = await sql<
      Record<string, unknown>
    >`select ${cols} from ${sql.table(table.name)} ${where} order by ${key} limit ${size}`.execute(db);
    if (rows.length) yield rows;
    if (rows.length < size) return;
    const last = rows[rows.length - 1]!;
    after = table.key.map((k) => last[k]);
  }
}
