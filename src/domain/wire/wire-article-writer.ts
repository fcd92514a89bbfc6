import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { withTransaction } from '../../db/transaction.ts';
import type { Db } from '../../db/database.ts';
import { assertRole } from '../accounts/access.ts';
import type { Actor } from '../accounts/role.ts';
import type { Article } from '../articles/article.ts';
import { findArticleById } from '../articles/article-repository.ts';
import { languageSchema } from '../articles/article-schemas.ts';
import { createArticle, updateArticle } from '../articles/article-service.ts';
import { findOrCreateAuthor } from '../authors/author.ts';
import type { ServiceDeps } from '../deps.ts';
import type { ArticleDocument } from '../documents/document-schema.ts';
import { ConflictError, ValidationError } from '../errors.ts';
import { listSections } from '../sections/section.ts';
import { createFirstSection } from '../sections/section-admin.ts';
import { toSlug } from '../slug.ts';
import { ensureTags } from '../tags/tag.ts';
import { findWireImport, saveWireImport } from './wire-import-repository.ts';

/*
 * The one write path of every import (ninjs and web pages): everything an item needs —
 * images, authors, tags, the article and its wire_imports record — is written in one
 * transaction, so a refused item leaves nothing behind (image files written before a
 * rollback are removed again).
 */

export interface WireWriteOptions {
  /**
   * Section to file new stories in; default: "news", then "world", then the first section. In a
   * site with no section yet, the named slug (else "news") is created.
   */
  sectionId?: string;
  sectionSlug?: string;
  /** Overwrite even when the stored copy is the same version or newer, or was edited by the desk. */
  force?: boolean;
}

export interface WireDraft {
  sourceKind: 'ninjs' | 'html';
  /** ninjs `uri` or page URL; null (pasted HTML without a URL) always creates. */
  sourceKey: string | null;
  ninjsVersion: string | null;
  itemVersion: string | null;
  versionCreated: string | null;
  headline: string | null;
  standfirst: string | null;
  language: string | null;
  bylineNames: string[];
  subjects: string[];
  embargoUntil: string | null;
  notes: string[];
  /** When false the stored story is left as it is (a canceled item); the record still updates. */
  replaceContent?: boolean;
  /**
   * Builds the body inside the transaction (importing any local images through `tx`);
   * `trackFiles` records media-store keys to delete if the transaction rolls back.
   */
  buildBody(
    tx: ServiceDeps,
    trackFiles: (storageKey: string) => void,
  ): Promise<{ body: ArticleDocument; heroImageId: string | null; notes: string[] }>;
}

export interface WireWriteResult {
  status: 'created' | 'updated';
  /** False when the stored copy was kept (same or older version, or a canceled item). */
  changed: boolean;
  article: Article;
  notes: string[];
}

const HEADLINE_MAX = 300;
const STANDFIRST_MAX = 600;

/** Shortens at a word boundary with an ellipsis. */
export function clipText(text: string, max: number): string {
  const t = text.replace(/\s+/g, ' ').trim();
  if (t.length <= max) return t;
  const cut = t.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${space > max * 0.6 ? cut.slice(0, space) : cut}…`;
}

/** Names an empty site's first section after its slug: "world-news" → "World news". */
function nameForSlug(slug: string): string {
  const words = slug.replace(/-/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/**
 * The section a new story is filed in: the one named (by id or slug), else "news", "world" or
 * the first. A site with no section at all gets one, so an import into a fresh database works:
 * the named slug, else "News" (/news); the notes say so.
 */
async function sectionIdFor(
  tx: ServiceDeps,
  trx: Transaction<Database>,
  actor: Actor | null,
  options: WireWriteOptions,
  notes: string[],
): Promise<string> {
  const sections = await listSections(trx);
  if (options.sectionId) {
    if (!sections.some((s) => s.id === options.sectionId))
      throw new ValidationError(`section: there is no section with id "${options.sectionId}".`, [{ path: 'section', message: 'unknown' }]);
    return options.sectionId;
  }
  if (!sections.length) {
    const slug = options.sectionSlug ?? 'news';
    const { section, created } = await createFirstSection(tx, trx, actor?.userId ?? null, { slug, name: nameForSlug(slug) });
    if (created)
      notes.push(
        `The site had no section yet: created "${section.name}" (/${section.slug}) and filed the story there. Rename it or add sections in the newsroom.`,
      );
    return section.id;
  }
  if (options.sectionSlug) {
    const s = sections.find((x) => x.slug === options.sectionSlug);
    if (!s)
      throw new ValidationError(
        `section: there is no section "${options.sectionSlug}" (known: ${sections.map((x) => x.slug).join(', ')}); name one of these or create it in the newsroom first.`,
        [{ path: 'section', message: 'unknown section' }],
      );
    return s.id;
  }
  return (sections.find((s) => s.slug === 'news') ?? sections.find((s) => s.slug === 'world') ?? sections[0])!.id;
}

async function authorIdsFor(db: Db, names: string[], now: Date): Promise<string[]> {
  const ids: string[] = [];
  for (const name of names) ids.push((await findOrCreateAuthor(db, name, toSlug(name), now)).id);
  return [...new Set(ids)];
}

function languageOf(raw: string | null, notes: string[]): string {
  if (!raw) return 'en';
  const [first, ...rest] = raw.trim().replace(/_/g, '-').split('-');
  const tag = [first!.toLowerCase(), ...rest].join('-');
  if (languageSchema.safeParse(tag).success) return tag;
  notes.push(`Language "${raw}" is not a BCP 47 tag; "en" was used.`);
  return 'en';
}

/** Creates the draft, or updates the article an earlier import of the same source made. */
export async function writeWireDraft(
  deps: ServiceDeps,
  actor: Actor | null,
  draft: WireDraft,
  options: WireWriteOptions = {},
): Promise<WireWriteResult> {
  if (actor) assertRole(actor, 'author', 'Importing wire copy needs the author role or higher.');
  const written: string[] = [];
  const now = deps.clock();
  const nowIso = now.toISOString();
  const notes = [...draft.notes];
  try {
    return await withTransaction(deps.db, async (trx) => {
      const tx: ServiceDeps = { ...deps, db: trx };
      const record = draft.sourceKey ? await findWireImport(trx, draft.sourceKind, draft.sourceKey) : null;
      const current = record ? await findArticleById(trx, record.articleId) : null;

      if (current && record && !options.force) {
        const older =
          draft.versionCreated && record.versionCreated
            ? draft.versionCreated <= record.versionCreated
            : draft.itemVersion !== null && record.itemVersion !== null && Number(draft.itemVersion) <= Number(record.itemVersion);
        if (older || draft.replaceContent === false) {
          if (older)
            notes.push(
              `Kept the stored copy: it is the same version or newer (${record.versionCreated ?? `version ${record.itemVersion}`}).`,
            );
          return { status: 'updated' as const, changed: false, article: current, notes };
        }
        if (current.revision !== record.articleRevision) {
          throw new ConflictError(
            `This item was edited in the newsroom since it was imported (revision ${current.revision}, imported as ${record.articleRevision}); the newer wire copy was not applied. Re-import with --force to overwrite.`,
          );
        }
      }

      const built = await draft.buildBody(tx, (key) => written.push(key));
      notes.push(...built.notes);
      const input = {
        headline: clipText(draft.headline ?? '', HEADLINE_MAX) || `Wire item ${clipText(draft.sourceKey ?? 'without headline', 200)}`,
        standfirst: draft.standfirst ? clipText(draft.standfirst, STANDFIRST_MAX) : '',
        sectionId: current?.sectionId ?? (await sectionIdFor(tx, trx, actor, options, notes)),
        authorIds: await authorIdsFor(trx, draft.bylineNames, now),
        tagIds: (
          await ensureTags(
            trx,
            draft.subjects
              .map((s) => clipText(s, 100))
              .filter((s) => toSlug(s) !== 'untitled')
              .slice(0, 30),
            now,
          )
        ).map((t) => t.id),
        heroImageId: built.heroImageId ?? current?.heroImageId ?? null,
        body: built.body,
        language: languageOf(draft.language, notes),
        embargoUntil: draft.embargoUntil,
      };
      let article: Article;
      if (current) {
        // Keeps the desk's slug, section and status; the wire only supplies content.
        article = await updateArticle(
          tx,
          current.id,
          { ...input, slug: current.slug, commentsPolicy: current.commentsPolicy },
          current.revision,
          { actor },
        );
      } else {
        // Never published from the wire: the desk decides (README, "Importing wire copy").
        article = await createArticle(tx, { ...input, status: 'draft' }, { actor });
      }
      if (draft.sourceKey) {
        await saveWireImport(
          trx,
          {
            sourceKind: draft.sourceKind,
            sourceKey: draft.sourceKey,
            articleId: article.id,
            ninjsVersion: draft.ninjsVersion,
            itemVersion: draft.itemVersion,
            versionCreated: draft.versionCreated,
            articleRevision: article.revision,
          },
          nowIso,
          record,
        );
      }
      return { status: current ? ('updated' as const) : ('created' as const), changed: true, article, notes };
    });
  } catch (err) {
    for (const key of written) await deps.mediaStore.removeAll(key).catch(() => {});
    throw err;
  }
}
