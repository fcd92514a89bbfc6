import type { Article, ArticleStatus } from '../articles/article.ts';
import { findArticleById } from '../articles/article-repository.ts';
import { authorsForArticle } from '../authors/author.ts';
import type { ServiceDeps } from '../deps.ts';
import { NotFoundError } from '../errors.ts';
import { creditLine, findImagesByIds, type Image } from '../media/image.ts';
import { tagsForArticle } from '../tags/tag.ts';
import { documentToHtml } from './document-html.ts';
import { absoluteMediaUrl } from '../media/media-url.ts';

/*
 * Any article → a ninjs 2.x (2.2) or 3.x (3.1) document that validates against the official
 * schema. The uri is `urn:uuid:<article id>` (stable across slug and section changes);
 * `version` is the article revision. Status → pubstatus: published → usable, unpublished →
 * canceled, anything not yet out → withheld.
 */

const PUBSTATUS: Record<ArticleStatus, 'usable' | 'withheld' | 'canceled'> = {
  draft: 'withheld',
  in_review: 'withheld',
  scheduled: 'withheld',
  published: 'usable',
  unpublished: 'canceled',
};

type Json = Record<string, unknown>;

function renditionsOf(image: Image, base: string, ct: string): Json[] {
  return image.renditionWidths.map((w) => ({
    name: `w${w}`,
    href: absoluteMediaUrl(base, image.storageKey, `w${w}.jpg`),
    [ct]: 'image/jpeg',
    width: w,
    height: Math.round((image.height * w) / image.width),
  }));
}

/** The ninjs document of one article; `version` '2' gives ninjs 2.2, '3' gives 3.1. */
export async function articleToNinjs(deps: ServiceDeps, articleId: string, version: '2' | '3'): Promise<Json> {
  const article = await findArticleById(deps.db, articleId);
  if (!article) throw new NotFoundError('That article does not exist.');
  const [authors, tags, section] = await Promise.all([
    authorsForArticle(deps.db, article.id),
    tagsForArticle(deps.db, article.id),
    deps.db.selectFrom('sections').select(['slug', 'name']).where('id', '=', article.sectionId).executeTakeFirst(),
  ]);
  const figureIds = article.body.blocks.flatMap((b) => (b.type === 'figure' ? [b.imageId] : []));
  const images = await findImagesByIds(deps.db, [...(article.heroImageId ? [article.heroImageId] : []), ...figureIds]);
  const base = (deps.siteUrl ?? '').replace(/\/$/, '');
  return buildNinjs(
    article,
    { authors: authors.map((a) => a.name), tags: tags.map((t) => t.name), sectionName: section?.name ?? null, images, base },
    version,
  );
}

interface ExportContext {
  authors: string[];
  tags: string[];
  sectionName: string | null;
  images: Map<string, Image>;
  /** Site origin for media URLs; empty gives root-relative paths. */
  base: string;
}

/**
 * The item's times told in order: a story stored after it was published (an import, a
 * back-fill) was first created no later than its publication, and a version is never older
 * than the item. ISO-8601 UTC text compares as time.
 */
export function exportTimes(article: Pick<Article, 'createdAt' | 'modifiedAt' | 'publishedAt'>): {
  firstCreated: string;
  versionCreated: string;
} {
  const { createdAt, modifiedAt, publishedAt } = article;
  const firstCreated = publishedAt && publishedAt < createdAt ? publishedAt : createdAt;
  return { firstCreated, versionCreated: modifiedAt > firstCreated ? modifiedAt : firstCreated };
}

/** Pure part of the export, separated for tests. */
export function buildNinjs(article: Article, ctx: ExportContext, version: '2' | '3'): Json {
  const v3 = version === '3';
  const k = (lower: string, camel: string) => (v3 ? camel : lower);
  const ct = k('contenttype', 'contentType');
  const bodyHtml = documentToHtml(article.body, (id) => {
    const img = ctx.images.get(id);
    if (!img) return null;
    const w = img.renditionWidths.includes(960) ? 960 : img.renditionWidths[img.renditionWidths.length - 1];
    return { src: absoluteMediaUrl(ctx.base, img.storageKey, `w${w}.jpg`), alt: img.altText };
  });
  const schemaVersion = v3 ? '3.1' : '2.2';
  const times = exportTimes(article);
  const doc: Json = {
    standard: { name: 'ninjs', version: schemaVersion, schema: `http://www.iptc.org/std/ninjs/ninjs-schema_${schemaVersion}.json` },
    uri: `urn:uuid:${article.id}`,
    type: 'text',
    version: String(article.revision),
    [k('firstcreated', 'firstCreated')]: times.firstCreated,
    [k('versioncreated', 'versionCreated')]: times.versionCreated,
    [k('pubstatus', 'pubStatus')]: PUBSTATUS[article.status],
    language: article.language,
    headlines: [{ role: 'main', [ct]: 'text/plain', value: article.headline }],
    bodies: [
      { role: 'main', [ct]: 'text/html', value: bodyHtml },
      { role: 'text', [ct]: 'text/plain', value: article.bodyText },
    ],
  };
  if (article.standfirst) doc.descriptions = [{ role: 'summary', [ct]: 'text/plain', value: article.standfirst }];
  if (ctx.authors.length) doc.by = ctx.authors.join(', ');
  if (article.embargoUntil) doc[k('embargoed', 'embargoedUntil')] = article.embargoUntil;
  if (article.publishedAt && article.status === 'published') doc[k('contentcreated', 'contentCreated')] = article.publishedAt;
  if (ctx.tags.length || ctx.sectionName) {
    doc.subjects = [...(ctx.sectionName ? [{ name: ctx.sectionName, rel: 'section' }] : []), ...ctx.tags.map((name) => ({ name }))];
  }
  const hero = article.heroImageId ? ctx.images.get(article.heroImageId) : undefined;
  if (hero) {
    const pic: Json = {
      name: 'mainpic',
      uri: `urn:uuid:${hero.id}`,
      type: 'picture',
      renditions: renditionsOf(hero, ctx.base, ct),
    };
    const caption = hero.caption || hero.altText;
    if (caption) pic.descriptions = [{ role: 'caption', [ct]: 'text/plain', value: caption }];
    if (hero.altText) pic.headlines = [{ role: 'alt', [ct]: 'text/plain', value: hero.altText }];
    const credit = creditLine(hero);
    if (hero.creator || hero.credit) pic.by = hero.creator || hero.credit;
    if (credit) pic[k('copyrightnotice', 'copyrightNotice')] = hero.copyrightNotice || credit;
    doc.associations = [pic];
  }
  return doc;
}
