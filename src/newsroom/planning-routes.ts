import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { roleAtLeast } from '../domain/accounts/access.ts';
import { getPlanningBoard, getPlanningItem } from '../domain/planning/planning-board.ts';
import type { PlanningInput } from '../domain/planning/planning-item.ts';
import { createPlanningItem, deletePlanningItem, startWriting, updatePlanningItem } from '../domain/planning/planning-service.ts';
import { listUserNames } from '../domain/accounts/user-names.ts';
import { listSections } from '../domain/sections/section.ts';
import { formRefusalOrThrow } from '../http/errors.ts';
import { formFields } from '../http/form-security.ts';
import { actorOf } from './newsroom-auth.ts';
import type { NewsroomContext } from './newsroom-context.ts';
import { expectedRevisionField } from './workflow-forms.ts';
import { parseZonedTime } from './workflow-time.ts';
import { planningFormView, type PlanningFormValues } from './views/planning-form-view.ts';
import { PLANNING_DONE, planningView, type PlanningDone } from './views/planning-view.ts';

/*
 * The planning page (`/newsroom/planning?day=…`): the day's planned stories, their forms, and
 * "Start writing". Thin handlers: the rules are domain/planning's.
 */

const REFUSALS = ['validation_failed', 'forbidden', 'conflict', 'not_found'] as const;

function formValues(f: Record<string, string>): PlanningFormValues {
  return {
    day: f.day ?? '',
    workingHeadline: f.workingHeadline ?? '',
    sectionId: f.sectionId ?? '',
    slot: f.slot ?? '',
    dueTime: f.dueTime ?? '',
    tz: f.tz || 'UTC',
    assigneeUserId: f.assigneeUserId ?? '',
    notes: f.notes ?? '',
    photoRequest: f.photoRequest ?? '',
  };
}

/** The form as domain input; the due time is read on the planned day in the zone given. */
function planningInput(v: PlanningFormValues): PlanningInput {
  const dueAt = v.dueTime.trim() ? parseZonedTime(`${v.day}T${v.dueTime.trim()}`, v.tz, 'dueTime') : null;
  return {
    day: v.day,
    workingHeadline: v.workingHeadline,
    sectionId: v.sectionId,
    slot: v.slot,
    dueAt,
    assigneeUserId: v.assigneeUserId || null,
    notes: v.notes,
    photoRequest: v.photoRequest,
  };
}

function boardPath(day: string, done?: PlanningDone, id?: string): string {
  return `/newsroom/planning?day=${encodeURIComponent(day)}${done ? `&done=${done}` : ''}${id ? `#item-${id}` : ''}`;
}

export function registerPlanningRoutes(app: FastifyInstance, ctx: NewsroomContext): void {
  const { deps } = ctx;

  async function showForm(
    req: FastifyRequest,
    reply: FastifyReply,
    values: PlanningFormValues,
    extra: { item?: { id: string; revision: number }; error?: string; status?: number } = {},
  ) {
    const actor = actorOf(req);
    const [sections, users] = await Promise.all([listSections(deps.db), listUserNames(deps.db)]);
    const page = planningFormView(ctx.chrome(req, reply), {
      item: extra.item,
      values,
      sections,
      users,
      mayAssignOthers: roleAtLeast(actor.role, 'editor'),
      selfId: actor.userId,
      csrfToken: req.newsroomSession!.csrfToken,
      error: extra.error,
    });
    return ctx.send(reply, page, extra.status ?? 200);
  }

  app.get('/planning', { config: { access: 'contributor' } }, async (req, reply) => {
    const query = req.query as Record<string, unknown>;
    const board = await getPlanningBoard(deps, actorOf(req), { day: query.day, section: query.section, assignee: query.assignee });
    const done = typeof query.done === 'string' && query.done in PLANNING_DONE ? (query.done as PlanningDone) : undefined;
    const today = deps.clock().toISOString().slice(0, 10);
    return ctx.send(reply, planningView(ctx.chrome(req, reply), { board, csrfToken: req.newsroomSession!.csrfToken, done, today }));
  });

  app.get('/planning/new', { config: { access: 'contributor' } }, async (req, reply) => {
    const day = (req.query as Record<string, unknown>).day;
    const values = formValues({ day: typeof day === 'string' && day ? day : deps.clock().toISOString().slice(0, 10) });
    // Editors plan for others; anyone else pitches for themselves.
    if (!roleAtLeast(actorOf(req).role, 'editor')) values.assigneeUserId = actorOf(req).userId;
    return showForm(req, reply, values);
  });

  app.post('/planning', { config: { access: 'contributor' } }, async (req, reply) => {
    const values = formValues(formFields(req));
    try {
      const item = await createPlanningItem(deps, actorOf(req), planningInput(values));
      return reply.redirect(boardPath(item.day, 'created', item.id), 303);
    } catch (err) {
      const { status, message } = formRefusalOrThrow(err, REFUSALS);
      return showForm(req, reply, values, { error: message, status });
    }
  });

  app.get<{ Params: { id: string } }>('/planning/:id/edit', { config: { access: 'contributor' } }, async (req, reply) => {
    const item = await getPlanningItem(deps, actorOf(req), req.params.id);
    const values: PlanningFormValues = {
      day: item.day,
      workingHeadline: item.workingHeadline,
      sectionId: item.sectionId,
      slot: item.slot,
      dueTime: item.dueAt ? item.dueAt.slice(11, 16) : '',
      tz: 'UTC',
      assigneeUserId: item.assigneeUserId ?? '',
      notes: item.notes,
      photoRequest: item.photoRequest,
    };
    return showForm(req, reply, values, { item: { id: item.id, revision: item.revision } });
  });

  app.post<{ Params: { id: string } }>('/planning/:id', { config: { access: 'contributor' } }, async (req, reply) => {
    const fields = formFields(req);
    const values = formValues(fields);
    try {
      const item = await updatePlanningItem(deps, actorOf(req), req.params.id, planningInput(values), expectedRevisionField(fields));
      return reply.redirect(boardPath(item.day, 'updated', item.id), 303);
    } catch (err) {
      const { status, message } = formRefusalOrThrow(err, REFUSALS);
      const revision = Number(fields.expectedRevision) || 0;
      return showForm(req, reply, values, { item: { id: req.params.id, revision }, error: message, status });
    }
  });

  app.post<{ Params: { id: string } }>('/planning/:id/delete', { config: { access: 'contributor' } }, async (req, reply) => {
    const fields = formFields(req);
    const item = await getPlanningItem(deps, actorOf(req), req.params.id);
    await deletePlanningItem(deps, actorOf(req), req.params.id, expectedRevisionField(fields));
    return reply.redirect(boardPath(item.day, 'deleted'), 303);
  });

  app.post<{ Params: { id: string } }>('/planning/:id/start', { config: { access: 'contributor' } }, async (req, reply) => {
    const fields = formFields(req);
    const { article } = await startWriting(deps, actorOf(req), req.params.id, expectedRevisionField(fields));
    return reply.redirect(`/newsroom/stories/${article.id}`, 303);
  });
}
