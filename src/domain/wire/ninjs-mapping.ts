import type { NinjsVersion } from './ninjs-schemas.ts';
import { majorOf } from './ninjs-version.ts';

/*
 * A validated ninjs document of any version → one neutral shape (WireItem), so the import
 * service never cares whether it read `headline` (1.x), `headlines[]` (2.x) or
 * `versionCreated` (3.x). Pure: no I/O.
 */

export interface WireRendition {
  href: string;
  mimeType: string | null;
  width: number | null;
  height: number | null;
}

export interface WirePicture {
  /** The association's key or `name` (e.g. `mainpic`). */
  name: string;
  uri: string | null;
  caption: string;
  credit: string;
  alt: string;
  /** Largest first. */
  renditions: WireRendition[];
}

export interface WireItem {
  uri: string;
  ninjsVersion: NinjsVersion;
  type: string | null;
  itemVersion: string | null;
  /** ISO-8601 UTC, or null when absent or not a date. */
  versionCreated: string | null;
  firstCreated: string | null;
  headline: string | null;
  /** Summary-like description text, for the standfirst. */
  description: string | null;
  byline: string | null;
  bodyHtml: string | null;
  bodyText: string | null;
  language: string | null;
  subjects: string[];
  embargoUntil: string | null;
  pubStatus: string | null;
  pictures: WirePicture[];
  /** Values present but unusable (e.g. an embargo that is not a date). */
  notes: string[];
}

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: unknown): string | null {
  return typeof v === 'string' && v.trim() ? v.trim() : null;
}

function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** ISO-8601 UTC from a date-time string; date-only values count as midnight UTC. */
export function isoOrNull(v: unknown): string | null {
  const s = str(v);
  if (!s || !/^\d{4}-\d{2}-\d{2}/.test(s)) return null;
  const d = new Date(s);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

/** The 3.x camelCase name, or the 1.x/2.x lower-case one. */
function pick(doc: Obj, lower: string, camel: string, major: number): unknown {
  return major >= 3 ? (doc[camel] ?? doc[lower]) : (doc[lower] ?? doc[camel]);
}

interface Part {
  role: string;
  contentType: string;
  value: string;
}

function parts(list: unknown): Part[] {
  if (!Array.isArray(list)) return [];
  return list.filter(isObj).flatMap((p) => {
    const value = str(p.value);
    if (!value) return [];
    return [
      {
        role: String(p.role ?? '').toLowerCase(),
        contentType: String(p.contentType ?? p.contenttype ?? 'text/plain').toLowerCase(),
        value,
      },
    ];
  });
}

const isHtml = (p: Part) => p.contentType.includes('html');
const isText = (p: Part) => p.contentType.startsWith('text/plain');

function mainFirst(list: Part[]): Part[] {
  return [...list].sort((a, b) => Number(b.role === 'main') - Number(a.role === 'main'));
}

const SUMMARY_ROLES = ['summary', 'abstract', 'teaser', 'lead', 'standfirst', 'description', 'caption'];

function summaryOf(list: Part[]): string | null {
  const byRole = SUMMARY_ROLES.map((r) => list.find((p) => p.role === r)).find(Boolean);
  const chosen = byRole ?? list.find(isText) ?? list[0];
  if (!chosen) return null;
  return isHtml(chosen) ? stripTags(chosen.value) : chosen.value;
}

/** Text of a small HTML snippet (descriptions, captions); entity-decoded, tags removed. */
export function stripTags(html: string): string {
  return html
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}

function subjectsOf(doc: Obj, major: number): string[] {
  const list = major === 1 ? doc.subject : doc.subjects;
  if (!Array.isArray(list)) return [];
  const names = list
    .filter(isObj)
    .map((s) => str(s.name) ?? str(s.literal) ?? str(s.code))
    .filter((n): n is string => n !== null);
  return [...new Set(names)];
}

function renditionsOf(value: unknown): WireRendition[] {
  const list = Array.isArray(value) ? value : isObj(value) ? Object.values(value) : [];
  return list
    .filter(isObj)
    .flatMap((r) => {
      const href = str(r.href);
      if (!href) return [];
      return [{ href, mimeType: str(r.contentType ?? r.contenttype ?? r.mimetype), width: num(r.width), height: num(r.height) }];
    })
    .sort((a, b) => (b.width ?? 0) - (a.width ?? 0));
}

function pictureOf(name: string, a: Obj, major: number): WirePicture | null {
  const type = str(a.type);
  if (type !== 'picture' && type !== 'graphic') return null;
  const headline = major === 1 ? str(a.headline) : (mainFirst(parts(a.headlines))[0]?.value ?? null);
  const description =
    major === 1
      ? (str(a.description_text) ?? (str(a.description_html) ? stripTags(String(a.description_html)) : null))
      : summaryOf(parts(a.descriptions));
  const by = major === 1 ? str(a.byline) : str(a.by);
  const copyright = str(pick(a, 'copyrightholder', 'copyrightHolder', major));
  return {
    name: str(a.name) ?? name,
    uri: str(a.uri),
    caption: description ?? headline ?? '',
    credit: by ?? copyright ?? '',
    alt: headline ?? '',
    renditions: renditionsOf(a.renditions),
  };
}

function picturesOf(doc: Obj, major: number): WirePicture[] {
  const assoc = doc.associations;
  const entries: Array<[string, unknown]> = Array.isArray(assoc)
    ? assoc.map((a, i) => [String(i), a])
    : isObj(assoc)
      ? Object.entries(assoc)
      : [];
  return entries.flatMap(([name, a]) => (isObj(a) ? [pictureOf(name, a, major)] : [])).filter((p): p is WirePicture => p !== null);
}

/** Maps a document that already passed schema validation for `version`. */
export function ninjsToWireItem(doc: Obj, version: NinjsVersion): WireItem {
  const major = majorOf(version);
  const notes: string[] = [];
  const date = (value: unknown, label: string) => {
    const iso = isoOrNull(value);
    if (value != null && value !== '' && !iso) notes.push(`${label} "${String(value)}" is not a date and was ignored.`);
    return iso;
  };

  let headline: string | null;
  let description: string | null;
  let bodyHtml: string | null = null;
  let bodyText: string | null = null;
  let byline: string | null;
  if (major === 1) {
    headline = str(doc.headline);
    description = str(doc.description_text) ?? (str(doc.description_html) ? stripTags(String(doc.description_html)) : null);
    bodyHtml = str(doc.body_html) ?? str(doc.body_xhtml);
    bodyText = str(doc.body_text);
    byline = str(doc.byline);
  } else {
    headline = mainFirst(parts(doc.headlines))[0]?.value ?? null;
    description = summaryOf(parts(doc.descriptions));
    const bodies = mainFirst(parts(doc.bodies));
    bodyHtml = bodies.find(isHtml)?.value ?? null;
    bodyText = bodies.find(isText)?.value ?? null;
    byline = str(doc.by);
  }
  if (headline && /<[a-z]/i.test(headline)) headline = stripTags(headline);

  return {
    uri: String(doc.uri),
    ninjsVersion: version,
    type: str(doc.type),
    itemVersion: doc.version === undefined || doc.version === null ? null : String(doc.version),
    versionCreated: date(pick(doc, 'versioncreated', 'versionCreated', major), 'versioncreated'),
    firstCreated: date(pick(doc, 'firstcreated', 'firstCreated', major), 'firstcreated'),
    headline: headline ?? str(doc.title) ?? str(doc.slugline),
    description,
    byline,
    bodyHtml,
    bodyText,
    language: str(doc.language),
    subjects: subjectsOf(doc, major),
    embargoUntil: date(major >= 3 ? (doc.embargoedUntil ?? doc.embargoed) : doc.embargoed, 'embargoed'),
    pubStatus: str(pick(doc, 'pubstatus', 'pubStatus', major))?.toLowerCase() ?? null,
    // A picture item carries its own renditions: it is its own lead picture.
    pictures: [
      ...(str(doc.type) === 'picture' || str(doc.type) === 'graphic' ? [pictureOf('self', doc, major)!] : []),
      ...picturesOf(doc, major),
    ],
    notes,
  };
}

/**
 * Byline text → author names: "By A and B", "Von X, dpa", "Karl Melander/TT". Leading
 * "By"/"Von"/"Par"/"Por"/"Av" goes, "and"/"&"/";" split names, a one-word comma part
 * or slash suffix (an agency such as "dpa", "TT") is dropped.
 */
export function bylineNames(byline: string | null): string[] {
  if (!byline) return [];
  const cleaned = byline
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^(?:by|von|par|por|av|de|door|di)\s+/i, '');
  const names: string[] = [];
  for (const chunk of cleaned.split(/\s+(?:and|und|et|y|och|og|e|&)\s+|\s*;\s*/i)) {
    const commaParts = chunk.split(/\s*,\s*/).filter(Boolean);
    const kept = commaParts.length > 1 ? commaParts.filter((p, i) => i === 0 || p.includes(' ')) : commaParts;
    for (const part of kept) {
      const name = part.replace(/\s*\/\s*[^/]+$/, '').trim();
      if (name && name.length <= 120) names.push(name);
    }
  }
  return [...new Set(names)].slice(0, 10);
}
