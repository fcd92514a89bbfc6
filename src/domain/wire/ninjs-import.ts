import type { Actor } from '../accounts/role.ts';
import type { Article } from '../articles/article.ts';
import type { ServiceDeps } from '../deps.ts';
import { EMPTY_DOCUMENT, type ArticleDocument, type Block } from '../documents/document-schema.ts';
import { ValidationError } from '../errors.ts';
import { ingestImage } from '../media/image-ingest.ts';
import { htmlToDocument, plainTextToDocument } from './html-to-document.ts';
import { bylineNames, ninjsToWireItem, type WirePicture } from './ninjs-mapping.ts';
import { NINJS_VERSIONS, type NinjsVersion } from './ninjs-schemas.ts';
import { chooseNinjsVersion } from './ninjs-version.ts';
import { writeWireDraft, type WireWriteOptions } from './wire-article-writer.ts';

/** Reads picture files that sit next to the document (CLI only); null when there is none. */
export interface LocalFileReader {
  read(relativePath: string): Promise<Buffer | null>;
}

export interface NinjsImportOptions extends WireWriteOptions {
  /** Validate as this exact version instead of detecting it (e.g. a feed that is known to be 2.1). */
  schemaVersion?: NinjsVersion;
  /** Where relative rendition hrefs are read from; without it no file is ever read. */
  localFiles?: LocalFileReader;
}

export interface MissingPicture {
  name: string;
  href: string | null;
  caption: string;
  credit: string;
}

export interface NinjsImportResult {
  status: 'created' | 'updated';
  /** False when the stored copy was kept (same or older version, or a canceled item). */
  changed: boolean;
  article: Article;
  ninjsVersion: NinjsVersion;
  notes: string[];
  /** Pictures whose bytes were not available (remote renditions are never fetched). */
  missingPictures: MissingPicture[];
}

/** A rendition href that names a file beside the document (no scheme, or file:). */
function localPath(href: string): string | null {
  if (/^file:/i.test(href)) return decodeURIComponent(href.replace(/^file:(\/\/)?/i, ''));
  if (/^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith('//')) return null;
  return href;
}

/**
 * Imports one ninjs document (1.x, 2.x or 3.x) as a draft, or updates the article an
 * earlier import of the same `uri` made. The document is validated against its version's
 * official schema first; a refusal is a ValidationError naming the version, the JSON
 * pointer and the schema's reason. Never publishes: the desk decides.
 */
export async function importNinjsDocument(
  deps: ServiceDeps,
  actor: Actor | null,
  doc: unknown,
  options: NinjsImportOptions = {},
): Promise<NinjsImportResult> {
  let parsed = doc;
  if (typeof doc === 'string' || Buffer.isBuffer(doc)) {
    try {
      parsed = JSON.parse(doc.toString());
    } catch (err) {
      throw new ValidationError(`Not valid ninjs: the file is not JSON (${(err as Error).message}).`, [{ path: '/', message: 'not JSON' }]);
    }
  }
  if (options.schemaVersion && !NINJS_VERSIONS.includes(options.schemaVersion)) {
    throw new ValidationError(`schemaVersion: ninjs ${options.schemaVersion} is not supported (${NINJS_VERSIONS.join(', ')})`);
  }
  const { version, note } = chooseNinjsVersion(parsed, options.schemaVersion);
  const item = ninjsToWireItem(parsed as Record<string, unknown>, version);

  const notes = note ? [note, ...item.notes] : [...item.notes];
  const missingPictures: MissingPicture[] = [];
  if (item.pubStatus === 'withheld') notes.push('The agency withheld this item: do not publish it until a usable version arrives.');
  if (item.pubStatus === 'canceled')
    notes.push('The agency canceled this item: it must not be published; the desk decides what to do with any story already out.');

  const result = await writeWireDraft(
    deps,
    actor,
    {
      sourceKind: 'ninjs',
      sourceKey: item.uri,
      ninjsVersion: version,
      itemVersion: item.itemVersion,
      versionCreated: item.versionCreated,
      headline: item.headline,
      standfirst: item.description,
      language: item.language,
      bylineNames: bylineNames(item.byline),
      subjects: item.subjects,
      embargoUntil: item.embargoUntil,
      notes,
      // A cancellation never rewrites a story the desk already has.
      replaceContent: item.pubStatus !== 'canceled',
      async buildBody(tx, trackFiles) {
        const imported = new Map<string, string>(); // rendition href → image id
        const pictureIds: Array<{ picture: WirePicture; imageId: string }> = [];
        for (const picture of item.pictures) {
          let imageId: string | null = null;
          for (const rendition of picture.renditions) {
            const rel = localPath(rendition.href);
            const data = rel && options.localFiles ? await options.localFiles.read(rel) : null;
            if (!data) continue;
            const image = await ingestImage({ db: tx.db, mediaStore: tx.mediaStore, now: tx.clock() }, data, {
              caption: picture.caption,
              credit: picture.credit,
              altText: picture.alt || picture.caption.slice(0, 1000),
            });
            trackFiles(image.storageKey);
            imageId = image.id;
            for (const r of picture.renditions) imported.set(r.href, image.id);
            break;
          }
          if (imageId) pictureIds.push({ picture, imageId });
          else
            missingPictures.push({
              name: picture.name,
              href: picture.renditions[0]?.href ?? null,
              caption: picture.caption,
              credit: picture.credit,
            });
        }
        const bodyNotes = missingPictures.map(
          (p) =>
            `Picture "${p.name}" not imported (${p.href ? `remote images are never fetched: ${p.href}` : 'no rendition'})` +
            `${p.caption ? `; caption: "${p.caption.slice(0, 120)}"` : ''}${p.credit ? `; credit: "${p.credit}"` : ''}.`,
        );
        let body: ArticleDocument = EMPTY_DOCUMENT;
        if (item.bodyHtml) {
          const converted = htmlToDocument(item.bodyHtml, { resolveImage: (ref) => imported.get(ref.src) ?? null });
          body = converted.document;
          bodyNotes.push(...converted.notes);
        } else if (item.bodyText) body = plainTextToDocument(item.bodyText);
        // The first picture leads; the others follow the text as figures.
        const extra: Block[] = pictureIds.slice(1).map(({ picture, imageId }) => ({
          type: 'figure',
          imageId,
          ...(picture.caption ? { caption: picture.caption.slice(0, 2000) } : {}),
          ...(picture.credit ? { credit: picture.credit.slice(0, 300) } : {}),
        }));
        if (extra.length) body = { version: 1, blocks: [...body.blocks, ...extra].slice(0, 2000) };
        return { body, heroImageId: pictureIds[0]?.imageId ?? null, notes: bodyNotes };
      },
    },
    options,
  );
  return { ...result, ninjsVersion: version, missingPictures };
}
