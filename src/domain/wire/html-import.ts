import { Readability } from '@mozilla/readability';
import type { Actor } from '../accounts/role.ts';
import type { Article } from '../articles/article.ts';
import type { ServiceDeps } from '../deps.ts';
import { ValidationError } from '../errors.ts';
import { htmlToDocument, parseHtmlDom, safeHref } from './html-to-document.ts';
import { bylineNames, isoOrNull } from './ninjs-mapping.ts';
import { pageAuthors, type BylineSource } from './page-byline.ts';
import { writeWireDraft, type WireWriteOptions } from './wire-article-writer.ts';

/*
 * A web article's HTML (a saved page or pasted markup) → a draft. Mozilla Readability finds
 * the article and its metadata on a server-side DOM (linkedom; nothing in the page runs);
 * our allowlist converter turns the article into the block document. The lead image is
 * reported, never fetched (no network at run time, and fetching arbitrary URLs is an SSRF risk).
 */

/** Largest page accepted (the biggest real page in the fixtures is ~1.2 MB). */
export const MAX_HTML_BYTES = 5 * 1024 * 1024;

export interface HtmlImportOptions extends WireWriteOptions {
  /** The page's address: resolves relative links and identifies the page for re-imports. */
  url?: string;
}

export interface PageMetadata {
  title: string | null;
  byline: string | null;
  /** Where the byline came from: Readability's own reading (`page`), or a fallback marker. */
  bylineSource: 'page' | BylineSource | null;
  /** As the page states it (Readability's value); see `publishedAtIso` for the parsed time. */
  publishedTime: string | null;
  publishedAtIso: string | null;
  siteName: string | null;
  excerpt: string | null;
  language: string | null;
  /** og:image / twitter:image, absolute when the page URL is known; never fetched. */
  leadImageUrl: string | null;
}

export interface HtmlImportResult {
  status: 'created' | 'updated';
  changed: boolean;
  article: Article;
  metadata: PageMetadata;
  notes: string[];
}

export interface ExtractedPage {
  metadata: PageMetadata;
  /** The article HTML Readability kept (or the whole body when it found no article). */
  contentHtml: string;
  /** The byline's names, one per author. */
  authorNames: string[];
  /** False when Readability found no article and the whole body was used. */
  readerable: boolean;
}

function metaContent(doc: Document, selectors: string[]): string | null {
  for (const sel of selectors) {
    const v = doc.querySelector(sel)?.getAttribute('content')?.trim();
    if (v) return v;
  }
  return null;
}

const BYLINE_SOURCE_WORDS: Record<BylineSource, string> = {
  'json-ld': 'structured data (JSON-LD author)',
  meta: '<meta name="author">',
  'rel-author': 'author links (rel="author")',
};

/** Readability over a linkedom DOM: the article HTML plus title, byline, time, lead image. */
export function extractPage(html: string, url?: string): ExtractedPage {
  const doc = parseHtmlDom(html);
  // Read before Readability: it strips <meta>-bearing parts of the tree as it works.
  const rawImage = metaContent(doc, [
    'meta[property="og:image"]',
    'meta[name="og:image"]',
    'meta[name="twitter:image"]',
    'meta[property="twitter:image"]',
    'meta[name="twitter:image:src"]',
  ]);
  const fallbackTitle = doc.querySelector('title')?.textContent?.trim() || doc.querySelector('h1')?.textContent?.trim() || null;
  const bodyHtml = doc.body?.innerHTML ?? html;
  // Read before Readability too: it removes the JSON-LD scripts and much of the tree.
  const marked = pageAuthors(doc);
  const parsed = new Readability(doc, { charThreshold: 300 }).parse();
  const leadImageUrl = rawImage ? (url ? safeHref(rawImage, url) : safeHref(rawImage)) : null;
  const publishedTime = parsed?.publishedTime?.trim() || null;
  const found = parsed?.byline?.trim() || null;
  return {
    metadata: {
      title: parsed?.title?.trim() || fallbackTitle,
      byline: found ?? (marked ? marked.names.join(', ') : null),
      bylineSource: found ? 'page' : (marked?.source ?? null),
      publishedTime,
      publishedAtIso: isoOrNull(publishedTime),
      siteName: parsed?.siteName?.trim() || null,
      excerpt: parsed?.excerpt?.trim() || null,
      language: parsed?.lang?.trim() || null,
      leadImageUrl,
    },
    contentHtml: parsed?.content ?? bodyHtml,
    // The fallback's names stay separate: joined into one line they could split wrongly again.
    authorNames: found ? bylineNames(found) : (marked?.names ?? []),
    readerable: Boolean(parsed?.content),
  };
}

/**
 * Imports a web article into a draft (or updates the draft an earlier import of the same
 * URL made). Headline, byline (authors found or created by name), excerpt as standfirst,
 * language and the cleaned body come from the page; the published time and lead image
 * are returned in `metadata` (the desk sets its own publication time).
 */
export async function importHtmlPage(
  deps: ServiceDeps,
  actor: Actor | null,
  html: string,
  options: HtmlImportOptions = {},
): Promise<HtmlImportResult> {
  if (Buffer.byteLength(html) > MAX_HTML_BYTES)
    throw new ValidationError(`html: the page is larger than ${MAX_HTML_BYTES / 1024 / 1024} MB.`);
  if (!html.trim()) throw new ValidationError('html: the page is empty.');
  let url: string | undefined;
  if (options.url) {
    url = safeHref(options.url) ?? undefined;
    if (!url || url.startsWith('mailto:'))
      throw new ValidationError('url: give the page address as an http(s) URL.', [{ path: 'url', message: 'not an http(s) URL' }]);
  }
  const page = extractPage(html, url);
  const notes: string[] = [];
  if (!page.readerable) notes.push('No article was recognised on the page; the whole page text was used. Check the draft.');
  if (page.metadata.bylineSource && page.metadata.bylineSource !== 'page')
    notes.push(`Byline taken from the page's ${BYLINE_SOURCE_WORDS[page.metadata.bylineSource]}; check it.`);
  if (page.metadata.leadImageUrl) notes.push(`Lead image not imported (remote images are never fetched): ${page.metadata.leadImageUrl}`);
  if (page.metadata.publishedTime)
    notes.push(`The page says it was published ${page.metadata.publishedTime}; the desk sets the publication time.`);

  const result = await writeWireDraft(
    deps,
    actor,
    {
      sourceKind: 'html',
      sourceKey: url ?? null,
      ninjsVersion: null,
      itemVersion: null,
      versionCreated: null,
      headline: page.metadata.title,
      standfirst: page.metadata.excerpt,
      language: page.metadata.language,
      bylineNames: page.authorNames,
      subjects: [],
      embargoUntil: null,
      notes,
      async buildBody() {
        const converted = htmlToDocument(page.contentHtml, url ? { baseUrl: url } : {});
        return { body: converted.document, heroImageId: null, notes: converted.notes };
      },
    },
    options,
  );
  return { ...result, metadata: page.metadata };
}
