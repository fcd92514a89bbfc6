import type { Selectable } from 'kysely';
import { z } from 'zod';
import type { PlanningItemTable } from '../../db/schema.ts';

/*
 * A planned story: what the desk expects to run on a day before anyone has written a word.
 * It is not a story (no text, no address, nothing a reader or the API could ever see); "Start
 * writing" creates the draft through the one story write path and links it here, so the
 * plan's slot, due time, assignee, notes and photo request stay attached to the story.
 */

export const PLANNING_STATUSES = ['planned', 'started'] as const;
export type PlanningStatus = (typeof PLANNING_STATUSES)[number];

export interface PlanningItem {
  id: string;
  /** `YYYY-MM-DD`: the day it is planned for. */
  day: string;
  workingHeadline: string;
  sectionId: string;
  slot: string;
  dueAt: string | null;
  assigneeUserId: string | null;
  notes: string;
  photoRequest: string;
  status: PlanningStatus;
  articleId: string | null;
  createdBy: string | null;
  createdAt: string;
  modifiedAt: string;
  revision: number;
}

const DAY_RE = /^\d{4}-\d\d-\d\d$/;

/** A real calendar day (`2026-02-30` is refused), as `YYYY-MM-DD`. */
export const daySchema = z
  .string()
  .trim()
  .refine((v) => DAY_RE.test(v) && new Date(`${v}T00:00:00Z`).toISOString().slice(0, 10) === v, 'a day as YYYY-MM-DD');

const optionalId = z
  .string()
  .trim()
  .max(100)
  .nullable()
  .default(null)
  .transform((v) => (v ? v : null));

/** What the planning form and any other caller give; one schema for create and edit. */
export const planningInputSchema = z.strictObject({
  day: daySchema,
  workingHeadline: z.string().trim().min(1, 'a working headline is required').max(300, 'at most 300 characters'),
  sectionId: z.string().trim().min(1, 'Choose the section it is planned for.'),
  slot: z.string().trim().max(80, 'at most 80 characters').default(''),
  dueAt: z.iso
    .datetime({ offset: true })
    .transform((v) => new Date(v).toISOString())
    .nullable()
    .default(null),
  assigneeUserId: optionalId,
  notes: z.string().trim().max(4000, 'at most 4,000 characters').default(''),
  photoRequest: z.string().trim().max(1000, 'at most 1,000 characters').default(''),
});

export type PlanningInput = z.input<typeof planningInputSchema>;
export type ParsedPlanningInput = z.output<typeof planningInputSchema>;

export function rowToPlanningItem(r: Selectable<PlanningItemTable>): PlanningItem {
  return {
    id: r.id,
    day: r.day,
    workingHeadline: r.working_headline,
    sectionId: r.section_id,
    slot: r.slot,
    dueAt: r.due_at,
    assigneeUserId: r.assignee_user_id,
    notes: r.notes,
    photoRequest: r.photo_request,
    status: r.status as PlanningStatus,
    articleId: r.article_id,
    createdBy: r.created_by,
    createdAt: r.created_at,
    modifiedAt: r.modified_at,
    revision: r.revision,
  };
}

/** The day after (or before, with -1) `day`. */
export function shiftDay(day: string, by: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + by);
  return d.toISOString().slice(0, 10);
}
