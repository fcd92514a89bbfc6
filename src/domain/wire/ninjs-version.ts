import {
  LATEST_OF_MAJOR,
  NINJS_VERSIONS,
  ninjsValidator,
  schemaPropertyNames,
  assertValidNinjs,
  type NinjsVersion,
} from './ninjs-schemas.ts';

/*
 * Which ninjs version a document is, decided from its content, in this order:
 *  1. a declared version: `$standard` (1.3–1.6) or `standard` (2.x, 3.x) with `version`
 *     or a `schema` URL ending in `ninjs-schema_X.Y.json`; 1.0 maps to 1.1 (draft-03 cannot
 *     run); a `standard` naming a 1.x schema is ignored (that property only exists from 2.0);
 *  2. otherwise its shape: any 3.x-only camelCase property anywhere in the document
 *     (`versionCreated`, `pubStatus`, `contentType` of a headline or a rendition…) → 3.x;
 *     `standard`, the 2.x arrays (`headlines`, `bodies`, `people`…), an `associations` array
 *     or `by` → 2.x; else 1.x; an undeclared document is checked against the newest minor of
 *     its major;
 *  3. a guess is only a guess: an undeclared document that the guessed schema refuses but
 *     another version's schema accepts is taken as that version (`chooseNinjsVersion`).
 */

let threeXNames: Set<string> | undefined;

/**
 * The 3.x signals: camelCase property names that only the 3.x schemas define (`versionCreated`,
 * `pubStatus`, `contentType`, `sizeInBytes`…, at any depth, renditions included). Read from the
 * vendored schemas, so a name added by a later 3.x schema counts without a list to keep up.
 */
function threeXPropertyNames(): Set<string> {
  if (threeXNames) return threeXNames;
  const older = new Set(NINJS_VERSIONS.filter((v) => v[0] !== '3').flatMap((v) => [...schemaPropertyNames(v)]));
  const names = NINJS_VERSIONS.filter((v) => v[0] === '3').flatMap((v) => [...schemaPropertyNames(v)]);
  threeXNames = new Set(names.filter((n) => /[a-z][A-Z]/.test(n) && !older.has(n)));
  return threeXNames;
}

/** True when any object anywhere in the document has a 3.x-only camelCase property. */
function hasThreeXSignal(doc: unknown): boolean {
  const names = threeXPropertyNames();
  const stack: Array<{ v: unknown; depth: number }> = [{ v: doc, depth: 0 }];
  let seen = 0;
  // Bounded: a hostile document cannot make detection walk forever (validation limits it anyway).
  while (stack.length && seen++ < 50_000) {
    const { v, depth } = stack.pop()!;
    if (depth > 32 || typeof v !== 'object' || v === null) continue;
    if (Array.isArray(v)) {
      for (const x of v) stack.push({ v: x, depth: depth + 1 });
      continue;
    }
    for (const [k, x] of Object.entries(v)) {
      if (names.has(k)) return true;
      stack.push({ v: x, depth: depth + 1 });
    }
  }
  return false;
}

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

/** The ninjs version to validate and map a parsed document with (see the rules above). */
export function detectNinjsVersion(doc: unknown): NinjsVersion {
  if (!isRecord(doc)) return LATEST_OF_MAJOR['1'];
  const declared = declaredVersion(doc);
  if (declared) return declared;
  if ('$standard' in doc) return LATEST_OF_MAJOR['1'];
  if (hasThreeXSignal(doc)) return LATEST_OF_MAJOR['3'];
  if ('standard' in doc) return LATEST_OF_MAJOR['2'];
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

export interface NinjsVersionChoice {
  version: NinjsVersion;
  /** Set when the shape's guess was refused and another version's schema accepted the document. */
  note: string | null;
}

/**
 * Versions to try after a refused guess: the newest minor of each other major, newest first.
 * The guess's own older minors are not tried: 2.0 (draft-04) lets unknown properties through
 * that 2.1 and 2.2 refuse, so falling back to it would accept what the guessed major rejects.
 */
function alternativesTo(guess: NinjsVersion): NinjsVersion[] {
  return (['3', '2', '1'] as const).filter((major) => major !== guess[0]).map((major) => LATEST_OF_MAJOR[major]);
}

/**
 * The version to import a parsed document as, validated: a forced or declared version must
 * accept it (a document's own claim is not second-guessed); a guessed one may be replaced by
 * the first other version whose schema accepts it. Throws the guessed version's refusal when
 * none does, as that is the reading the document's shape supports best.
 */
export function chooseNinjsVersion(doc: unknown, forced?: NinjsVersion): NinjsVersionChoice {
  const fixed = forced ?? (isRecord(doc) ? declaredVersion(doc) : null);
  if (fixed) {
    assertValidNinjs(doc, fixed);
    return { version: fixed, note: null };
  }
  const guess = detectNinjsVersion(doc);
  if (ninjsValidator(guess)(doc)) return { version: guess, note: null };
  for (const alt of alternativesTo(guess)) {
    if (ninjsValidator(alt)(doc))
      return {
        version: alt,
        note: `The document does not declare its ninjs version; it looked like ${guess} but only the ${alt} schema accepts it, so it was read as ${alt}.`,
      };
  }
  assertValidNinjs(doc, guess);
  return { version: guess, note: null }; // not reached: the guess was refused above
}
