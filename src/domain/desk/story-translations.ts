import type { Actor } from '../accounts/role.ts';
import type { Article, ArticleStatus } from '../articles/article.ts';
import { diffArticles, type ArticleDiff } from '../articles/article-revisions.ts';
import type { ServiceDeps } from '../deps.ts';
import { listEditions, editionForLanguage, type Edition } from '../editions/edition.ts';
import { getDeskStory } from './article-desk.ts';

/*
 * What the desk sees of a story's editions: for every edition, the version of the story in it
 * (if any) with its status, and for a translation made in Masthead whether its source moved
 * on since (an update or correction note, or the published words changed), with the diff of
 * what changed and the notes added since, until an editor confirms it.
 */

export interface TranslationDrift {
  sourceId: string;
  since: string;
  diff: ArticleDiff;
  notes: Array<{ kind: string; text: string; at: string }>;
}

export interface EditionVersion {
  edition: Edition;
  story: {
    id: string;
    headline: string;
    status: ArticleStatus;
    language: string;
    /** Made with "Translate" from this story. */
    sourceId: string | null;
    outOfDate: TranslationDrift | null;
  } | null;
}

export interface StoryEditions {
  article: Article;
  versions: EditionVersion[];
  /** Editions the story has no version in yet: what "Translate" offers. */
  missing: Edition[];
}

export async function getStoryEditions(deps: ServiceDeps, actor: Actor, articleId: string): Promise<StoryEditions> {
  const article = await getDeskStory(deps, actor, articleId);
  const [editions, members] = await Promise.all([
    listEditions(deps.db),
    deps.db
      .selectFrom('articles as a')
      .leftJoin('translation_links as l', 'l.article_id', 'a.id')
      .select([
        'a.id',
        'a.headline',
        'a.status',
        'a.language',
        'l.source_article_id',
        'l.synced_revision',
        'l.synced_at',
        'l.synced_headline',
        'l.synced_standfirst',
        'l.synced_body_text',
        'l.out_of_date_since',
      ])
      .where('a.translation_group_id', '=', article.translationGroupId)
      .orderBy('a.created_at')
      .execute(),
  ]);
  const sources = new Map<string, Pick<Article, 'headline' | 'standfirst' | 'bodyText' | 'revision'>>();
  const sourceIds = [...new Set(members.filter((m) => m.out_of_date_since).map((m) => m.source_article_id!))];
  if (sourceIds.length) {
    const rows = await deps.db
      .selectFrom('articles')
      .select(['id', 'headline', 'standfirst', 'body_text', 'revision'])
      .where('id', 'in', sourceIds)
      .execute();
    for (const r of rows)
      sources.set(r.id, { headline: r.headline, standfirst: r.standfirst, bodyText: r.body_text, revision: Number(r.revision) });
  }
  const versions: EditionVersion[] = [];
  for (const m of members) {
    let outOfDate: TranslationDrift | null = null;
    const source = m.source_article_id ? sources.get(m.source_article_id) : undefined;
    if (m.out_of_date_since && source) {
      const notes = await deps.db
        .selectFrom('article_notes')
        .select(['kind', 'text', 'created_at'])
        .where('article_id', '=', m.source_article_id!)
        .where('created_at', '>', m.synced_at!)
        .orderBy('created_at')
        .execute();
      outOfDate = {
        sourceId: m.source_article_id!,
        since: m.out_of_date_since,
        diff: diffArticles(
          {
            headline: m.synced_headline!,
            standfirst: m.synced_standfirst!,
            bodyText: m.synced_body_text!,
            revision: Number(m.synced_revision),
          },
          source,
        ),
        notes: notes.map((n) => ({ kind: n.kind, text: n.text, at: n.created_at })),
      };
    }
    versions.push({
      edition: editionForLanguage(editions, m.language),
      story: {
        id: m.id,
        headline: m.headline,
        status: m.status as ArticleStatus,
        language: m.language,
        sourceId: m.source_article_id,
        outOfDate,
      },
    });
  }
  const covered = new Set(versions.map((v) => v.edition.id));
  return { article, versions, missing: editions.filter((e) => !covered.has(e.id)) };
}
