import { assertRole } from '../accounts/access.ts';
import type { Actor } from '../accounts/role.ts';
import type { ServiceDeps } from '../deps.ts';
import { NotFoundError } from '../errors.ts';
import { isSlug } from '../slug.ts';
import { sectionDirectory } from '../sections/section-directory.ts';
import {
  emptyArrangement,
  HOME_FRONT,
  sectionFrontKey,
  versionInForce,
  type Arrangement,
  type ArrangementVersion,
  type FrontKey,
} from './front-arrangement.ts';
import { findArrangementVersion, frontRevision, listArrangementVersions } from './front-arrangement-repository.ts';

/** A front as the desk and the Admin API name it: `home` or a section's slug. */
export interface FrontRef {
  key: FrontKey;
  /** `home` or the section slug: the name in newsroom and API addresses. */
  name: string;
  title: string;
  /** The public page. */
  path: string;
  sectionId: string | null;
}

const HOME_REF: FrontRef = { key: HOME_FRONT, name: 'home', title: 'Home', path: '/', sectionId: null };

/** The front named `name` (`home` or a section slug); not found otherwise. */
export async function resolveFront(deps: Pick<ServiceDeps, 'db'>, name: string): Promise<FrontRef> {
  if (name === 'home') return HOME_REF;
  const section = isSlug(name) ? await sectionDirectory(deps.db).bySlug(name) : undefined;
  if (!section) throw new NotFoundError('There is no such front: use "home" or a section’s slug.');
  return { key: sectionFrontKey(section.id), name: section.slug, title: section.name, path: `/${section.slug}`, sectionId: section.id };
}

/** Every front an editor may arrange: home, then the sections in navigation order. */
export async function listFronts(deps: ServiceDeps, actor: Actor): Promise<FrontRef[]> {
  assertRole(actor, 'editor', 'Only editors and administrators arrange fronts.');
  const sections = await sectionDirectory(deps.db).list();
  return [
    HOME_REF,
    ...sections.map((s) => ({ key: sectionFrontKey(s.id), name: s.slug, title: s.name, path: `/${s.slug}`, sectionId: s.id })),
  ];
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
