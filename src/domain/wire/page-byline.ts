import { parseHtmlDom } from './html-to-document.ts';
import { bylineNames } from './ninjs-mapping.ts';

/*
 * Where a web page names its authors when Readability finds no byline. Readability reads
 * JSON-LD only in the shapes it expects (one `@type` string, `author` objects with a name),
 * and a `rel="author"` link outside the part it walks is never seen; pages it cannot read as
 * an article at all lose their metadata too. The markers, most reliable first:
 *  1. JSON-LD `author` of the page's article (a Person, an array, a name string, or an `@id`
 *     pointing at a Person elsewhere in the graph); organisations only when no person is named;
 *  2. `<meta name="author">` (what the publisher states for the whole page);
 *  3. `rel="author"` links (inside the `<article>` when there is one, as a page also links
 *     authors of other stories).
 * Must be called before Readability runs: it removes the scripts and much of the tree.
 */

export type BylineSource = 'json-ld' | 'meta' | 'rel-author';

export interface PageAuthors {
  names: string[];
  source: BylineSource;
}

const MAX_NAMES = 10;
const ARTICLE_TYPE = /article|posting|report/i;
// Their `author` is someone else than the story's: a commenter, a reviewer, an answerer.
const OTHER_WORK_TYPE = /^(comment|review|answer|question|rating|quotation)$/i;

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function typesOf(node: Json): string[] {
  const t = node['@type'];
  return (Array.isArray(t) ? t : [t]).filter((x): x is string => typeof x === 'string');
}

/** JSON-LD is not HTML, yet some sites put entities in it (`Jos&#233;`, `Mar&iacute;a`); text is never markup here. */
function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return parseHtmlDom(`<p>${text.replace(/</g, '&lt;')}</p>`).body?.textContent ?? text;
}

/** A person's name as pages write it, or null for URLs, empty or overlong text. */
function cleanName(raw: unknown): string | null {
  if (typeof raw !== 'string') return null;
  const name = decodeEntities(raw).replace(/\s+/g, ' ').trim();
  if (!name || name.length > 120 || /^(https?:|www\.)/i.test(name) || !/\p{L}/u.test(name)) return null;
  return name;
}

function uniqueNames(names: Array<string | null>): string[] {
  return [...new Set(names.filter((n): n is string => n !== null))].slice(0, MAX_NAMES);
}

/** Parsed JSON-LD blocks; tolerant of CDATA/comment wrappers and of blocks that are not JSON. */
function jsonLdBlocks(doc: Document): unknown[] {
  const out: unknown[] = [];
  for (const script of Array.from(doc.querySelectorAll('script'))) {
    const type = (script.getAttribute('type') ?? '').trim().toLowerCase();
    if (!type.startsWith('application/ld+json')) continue;
    const text = (script.textContent ?? '')
      .trim()
      .replace(/^(?:\/\/\s*)?<!\[CDATA\[|(?:\/\/\s*)?\]\]>$/g, '')
      .replace(/^<!--|-->$/g, '')
      .trim();
    try {
      out.push(JSON.parse(text));
    } catch {
      // A broken block says nothing; the other markers still may.
    }
  }
  return out;
}

/** Every object in the blocks (through arrays, `@graph` and nested properties), bounded. */
function allNodes(blocks: unknown[]): Json[] {
  const nodes: Json[] = [];
  const visit = (v: unknown, depth: number) => {
    if (depth > 8 || nodes.length > 2000) return;
    if (Array.isArray(v)) for (const x of v) visit(x, depth + 1);
    else if (isObject(v)) {
      nodes.push(v);
      for (const x of Object.values(v)) if (typeof x === 'object' && x !== null) visit(x, depth + 1);
    }
  };
  for (const b of blocks) visit(b, 0);
  return nodes;
}

function jsonLdAuthors(doc: Document): string[] {
  const nodes = allNodes(jsonLdBlocks(doc));
  const byId = new Map<string, Json>();
  for (const n of nodes) if (typeof n['@id'] === 'string' && 'name' in n) byId.set(n['@id'], n);
  const works = nodes.filter((n) => n.author !== undefined && !typesOf(n).some((t) => OTHER_WORK_TYPE.test(t)));
  // The article's own node first; a WebPage's or an untyped node's author next.
  const ranked = [
    ...works.filter((n) => typesOf(n).some((t) => ARTICLE_TYPE.test(t))),
    ...works.filter((n) => !typesOf(n).some((t) => ARTICLE_TYPE.test(t))),
  ];
  for (const work of ranked) {
    const people: Array<string | null> = [];
    const organisations: Array<string | null> = [];
    for (const entry of Array.isArray(work.author) ? work.author : [work.author]) {
      if (typeof entry === 'string') people.push(cleanName(entry));
      else if (isObject(entry)) {
        const node = entry.name === undefined && typeof entry['@id'] === 'string' ? (byId.get(entry['@id']) ?? entry) : entry;
        const isOrganisation = typesOf(node).some((t) => /organization|organisation|corporation|newsmediaorganization/i.test(t));
        const name = Array.isArray(node.name) ? node.name[0] : node.name;
        (isOrganisation ? organisations : people).push(cleanName(name));
      }
    }
    const names = uniqueNames(people);
    if (names.length) return names;
    const orgs = uniqueNames(organisations);
    if (orgs.length) return orgs;
  }
  return [];
}

function metaAuthors(doc: Document): string[] {
  const names: Array<string | null> = [];
  for (const meta of Array.from(doc.querySelectorAll('meta'))) {
    if ((meta.getAttribute('name') ?? '').trim().toLowerCase() !== 'author') continue;
    const content = meta.getAttribute('content');
    if (cleanName(content)) names.push(...bylineNames(content));
  }
  return uniqueNames(names);
}

// rel="author" also marked profile links (Google+ authorship) and "more by" links, which name no one.
const NOT_A_NAME =
  /^(google\+?|twitter|x|facebook|linkedin|instagram|e-?mail|rss|more|profile|view (all|profile).*|(all|more) (posts|stories|articles).*)$/i;
const PROFILE_HOST = /(^|\.)(plus|profiles)\.google\.com$/i;

function relAuthorNames(doc: Document): string[] {
  const links = Array.from(doc.querySelectorAll('a[rel]')).filter((a) => {
    if (!(a.getAttribute('rel') ?? '').toLowerCase().split(/\s+/).includes('author')) return false;
    const host = /^https?:\/\/([^/:?#]+)/i.exec(a.getAttribute('href') ?? '')?.[1] ?? '';
    return !PROFILE_HOST.test(host) && !NOT_A_NAME.test((a.textContent ?? '').trim());
  });
  const inArticle = links.filter((a) => a.closest('article'));
  const chosen = inArticle.length ? inArticle : links;
  return uniqueNames(chosen.flatMap((a) => bylineNames(cleanName(a.textContent) ?? '')));
}

/** The page's authors from the first marker that names any (see the order above), or null. */
export function pageAuthors(doc: Document): PageAuthors | null {
  const json = jsonLdAuthors(doc);
  if (json.length) return { names: json, source: 'json-ld' };
  const meta = metaAuthors(doc);
  if (meta.length) return { names: meta, source: 'meta' };
  const rel = relAuthorNames(doc);
  if (rel.length) return { names: rel, source: 'rel-author' };
  return null;
}
