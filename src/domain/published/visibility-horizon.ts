import type { ServiceDeps } from '../deps.ts';

/**
 * The next moment a published story becomes visible by time alone (its publication time is
 * still ahead: an import or an API write with a future time), after `nowIso`; null when no
 * story waits. Nothing is written at that moment, so no change event announces it: a cache of
 * public pages asks this to know when what it holds may stop being true. Embargoes are covered
 * by the same column, since the services keep `published_at >= embargo_until`. One lookup on
 * the `(status, published_at)` index.
 */
export async function nextVisibilityChange(deps: Pick<ServiceDeps, 'db'>, nowIso: string): Promise<string | null> {
  const row = await deps.db
    .selectFrom('articles')
    .select((eb) => eb.fn.min('published_at').as('next'))
    .where('status', '=', 'published')
    .where('published_at', '>', nowIso)
    .executeTakeFirst();
  return (row?.next as string | null | undefined) ?? null;
}
