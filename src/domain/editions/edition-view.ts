import type { Teaser } from '../published/article-teasers.ts';
import { editionBasePath, editionForLanguage, editionOrigin, editionScope, type Edition, type EditionScope } from './edition.ts';
import type { EditionSnapshot, SectionInEdition } from './edition-directory.ts';

/*
 * One edition as a request sees it: which stories it lists (its scope) and how its addresses
 * and section names read. Read models return the site's own paths (`/world/slug`); the
 * edition view turns them into the edition's (`/fr/monde/slug`), so no query needs to know.
 */
export interface EditionView {
  edition: Edition;
  editions: readonly Edition[];
  scope: EditionScope;
  /** `/fr` or ''. */
  basePath: string;
  /** The origin the edition is served at, without trailing slash. */
  origin: string;
  /** A section (by its own slug and name) as this edition names it. */
  section(base: { slug: string; name: string }): SectionInEdition;
  /** The section's own slug for a slug of this edition (its own or, unrenamed, the section's). */
  baseSectionSlug(slug: string): string | undefined;
  /** A site path (`/world/slug`, `/tags/x`, `/`) as this edition's path. */
  path(sitePath: string): string;
  /** The same, absolute. */
  url(sitePath: string): string;
  /** A teaser read with the site's paths, as this edition links and names it. */
  teaser<T extends Teaser>(t: T): T;
  /** The view of the edition a story in `language` belongs to. */
  forLanguage(language: string): EditionView;
  /**
   * hreflang links for a page every edition has (a front, a section, a tag): each edition's
   * version and x-default (the default edition's). Empty with a single edition.
   */
  alternates(sitePath: string): Alternate[];
}

export interface Alternate {
  hreflang: string;
  href: string;
}

export function editionView(snapshot: EditionSnapshot, edition: Edition, siteUrl: string): EditionView {
  const own = snapshot.sections.get(edition.id);
  const bases = snapshot.baseSlugs.get(edition.id);
  const basePath = editionBasePath(edition);
  const origin = editionOrigin(edition, siteUrl);
  const section = (base: { slug: string; name: string }) => own?.get(base.slug) ?? { slug: base.slug, name: base.name };
  const path = (sitePath: string) => {
    const m = /^\/([^/?#]+)(.*)$/.exec(sitePath);
    // A section or story path: its section segment as this edition names it.
    const local = m && own?.has(m[1]!) ? `/${own.get(m[1]!)!.slug}${m[2]}` : sitePath;
    return basePath ? (local === '/' ? `${basePath}/` : `${basePath}${local}`) : local;
  };
  return {
    edition,
    editions: snapshot.editions,
    scope: editionScope(snapshot.editions, edition),
    basePath,
    origin,
    section,
    baseSectionSlug: (slug) => {
      const base = bases?.get(slug);
      if (base) return base;
      // The section's own slug serves where the edition did not rename it.
      return own?.has(slug) ? undefined : slug;
    },
    path,
    url: (sitePath) => `${origin}${path(sitePath)}`,
    forLanguage: (language) => editionViewForLanguage(snapshot, language, siteUrl),
    alternates: (sitePath) => {
      if (snapshot.editions.length < 2) return [];
      const links = snapshot.editions.map((e) => ({ hreflang: e.language, href: editionView(snapshot, e, siteUrl).url(sitePath) }));
      return [...links, { hreflang: 'x-default', href: editionView(snapshot, snapshot.default, siteUrl).url(sitePath) }];
    },
    teaser: (t) => {
      const sec = section({ slug: t.sectionSlug, name: t.sectionName });
      return { ...t, path: path(t.path), sectionSlug: sec.slug, sectionName: sec.name, sectionPath: path(`/${t.sectionSlug}`) };
    },
  };
}

/** The view of the edition a story in `language` belongs to. */
export function editionViewForLanguage(snapshot: EditionSnapshot, language: string, siteUrl: string): EditionView {
  return editionView(snapshot, editionForLanguage(snapshot.editions, language), siteUrl);
}

/** A story's published translations as links: each version's edition URL, and x-default (the default edition's version, else the oldest). */
export function translationAlternates(
  view: EditionView,
  versions: ReadonlyArray<{ id: string; language: string; headline: string; path: string }>,
): Array<Alternate & { id: string; headline: string; editionName: string }> {
  if (versions.length < 2) return [];
  const links = versions.map((v) => {
    const ev = view.forLanguage(v.language);
    return {
      id: v.id,
      headline: v.headline,
      editionName: ev.edition.name,
      hreflang: v.language,
      href: ev.url(v.path),
      isDefault: ev.edition.isDefault,
    };
  });
  const xDefault = links.find((l) => l.isDefault) ?? links[0]!;
  return [
    ...links.map(({ isDefault: _, ...l }) => l),
    { id: xDefault.id, headline: xDefault.headline, editionName: xDefault.editionName, hreflang: 'x-default', href: xDefault.href },
  ];
}
