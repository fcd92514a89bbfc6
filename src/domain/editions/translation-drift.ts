import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Article } from '../articles/article.ts';

/*
 * Keeping translations in step. Called by the one story write path (articles/article-write.ts)
 * in the write's own transaction: when a story that translations were made from gets an
 * update or correction note, or its words change while it is published, each translation of
 * it is flagged out of date (until an editor confirms it), so a correction is never silently
 * missing from one edition. A draft's edits before publication flag nothing.
 */

/** True when this change of a source story leaves its translations behind. */
export function leavesTranslationsBehind(before: Article, after: Article, action: string): boolean {
  if (action.startsWith('note_')) return true;
  if (before.status !== 'published') return false;
  return before.headline !== after.headline || before.standfirst !== after.standfirst || before.bodyText !== after.bodyText;
}

export async function flagTranslationsOutOfDate(
  trx: Transaction<Database>,
  before: Article | null,
  after: Article | null,
  action: string,
  nowIso: string,
): Promise<void> {
  if (!before || !after || !leavesTranslationsBehind(before, after, action)) return;
  await trx
    .updateTable('translation_links')
    .set({ out_of_date_since: nowIso })
    .where('source_article_id', '=', after.id)
    .where('out_of_date_since', 'is', null)
    .execute();
}
