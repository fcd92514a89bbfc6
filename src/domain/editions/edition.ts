import type { Selectable } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { EditionTable } from '../../db/schema.ts';

/*
 * A language edition of the site: its own home front, section fronts, tag and author pages,
 * feeds and sitemaps, under a path prefix (`/fr/`) or on a host of its own. A story belongs to
 * the edition of its language; a story whose language no edition claims belongs to the default
 * edition, so a site that never configures editions behaves exactly as before.
 */

export type TextDirection = 'ltr' | 'rtl';

export interface Edition {
  id: string;
  code: string;
  /** BCP 47 language tag (`fr`, `ar`, `pt-BR`). */
  language: string;
  /** The reader locale for dates and numbers (`fr-FR`). */
  locale: string;
  direction: TextDirection;
  name: string;
  /** The edition's own site name; null means the site's. */
  siteName: string | null;
  /** `fr` for `/fr/…`; null for the default edition or one on its own host. */
  pathPrefix: string | null;
  host: string | null;
  isDefault: boolean;
  position: number;
}

/** The edition a site without configured editions has: English, at the root. */
export const IMPLICIT_DEFAULT_EDITION: Edition = {
  id: 'default',
  code: 'en',
  language: 'en',
  locale: 'en-GB',
  direction: 'ltr',
  name: 'English',
  siteName: null,
  pathPrefix: null,
  host: null,
  isDefault: true,
  position: 0,
};

export function rowToEdition(r: Selectable<EditionTable>): Edition {
  return {
    id: r.id,
    code: r.code,
    language: r.language,
    locale: r.locale,
    direction: r.direction === 'rtl' ? 'rtl' : 'ltr',
    name: r.name,
    siteName: r.site_name,
    pathPrefix: r.path_prefix,
    host: r.host,
    isDefault: Number(r.is_default) === 1,
    position: Number(r.position),
  };
}

/** Every edition, the default first; the implicit default when none is stored as default. */
export async function listEditions(db: Db): Promise<Edition[]> {
  const rows = (await db.selectFrom('editions').selectAll().orderBy('position').orderBy('code').execute()).map(rowToEdition);
  const def = rows.find((e) => e.isDefault);
  return def ? [def, ...rows.filter((e) => e !== def)] : [IMPLICIT_DEFAULT_EDITION, ...rows];
}

/** Language tags compare case-insensitively. */
const sameLanguage = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** The edition a story in `language` belongs to: the one of its language, else the default. */
export function editionForLanguage(editions: readonly Edition[], language: string): Edition {
  return editions.find((e) => sameLanguage(e.language, language)) ?? defaultEdition(editions);
}

export function defaultEdition(editions: readonly Edition[]): Edition {
  return editions.find((e) => e.isDefault) ?? editions[0] ?? IMPLICIT_DEFAULT_EDITION;
}

/**
 * Which stories an edition lists, as a filter on the story's language: its own language, or
 * for the default edition every language no other edition claims. With one edition there is
 * no filter at all (the site's queries are the ones it always ran).
 */
export interface EditionScope {
  language?: string;
  languagesNotIn?: readonly string[];
}

export function editionScope(editions: readonly Edition[], edition: Edition): EditionScope {
  if (editions.length <= 1) return {};
  if (!edition.isDefault) return { language: edition.language };
  return { languagesNotIn: editions.filter((e) => e !== edition && !e.isDefault).map((e) => e.language) };
}

/** `/fr` for a prefixed edition, '' otherwise: what every path of the edition starts with. */
export function editionBasePath(edition: Edition): string {
  return edition.pathPrefix ? `/${edition.pathPrefix}` : '';
}

/** The origin an edition is served at (its own host keeps the site URL's scheme), without a trailing slash. */
export function editionOrigin(edition: Edition, siteUrl: string): string {
  const site = siteUrl.replace(/\/+$/, '');
  if (!edition.host) return site;
  const scheme = /^http:/i.test(site) ? 'http' : 'https';
  return `${scheme}://${edition.host}`;
}

/** The absolute URL of a path of the edition (`/` is its home). */
export function editionUrl(edition: Edition, siteUrl: string, path: string): string {
  const base = editionBasePath(edition);
  return `${editionOrigin(edition, siteUrl)}${base}${path === '/' && base ? '/' : path}`;
}
