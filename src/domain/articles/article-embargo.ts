import type { Actor } from '../accounts/role.ts';
import type { ServiceDeps } from '../deps.ts';
import { ConflictError } from '../errors.ts';
import type { Article } from './article.ts';
import { assertCan } from './article-policy.ts';
import { writeStory } from './article-write.ts';

/**
 * Sets or lifts a story's embargo (`embargoUntil` null lifts it). An embargo is a publication
 * decision, so it needs the right to schedule. It may never end after a time the story is
 * already published or scheduled from: that would put an embargoed story in front of
 * readers, so the editor unpublishes or reschedules first.
 */
export async function setEmbargo(
  deps: ServiceDeps,
  articleId: string,
  embargoUntil: string | null,
  actor: Actor,
  expectedRevision?: number,
): Promise<Article> {
  return writeStory(deps, {
    articleId,
    expectedRevision,
    actor,
    action: 'embargo',
    now: deps.clock(),
    guard: (current) => assertCan(actor, 'schedule', current),
    apply: async (current, { revision }) => {
      if (embargoUntil !== null) {
        if (current.status === 'published' && current.publishedAt !== null && embargoUntil > current.publishedAt) {
          throw new ConflictError(
            `The story is already published (since ${current.publishedAt}); unpublish it before setting an embargo until ${embargoUntil}.`,
          );
        }
        if (current.status === 'scheduled' && current.scheduledAt !== null && embargoUntil > current.scheduledAt) {
          throw new ConflictError(
            `The story is scheduled for ${current.scheduledAt}, before the embargo ends (${embargoUntil}); reschedule it first.`,
          );
        }
      }
      if (current.embargoUntil === embargoUntil) return 'unchanged';
      return { story: { ...current, embargoUntil }, audit: { from: current.embargoUntil, to: embargoUntil, revision } };
    },
  });
}
