import { z } from 'zod';

/*
 * A site archive is one gzip-compressed tar file:
 *
 *   tables/<table>/<00001>.jsonl   rows, one JSON array per line in the manifest's column order
 *   media/<storage key>/<file>     every stored file of every image: original, renditions, crops
 *   manifest.json                  last, because it holds the counts and checksums of all the above
 *
 * Tables are split into parts of a few MB so the exporter never holds more than one part (tar
 * needs each entry's size before its bytes), and the restorer reads the archive twice: once to
 * verify every checksum, then to load.
 */

export const ARCHIVE_FORMAT = 'masthead-site-archive';
/** Raised when a reader of an older Masthead could no longer load what this one writes. */
export const ARCHIVE_FORMAT_VERSION = 1;
export const MANIFEST_ENTRY = 'manifest.json';

export const manifestSchema = z.object({
  format: z.literal(ARCHIVE_FORMAT),
  formatVersion: z.number().int().positive(),
  createdAt: z.string(),
  source: z.object({
    dialect: z.enum(['sqlite', 'postgres']),
    /** The last migration applied to the source database: the schema the rows fit. */
    schemaVersion: z.string(),
    migrations: z.array(z.string()),
  }),
  /** In load order: a table comes after every table it references. */
  tables: z.array(
    z.object({
      name: z.string().regex(/^[a-z_][a-z0-9_]*$/),
      columns: z.array(z.string().regex(/^[a-z_][a-z0-9_]*$/)).min(1),
      rows: z.number().int().nonnegative(),
      parts: z.array(z.string()),
    }),
  ),
  media: z.object({ keys: z.array(z.string()), files: z.number().int().nonnegative(), bytes: z.number().int().nonnegative() }),
  files: z.array(z.object({ path: z.string(), sha256: z.string().regex(/^[0-9a-f]{64}$/), bytes: z.number().int().nonnegative() })),
});
export type ArchiveManifest = z.infer<typeof manifestSchema>;

export const tablePartPath = (table: string, part: number) => `tables/${table}/${String(part).padStart(5, '0')}.jsonl`;
export const mediaPath = (key: string, file: string) => `media/${key}/${file}`;
/** `media/<key>/<file>` → its key and file name; null for any other entry. */
export function parseMediaPath(path: string): { key: string; file: string } | null {
  const m = /^media\/([^/]+)\/([^/]+)$/.exec(path);
  return m ? { key: m[1]!, file: m[2]! } : null;
}

/** An archive that cannot be restored as it is: damaged, truncated, incomplete or from a newer Masthead. */
export class ArchiveError extends Error {
  constructor(
    message: string,
    readonly reason: 'damaged' | 'unsupported',
  ) {
    super(message);
    this.name = 'ArchiveError';
  }
}

/** A target that must not be written: a database or media store that already holds a site. */
export class RestoreTargetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RestoreTargetError';
  }
}

/*
 * Cell values. The portable schema stores text, integers, reals and NULL, which JSON carries
 * as they are (strings keep every character, Arabic included; JSON columns stay their exact
 * text). Anything a driver returns beyond that is tagged so it comes back as the same value:
 * bytes as base64, parsed JSON (PostgreSQL json/jsonb) as its text, times as ISO strings.
 */
export type ArchivedValue = string | number | boolean | null | { $base64: string } | { $json: string };

export function encodeValue(value: unknown): ArchivedValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`cannot archive the number ${value}`);
    return value;
  }
  if (typeof value === 'bigint') return Number(value);
  if (Buffer.isBuffer(value) || value instanceof Uint8Array) return { $base64: Buffer.from(value).toString('base64') };
  if (value instanceof Date) return value.toISOString();
  return { $json: JSON.stringify(value) };
}

export function decodeValue(value: unknown, dialect: 'sqlite' | 'postgres'): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'number') return value;
  // SQLite has no boolean; its flags are 0|1.
  if (typeof value === 'boolean') return dialect === 'sqlite' ? (value ? 1 : 0) : value;
  if (typeof value === 'object' && value !== null) {
    if ('$base64' in value && typeof value.$base64 === 'string') return Buffer.from(value.$base64, 'base64');
    if ('$json' in value && typeof value.$json === 'string') return value.$json;
  }
  throw new Error(`unexpected archived value ${JSON.stringify(value)}`);
}
