import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Db, DialectName } from '../../db/database.ts';
import { migrateTo, migrateToLatest } from '../../db/migrate.ts';
import { migrations } from '../../db/migrations/index.ts';
import type { Database } from '../../db/schema.ts';
import type { ServiceDeps } from '../deps.ts';
import { indexStoredImages } from '../search/image-search-index.ts';
import { indexStoredDocuments } from '../search/search-index.ts';
import { ArchiveError, decodeValue, MANIFEST_ENTRY, parseMediaPath, RestoreTargetError, type ArchiveManifest } from './archive-format.ts';
import { readArchiveEntries, verifyArchive } from './archive-reader.ts';
import { readCatalog, type CatalogTable } from './schema-catalog.ts';

export interface RestoreProgress {
  /** `verify`: the first pass over the archive; `load`: the second, writing. Counted in archive bytes. */
  phase: 'verify' | 'load';
  done: number;
  total: number;
}

export interface RestoreResult {
  manifest: ArchiveManifest;
  rows: number;
  mediaFiles: number;
}

/**
 * Loads an archive (site-export.ts) into an empty database and media store.
 *
 * Order matters, so that nothing is half-written: the database is checked empty, the whole
 * archive is verified (every checksum, the row counts, the format and schema versions), the
 * media store is checked free of the archive's images, the database is migrated to the
 * archive's schema version; then one transaction loads every row while the
 * media files are written (each checked again against its checksum), and if anything fails the
 * transaction rolls back and the media written so far are removed. Later migrations run last.
 */
export async function restoreSite(
  deps: Pick<ServiceDeps, 'db' | 'dialect' | 'mediaStore'>,
  file: string,
  options: { onProgress?: (p: RestoreProgress) => void } = {},
): Promise<RestoreResult> {
  // A database that already holds a site is refused before the archive is even read.
  await assertEmptyDatabase(deps.db, deps.dialect);
  const manifest = await verifyArchive(file, (done, total) => options.onProgress?.({ phase: 'verify', done, total }));
  const known = Object.keys(migrations);
  const target = manifest.source.schemaVersion;
  if (!target || manifest.source.migrations.some((m) => !known.includes(m)))
    throw new ArchiveError(
      `the archive was written by a newer Masthead (schema ${target || 'unknown'}); upgrade Masthead, then restore it`,
      'unsupported',
    );

  for (const key of manifest.media.keys) {
    if ((await deps.mediaStore.listFiles(key)).length)
      throw new RestoreTargetError(`the media store already holds files of image ${key}: restore into an empty media store`);
  }
  await migrateTo(deps.db, target);
  const tables = await matchCatalog(manifest, await readCatalog(deps.db, deps.dialect));

  const expected = new Map(manifest.files.map((f) => [f.path, f.sha256]));
  const partOf = new Map<string, CatalogTable & { archived: string[] }>();
  for (const t of manifest.tables) for (const p of t.parts) partOf.set(p, { ...tables.get(t.name)!, archived: t.columns });
  const written = new Set<string>();
  let rows = 0;
  let mediaFiles = 0;
  try {
    await deps.db.transaction().execute(async (trx) => {
      // Again inside the transaction: a server may have been started on it since the first look.
      await assertEmptyDatabase(trx, deps.dialect);
      // SQLite checks foreign keys at commit; PostgreSQL's are immediate, so tables come in load
      // order and a table's references to itself (replies) are set once all its rows are in.
      if (deps.dialect === 'sqlite') await sql`pragma defer_foreign_keys = on`.execute(trx);
      else await sql`create temporary table masthead_restore_links (tbl text, col text, key text, value text) on commit drop`.execute(trx);
      const linked = new Set<CatalogTable>();
      await readArchiveEntries(
        file,
        async (path, stream) => {
          const data = await readAll(stream);
          if (path === MANIFEST_ENTRY) return;
          // Checked again as written: the file may have changed since the first pass.
          if (createHash('sha256').update(data).digest('hex') !== expected.get(path))
            throw new ArchiveError(`${path} changed while it was being restored: nothing was restored`, 'damaged');
          const table = partOf.get(path);
          if (table) {
            rows += await loadPart(trx, deps.dialect, table, data);
            if (deps.dialect === 'postgres' && table.selfReferences.length) linked.add(table);
            return;
          }
          const media = parseMediaPath(path)!;
          written.add(media.key);
          await deps.mediaStore.put(media.key, media.file, data);
          mediaFiles++;
        },
        (done, total) => options.onProgress?.({ phase: 'load', done, total }),
      );
      for (const t of linked) {
        for (const col of t.selfReferences) {
          await sql`update ${sql.table(t.name)} set ${sql.ref(col)} = l.value from masthead_restore_links l
            where l.tbl = ${t.name} and l.col = ${col} and ${sql.ref(`${t.name}.${t.key[0]!}`)}::text = l.key`.execute(trx);
        }
      }
      if (deps.dialect === 'postgres') await resetSequences(trx);
    });
  } catch (err) {
    for (const key of written) await deps.mediaStore.removeAll(key).catch(() => {});
    throw err;
  }
  // An archive from an older schema was loaded as it was; the newer migrations bring it up now.
  await migrateToLatest(deps.db);
  return { manifest, rows, mediaFiles };
}

/** Refuses a database holding any row in any data table (an empty, migrated database passes). */
export async function assertEmptyDatabase(db: Db, dialect: DialectName): Promise<void> {
  for (const t of await readCatalog(db, dialect)) {
    const row = await sql`select 1 as one from ${sql.table(t.name)} limit 1`.execute(db);
    if (row.rows.length)
      throw new RestoreTargetError(`the database is not empty (table ${t.name} has rows): restore needs an empty database`);
  }
}

/** The target's table for each archived table, checked: it exists, has every archived column, and loads after what it references. */
function matchCatalog(manifest: ArchiveManifest, catalog: CatalogTable[]): Map<string, CatalogTable> {
  const byName = new Map(catalog.map((t) => [t.name, t]));
  const loaded = new Set<string>();
  const archived = new Set(manifest.tables.map((t) => t.name));
  for (const t of manifest.tables) {
    const table = byName.get(t.name);
    if (!table)
      throw new ArchiveError(
        `the archive's table ${t.name} does not exist at schema ${manifest.source.schemaVersion}: it is damaged`,
        'damaged',
      );
    const missing = t.columns.filter((c) => !table.columns.includes(c));
    if (missing.length)
      throw new ArchiveError(`the archive's table ${t.name} has unknown columns (${missing.join(', ')}): it is damaged`, 'damaged');
    const early = table.references.filter((r) => archived.has(r) && !loaded.has(r));
    if (early.length) throw new ArchiveError(`the archive lists ${t.name} before ${early.join(', ')}, which it references`, 'damaged');
    loaded.add(t.name);
  }
  return byName;
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/** Inserts one part's rows in multi-row statements; returns how many. */
async function loadPart(
  trx: Transaction<Database>,
  dialect: DialectName,
  table: CatalogTable & { archived: string[] },
  data: Buffer,
): Promise<number> {
  const lines = data.toString('utf8').split('\n');
  if (lines.at(-1) === '') lines.pop();
  // Both databases bind at most a few tens of thousands of parameters per statement.
  const perInsert = Math.max(1, Math.min(500, Math.floor(30_000 / table.archived.length)));
  const selfRefs = dialect === 'postgres' ? table.selfReferences : [];
  if (selfRefs.length && table.key.length !== 1) throw new Error(`table ${table.name} refers to itself but has a composite key`);
  for (let i = 0; i < lines.length; i += perInsert) {
    const batch = lines.slice(i, i + perInsert).map((line, n) => {
      let cells: unknown;
      try {
        cells = JSON.parse(line);
      } catch {
        throw new ArchiveError(`table ${table.name} has a row that is not JSON (line ${i + n + 1} of its part)`, 'damaged');
      }
      if (!Array.isArray(cells) || cells.length !== table.archived.length)
        throw new ArchiveError(`table ${table.name} has a row with the wrong number of values`, 'damaged');
      return Object.fromEntries(table.archived.map((c, k) => [c, decodeValue(cells[k], dialect)]));
    });
    const links: Array<{ tbl: string; col: string; key: string; value: string }> = [];
    for (const row of batch) {
      for (const col of selfRefs) {
        if (row[col] === null || row[col] === undefined) continue;
        links.push({ tbl: table.name, col, key: String(row[table.key[0]!]), value: String(row[col]) });
        row[col] = null;
      }
    }
    // PostgreSQL's tsvector is not null: empty until indexStoredDocuments fills it below.
    if ((table.name === 'search_documents' || table.name === 'image_search_documents') && dialect === 'postgres')
      for (const row of batch) row.document = sql`''::tsvector`;
    await (trx as unknown as Kysely<any>).insertInto(table.name).values(batch).execute();
    if (links.length) await (trx as unknown as Kysely<any>).insertInto('masthead_restore_links').values(links).execute();
    if (table.name === 'search_documents')
      await indexStoredDocuments(
        trx,
        dialect,
        batch.map((r) => String(r.article_id)),
      );
    if (table.name === 'image_search_documents')
      await indexStoredImages(
        trx,
        batch.map((r) => String(r.image_id)),
      );
  }
  return lines.length;
}

/** Identity and serial columns continue after the restored rows, not from 1. */
async function resetSequences(db: Db): Promise<void> {
  const { rows } = await sql<{ table: string; column: string; seq: string }>`select table_name as table, column_name as column,
      pg_get_serial_sequence(quote_ident(table_name), column_name) as seq
    from information_schema.columns
    where table_schema = current_schema() and pg_get_serial_sequence(quote_ident(table_name), column_name) is not null`.execute(db);
  for (const r of rows) {
    await sql`select setval(${r.seq}, coalesce((select max(${sql.ref(r.column)}) from ${sql.table(r.table)}), 0) + 1, false)`.execute(db);
  }
}
