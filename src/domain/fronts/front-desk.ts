import { assertRole } from '../accounts/access.ts';
import type { Actor } from '../accounts/role.ts';
import type { ServiceDeps } from '../deps.ts';
import { NotFoundError } from '../errors.ts';
import { isSlug } from '../slug.ts';
import { sectionDirectory } from '../sections/section-directory.ts';
import { editionDirectory, type EditionSnapshot } from '../editions/edition-directory.ts';
import type { Edition } from '../editions/edition.ts';
import { editionView } from '../editions/edition-view.ts';
import {
  emptyArrangement,
  frontKeyFor,
  versionInForce,
  type Arrangement,
  type ArrangementVersion,
  type FrontKey,
} from './front-arrangement.ts';
import { findArrangementVersion, frontRevision, listArrangementVersions } from './front-arrangement-repository.ts';

/** A front as the desk and the Admin API name it: `home` or a section's slug, `fr:home` or `fr:world` in another edition. */
export interface FrontRef {
  key: FrontKey;
  /** `home` or the section slug, prefixed `<edition code>:` outside the default edition: the name in newsroom and API addresses. */
  name: string;
  title: string;
  /** The public page: the edition's path (`/fr/monde`), or its URL when the edition has a host of its own. */
  path: string;
  /** The public page's absolute URL. */
  url: string;
  sectionId: string | null;
  /** The section's own slug (null: home), as the public site's routes take it. */
  sectionSlug: string | null;
  /** The edition's language when it is not the default edition (what its front key and its stories go by). */
  language: string | null;
}

type FrontDeps = Pick<ServiceDeps, 'db' | 'siteUrl'>;
type SectionLike = { id: string; slug: string; name: string };

/** The front of `section` (null: home) in `edition` as the desk names and links it. */
function frontRef(snap: EditionSnapshot, siteUrl: string, edition: Edition, section: SectionLike | null): FrontRef {
  const view = editionView(snap, edition, siteUrl);
  const sitePath = section ? `/${section.slug}` : '/';
  const other = edition.isDefault ? null : edition;
  const title = section ? view.section(section).name : 'Home';
  return {
    key: frontKeyFor(section?.id ?? null, other?.language),
    name: `${other ? `${other.code}:` : ''}${section ? section.slug : 'home'}`,
    title: other ? `${title} (${other.name})` : title,
    path: edition.host ? view.url(sitePath) : view.path(sitePath),
    url: view.url(sitePath),
    sectionId: section?.id ?? null,
    sectionSlug: section?.slug ?? null,
    language: other?.language ?? null,
  };
}

/** The front named `name` (`home`, a section slug, or either after `<edition code>:`); not found otherwise. */
export async function resolveFront(deps: FrontDeps, name: string): Promise<FrontRef> {
  const m = /^(?:([a-z0-9-]{1,32}):)?([a-z0-9-]+)$/.exec(name);
  const snap = await editionDirectory(deps.db).current();
  const edition = m?.[1] ? snap.editions.find((e) => e.code === m[1] && !e.isDefault) : snap.default;
  const front = m?.[2];
  const section = front && front !== 'home' && isSlug(front) ? await sectionDirectory(deps.db).bySlug(front) : undefined;
  if (!edition || !front || (front !== 'home' && !section))
    throw new NotFoundError('There is no such front: use "home" or a section’s slug, after "<edition code>:" for another edition.');
  return frontRef(snap, deps.siteUrl ?? '', edition, section ?? null);
}

/** Every front an editor may arrange: home, then the sections in navigation order, for each edition (the default first). */
export async function listFronts(deps: ServiceDeps, actor: Actor): Promise<FrontRef[]> {
  assertRole(actor, 'editor', 'Only editors and administrators arrange fronts.');
  const [sections, snap] = await Promise.all([sectionDirectory(deps.db).list(), editionDirectory(deps.db).current()]);
  return snap.editions.flatMap((e) => [null, ...sections].map((s) => frontRef(snap, deps.siteUrl ?? '', e, s)));
}

/** What the desk shows of a front: what readers see now, what is scheduled, the working copy and the history. */
export interface FrontDesk {
  front: FrontRef;
  /** The front's revision (its highest version; 0 before the first). */
  revision: number;
  inForce: ArrangementVersion | null;
  /** Published versions still waiting to take over, soonest first. */
  scheduled: ArrangementVersion[];
  /** Where editing starts: the latest version (a draft, possibly), else an empty arrangement. */
  working: { arrangement: Arrangement; version: number | null; state: ArrangementVersion['state'] | null };
  history: ArrangementVersion[];
}

export async function getFrontDesk(deps: ServiceDeps, actor: Actor, front: FrontRef): Promise<FrontDesk> {
  assertRole(actor, 'editor', 'Only editors and administrators arrange fronts.');
  const nowIso = deps.clock().toISOString();
  const [revision, history] = await Promise.all([frontRevision(deps.db, front.key), listArrangementVersions(deps.db, front.key)]);
  const inForce = versionInForce(history, nowIso);
  const scheduled = history
    .filter((v) => v.state === 'published' && v.effectiveAt !== null && v.effectiveAt > nowIso)
    .sort((a, b) => (a.effectiveAt! < b.effectiveAt! ? -1 : 1));
  const latest = history[0];
  return {
    front,
    revision,
    inForce,
    scheduled,
    working: latest
      ? { arrangement: latest.arrangement, version: latest.version, state: latest.state }
      : { arrangement: emptyArrangement(), version: null, state: null },
    history,
  };
}

/** One stored version of a front (the desk's preview of it). */
export async function getArrangementVersion(
  deps: ServiceDeps,
  actor: Actor,
  front: FrontRef,
  version: number,
): Promise<ArrangementVersion> {
  assertRole(actor, 'editor', 'Only editors and administrators arrange fronts.');
  const found = await findArrangementVersion(deps.db, front.key, version);
  if (!found) throw new NotFoundError(`This front has no version ${version}.`);
  return found;
}
