import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  banReader,
  getArticleHeadline,
  getQueueCounts,
  getReaderForModeration,
  getReportReasons,
  isModerationAction,
  isModerationView,
  listModerationQueue,
  moderateComments,
  unbanReader,
  type ModerationView,
} from '../domain/comments/comment-moderation.ts';
import { NotFoundError, ValidationError } from '../domain/errors.ts';
import { isId } from '../domain/ids.ts';
import { actorOf } from './newsroom-auth.ts';
import { formFields } from '../http/form-security.ts';
import type { NewsroomContext } from './newsroom-context.ts';
import { moderationView, queueUrl, readerModerationView } from './views/comments-moderation-view.ts';

const DONE: Record<string, (n: number) => string> = {
  approve: (n) => `${n === 1 ? 'The comment is' : `${n} comments are`} published.`,
  reject: (n) => `${n === 1 ? 'The comment was' : `${n} comments were`} rejected.`,
  delete: (n) => `${n === 1 ? 'The comment was' : `${n} comments were`} deleted.`,
  banned: () => 'The reader is banned.',
  unbanned: () => 'The ban has been lifted.',
};

function doneMessage(q: Record<string, unknown>): string | undefined {
  const code = typeof q.done === 'string' ? q.done : '';
  const n = typeof q.n === 'string' && /^\d{1,4}$/.test(q.n) ? Number(q.n) : 1;
  return Object.hasOwn(DONE, code) ? DONE[code]!(n) : undefined;
}

/** Only back to the comments list, never elsewhere. */
function safeReturn(value: string | undefined): string {
  return value && /^\/newsroom\/comments(\?[A-Za-z0-9\-._~%=&]*)?$/.test(value) ? value : '/newsroom/comments';
}

function withDone(url: string, done: string, n: number): string {
  return `${url}${url.includes('?') ? '&' : '?'}done=${done}&n=${n}`;
}

/** Every value of a repeated form field (checkbox lists). */
function allValues(req: FastifyRequest, name: string): string[] {
  const v = (req.body as Record<string, unknown> | undefined)?.[name];
  return (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter((x): x is string => typeof x === 'string');
}

/** The comment moderation queue for editors: lists, filters, single and bulk actions, bans. */
export function registerCommentModerationRoutes(app: FastifyInstance, ctx: NewsroomContext): void {
  const { deps } = ctx;

  app.get('/comments', { config: { access: 'editor' } }, async (req, reply) => {
    const actor = actorOf(req);
    const q = (req.query ?? {}) as Record<string, unknown>;
    const view: ModerationView = isModerationView(q.view) ? q.view : 'pending';
    const articleId = typeof q.article === 'string' && isId(q.article) ? q.article : undefined;
    const readerId = typeof q.reader === 'string' && isId(q.reader) ? q.reader : undefined;
    const page = typeof q.page === 'string' && /^\d{1,4}$/.test(q.page) && Number(q.page) >= 1 ? Number(q.page) : 1;
    const [{ items, hasMore }, counts, articleHeadline, reader] = await Promise.all([
      listModerationQueue(deps, actor, { view, articleId, readerId, page }),
      getQueueCounts(deps, actor),
      articleId ? getArticleHeadline(deps, articleId) : null,
      readerId ? getReaderForModeration(deps, actor, readerId).catch(() => undefined) : undefined,
    ]);
    const reasons = await getReportReasons(
      deps,
      actor,
      items.filter((c) => c.reportCount > 0).map((c) => c.id),
    );
    return ctx.send(
      reply,
      moderationView(ctx.chrome(req, reply), {
        csrfToken: req.newsroomSession!.csrfToken,
        view,
        items,
        reasons,
        counts,
        filter: { articleId, articleHeadline, readerId, readerName: reader?.displayName },
        page,
        hasMore,
        returnTo: queueUrl({ view, articleId, readerId, page }),
        done: doneMessage(q),
      }),
    );
  });

  app.post('/comments/bulk', { config: { access: 'editor' } }, async (req, reply) => {
    const f = formFields(req);
    if (!isModerationAction(f.action)) throw new ValidationError('Choose approve, reject or delete.');
    const ids = allValues(req, 'ids');
    if (!ids.length) throw new ValidationError('Select at least one comment first.');
    const n = await moderateComments(deps, actorOf(req), ids, f.action);
    return reply.redirect(withDone(safeReturn(f.returnTo), f.action, n), 303);
  });

  app.post<{ Params: { id: string; action: string } }>('/comments/:id/:action', { config: { access: 'editor' } }, async (req, reply) => {
    const { id, action } = req.params;
    if (!isModerationAction(action) || !isId(id)) throw new NotFoundError('There is no such comment or action.');
    const n = await moderateComments(deps, actorOf(req), [id], action);
    return reply.redirect(withDone(safeReturn(formFields(req).returnTo), action, n), 303);
  });

  app.get<{ Params: { id: string } }>('/comments/readers/:id', { config: { access: 'editor' } }, async (req, reply) => {
    const reader = await getReaderForModeration(deps, actorOf(req), req.params.id);
    const done = doneMessage((req.query ?? {}) as Record<string, unknown>);
    return ctx.send(reply, readerModerationView(ctx.chrome(req, reply), { csrfToken: req.newsroomSession!.csrfToken, reader, done }));
  });

  app.post<{ Params: { id: string } }>('/comments/readers/:id/ban', { config: { access: 'editor' } }, async (req, reply) => {
    const f = formFields(req);
    await banReader(deps, actorOf(req), req.params.id, { reason: f.reason, removePublished: f.removePublished === '1' });
    return reply.redirect(`/newsroom/comments/readers/${req.params.id}?done=banned`, 303);
  });

  app.post<{ Params: { id: string } }>('/comments/readers/:id/unban', { config: { access: 'editor' } }, async (req, reply) => {
    await unbanReader(deps, actorOf(req), req.params.id);
    return reply.redirect(`/newsroom/comments/readers/${req.params.id}?done=unbanned`, 303);
  });
}
