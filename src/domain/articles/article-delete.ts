import { assertRole } from '../accounts/access.ts';
import type { Actor } from '../accounts/role.ts';
import type { ServiceDeps } from '../deps.ts';
import { writeStory } from './article-write.ts';

/**
 * Deletes a story for good: bylines, tags, related lists, redirects, scheduled jobs,
 * revisions and notes go with it (ON DELETE CASCADE). Editors and admins only — deleting is
 * not in the per-story policy table because an author's way to take down their own story is
 * to unpublish it, which keeps the history. Writes an audit entry and queues
 * `article.deleted` (built from the story before it goes) in the same transaction; stories
 * that listed it under "You might also like" are then recomputed.
 */
export async function deleteArticle(deps: ServiceDeps, actor: Actor, id: string): Promise<void> {
  assertRole(actor, 'editor', 'Only editors and administrators may delete stories; unpublish it instead.');
  await writeStory(deps, {
    articleId: id,
    actor,
    action: 'deleted',
    now: deps.clock(),
    apply: async (article) => ({
      story: null,
      audit: { headline: article.headline, status: article.status, slug: article.slug, revision: article.revision },
      event: 'article.deleted',
    }),
  });
}
