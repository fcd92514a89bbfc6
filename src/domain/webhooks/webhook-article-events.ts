import type { Db } from '../../db/database.ts';
import type { Article } from '../articles/article.ts';
import { authorsForArticles } from '../authors/author.ts';
import { tagsForArticles } from '../tags/tag.ts';
import { insertDeliveries, subscribedHookIds } from './webhook-outbox.ts';

export type ArticleEventType = 'article.published' | 'article.updated' | 'article.unpublished' | 'article.deleted';

/** What receivers get about a story: enough to act on it (rebuild a page, post a link) without calling back. */
export interface ArticleEventData {
  article: {
    id: string;
    /** Absolute public URL (live only while the story is published). */
    url: string;
    path: string;
    headline: string;
    standfirst: string;
    status: string;
    language: string;
    section: { id: string; slug: string; name: string };
    authors: Array<{ id: string; slug: string; name: string }>;
    tags: Array<{ id: string; slug: string; name: string }>;
    publishedAt: string | null;
    updatedAt: string | null;
    modifiedAt: string;
    revision: number;
  };
}

async function articleEventData(db: Db, article: Article, siteUrl: string): Promise<ArticleEventData> {
  const [section, authors, tags] = await Promise.all([
    db.selectFrom('sections').select(['id', 'slug', 'name']).where('id', '=', article.sectionId).executeTakeFirstOrThrow(),
    authorsForArticles(db, [article.id]),
    tagsForArticles(db, [article.id]),
  ]);
  const path = `/${section.slug}/${article.slug}`;
  return {
    article: {
      id: article.id,
      url: `${siteUrl.replace(/\/+$/, '')}${path}`,
      path,
      headline: article.headline,
      standfirst: article.standfirst,
      status: article.status,
      language: article.language,
      section,
      authors: (authors.get(article.id) ?? []).map((a) => ({ id: a.id, slug: a.slug, name: a.name })),
      tags: (tags.get(article.id) ?? []).map((t) => ({ id: t.id, slug: t.slug, name: t.name })),
      publishedAt: article.publishedAt,
      updatedAt: article.updatedAt,
      modifiedAt: article.modifiedAt,
      revision: article.revision,
    },
  };
}

/**
 * Queues an article event in the caller's transaction. Costs one small query when no hook
 * subscribes; the story's section, bylines and tags are read only when one does. Call
 * before deleting a story (its rows are read for the payload).
 */
export async function enqueueArticleEvent(
  db: Db,
  type: ArticleEventType,
  article: Article,
  at: { createdAt: string; siteUrl: string | undefined },
): Promise<void> {
  const hooks = await subscribedHookIds(db, type);
  if (!hooks.length) return;
  const data = await articleEventData(db, article, at.siteUrl ?? '');
  await insertDeliveries(db, hooks, type, at.createdAt, { ...data });
}
