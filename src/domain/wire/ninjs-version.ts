import { LATEST_OF_MAJOR, NINJS_VERSIONS, type NinjsVersion } from './ninjs-schemas.ts';

/*
 * Which ninjs version a document is, decided from its content, in this order:
 *  1. a declared version: `$standard` (1.3–1.6) or `standard` (2.x, 3.x) with `version`
 *     or a `schema` URL ending in `ninjs-schema_X.Y.json`; 1.0 maps to 1.1 (draft-03 cannot
 *     run); a `standard` naming a 1.x schema is ignored (that property only exists from 2.0);
 *  2. otherwise its shape: any 3.x camelCase property (`versionCreated`, `pubStatus`,
 *     `contentType` in headlines/bodies…) → 3.x; the 2.x arrays (`headlines`, `bodies`,
 *     `people`…) or an `associations` array or `by` → 2.x; else 1.x;
 *     an undeclared document is checked against the newest minor of its major.
 */

const THREE_X_KEYS = [
  'versionCreated',
  'firstCreated',
  'contentCreated',
  'pubStatus',
  'embargoedUntil',
  'copyrightNotice',
  'copyrightHolder',
  'usageTerms',
  'altIds',
  'edNote',
  'infoSources',
  'trustIndicators',
  'rightsInfo',
  'digitalSourceType',
  'representationType',
  'eventDetails',
  'plannedCoverage',
];
const TWO_X_KEYS = [
  'headlines',
  'bodies',
  'descriptions',
  'by',
  'people',
  'places',
  'organisations',
  'subjects',
  'genres',
  'events',
  'objects',
  'infosources',
  'trustindicators',
  'standard',
];

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function declaredVersion(doc: Record<string, unknown>): NinjsVersion | null {
  const std = isRecord(doc.$standard) ? doc.$standard : isRecord(doc.standard) ? doc.standard : null;
  if (!std) return null;
  // `standard` exists only from 2.0 on; a 2.x document naming a 1.x schema is judged by its shape.
  const minMajor = std === doc.standard ? 2 : 1;
  const fromSchema = typeof std.schema === 'string' ? /ninjs-schema_(\d+\.\d+)\.json/.exec(std.schema)?.[1] : undefined;
  const raw = typeof std.version === 'string' ? std.version : fromSchema;
  if (!raw) return null;
  const m = /^(\d+)\.(\d+)/.exec(raw);
  if (!m) return null;
  if (Number(m[1]) < minMajor) return null;
  const exact = `${m[1]}.${m[2]}`;
  if (exact === '1.0') return '1.1';
  if ((NINJS_VERSIONS as readonly string[]).includes(exact)) return exact as NinjsVersion;
  // A later minor we do not know yet (e.g. 3.2): its major's newest schema is the best check.
  return LATEST_OF_MAJOR[m[1] as '1' | '2' | '3'] ?? null;
}

function hasCamelCaseParts(doc: Record<string, unknown>): boolean {
  for (const key of ['headlines', 'bodies', 'descriptions']) {
    const list = doc[key];
    if (Array.isArray(list) && list.some((h) => isRecord(h) && 'contentType' in h)) return true;
  }
  return false;
}

/** The ninjs version to validate and map a parsed document with (see the rules above). */
export function detectNinjsVersion(doc: unknown): NinjsVersion {
  if (!isRecord(doc)) return LATEST_OF_MAJOR['1'];
  const declared = declaredVersion(doc);
  if (declared) return declared;
  if ('$standard' in doc) return LATEST_OF_MAJOR['1'];
  if ('standard' in doc && !THREE_X_KEYS.some((k) => k in doc) && !hasCamelCaseParts(doc)) return LATEST_OF_MAJOR['2'];
  if (THREE_X_KEYS.some((k) => k in doc) || hasCamelCaseParts(doc)) return LATEST_OF_MAJOR['3'];
  if (TWO_X_KEYS.some((k) => k in doc) || Array.isArray(doc.associations)) return LATEST_OF_MAJOR['2'];
  return LATEST_OF_MAJOR['1'];
}

export function majorOf(version: NinjsVersion): 1 | 2 | 3 {
  return Number(version[0]) as 1 | 2 | 3;
}

/** True when a parsed JSON value looks like a ninjs document at all (an object with `uri`). */
export function looksLikeNinjs(doc: unknown): boolean {
  return isRecord(doc) && ('uri' in doc || '$standard' in doc || 'standard' in doc);
}
