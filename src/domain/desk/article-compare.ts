import type { Actor } from '../accounts/role.ts';
import { userNamesByIds } from '../accounts/user-names.ts';
import type { ServiceDeps } from '../deps.ts';
import { NotFoundError } from '../errors.ts';
import type { Article } from '../articles/article.ts';
import { getDeskStory } from './article-desk.ts';
import { diffArticles, getRevision, type ArticleDiff, type Revision } from '../articles/article-revisions.ts';

/*
 * Comparing two revisions for the history screen: the text diff of article-revisions.ts plus
 * the other fields that changed (section, slug, bylines, tags, times…), named in words.
 */

export interface FieldChange {
  label: string;
  before: string;
  after: string;
}

export interface RevisionComparison {
  article: Article;
  from: Revision & { actorName: string | null };
  to: Revision & { actorName: string | null };
  diff: ArticleDiff;
  fieldChanges: FieldChange[];
}

const NONE = '(none)';

async function namesOf(deps: ServiceDeps, table: 'sections' | 'authors' | 'tags', ids: readonly string[]): Promise<Map<string, string>> {
  if (!ids.length) return new Map();
  const rows = await deps.db
    .selectFrom(table)
    .select(['id', 'name'])
    .where('id', 'in', [...new Set(ids)])
    .execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** Compares revision `from` with `to` of one story; NotFoundError names a missing revision. */
export async function compareRevisions(
  deps: ServiceDeps,
  actor: Actor,
  articleId: string,
  from: number,
  to: number,
): Promise<RevisionComparison> {
  const article = await getDeskStory(deps, actor, articleId);
  const [a, b] = await Promise.all([getRevision(deps.db, articleId, from), getRevision(deps.db, articleId, to)]);
  if (!a) throw new NotFoundError(`This story has no revision ${from}.`);
  if (!b) throw new NotFoundError(`This story has no revision ${to}.`);
  const [changes, people] = await Promise.all([
    compareArticles(deps, a.snapshot, b.snapshot),
    userNamesByIds(deps.db, [a.actorUserId, b.actorUserId]),
  ]);
  const nameOf = (id: string | null) => (id === null ? null : (people.get(id) ?? null));
  return {
    article,
    from: { ...a, actorName: nameOf(a.actorUserId) },
    to: { ...b, actorName: nameOf(b.actorUserId) },
    ...changes,
  };
}

/** Two versions of one story: the text diff and the other fields that differ, named in words. */
export async function compareArticles(
  deps: ServiceDeps,
  x: Article,
  y: Article,
): Promise<{ diff: ArticleDiff; fieldChanges: FieldChange[] }> {
  const [sections, authors, tags] = await Promise.all([
    namesOf(deps, 'sections', [x.sectionId, y.sectionId]),
    namesOf(deps, 'authors', [...x.authorIds, ...y.authorIds]),
    namesOf(deps, 'tags', [...x.tagIds, ...y.tagIds]),
  ]);
  const list = (ids: readonly string[], names: Map<string, string>) =>
    ids.length ? ids.map((id) => names.get(id) ?? id).join(', ') : NONE;
  const text = (v: string | null) => (v === null || v === '' ? NONE : v);
  const candidates: FieldChange[] = [
    { label: 'Status', before: x.status, after: y.status },
    { label: 'Section', before: sections.get(x.sectionId) ?? x.sectionId, after: sections.get(y.sectionId) ?? y.sectionId },
    { label: 'Address (slug)', before: x.slug, after: y.slug },
    { label: 'Bylines', before: list(x.authorIds, authors), after: list(y.authorIds, authors) },
    { label: 'Tags', before: list(x.tagIds, tags), after: list(y.tagIds, tags) },
    { label: 'Hero photo', before: text(x.heroImageId), after: text(y.heroImageId) },
    { label: 'Language', before: x.language, after: y.language },
    { label: 'Comments', before: x.commentsPolicy, after: y.commentsPolicy },
    { label: 'SEO title', before: text(x.seoTitle), after: text(y.seoTitle) },
    { label: 'SEO description', before: text(x.seoDescription), after: text(y.seoDescription) },
    { label: 'Published at', before: text(x.publishedAt), after: text(y.publishedAt) },
    { label: 'Updated at', before: text(x.updatedAt), after: text(y.updatedAt) },
    { label: 'Scheduled for', before: text(x.scheduledAt), after: text(y.scheduledAt) },
    { label: 'Embargo until', before: text(x.embargoUntil), after: text(y.embargoUntil) },
  ];
  return { diff: diffArticles(x, y), fieldChanges: candidates.filter((c) => c.before !== c.after) };
}
