import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { withTransaction } from '../../db/transaction.ts';
import type { Article } from '../articles/article.ts';
import { articlePath } from '../articles/article.ts';
import { findArticleById } from '../articles/article-repository.ts';
import { createArticle, updateArticle, type SaveOptions } from '../articles/article-service.ts';
import { findAuthorBySlug, findOrCreateAuthor } from '../authors/author.ts';
import type { ServiceDeps } from '../deps.ts';
import { ConflictError, DomainError, ValidationError } from '../errors.ts';
import { newId } from '../ids.ts';
import { ingestImage } from '../media/image-ingest.ts';
import { redirectKey } from '../redirects/redirect-path.ts';
import { saveRedirect } from '../redirects/redirect-repository.ts';
import { languageSchema } from '../articles/article-schemas.ts';
import { listSections, RESERVED_SECTION_SLUGS } from '../sections/section.ts';
import { isSlug, toSlug } from '../slug.ts';
import { ensureTags } from '../tags/tag.ts';
import { htmlToDocument, parseHtmlDom } from './html-to-document.ts';
import { writeImportedComments } from './site-import-comments.ts';
import type { ImportLine, SiteImportOptions, SiteStory } from './site-story.ts';
import { clipText } from './wire-article-writer.ts';
import { findWireImport, saveWireImport } from './wire-import-repository.ts';

/*
 * The write path of a site moved in from WordPress or Ghost: one story with everything it
 * needs (section, authors, tags, images, the article, its identity record, its old addresses
 * and its comments) in one transaction, so a refused story leaves nothing behind (image files
 * written before a rollback are removed again). Stories go through createArticle/updateArticle
 * (so writeStory), authors and tags through their race-safe find-or-create, images through
 * ingestImage. Unlike a wire item, a moved story keeps its status and publication time: it
 * was already public (or not) on the old site.
 */

const HEADLINE_MAX = 300;
const STANDFIRST_MAX = 600;
const IMAGE_LIMIT = 60;

/** A slug our schema accepts from whatever the old site used (percent-encoded UTF-8 included). */
export function importSlug(raw: string | null, title: string): string {
  let s = raw ?? '';
  try {
    s = decodeURIComponent(s);
  } catch {
    // Kept as written.
  }
  const slug = isSlug(s) ? s : toSlug(s);
  return slug !== 'untitled' ? slug : toSlug(title);
}

/** A BCP 47 tag from what the old site wrote (`en_US`, `en-GB`, `fr`); "en" with a note otherwise. */
function languageOf(raw: string | null, notes: string[]): string {
  if (!raw) return 'en';
  const [first, ...rest] = raw.trim().replace(/_/g, '-').split('-');
  const tag = [first!.toLowerCase(), ...rest].join('-');
  if (languageSchema.safeParse(tag).success) return tag;
  notes.push(`Language "${raw}" is not a BCP 47 tag; "en" was used.`);
  return 'en';
}

/** The section named by the export, found or created; safe against a simultaneous import creating it. */
async function findOrCreateSection(trx: Transaction<Database>, wanted: { name: string; slug: string }, nowIso: string) {
  // A category named like one of the site's own paths (/comments, /search…) gets a suffix.
  const base = importSlug(wanted.slug, wanted.name);
  const slug = RESERVED_SECTION_SLUGS.has(base) ? `${base}-stories` : base;
  const existing = await trx.selectFrom('sections').select(['id', 'slug']).where('slug', '=', slug).executeTakeFirst();
  if (existing) return { id: existing.id, slug, created: false };
  await trx
    .insertInto('sections')
    .values({ id: newId(), slug, name: wanted.name.trim() || slug, description: '', position: 0, created_at: nowIso })
    .onConflict((oc) => oc.column('slug').doNothing())
    .execute();
  const row = await trx.selectFrom('sections').select('id').where('slug', '=', slug).executeTakeFirstOrThrow();
  return { id: row.id, slug, created: true };
}

async function sectionFor(
  trx: Transaction<Database>,
  story: SiteStory,
  options: SiteImportOptions,
  nowIso: string,
  lines: ImportLine[],
): Promise<{ id: string; slug: string }> {
  if (story.section) {
    const s = await findOrCreateSection(trx, story.section, nowIso);
    lines.push({
      kind: 'section',
      ok: true,
      status: s.created ? 'created' : 'existing',
      source: story.section.name,
      id: s.id,
      path: `/${s.slug}`,
    });
    return s;
  }
  const sections = await listSections(trx);
  if (options.sectionSlug) {
    const s = sections.find((x) => x.slug === options.sectionSlug);
    if (!s) throw new ValidationError(`section: there is no section "${options.sectionSlug}"; create it in the newsroom first.`);
    return s;
  }
  const chosen = sections.find((s) => s.slug === 'news') ?? sections.find((s) => s.slug === 'world') ?? sections[0];
  if (chosen) return chosen;
  const s = await findOrCreateSection(trx, { name: 'News', slug: 'news' }, nowIso);
  lines.push({ kind: 'section', ok: true, status: s.created ? 'created' : 'existing', source: 'News', id: s.id, path: '/news' });
  return s;
}

/** The image sources a body names, in order, once each. */
function bodyImageRefs(html: string): string[] {
  const doc = parseHtmlDom(html);
  const refs = [...doc.querySelectorAll('img')].map((img) => img.getAttribute('src') ?? '').filter(Boolean);
  return [...new Set(refs)].slice(0, IMAGE_LIMIT);
}

/** Images the story already uses, by the file name they were imported from (a re-import reuses them). */
async function currentImagesByName(trx: Transaction<Database>, current: Article | null): Promise<Map<string, string>> {
  if (!current) return new Map();
  const ids = new Set<string>();
  if (current.heroImageId) ids.add(current.heroImageId);
  for (const b of current.body.blocks) if (b.type === 'figure') ids.add(b.imageId);
  if (!ids.size) return new Map();
  const rows = await trx
    .selectFrom('images')
    .select(['id', 'original_filename'])
    .where('id', 'in', [...ids])
    .execute();
  return new Map(rows.filter((r) => r.original_filename).map((r) => [r.original_filename, r.id]));
}

/** True when the ISO times read forwards for createArticle's recorded history. */
function historyFor(story: SiteStory, nowIso: string): SaveOptions['history'] {
  const candidates = [story.createdAt, story.publishedAt].filter((t): t is string => t !== null && t <= nowIso).sort();
  const createdAt = candidates[0];
  if (!createdAt) return undefined;
  const modifiedAt = story.modifiedAt && story.modifiedAt >= createdAt && story.modifiedAt <= nowIso ? story.modifiedAt : createdAt;
  return { createdAt: new Date(createdAt), modifiedAt: new Date(modifiedAt) };
}

/**
 * Imports one story (created, updated, or left unchanged when the export item is the same as
 * last time) and reports a line for it and for each author, section, image, comment and old
 * address it brought. Throws a DomainError for a story that cannot be written; nothing of it
 * is then left behind.
 */
export async function writeSiteStory(deps: ServiceDeps, story: SiteStory, options: SiteImportOptions = {}): Promise<ImportLine[]> {
  const written: string[] = [];
  const now = deps.clock();
  const nowIso = now.toISOString();
  try {
    return await withTransaction(deps.db, async (trx) => {
      const tx: ServiceDeps = { ...deps, db: trx };
      const lines: ImportLine[] = [];
      const notes = [...story.notes];
      const record = await findWireImport(trx, story.source, story.key);
      const current = record ? await findArticleById(trx, record.articleId) : null;
      if (current && record && !options.force) {
        if (record.itemVersion === story.fingerprint) {
          return [{ kind: 'story', ok: true, status: 'unchanged', source: story.key, id: current.id, headline: current.headline }];
        }
        if (current.revision !== record.articleRevision) {
          throw new ConflictError(
            `This story was edited in the newsroom since it was imported (revision ${current.revision}, imported as ${record.articleRevision}); the export's copy was not applied. Re-import with --force to overwrite.`,
          );
        }
      }

      const section = await sectionFor(trx, story, options, nowIso, lines);

      const authorIds: string[] = [];
      for (const a of story.authors) {
        const slug = importSlug(a.slug, a.name);
        const before = await findAuthorBySlug(trx, slug);
        const author = before ?? (await findOrCreateAuthor(trx, a.name, slug, now));
        authorIds.push(author.id);
        lines.push({
          kind: 'author',
          ok: true,
          status: before ? 'existing' : 'created',
          source: a.name,
          id: author.id,
          path: `/authors/${slug}`,
        });
      }
      const tags = await ensureTags(
        trx,
        [...new Set(story.tags.map((t) => clipText(t, 100)).filter((t) => toSlug(t) !== 'untitled'))].slice(0, 30),
        now,
      );

      // Images: the feature image and every <img> of the body, read from the media folder.
      // By file name: what the story already uses (a re-import) and what this import already
      // read (a featured image that the body also shows, perhaps as a resized copy).
      const reuse = await currentImagesByName(trx, current);
      const imageIds = new Map<string, string>();
      const refs = [...(story.featureImage ? [story.featureImage.ref] : []), ...bodyImageRefs(story.html)];
      for (const ref of [...new Set(refs)]) {
        const file = options.media ? await options.media.read(ref) : null;
        if (!file) {
          lines.push({
            kind: 'image',
            ok: false,
            status: 'missing',
            source: ref,
            id: null,
            error: options.media ? 'no such file in the media folder' : 'no media folder given (--media)',
          });
          continue;
        }
        const reused = reuse.get(file.name);
        if (reused) {
          imageIds.set(ref, reused);
          lines.push({ kind: 'image', ok: true, status: 'existing', source: ref, id: reused });
          continue;
        }
        const feature = story.featureImage?.ref === ref ? story.featureImage : null;
        try {
          const image = await ingestImage(
            { db: trx, mediaStore: deps.mediaStore, now },
            file.data,
            feature ? { altText: feature.alt.slice(0, 1000), caption: feature.caption.slice(0, 2000) } : {},
            { originalFilename: file.name },
          );
          written.push(image.storageKey);
          imageIds.set(ref, image.id);
          reuse.set(file.name, image.id);
          lines.push({ kind: 'image', ok: true, status: 'created', source: ref, id: image.id });
        } catch (err) {
          // A file we cannot read as a picture is reported like a missing one: the story still comes in.
          if (!(err instanceof DomainError)) throw err;
          lines.push({ kind: 'image', ok: false, status: 'rejected', source: ref, id: null, error: err.message });
        }
      }

      const converted = htmlToDocument(story.html, {
        ...(story.baseUrl ? { baseUrl: story.baseUrl } : {}),
        resolveImage: (ref) => imageIds.get(ref.src) ?? null,
      });
      notes.push(...converted.notes);
      const heroImageId = story.featureImage ? (imageIds.get(story.featureImage.ref) ?? null) : null;
      const input = {
        headline: clipText(story.title, HEADLINE_MAX) || `Untitled ${story.kind}`,
        standfirst: clipText(story.standfirst, STANDFIRST_MAX),
        sectionId: section.id,
        slug: importSlug(story.slug, story.title),
        authorIds: [...new Set(authorIds)],
        tagIds: tags.map((t) => t.id),
        heroImageId,
        body: converted.document,
        language: languageOf(story.language, notes),
        status: story.status,
        publishedAt: story.status === 'published' ? (story.publishedAt ?? nowIso) : story.publishedAt,
      };
      let article: Article;
      if (current) {
        article = await updateArticle(tx, current.id, { ...input, commentsPolicy: current.commentsPolicy }, current.revision, {
          actor: null,
        });
      } else {
        article = await createArticle(tx, input, { actor: null, history: historyFor(story, nowIso) });
      }
      await saveWireImport(
        trx,
        {
          sourceKind: story.source,
          sourceKey: story.key,
          articleId: article.id,
          ninjsVersion: null,
          itemVersion: story.fingerprint,
          versionCreated: story.modifiedAt,
          articleRevision: article.revision,
        },
        nowIso,
        record,
      );
      const sectionSlug = section.slug;
      const newPath = articlePath(sectionSlug, article.slug);
      lines.unshift({
        kind: 'story',
        ok: true,
        status: current ? 'updated' : 'created',
        source: story.key,
        id: article.id,
        headline: article.headline,
        path: newPath,
        ...(notes.length ? { notes } : {}),
      });

      for (const address of [...new Set(story.oldAddresses)]) {
        const key = redirectKey(address);
        if (!key || key === newPath) {
          lines.push({ kind: 'redirect', ok: true, status: 'skipped', source: address, id: null, path: newPath });
          continue;
        }
        const status = await saveRedirect(trx, key, article.id, story.source, nowIso);
        lines.push({ kind: 'redirect', ok: true, status, source: key, id: article.id, path: newPath });
      }

      lines.push(...(await writeImportedComments(tx, trx, article.id, story.source, story.key, story.comments, nowIso)));
      return lines;
    });
  } catch (err) {
    for (const key of written) await deps.mediaStore.removeAll(key).catch(() => {});
    throw err;
  }
}
