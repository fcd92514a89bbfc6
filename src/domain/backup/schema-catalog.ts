import { sql } from 'kysely';
import type { Db, DialectName } from '../../db/database.ts';

/*
 * What a backup holds is read from the database itself (the schema its migrations built), not
 * from a list kept by hand: a table added by a later migration is archived without anyone
 * remembering to. What is left out is named here, because it is not data:
 * - Kysely's migration bookkeeping (the archive records the schema version instead);
 * - the dialect's own full-text index (SQLite's FTS5 table and its shadow tables, the rowid
 *   `doc_id` that links them, PostgreSQL's `document` and `phrase_pairs` tsvectors): rebuilt from the archived
 *   search documents on restore, so they move between databases;
 * - the desk's editorial notes: conversation about drafts, never published and never exported
 *   (an archive is handed to hosts and restored elsewhere; the newsroom's asides stay behind).
 */
const INTERNAL_TABLES = new Set(['kysely_migration', 'kysely_migration_lock', 'editorial_notes']);
const isDialectIndexTable = (name: string) => /^(image_)?search_fts(_|$)/.test(name);
export const DIALECT_INDEX_COLUMNS: Readonly<Record<string, readonly string[]>> = {
  search_documents: ['doc_id', 'document', 'phrase_pairs'],
  image_search_documents: ['doc_id', 'document'],
};

export interface CatalogTable {
  name: string;
  /** Archived columns, in the table's order. */
  columns: string[];
  /** Columns ordering the table for keyset paging: the primary key, else a unique key. */
  key: string[];
  /** Tables this one references (foreign keys), itself excluded. */
  references: string[];
  /** Columns referencing the table itself (a reply's parent comment). */
  selfReferences: string[];
}

/** The data tables of the database, in load order (every table after those it references). */
export async function readCatalog(db: Db, dialect: DialectName): Promise<CatalogTable[]> {
  const names = (await listTables(db, dialect)).filter((n) => !INTERNAL_TABLES.has(n) && !isDialectIndexTable(n));
  const tables: CatalogTable[] = [];
  for (const name of names) {
    const skip = new Set(DIALECT_INDEX_COLUMNS[name] ?? []);
    const info = dialect === 'sqlite' ? await sqliteTable(db, name) : await postgresTable(db, name);
    const columns = info.columns.filter((c) => !skip.has(c.name));
    const notNull = new Set(info.columns.filter((c) => c.notNull).map((c) => c.name));
    const candidates = [info.primaryKey, ...info.uniqueKeys].filter((k) => k.length > 0);
    const key = candidates.find((k) => k.every((c) => !skip.has(c) && (notNull.has(c) || info.primaryKey.includes(c))));
    if (!key) throw new Error(`table ${name} has no primary or unique key to page through`);
    const fks = info.foreignKeys;
    tables.push({
      name,
      columns: columns.map((c) => c.name),
      key,
      references: [...new Set(fks.filter((f) => f.table !== name).map((f) => f.table))],
      selfReferences: fks.filter((f) => f.table === name).map((f) => f.column),
    });
  }
  return loadOrder(tables);
}

function loadOrder(tables: CatalogTable[]): CatalogTable[] {
  const byName = new Map(tables.map((t) => [t.name, t]));
  const ordered: CatalogTable[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (t: CatalogTable, path: string[]) => {
    if (state.get(t.name) === 'done') return;
    if (state.get(t.name) === 'visiting') throw new Error(`foreign keys form a cycle: ${[...path, t.name].join(' → ')}`);
    state.set(t.name, 'visiting');
    for (const r of t.references) {
      const target = byName.get(r);
      if (target) visit(target, [...path, t.name]);
    }
    state.set(t.name, 'done');
    ordered.push(t);
  };
  for (const t of [...tables].sort((a, b) => (a.name < b.name ? -1 : 1))) visit(t, []);
  return ordered;
}

async function listTables(db: Db, dialect: DialectName): Promise<string[]> {
  const rows =
    dialect === 'sqlite'
      ? (
          await sql<{
            name: string;
          }>`select name from sqlite_schema where type = 'table' and name not like 'sqlite\\_%' escape '\\'`.execute(db)
        ).rows
      : (
          await sql<{ name: string }>`select table_name as name from information_schema.tables
            where table_schema = current_schema() and table_type = 'BASE TABLE'`.execute(db)
        ).rows;
  return rows.map((r) => r.name).sort();
}

interface TableInfo {
  columns: Array<{ name: string; notNull: boolean }>;
  primaryKey: string[];
  uniqueKeys: string[][];
  foreignKeys: Array<{ column: string; table: string }>;
}

async function sqliteTable(db: Db, table: string): Promise<TableInfo> {
  const cols = (
    await sql<{
      name: string;
      notnull: number;
      pk: number;
    }>`select name, "notnull", pk from pragma_table_info(${table}) order by cid`.execute(db)
  ).rows;
  const indexes = (await sql<{ name: string }>`select name from pragma_index_list(${table}) where "unique" = 1 order by name`.execute(db))
    .rows;
  const uniqueKeys: string[][] = [];
  for (const ix of indexes) {
    const ixCols = (await sql<{ name: string | null }>`select name from pragma_index_info(${ix.name}) order by seqno`.execute(db)).rows;
    if (ixCols.every((c) => c.name)) uniqueKeys.push(ixCols.map((c) => c.name!));
  }
  const fks = (await sql<{ from: string; table: string }>`select "from", "table" from pragma_foreign_key_list(${table})`.execute(db)).rows;
  return {
    columns: cols.map((c) => ({ name: c.name, notNull: c.notnull === 1 })),
    primaryKey: cols
      .filter((c) => c.pk > 0)
      .sort((a, b) => a.pk - b.pk)
      .map((c) => c.name),
    uniqueKeys,
    foreignKeys: fks.map((f) => ({ column: f.from, table: f.table })),
  };
}

async function postgresTable(db: Db, table: string): Promise<TableInfo> {
  const cols = (
    await sql<{ name: string; nullable: string }>`select column_name as name, is_nullable as nullable from information_schema.columns
      where table_schema = current_schema() and table_name = ${table} order by ordinal_position`.execute(db)
  ).rows;
  const keys = (
    await sql<{ primary: boolean; columns: string[] }>`select i.indisprimary as primary,
        array_agg(a.attname::text order by k.n) as columns
      from pg_index i
      join pg_class c on c.oid = i.indrelid
      join pg_namespace ns on ns.oid = c.relnamespace
      cross join lateral unnest(i.indkey) with ordinality as k(attnum, n)
      join pg_attribute a on a.attrelid = c.oid and a.attnum = k.attnum
      where c.relname = ${table} and ns.nspname = current_schema() and i.indisunique and i.indpred is null
      group by i.indexrelid, i.indisprimary
      order by i.indisprimary desc, min(i.indexrelid::text)`.execute(db)
  ).rows;
  const fks = (
    await sql<{ column: string; table: string }>`select a.attname::text as column, ref.relname::text as table
      from pg_constraint con
      join pg_class c on c.oid = con.conrelid
      join pg_namespace ns on ns.oid = c.relnamespace
      join pg_class ref on ref.oid = con.confrelid
      cross join lateral unnest(con.conkey) as k(attnum)
      join pg_attribute a on a.attrelid = c.oid and a.attnum = k.attnum
      where con.contype = 'f' and c.relname = ${table} and ns.nspname = current_schema()`.execute(db)
  ).rows;
  return {
    columns: cols.map((c) => ({ name: c.name, notNull: c.nullable === 'NO' })),
    primaryKey: keys.find((k) => k.primary)?.columns ?? [],
    uniqueKeys: keys.filter((k) => !k.primary).map((k) => k.columns),
    foreignKeys: fks,
  };
}

/** The migrations applied to this database, in order (empty before the first). */
export async function appliedMigrations(db: Db, dialect: DialectName): Promise<string[]> {
  const tables = await listTables(db, dialect);
  if (!tables.includes('kysely_migration')) return [];
  return (await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db)).rows.map((r) => r.name);
}
