import type { Author } from '../domain/authors/author.ts';
import type { CatalogArticle } from '../domain/published/catalog-article.ts';
import { creditLine, type Image } from '../domain/media/image.ts';
import type { ArticleDocument } from '../domain/documents/document-schema.ts';
import type { Section } from '../domain/sections/section.ts';
import type { Tag } from '../domain/tags/tag.ts';
/*
 * The body HTML comes from the public site's document renderer on purpose: it is the one
 * escaping renderer of the structured document (safe by construction), and apps then show
 * exactly the markup readers see on the site. A second, "API" renderer would be a second
 * place to get escaping wrong. It is a pure function of the document and images.
 */
import { renderDocument } from '../render/document-view.ts';
import type { PendingChange } from '../domain/articles/article-pending-change.ts';
import type { ArticleJson, AuthorJson, EditorialArticleJson, ImageJson, PendingChangeJson, SectionJson, TagJson } from './api-json.ts';
import { absoluteMediaUrl } from '../domain/media/media-url.ts';
import type { ArticleLinks } from './api-editions.ts';

const ALL_FORMATS = ['avif', 'webp', 'jpg'] as const;
type Format = (typeof ALL_FORMATS)[number];

/** Turns our own site-relative URLs into absolute ones. */
export function absoluteUrl(siteUrl: string, path: string): string {
  return path.startsWith('/') && !path.startsWith('//') ? `${siteUrl}${path}` : path;
}

function formatsOf(image: Image): readonly Format[] {
  const listed = 'formats' in image && Array.isArray(image.formats) ? (image.formats as string[]) : null;
  return listed ? ALL_FORMATS.filter((f) => listed.includes(f)) : ALL_FORMATS;
}

export function presentImage(siteUrl: string, image: Image): ImageJson {
  const formats = formatsOf(image);
  return {
    id: image.id,
    mimeType: image.mimeType,
    width: image.width,
    height: image.height,
    altText: image.altText,
    caption: image.caption,
    credit: image.credit,
    creator: image.creator,
    copyrightNotice: image.copyrightNotice,
    creditLine: creditLine(image),
    renditions: image.renditionWidths.flatMap((width) =>
      formats.map((format) => ({ width, format, url: absoluteMediaUrl(siteUrl, image.storageKey, `w${width}.${format}`) })),
    ),
  };
}

export function presentSection(siteUrl: string, s: Section): SectionJson {
  return { id: s.id, slug: s.slug, name: s.name, description: s.description, url: `${siteUrl}/${s.slug}` };
}

export function presentTag(siteUrl: string, t: Tag): TagJson {
  return { id: t.id, slug: t.slug, name: t.name, url: `${siteUrl}/tags/${t.slug}` };
}

export function presentAuthor(siteUrl: string, a: Author): AuthorJson {
  return { id: a.id, slug: a.slug, name: a.name, bio: a.bio, roleTitle: a.roleTitle, url: `${siteUrl}/authors/${a.slug}` };
}

/**
 * The rendered body with absolute link and image URLs. Rewriting is safe here because the
 * markup is ours: text is escaped (a `"` in text is `&quot;`), so `src="`, `srcset="` and
 * `href="` only ever start attributes we wrote.
 */
function bodyHtml(siteUrl: string, a: CatalogArticle): string {
  return documentHtml(siteUrl, a.body, a.images);
}

/** A block document rendered as on the site, with absolute link and image URLs (see bodyHtml). */
export function documentHtml(siteUrl: string, body: ArticleDocument, images: ReadonlyMap<string, Image>): string {
  const markup = renderDocument(body, images).value;
  return markup.replace(/ (src|srcset|href)="([^"]*)"/g, (_m, attr: string, value: string) => {
    const absolute =
      attr === 'srcset'
        ? value
            .split(', ')
            .map((part) => absoluteUrl(siteUrl, part))
            .join(', ')
        : absoluteUrl(siteUrl, value);
    return ` ${attr}="${absolute}"`;
  });
}

type ArticleField = keyof ArticleJson;

/**
 * An article as JSON. With `fields`, only those are built (the rendered body costs the
 * most, so it is skipped unless asked for). Its page, section, author and tag URLs are its
 * edition's (`links`), as the site links them; media stay at the site's URL.
 */
export function presentArticle(
  siteUrl: string,
  a: CatalogArticle,
  links: ArticleLinks,
  fields?: readonly ArticleField[],
): Partial<ArticleJson> {
  const want = (f: ArticleField) => !fields || fields.includes(f);
  const { view } = links;
  const all: { [K in ArticleField]: () => ArticleJson[K] } = {
    id: () => a.id,
    slug: () => a.slug,
    url: () => view.url(a.path),
    headline: () => a.headline,
    standfirst: () => a.standfirst,
    language: () => a.language,
    edition: () => links.edition.code,
    translationGroupId: () => a.translationGroupId,
    translations: () => links.translations,
    section: () => ({ id: a.section.id, slug: a.section.slug, name: a.section.name, url: view.url(`/${a.section.slug}`) }),
    authors: () => a.authors.map((x) => ({ id: x.id, slug: x.slug, name: x.name, url: view.url(`/authors/${x.slug}`) })),
    tags: () => a.tags.map((t) => ({ ...presentTag(siteUrl, t), url: view.url(`/tags/${t.slug}`) })),
    hero: () => (a.hero ? presentImage(siteUrl, a.hero) : null),
    body: () => a.body,
    bodyHtml: () => bodyHtml(siteUrl, a),
    images: () => [...a.images.values()].map((i) => presentImage(siteUrl, i)),
    publishedAt: () => a.publishedAt,
    updatedAt: () => a.updatedAt,
    changedAt: () => a.changedAt,
    seoTitle: () => a.seoTitle,
    seoDescription: () => a.seoDescription,
  };
  const out: Partial<Record<ArticleField, unknown>> = {};
  for (const key of Object.keys(all) as ArticleField[]) if (want(key)) out[key] = all[key]();
  return out as Partial<ArticleJson>;
}

/** An article with its workflow state, for the Admin API. */
export function presentEditorialArticle(siteUrl: string, a: CatalogArticle, links: ArticleLinks): EditorialArticleJson {
  const e = a.editorial!;
  return {
    ...(presentArticle(siteUrl, a, links) as ArticleJson),
    status: e.status,
    revision: e.revision,
    scheduledAt: e.scheduledAt,
    embargoUntil: e.embargoUntil,
    createdBy: e.createdBy,
    createdAt: e.createdAt,
    modifiedAt: e.modifiedAt,
    commentsPolicy: e.commentsPolicy,
  };
}

/** A live story's change waiting for review, with the story as readers see it now. */
export function presentPendingChange(
  siteUrl: string,
  change: PendingChange,
  live: CatalogArticle,
  liveLinks: ArticleLinks,
): PendingChangeJson {
  const i = change.input;
  return {
    id: change.id,
    articleId: change.articleId,
    state: 'pending_review',
    revision: change.revision,
    baseRevision: change.baseRevision,
    createdBy: change.createdBy,
    updatedBy: change.updatedBy,
    createdAt: change.createdAt,
    updatedAt: change.updatedAt,
    proposed: {
      headline: i.headline,
      standfirst: i.standfirst,
      slug: i.slug ?? null,
      sectionId: i.sectionId,
      authorIds: i.authorIds,
      tagIds: i.tagIds,
      heroImageId: i.heroImageId,
      body: i.body,
      language: i.language,
      commentsPolicy: i.commentsPolicy,
      seoTitle: i.seoTitle,
      seoDescription: i.seoDescription,
    },
    live: presentEditorialArticle(siteUrl, live, liveLinks),
  };
}
