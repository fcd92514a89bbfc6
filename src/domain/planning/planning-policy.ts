import { roleAtLeast } from '../accounts/access.ts';
import type { Actor } from '../accounts/role.ts';
import type { PlanningItem } from './planning-item.ts';

/*
 * Who may do what with the plan. Everyone in the newsroom reads it. Editors and admins plan
 * and assign anything; authors and contributors may pitch (plan items for themselves or for
 * nobody) and change what they pitched. A plan is started by its assignee, or by an editor,
 * who then starts it for the assignee (the draft is theirs).
 */

export type PlanningAction = 'edit' | 'delete' | 'start';

/** Whether `actor` may give an item to `assigneeUserId` (null: nobody). */
export function canAssign(actor: Actor, assigneeUserId: string | null): boolean {
  return roleAtLeast(actor.role, 'editor') || assigneeUserId === null || assigneeUserId === actor.userId;
}

export function canPlan(
  actor: Actor,
  action: PlanningAction,
  item: Pick<PlanningItem, 'createdBy' | 'assigneeUserId' | 'status'>,
): boolean {
  if (item.status !== 'planned') return false;
  if (roleAtLeast(actor.role, 'editor')) return true;
  const pitched = item.createdBy !== null && item.createdBy === actor.userId;
  const assigned = item.assigneeUserId === actor.userId;
  switch (action) {
    case 'edit':
    case 'delete':
      return pitched && (item.assigneeUserId === null || assigned);
    case 'start':
      return assigned || (pitched && item.assigneeUserId === null);
    default: {
      const exhaustive: never = action;
      throw new Error(`unknown planning action ${String(exhaustive)}`);
    }
  }
}
