import type { Db } from '../../db/database.ts';
import { newId } from '../ids.ts';

export type WireSourceKind = 'ninjs' | 'html' | 'wordpress' | 'ghost';

/** What the last import of one wire item or web page wrote (table wire_imports). */
export interface WireImportRecord {
  id: string;
  /** `wordpress` and `ghost` for stories moved in from those platforms (site-import-writer.ts). */
  sourceKind: WireSourceKind;
  sourceKey: string;
  articleId: string;
  ninjsVersion: string | null;
  itemVersion: string | null;
  versionCreated: string | null;
  articleRevision: number;
  importedAt: string;
  updatedAt: string;
}

export async function findWireImport(db: Db, sourceKind: WireSourceKind, sourceKey: string): Promise<WireImportRecord | null> {
  const row = await db
    .selectFrom('wire_imports')
    .selectAll()
    .where('source_kind', '=', sourceKind)
    .where('source_key', '=', sourceKey)
    .executeTakeFirst();
  if (!row) return null;
  return {
    id: row.id,
    sourceKind: row.source_kind as WireSourceKind,
    sourceKey: row.source_key,
    articleId: row.article_id,
    ninjsVersion: row.ninjs_version,
    itemVersion: row.item_version,
    versionCreated: row.version_created,
    articleRevision: row.article_revision,
    importedAt: row.imported_at,
    updatedAt: row.updated_at,
  };
}

export async function findWireImportsForArticle(db: Db, articleId: string): Promise<Array<{ sourceKind: string; sourceKey: string }>> {
  const rows = await db.selectFrom('wire_imports').select(['source_kind', 'source_key']).where('article_id', '=', articleId).execute();
  return rows.map((r) => ({ sourceKind: r.source_kind, sourceKey: r.source_key }));
}

/** Inserts or replaces the record of one source. */
export async function saveWireImport(
  db: Db,
  input: Omit<WireImportRecord, 'id' | 'importedAt' | 'updatedAt'>,
  nowIso: string,
  existing: WireImportRecord | null,
): Promise<void> {
  const values = {
    article_id: input.articleId,
    ninjs_version: input.ninjsVersion,
    item_version: input.itemVersion,
    version_created: input.versionCreated,
    article_revision: input.articleRevision,
    updated_at: nowIso,
  };
  if (existing) {
    await db.updateTable('wire_imports').set(values).where('id', '=', existing.id).execute();
    return;
  }
  await db
    .insertInto('wire_imports')
    .values({ id: newId(), source_kind: input.sourceKind, source_key: input.sourceKey, imported_at: nowIso, ...values })
    .execute();
}
