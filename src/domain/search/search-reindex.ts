import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { withTransaction } from '../../db/transaction.ts';
import { findArticleById } from '../articles/article-repository.ts';
import type { ServiceDeps } from '../deps.ts';
import { indexedImageOf, indexImage, unindexImage } from './image-search-index.ts';
import { compactSearchIndex, indexStory } from './search-index.ts';
import { changeVocabulary, resetVocabulary } from './search-vocabulary.ts';
import { publishNow } from '../changes/content-change-publish.ts';
import { SITE_LISTS_TAG } from '../changes/cache-tags.ts';

/*
 * Rebuilding the index from the stories (`npm run masthead -- search reindex`, and stories
 * written beside the story path such as the bulk generator's). Batches go in id order, each in
 * its own transaction, and the last finished id is kept in `search_state`, so a stopped run
 * picks up where it was. It is safe while the site serves: each story is read and indexed in
 * one transaction, its row locked on PostgreSQL, so a save that commits meanwhile is indexed
 * by its own transaction after this one, never overwritten by an older read.
 */

const CURSOR_KEY = 'reindex_after';

export interface ReindexProgress {
  done: number;
  total: number;
  /** True when this run continued a stopped one. */
  resumed: boolean;
}

/** Indexes the given stories in `trx` (the caller's transaction), as of `nowIso`. */
export async function indexStoriesById(trx: Db, dialect: ServiceDeps['dialect'], ids: readonly string[], nowIso: string): Promise<void> {
  // The batch's vocabulary change is summed and applied once: a fresh reindex counts every
  // word of every story, and one upsert per word per story was most of its time.
  const deltas = new Map<string, number>();
  for (const id of ids) {
    // Locked as a save locks it (not share: the vocabulary counts are read and moved from this
    // document). No key update, not update: a related list written meanwhile holds key-share
    // locks on the stories it names, and FOR UPDATE waiting on those deadlocked with it.
    if (dialect === 'postgres') await trx.selectFrom('articles').select('id').where('id', '=', id).forNoKeyUpdate().execute();
    const story = await findArticleById(trx, id);
    if (story) await indexStory(trx, dialect, story, nowIso, deltas);
  }
  await changeVocabulary(trx, deltas);
}

/**
 * Re-indexes every story, `batchSize` per transaction, resuming after the last finished batch
 * of a stopped run unless `restart`. Drops documents of stories that no longer exist, then
 * announces the change (search pages answer from the new index).
 */
export async function reindexAll(
  deps: ServiceDeps,
  options: { batchSize?: number; restart?: boolean; onProgress?: (p: ReindexProgress) => void } = {},
): Promise<{ indexed: number; removed: number; resumed: boolean }> {
  const batchSize = options.batchSize ?? 200;
  if (options.restart) await deps.db.deleteFrom('search_state').where('key', '=', CURSOR_KEY).execute();
  const saved = await deps.db.selectFrom('search_state').select('value').where('key', '=', CURSOR_KEY).executeTakeFirst();
  let after = saved?.value ?? '';
  const resumed = saved !== undefined;
  // A fresh run rebuilds the spelling vocabulary from nothing (each batch counts its stories
  // again), so counts that drifted are made exact; a resumed run keeps what it had counted.
  if (!resumed) await withTransaction(deps.db, (trx) => resetVocabulary(trx));
  const total = Number(
    (
      await deps.db
        .selectFrom('articles')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
  let done = Number(
    (
      await deps.db
        .selectFrom('articles')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .where('id', '<=', after)
        .executeTakeFirstOrThrow()
    ).n,
  );
  let indexed = 0;
  options.onProgress?.({ done, total, resumed });
  for (;;) {
    const ids = (await deps.db.selectFrom('articles').select('id').where('id', '>', after).orderBy('id').limit(batchSize).execute()).map(
      (r) => r.id,
    );
    if (!ids.length) break;
    const last = ids[ids.length - 1]!;
    await withTransaction(deps.db, async (trx) => {
      await indexStoriesById(trx, deps.dialect, ids, deps.clock().toISOString());
      await saveCursor(trx, last);
    });
    after = last;
    done += ids.length;
    indexed += ids.length;
    options.onProgress?.({ done: Math.min(done, total), total, resumed });
  }
  const removed = await withTransaction(deps.db, async (trx) => {
    if (deps.dialect === 'sqlite') {
      await sql`delete from search_fts where rowid in (select doc_id from search_documents where article_id not in (select id from articles))`.execute(
        trx,
      );
    }
    const r = await trx
      .deleteFrom('search_documents')
      .where('article_id', 'not in', (eb) => eb.selectFrom('articles').select('id'))
      .executeTakeFirst();
    await trx.deleteFrom('search_state').where('key', '=', CURSOR_KEY).execute();
    return Number(r.numDeletedRows);
  });
  await compactSearchIndex(deps.db, deps.dialect);
  // Search answers may differ now (stems, a language new to the index): every node drops its
  // cached search pages (tagged with the site's lists) and the languages it read.
  await publishNow(deps, { tags: [SITE_LISTS_TAG], cause: 'search.reindex' });
  return { indexed, removed, resumed };
}

async function saveCursor(trx: Db, value: string): Promise<void> {
  await trx
    .insertInto('search_state')
    .values({ key: CURSOR_KEY, value })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
    .execute();
}

/**
 * Rewrites every image's entry in the newsroom's image index from its row (the headline,
 * title and keywords read from the file at upload are kept), `batchSize` per transaction, and
 * drops entries of images that no longer exist. Returns how many images were indexed.
 */
export async function reindexImages(deps: ServiceDeps, options: { batchSize?: number } = {}): Promise<number> {
  const batchSize = options.batchSize ?? 200;
  let after = '';
  let indexed = 0;
  for (;;) {
    const rows = await deps.db.selectFrom('images').selectAll().where('id', '>', after).orderBy('id').limit(batchSize).execute();
    if (!rows.length) break;
    await withTransaction(deps.db, async (trx) => {
      for (const r of rows) await indexImage(trx, indexedImageOf(r));
    });
    after = rows[rows.length - 1]!.id;
    indexed += rows.length;
  }
  await withTransaction(deps.db, async (trx) => {
    const orphans = await trx
      .selectFrom('image_search_documents')
      .select('image_id')
      .where('image_id', 'not in', (eb) => eb.selectFrom('images').select('id'))
      .execute();
    for (const o of orphans) await unindexImage(trx, o.image_id);
  });
  return indexed;
}
