import { assertRole } from '../accounts/access.ts';
import type { Actor } from '../accounts/role.ts';
import { parseInput } from '../articles/article-service.ts';
import { recordAudit } from '../audit/audit-log.ts';
import { frontTag } from '../changes/cache-tags.ts';
import { publishAfterCommit } from '../changes/content-change-publish.ts';
import type { ServiceDeps } from '../deps.ts';
import { ConflictError, NotFoundError, ValidationError } from '../errors.ts';
import { newId } from '../ids.ts';
import { withTransaction } from '../../db/transaction.ts';
import type { Db } from '../../db/database.ts';
import {
  allPins,
  arrangementSchema,
  type Arrangement,
  type ArrangementInput,
  type ArrangementVersion,
  type FrontKey,
} from './front-arrangement.ts';
import { frontArrangementCache } from './front-arrangement-cache.ts';
import { cancelScheduledVersion, findArrangementVersion, frontRevision, insertArrangementVersion } from './front-arrangement-repository.ts';

/*
 * The one write path of front arrangements (newsroom and Admin API): editors only,
 * revision-checked (a front's revision is its highest version), one new version per save,
 * audited in the same transaction, and, once committed, the arrangement cache dropped and a
 * change naming the front raised (page caches and other nodes).
 */

const ONLY_EDITORS = 'Only editors and administrators arrange fronts.';

/** Draft (kept, not shown), now, or a time when the arrangement takes over. */
export type PublishMode = { kind: 'draft' } | { kind: 'now' } | { kind: 'at'; at: string };

export interface SaveArrangementInput {
  arrangement: ArrangementInput;
  expectedRevision: number;
  mode: PublishMode;
}

function checkRevision(current: number, expected: number): void {
  if (current !== expected)
    throw new ConflictError(
      `This front was changed meanwhile (now at version ${current}, you started from ${expected}). Reload it and make your change again.`,
    );
}

/** Pinned stories and fill tags must exist (whether readers can see them is decided when the front is read). */
async function checkReferences(db: Db, a: Arrangement): Promise<void> {
  const pins = allPins(a);
  if (pins.length) {
    const found = new Set((await db.selectFrom('articles').select('id').where('id', 'in', pins).execute()).map((r) => r.id));
    const missing = pins.filter((id) => !found.has(id));
    if (missing.length)
      throw new ValidationError(`pins: no story with id ${missing.join(', ')}`, [{ path: 'pins', message: 'unknown story' }]);
  }
  const tagIds = [...new Set(a.blocks.flatMap((b) => (b.tagId ? [b.tagId] : [])))];
  if (tagIds.length) {
    const found = new Set((await db.selectFrom('tags').select('id').where('id', 'in', tagIds).execute()).map((r) => r.id));
    const missing = tagIds.filter((id) => !found.has(id));
    if (missing.length)
      throw new ValidationError(`blocks: no tag with id ${missing.join(', ')}`, [{ path: 'blocks.tagId', message: 'unknown tag' }]);
  }
}

function effectiveAt(mode: PublishMode, nowIso: string): string | null {
  if (mode.kind === 'draft') return null;
  if (mode.kind === 'now') return nowIso;
  const at = new Date(mode.at);
  if (Number.isNaN(at.getTime())) throw new ValidationError('at: enter a date and time', [{ path: 'at', message: 'not a time' }]);
  const iso = at.toISOString();
  if (iso <= nowIso)
    throw new ValidationError('at: a scheduled arrangement must take over in the future', [{ path: 'at', message: 'in the past' }]);
  return iso;
}

async function appendVersion(
  deps: ServiceDeps,
  actor: Actor,
  key: FrontKey,
  p: { arrangement: Arrangement; expectedRevision: number; mode: PublishMode; restoredFrom: number | null },
): Promise<ArrangementVersion> {
  const now = deps.clock();
  const nowIso = now.toISOString();
  const at = effectiveAt(p.mode, nowIso);
  return withTransaction(deps.db, async (trx, afterCommit) => {
    checkRevision(await frontRevision(trx, key), p.expectedRevision);
    await checkReferences(trx, p.arrangement);
    const v: ArrangementVersion = {
      id: newId(),
      frontKey: key,
      version: p.expectedRevision + 1,
      state: p.mode.kind === 'draft' ? 'draft' : 'published',
      effectiveAt: at,
      arrangement: p.arrangement,
      createdAt: nowIso,
      createdBy: actor.userId,
      restoredFrom: p.restoredFrom,
    };
    // Two simultaneous saves from the same revision meet on the (front_key, version) unique index: 409.
    await insertArrangementVersion(trx, v);
    const action =
      p.restoredFrom !== null
        ? 'front.restored'
        : p.mode.kind === 'draft'
          ? 'front.draft_saved'
          : p.mode.kind === 'at'
            ? 'front.scheduled'
            : 'front.published';
    await recordAudit(trx, {
      at: now,
      actorUserId: actor.userId,
      action,
      subjectType: 'front',
      subjectId: key,
      details: { version: v.version, effectiveAt: at, ...(p.restoredFrom !== null ? { restoredFrom: p.restoredFrom } : {}) },
    });
    if (v.state === 'published') {
      afterCommit(async (root) => frontArrangementCache(root).invalidate());
      publishAfterCommit(deps, trx, { tags: [frontTag(key)], cause: p.mode.kind === 'at' ? 'front.schedule' : 'front.publish' });
    }
    return v;
  });
}

/** Saves a new version of the front's arrangement: a draft, published now, or scheduled. */
export async function saveArrangement(
  deps: ServiceDeps,
  actor: Actor,
  key: FrontKey,
  input: SaveArrangementInput,
): Promise<ArrangementVersion> {
  assertRole(actor, 'editor', ONLY_EDITORS);
  const arrangement = parseInput(arrangementSchema, input.arrangement);
  return appendVersion(deps, actor, key, { arrangement, expectedRevision: input.expectedRevision, mode: input.mode, restoredFrom: null });
}

/** Brings back an old version as a new one: a draft to check first, or published at once. */
export async function restoreArrangement(
  deps: ServiceDeps,
  actor: Actor,
  key: FrontKey,
  p: { version: number; expectedRevision: number; publish: boolean },
): Promise<ArrangementVersion> {
  assertRole(actor, 'editor', ONLY_EDITORS);
  const old = await findArrangementVersion(deps.db, key, p.version);
  if (!old) throw new NotFoundError(`This front has no version ${p.version}.`);
  // Re-validated: what was valid then (a story since deleted) may not be now.
  const arrangement = parseInput(arrangementSchema, old.arrangement);
  return appendVersion(deps, actor, key, {
    arrangement,
    expectedRevision: p.expectedRevision,
    mode: p.publish ? { kind: 'now' } : { kind: 'draft' },
    restoredFrom: old.version,
  });
}

/** Withdraws a scheduled version before it takes over. */
export async function cancelScheduledArrangement(deps: ServiceDeps, actor: Actor, key: FrontKey, version: number): Promise<void> {
  assertRole(actor, 'editor', ONLY_EDITORS);
  const now = deps.clock();
  await withTransaction(deps.db, async (trx, afterCommit) => {
    const v = await findArrangementVersion(trx, key, version);
    if (!v) throw new NotFoundError(`This front has no version ${version}.`);
    if (!(await cancelScheduledVersion(trx, v.id, now.toISOString())))
      throw new ConflictError(`Version ${version} is not waiting to take over, so there is nothing to cancel.`);
    await recordAudit(trx, {
      at: now,
      actorUserId: actor.userId,
      action: 'front.schedule_cancelled',
      subjectType: 'front',
      subjectId: key,
      details: { version },
    });
    afterCommit(async (root) => frontArrangementCache(root).invalidate());
    publishAfterCommit(deps, trx, { tags: [frontTag(key)], cause: 'front.schedule_cancel' });
  });
}
