import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { arrangementSchema, type Arrangement } from '../domain/fronts/front-arrangement.ts';
import { cancelScheduledArrangement, restoreArrangement, saveArrangement } from '../domain/fronts/front-arrangement-service.ts';
import { getArrangementVersion, getFrontDesk, listFronts, resolveFront, type FrontRef } from '../domain/fronts/front-desk.ts';
import { describeStories, describeTags, findPickableStories, type PickableStory } from '../domain/fronts/front-story-picker.ts';
import { listTagSummaries } from '../domain/tags/tag-admin.ts';
import { NotFoundError, ValidationError } from '../domain/errors.ts';
import { parseInput } from '../domain/articles/article-service.ts';
import { versionedAsset } from '../http/assets.ts';
import { formRefusalOrThrow } from '../http/errors.ts';
import { formFields } from '../http/form-security.ts';
import { setFlash, type FlashCode } from './flash.ts';
import { applyFormStep, arrangementToForm, formToArrangement, readFrontForm, type FrontFormState } from './front-form.ts';
import { actorOf } from './newsroom-auth.ts';
import type { NewsroomContext } from './newsroom-context.ts';
import { EDITOR_ACCESS, FIXABLE } from './taxonomy-forms.ts';
import { arrangeFrontView, frontsListView } from './views/fronts-view.ts';
import { parseZonedTime } from './workflow-time.ts';

type FrontParams = { Params: { front: string } };

/** A whole number from a form field, or a 400 naming it. */
function wholeNumber(value: string | undefined, field: string): number {
  if (!value || !/^\d{1,9}$/.test(value))
    throw new ValidationError(`${field}: expected a whole number`, [{ path: field, message: 'not a number' }]);
  return Number(value);
}

/**
 * The front desk (`/newsroom/fronts`, editors): arrange a front, preview it as readers would
 * see it, publish or schedule it, and restore an old arrangement. Every write goes through
 * domain/fronts/front-arrangement-service.ts (roles, revision check, audit, change event).
 */
export function registerFrontRoutes(app: FastifyInstance, ctx: NewsroomContext): void {
  const { deps } = ctx;
  let script: string | undefined;
  const scriptSrc = () => (script ??= versionedAsset('newsroom-fronts.js'));

  const render = async (
    req: FastifyRequest,
    reply: FastifyReply,
    front: FrontRef,
    p: { state?: FrontFormState; q?: string; results?: PickableStory[] | null; target?: string; error?: string; status?: number } = {},
  ) => {
    const actor = actorOf(req);
    const desk = await getFrontDesk(deps, actor, front);
    const state = p.state ?? arrangementToForm(desk.working.arrangement);
    const pinned = [...state.lead, ...state.top.pins, ...state.blocks.flatMap((b) => b.pins)];
    const [stories, popular] = await Promise.all([describeStories(deps, pinned), listTagSummaries(deps, actor)]);
    // A block's chosen tag stays selectable even when it is not among the most used.
    const chosen = state.blocks.map((b) => b.tagId).filter((id) => id && !popular.some((t) => t.id === id));
    const tags = [...popular, ...(await describeTags(deps, chosen))];
    for (const s of p.results ?? []) stories.set(s.id, s);
    return ctx.send(
      reply,
      arrangeFrontView(ctx.chrome(req, reply), {
        desk,
        state,
        stories,
        tags,
        csrfToken: req.newsroomSession!.csrfToken,
        q: p.q ?? '',
        results: p.results ?? null,
        target: p.target ?? 'top',
        scriptSrc: scriptSrc(),
        ...(p.error ? { error: p.error } : {}),
      }),
      p.status ?? 200,
    );
  };

  const done = (reply: FastifyReply, front: FrontRef, flash: FlashCode) => {
    setFlash(reply, deps.config, flash);
    return reply.redirect(`/newsroom/fronts/${front.name}`, 303);
  };

  const preview = async (reply: FastifyReply, front: FrontRef, arrangement: Arrangement, version: number) => {
    const page = await ctx.publicFrontPreview(front.sectionSlug, { arrangement, version }, front.language ?? undefined);
    if (!page) throw new NotFoundError('There is no such front.');
    return reply.code(200).header('content-type', 'text/html; charset=utf-8').send(page.value);
  };

  app.get('/fronts', { config: EDITOR_ACCESS }, async (req, reply) =>
    ctx.send(reply, frontsListView(ctx.chrome(req, reply), await listFronts(deps, actorOf(req)))),
  );

  app.get<FrontParams>('/fronts/:front', { config: EDITOR_ACCESS }, async (req, reply) =>
    render(req, reply, await resolveFront(deps, req.params.front)),
  );

  app.post<FrontParams>('/fronts/:front', { config: EDITOR_ACCESS }, async (req, reply) => {
    const front = await resolveFront(deps, req.params.front);
    const { state, op } = readFrontForm(req);
    const f = formFields(req);
    const target = f.target ?? 'top';
    const q = f.q ?? '';
    if (!op) throw new ValidationError('op: choose one of the page’s buttons', [{ path: 'op', message: 'unknown action' }]);
    try {
      switch (op.kind) {
        case 'save':
        case 'publish':
        case 'schedule': {
          const expectedRevision = wholeNumber(f.expectedRevision, 'expectedRevision');
          const mode =
            op.kind === 'save'
              ? ({ kind: 'draft' } as const)
              : op.kind === 'publish'
                ? ({ kind: 'now' } as const)
                : ({ kind: 'at', at: parseZonedTime(f.at ?? '', f.tz ?? 'UTC', 'at') } as const);
          await saveArrangement(deps, actorOf(req), front.key, { arrangement: formToArrangement(state), expectedRevision, mode });
          return done(reply, front, op.kind === 'save' ? 'front-draft' : op.kind === 'publish' ? 'front-published' : 'front-scheduled');
        }
        case 'preview':
          return preview(reply, front, parseInput(arrangementSchema, formToArrangement(state)), 0);
        case 'search': {
          const results = await findPickableStories(deps, actorOf(req), q, null, front.language);
          return render(req, reply, front, { state, q, results, target });
        }
        default:
          applyFormStep(state, op, target);
          return render(req, reply, front, { state, q, target });
      }
    } catch (err) {
      const { status, message } = formRefusalOrThrow(err, FIXABLE);
      return render(req, reply, front, { state, q, target, error: message, status });
    }
  });

  // The picker's search as JSON, for the page's script (without script, the form's Search button).
  app.get<FrontParams & { Querystring: { q?: string } }>('/fronts/:front/stories', { config: EDITOR_ACCESS }, async (req, reply) => {
    const front = await resolveFront(deps, req.params.front);
    const q = typeof req.query.q === 'string' ? req.query.q : '';
    const stories = await findPickableStories(deps, actorOf(req), q, null, front.language);
    return reply.send({ stories });
  });

  app.get<FrontParams & { Querystring: { version?: string } }>('/fronts/:front/preview', { config: EDITOR_ACCESS }, async (req, reply) => {
    const front = await resolveFront(deps, req.params.front);
    const found = await getArrangementVersion(deps, actorOf(req), front, wholeNumber(req.query.version, 'version'));
    return preview(reply, front, found.arrangement, found.version);
  });

  app.post<FrontParams>('/fronts/:front/restore', { config: EDITOR_ACCESS }, async (req, reply) => {
    const front = await resolveFront(deps, req.params.front);
    const f = formFields(req);
    try {
      await restoreArrangement(deps, actorOf(req), front.key, {
        version: wholeNumber(f.version, 'version'),
        expectedRevision: wholeNumber(f.expectedRevision, 'expectedRevision'),
        publish: false,
      });
    } catch (err) {
      const { status, message } = formRefusalOrThrow(err, FIXABLE);
      return render(req, reply, front, { error: message, status });
    }
    return done(reply, front, 'front-restored');
  });

  app.post<FrontParams>('/fronts/:front/cancel', { config: EDITOR_ACCESS }, async (req, reply) => {
    const front = await resolveFront(deps, req.params.front);
    try {
      await cancelScheduledArrangement(deps, actorOf(req), front.key, wholeNumber(formFields(req).version, 'version'));
    } catch (err) {
      const { status, message } = formRefusalOrThrow(err, FIXABLE);
      return render(req, reply, front, { error: message, status });
    }
    return done(reply, front, 'front-cancelled');
  });
}
