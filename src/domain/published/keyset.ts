import type { ExpressionBuilder, ExpressionWrapper, SqlBool } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { PageCursor } from '../articles/cursor.ts';

/*
 * Keyset pagination over (published_at, id), the one way every list pages through stories.
 * Besides the exact "(t, id) after the cursor" test, each condition carries the plain bound on
 * published_at that an index on (…, published_at, id) can start its scan from: without it the
 * database reads every row before the cursor and filters them out, so page 5,000 of a section
 * or the last file of a million-story sitemap would cost as much as reading the whole archive.
 */

type Eb = ExpressionBuilder<Database & { a: Database['articles'] }, 'a'>;

/** Stories after `cursor` in (published_at, id) order; `inclusive` keeps the cursor's own story. */
export function afterCursor(
  eb: Eb,
  cursor: PageCursor,
  inclusive = false,
): ExpressionWrapper<Database & { a: Database['articles'] }, 'a', SqlBool> {
  return eb.and([
    eb('a.published_at', '>=', cursor.publishedAt),
    eb.or([
      eb('a.published_at', '>', cursor.publishedAt),
      eb.and([eb('a.published_at', '=', cursor.publishedAt), eb('a.id', inclusive ? '>=' : '>', cursor.id)]),
    ]),
  ]);
}

/** Stories before `cursor` in (published_at, id) order (the next page of a newest-first list). */
export function beforeCursor(eb: Eb, cursor: PageCursor): ExpressionWrapper<Database & { a: Database['articles'] }, 'a', SqlBool> {
  return eb.and([
    eb('a.published_at', '<=', cursor.publishedAt),
    eb.or([
      eb('a.published_at', '<', cursor.publishedAt),
      eb.and([eb('a.published_at', '=', cursor.publishedAt), eb('a.id', '<', cursor.id)]),
    ]),
  ]);
}
