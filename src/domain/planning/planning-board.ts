import { z } from 'zod';
import type { Db } from '../../db/database.ts';
import { listUserNames } from '../accounts/user-names.ts';
import type { Actor } from '../accounts/role.ts';
import type { ArticleStatus } from '../articles/article.ts';
import { parseInput } from '../articles/article-service.ts';
import type { ServiceDeps } from '../deps.ts';
import { NotFoundError } from '../errors.ts';
import { listSections, type Section } from '../sections/section.ts';
import { daySchema, rowToPlanningItem, type PlanningItem } from './planning-item.ts';
import { canPlan } from './planning-policy.ts';

/*
 * The plan as the desk reads it: one day at a time, filtered by section or assignee, each item
 * with its section, assignee and (once started) its story's headline and status.
 */

const blankToUndefined = (v: unknown) => (v === '' || v === null ? undefined : v);

export const planningQuerySchema = z.object({
  day: z.preprocess(blankToUndefined, daySchema.optional()),
  section: z.preprocess(blankToUndefined, z.string().trim().max(100).optional()),
  assignee: z.preprocess(blankToUndefined, z.string().trim().max(100).optional()),
});

export interface PlanningBoardItem extends PlanningItem {
  sectionName: string;
  assigneeName: string | null;
  /** The draft it became, once started. */
  story: { id: string; headline: string; status: ArticleStatus } | null;
  /** What the viewer may do with it (for the buttons shown). */
  mayEdit: boolean;
  mayStart: boolean;
}

export interface PlanningBoard {
  day: string;
  filters: { section?: string; assignee?: string };
  items: PlanningBoardItem[];
  sections: Section[];
  users: Array<{ id: string; name: string }>;
}

async function boardItems(db: Db, actor: Actor, where: { day?: string; id?: string; section?: string; assignee?: string }) {
  let q = db
    .selectFrom('planning_items as p')
    .innerJoin('sections as s', 's.id', 'p.section_id')
    .leftJoin('users as u', 'u.id', 'p.assignee_user_id')
    .leftJoin('articles as a', 'a.id', 'p.article_id')
    .selectAll('p')
    .select(['s.name as section_name', 'u.name as assignee_name', 'a.headline as story_headline', 'a.status as story_status']);
  if (where.day) q = q.where('p.day', '=', where.day);
  if (where.id) q = q.where('p.id', '=', where.id);
  if (where.section) q = q.where('p.section_id', '=', where.section);
  if (where.assignee) q = q.where('p.assignee_user_id', '=', where.assignee);
  const rows = await q.orderBy('p.created_at').orderBy('p.id').execute();
  const items = rows.map((r): PlanningBoardItem => {
    const item = rowToPlanningItem(r);
    return {
      ...item,
      sectionName: r.section_name,
      assigneeName: r.assignee_name,
      story:
        item.articleId && r.story_headline !== null
          ? { id: item.articleId, headline: r.story_headline, status: r.story_status as ArticleStatus }
          : null,
      mayEdit: canPlan(actor, 'edit', item),
      mayStart: canPlan(actor, 'start', item),
    };
  });
  // By due time, the undated after; portable ordering of nulls is easier here than in SQL.
  return items.sort((a, b) => (a.dueAt ?? '~').localeCompare(b.dueAt ?? '~'));
}

/** One day of the plan (today, by the clock's UTC date, unless asked), with what its filters need. */
export async function getPlanningBoard(deps: ServiceDeps, actor: Actor, rawQuery: unknown): Promise<PlanningBoard> {
  const query = parseInput(planningQuerySchema, rawQuery ?? {});
  const day = query.day ?? deps.clock().toISOString().slice(0, 10);
  const assignee = query.assignee === 'me' ? actor.userId : query.assignee;
  const [items, sections, users] = await Promise.all([
    boardItems(deps.db, actor, { day, section: query.section, assignee }),
    listSections(deps.db),
    listUserNames(deps.db),
  ]);
  return { day, filters: { section: query.section, assignee: query.assignee }, items, sections, users };
}

/** One item for its edit form. */
export async function getPlanningItem(deps: ServiceDeps, actor: Actor, id: string): Promise<PlanningBoardItem> {
  const [item] = await boardItems(deps.db, actor, { id });
  if (!item) throw new NotFoundError('There is no planned item with that id; someone may have removed it.');
  return item;
}

/** The plan a story was started from, if any (the editor shows its slot, due time, notes and photo request). */
export async function planForStory(db: Db, articleId: string): Promise<PlanningItem | null> {
  const row = await db.selectFrom('planning_items').selectAll().where('article_id', '=', articleId).executeTakeFirst();
  return row ? rowToPlanningItem(row) : null;
}
