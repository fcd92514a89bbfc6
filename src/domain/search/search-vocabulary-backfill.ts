import type { Db, DialectName } from '../../db/database.ts';
import { withTransaction } from '../../db/transaction.ts';
import { visibleToReaders } from '../articles/article-visibility.ts';
import { changeVocabulary, vocabularyDelta, vocabularyTerms } from './search-vocabulary.ts';

/*
 * Counting the words of an existing archive into the spelling vocabulary, in the background.
 * The vocabulary's migration only leaves a cursor row in search_state (counting 100,000
 * stories inline took 137 s of start-up); the scheduler's loop then counts a small batch of
 * uncounted visible documents per tick until the cursor has passed the last one, and deletes
 * it. Each batch is one transaction that locks its stories as a save would (PostgreSQL) and
 * re-reads `in_vocabulary` under the lock, so a document a save or the scheduler counted
 * meanwhile is never counted twice; a stopped server resumes from the cursor. Until it is done,
 * suggestions draw on the part counted so far (they only ever get better).
 */

/** The search_state row the vocabulary migration leaves when it defers its back-fill. */
export const VOCABULARY_BACKFILL_KEY = 'vocabulary_backfill_after';

/** Documents per batch: each takes ~1 ms to count, and SQLite blocks the event loop meanwhile. */
export const BACKFILL_BATCH = 50;

/**
 * Counts the next batch of uncounted visible documents after the cursor, as of `nowIso`.
 * Returns whether work remains (false once the cursor is gone: nothing was deferred, or done).
 */
export async function backfillVocabularyStep(db: Db, dialect: DialectName, nowIso: string, batchSize = BACKFILL_BATCH): Promise<boolean> {
  const cursor = await db.selectFrom('search_state').select('value').where('key', '=', VOCABULARY_BACKFILL_KEY).executeTakeFirst();
  if (!cursor) return false;
  const ids = (
    await db
      .selectFrom('search_documents as d')
      .innerJoin('articles as a', 'a.id', 'd.article_id')
      .select('d.article_id')
      .where('d.article_id', '>', cursor.value)
      .where('d.in_vocabulary', '=', 0)
      .where((eb) => visibleToReaders(eb, 'a', nowIso))
      .orderBy('d.article_id')
      .limit(batchSize)
      .execute()
  ).map((r) => r.article_id);
  await withTransaction(db, async (trx) => {
    if (!ids.length) {
      await trx.deleteFrom('search_state').where('key', '=', VOCABULARY_BACKFILL_KEY).execute();
      return;
    }
    // Locked in id order as the reindex locks them, then read again: only what is still uncounted.
    if (dialect === 'postgres')
      await trx.selectFrom('articles').select('id').where('id', 'in', ids).orderBy('id').forNoKeyUpdate().execute();
    const docs = await trx
      .selectFrom('search_documents as d')
      .innerJoin('articles as a', 'a.id', 'd.article_id')
      .select(['d.article_id', 'd.headline', 'd.standfirst', 'd.body', 'd.meta'])
      .where('d.article_id', 'in', ids)
      .where('d.in_vocabulary', '=', 0)
      .where((eb) => visibleToReaders(eb, 'a', nowIso))
      .execute();
    const deltas = new Map<string, number>();
    for (const d of docs) vocabularyDelta(new Set(), vocabularyTerms([d.headline, d.standfirst, d.body, d.meta]), deltas);
    await changeVocabulary(trx, deltas);
    if (docs.length)
      await trx
        .updateTable('search_documents')
        .set({ in_vocabulary: 1 })
        .where(
          'article_id',
          'in',
          docs.map((d) => d.article_id),
        )
        .execute();
    await trx
      .updateTable('search_state')
      .set({ value: ids[ids.length - 1]! })
      .where('key', '=', VOCABULARY_BACKFILL_KEY)
      .execute();
  });
  return ids.length > 0;
}

/** Runs the back-fill to the end (tests, and a CLI that wants it done now). Returns the batches run. */
export async function backfillVocabulary(db: Db, dialect: DialectName, nowIso: string, batchSize = 500): Promise<number> {
  let batches = 0;
  while (await backfillVocabularyStep(db, dialect, nowIso, batchSize)) batches++;
  return batches;
}
