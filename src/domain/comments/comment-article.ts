import type { Db } from '../../db/database.ts';
import { articlePath, type CommentsPolicy } from '../articles/article.ts';
import { visibleToReaders, type ReaderVisibilityFacts } from '../articles/article-visibility.ts';
import { sectionDirectory } from '../sections/section-directory.ts';
import { commentingState, type CommentingState } from './comment-policy.ts';

/** What the comments domain needs to know about an article. */
export interface CommentableArticle extends ReaderVisibilityFacts {
  id: string;
  headline: string;
  /** What the story's page describes it with (its SEO description, else its standfirst). */
  summary: string;
  path: string;
  commentsPolicy: CommentsPolicy;
  commentCount: number;
  /** The story's language (BCP 47): its discussion pages speak it. */
  language: string;
}

const COLUMNS = [
  'a.id',
  'a.slug',
  'a.section_id',
  'a.headline',
  'a.standfirst',
  'a.seo_description',
  'a.status',
  'a.comments_policy',
  'a.published_at',
  'a.embargo_until',
  'a.comment_count',
  'a.language',
] as const;

async function toCommentable(
  db: Db,
  r: {
    id: string;
    slug: string;
    section_id: string;
    headline: string;
    standfirst: string;
    seo_description: string | null;
    status: string;
    comments_policy: string;
    published_at: string | null;
    embargo_until: string | null;
    comment_count: number;
    language: string;
  },
): Promise<CommentableArticle> {
  const section = await sectionDirectory(db).byId(r.section_id);
  return {
    id: r.id,
    headline: r.headline,
    summary: r.seo_description ?? r.standfirst,
    path: articlePath(section?.slug ?? 'news', r.slug),
    status: r.status,
    commentsPolicy: r.comments_policy as CommentsPolicy,
    publishedAt: r.published_at,
    embargoUntil: r.embargo_until,
    commentCount: Number(r.comment_count),
    language: r.language,
  };
}

export async function findCommentableArticle(db: Db, id: string): Promise<CommentableArticle | null> {
  const r = await db.selectFrom('articles as a').select(COLUMNS).where('a.id', '=', id).executeTakeFirst();
  return r ? toCommentable(db, r) : null;
}

/** The article at /section/slug if readers may see it, or null. */
export async function findPublishedCommentableArticle(
  db: Db,
  sectionSlug: string,
  slug: string,
  nowIso: string,
): Promise<CommentableArticle | null> {
  const section = await sectionDirectory(db).bySlug(sectionSlug);
  if (!section) return null;
  const r = await db
    .selectFrom('articles as a')
    .select(COLUMNS)
    .where('a.section_id', '=', section.id)
    .where('a.slug', '=', slug)
    .where((eb) => visibleToReaders(eb, 'a', nowIso))
    .executeTakeFirst();
  return r ? toCommentable(db, r) : null;
}

export function stateOf(a: CommentableArticle, now: Date, closeAfterDays: number): CommentingState {
  return commentingState(a, now, closeAfterDays);
}
