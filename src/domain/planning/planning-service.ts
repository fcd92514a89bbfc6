import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { withTransaction } from '../../db/transaction.ts';
import type { Actor } from '../accounts/role.ts';
import type { Article } from '../articles/article.ts';
import { createArticle, parseInput } from '../articles/article-service.ts';
import { recordAudit } from '../audit/audit-log.ts';
import type { ServiceDeps } from '../deps.ts';
import { EMPTY_DOCUMENT } from '../documents/document-schema.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../errors.ts';
import { newId } from '../ids.ts';
import {
  planningInputSchema,
  rowToPlanningItem,
  type ParsedPlanningInput,
  type PlanningInput,
  type PlanningItem,
} from './planning-item.ts';
import { canAssign, canPlan, type PlanningAction } from './planning-policy.ts';

/*
 * The plan's write side: create, edit, delete and start. Each change is one transaction with
 * its audit entry; edits and deletes carry the revision the form was drawn from, so two desk
 * editors moving the same item cannot silently overwrite each other.
 */

const REFUSED: Record<PlanningAction, string> = {
  edit: 'You may change only the items you planned for yourself; ask an editor.',
  delete: 'You may remove only the items you planned for yourself; ask an editor.',
  start: 'Only the person it is assigned to, or an editor, can start writing this story.',
};

async function checkReferences(trx: Transaction<Database>, data: ParsedPlanningInput): Promise<void> {
  const section = await trx.selectFrom('sections').select('id').where('id', '=', data.sectionId).executeTakeFirst();
  if (!section) throw new ValidationError('sectionId: there is no such section.', [{ path: 'sectionId', message: 'unknown section' }]);
  if (data.assigneeUserId === null) return;
  const user = await trx.selectFrom('users').select(['id', 'disabled']).where('id', '=', data.assigneeUserId).executeTakeFirst();
  if (!user || user.disabled) {
    throw new ValidationError('assigneeUserId: assign it to someone who can sign in.', [
      { path: 'assigneeUserId', message: 'unknown or disabled user' },
    ]);
  }
}

function assertMayAssign(actor: Actor, assigneeUserId: string | null): void {
  if (!canAssign(actor, assigneeUserId)) throw new ForbiddenError('Only editors assign stories to other people; plan it for yourself.');
}

/** Loads an item for a change, refusing what the actor may not do or a stale revision. */
async function loadForChange(
  trx: Transaction<Database>,
  actor: Actor,
  id: string,
  action: PlanningAction,
  expectedRevision: number | undefined,
): Promise<PlanningItem> {
  const row = await trx.selectFrom('planning_items').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new NotFoundError('There is no planned item with that id; someone may have removed it.');
  const item = rowToPlanningItem(row);
  if (item.status !== 'planned') throw new ConflictError('Writing has already started on this item; open the story instead.');
  if (!canPlan(actor, action, item)) throw new ForbiddenError(REFUSED[action]);
  if (expectedRevision !== undefined && item.revision !== expectedRevision) {
    throw new ConflictError('Someone else changed this item since you opened it. Reload to see their version.');
  }
  return item;
}

async function audit(trx: Transaction<Database>, actor: Actor, now: Date, verb: string, id: string, details: Record<string, unknown>) {
  await recordAudit(trx, {
    at: now,
    actorUserId: actor.userId,
    action: `planning.${verb}`,
    subjectType: 'planning_item',
    subjectId: id,
    details,
  });
}

/** Adds an item to the plan. */
export async function createPlanningItem(deps: ServiceDeps, actor: Actor, input: PlanningInput): Promise<PlanningItem> {
  const data = parseInput(planningInputSchema, input);
  assertMayAssign(actor, data.assigneeUserId);
  const now = deps.clock();
  const nowIso = now.toISOString();
  return withTransaction(deps.db, async (trx) => {
    await checkReferences(trx, data);
    const id = newId();
    const row = {
      id,
      day: data.day,
      working_headline: data.workingHeadline,
      section_id: data.sectionId,
      slot: data.slot,
      due_at: data.dueAt,
      assignee_user_id: data.assigneeUserId,
      status: 'planned',
      article_id: null,
      created_by: actor.userId,
      created_at: nowIso,
      modified_at: nowIso,
      revision: 1,
      photo_request: data.photoRequest,
      notes: data.notes,
    };
    await trx.insertInto('planning_items').values(row).execute();
    await audit(trx, actor, now, 'created', id, { day: data.day, assigneeUserId: data.assigneeUserId });
    return rowToPlanningItem(row);
  });
}

/** Replaces an item's plan; refused once writing has started (the story carries on from there). */
export async function updatePlanningItem(
  deps: ServiceDeps,
  actor: Actor,
  id: string,
  input: PlanningInput,
  expectedRevision: number,
): Promise<PlanningItem> {
  const data = parseInput(planningInputSchema, input);
  const now = deps.clock();
  const nowIso = now.toISOString();
  return withTransaction(deps.db, async (trx) => {
    const current = await loadForChange(trx, actor, id, 'edit', expectedRevision);
    if (data.assigneeUserId !== current.assigneeUserId) assertMayAssign(actor, data.assigneeUserId);
    await checkReferences(trx, data);
    const result = await trx
      .updateTable('planning_items')
      .set({
        day: data.day,
        working_headline: data.workingHeadline,
        section_id: data.sectionId,
        slot: data.slot,
        due_at: data.dueAt,
        assignee_user_id: data.assigneeUserId,
        notes: data.notes,
        photo_request: data.photoRequest,
        modified_at: nowIso,
        revision: current.revision + 1,
      })
      .where('id', '=', id)
      .where('revision', '=', current.revision)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) throw new ConflictError('Someone else changed this item meanwhile. Reload and try again.');
    const reassigned = data.assigneeUserId !== current.assigneeUserId ? { assigneeUserId: data.assigneeUserId } : {};
    await audit(trx, actor, now, 'updated', id, { revision: current.revision + 1, ...reassigned });
    return { ...current, ...data, modifiedAt: nowIso, revision: current.revision + 1 };
  });
}

/** Removes an item that has not been started. */
export async function deletePlanningItem(deps: ServiceDeps, actor: Actor, id: string, expectedRevision: number): Promise<void> {
  const now = deps.clock();
  await withTransaction(deps.db, async (trx) => {
    const current = await loadForChange(trx, actor, id, 'delete', expectedRevision);
    await trx.deleteFrom('planning_items').where('id', '=', id).where('revision', '=', current.revision).execute();
    await audit(trx, actor, now, 'deleted', id, { workingHeadline: current.workingHeadline, day: current.day });
  });
}

/**
 * "Start writing": creates the draft (working headline, section; the assignee's own story, so
 * they can edit it whoever pressed the button) through the one story write path, and links it
 * to the plan in the same transaction. The plan keeps its slot, due time, notes and photo
 * request, which the story's editor and the dashboard show from here.
 */
export async function startWriting(
  deps: ServiceDeps,
  actor: Actor,
  id: string,
  expectedRevision?: number,
): Promise<{ item: PlanningItem; article: Article }> {
  const now = deps.clock();
  const nowIso = now.toISOString();
  return withTransaction(deps.db, async (trx) => {
    const current = await loadForChange(trx, actor, id, 'start', expectedRevision);
    const article = await createArticle(
      { ...deps, db: trx },
      { headline: current.workingHeadline, sectionId: current.sectionId, body: EMPTY_DOCUMENT },
      { actor, ownerId: current.assigneeUserId ?? actor.userId },
    );
    const result = await trx
      .updateTable('planning_items')
      .set({ status: 'started', article_id: article.id, modified_at: nowIso, revision: current.revision + 1 })
      .where('id', '=', id)
      .where('revision', '=', current.revision)
      .where('status', '=', 'planned')
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) throw new ConflictError('Someone started or changed this item meanwhile. Reload to see it.');
    await audit(trx, actor, now, 'started', id, { articleId: article.id, revision: current.revision + 1 });
    const item: PlanningItem = { ...current, status: 'started', articleId: article.id, modifiedAt: nowIso, revision: current.revision + 1 };
    return { item, article };
  });
}
