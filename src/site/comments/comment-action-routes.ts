import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { findCommentableArticle, stateOf } from '../../domain/comments/comment-article.ts';
import { findPublicComment } from '../../domain/comments/comment-thread.ts';
import {
  deleteOwnComment,
  editOwnComment,
  getOwnEditableComment,
  postComment,
  reportComment,
  toggleLike,
} from '../../domain/comments/comment-service.ts';
import type { PublicComment } from '../../domain/comments/comment.ts';
import { NotFoundError } from '../../domain/errors.ts';
import { isId } from '../../domain/ids.ts';
import { html } from '../../http/html.ts';
import { formRefusalOrThrow } from '../../http/errors.ts';
import { closedMessage, commentCountLabel, commentItem } from '../views/comments-partials.ts';
import { messagesFor } from '../../render/i18n/messages.ts';
import { chromeIn } from '../site-chrome.ts';
import { readerLocale } from '../reader-locale.ts';
import { confirmView, messageView, writeView } from '../views/comments-reader-view.ts';
import { POSTED_MESSAGES } from '../views/comments-thread-view.ts';
import type { CommentsContext } from './comments-context.ts';
import { formFields } from '../../http/form-security.ts';
import { wantsJson } from './reader-auth.ts';

type Params = { Params: { id: string } };

/** Writing, replying, editing, deleting, liking and reporting: plain forms and JSON for comments.js. */
export function registerCommentActionRoutes(app: FastifyInstance, ctx: CommentsContext): void {
  const { deps } = ctx;
  const query = (req: FastifyRequest) => (req.query ?? {}) as Record<string, unknown>;
  const signInFirst = (req: FastifyRequest, reply: FastifyReply) =>
    reply.redirect(`/comments/signin?next=${encodeURIComponent(req.url)}`, 303);
  /** Body fields from a form or a JSON body alike. */
  const fields = (req: FastifyRequest): Record<string, string> => formFields(req);

  // A story's comment forms and the fragments comments.js inserts speak the story's page language.
  const storyMessages = (article: { language: string }) => messagesFor(readerLocale({ story: article }));
  const storyChrome = async (article: { language: string }) => chromeIn(await ctx.chrome(), readerLocale({ story: article }));

  const loadComment = async (id: string): Promise<PublicComment> => {
    const c = isId(id) ? await findPublicComment(deps.db, id) : undefined;
    if (!c || c.status !== 'published') throw new NotFoundError('There is no such comment.');
    return c;
  };

  app.get('/comments/write', async (req, reply) => {
    const s = req.readerSession;
    if (!s) return signInFirst(req, reply);
    const q = query(req);
    const article = typeof q.article === 'string' && isId(q.article) ? await findCommentableArticle(deps.db, q.article) : null;
    if (!article) throw new NotFoundError('There is no such story.');
    const state = stateOf(article, deps.clock(), deps.config.comments.closeAfterDays);
    const chrome = await storyChrome(article);
    const { m } = chrome;
    if (state.kind === 'closed')
      return ctx.send(
        reply,
        messageView(chrome, m.text('reader.closedTitle'), closedMessage(m, state.reason), {
          href: `${article.path}/comments`,
          label: m.text('reader.readComments'),
        }),
        403,
      );
    if (s.banned) return ctx.send(reply, messageView(chrome, m.text('error.notAllowed'), m.text('reader.banned')), 403);
    const parent = typeof q.parent === 'string' ? await loadComment(q.parent) : undefined;
    return ctx.send(reply, writeView(chrome, { csrfToken: s.csrfToken, reader: s.reader, article, parent }));
  });

  app.post('/comments', async (req, reply) => {
    const s = req.readerSession!;
    const f = fields(req);
    const json = wantsJson(req);
    const article = isId(f.articleId ?? '') ? await findCommentableArticle(deps.db, f.articleId!) : null;
    if (!article) throw new NotFoundError('There is no such story.');
    // A filled honeypot is a bot: it is told its comment awaits review, and nothing is stored.
    if (f.website) {
      if (json) return reply.code(202).send({ status: 'pending', message: POSTED_MESSAGES.pending });
      return reply.redirect(`${article.path}/comments?posted=pending#compose`, 303);
    }
    try {
      const out = await postComment(
        ctx.commentDeps(),
        s,
        { articleId: article.id, parentId: f.parentId || null, body: f.body },
        { ip: req.ip },
      );
      const threadId = out.comment.parentId;
      if (json) {
        const count = (await findCommentableArticle(deps.db, article.id))?.commentCount ?? 0;
        const m = storyMessages(article);
        const item = commentItem(m, out.comment, { articleId: article.id, open: true, highlight: true });
        const fragment = threadId
          ? html`<li>${item}</li>`
          : html`<li class="comment-thread" data-thread="${out.comment.id}">${item}<ol class="comment-replies" data-replies></ol></li>`;
        return reply.code(201).send({
          status: out.status,
          id: out.comment.id,
          threadId,
          message: m.text(POSTED_MESSAGES[out.status]),
          count,
          countLabel: commentCountLabel(m, count),
          ...(out.status === 'published' ? { html: fragment.value } : {}),
        });
      }
      return reply.redirect(
        `${article.path}/comments?posted=${out.status}${out.status === 'published' ? `#c-${out.comment.id}` : '#compose'}`,
        303,
      );
    } catch (err) {
      if (json) throw err;
      // Plain form: show the form again with the message and what the reader typed.
      const { status, message } = formRefusalOrThrow(err, ['validation_failed', 'conflict', 'rate_limited']);
      const parent = f.parentId && isId(f.parentId) ? await findPublicComment(deps.db, f.parentId) : undefined;
      return ctx.send(
        reply,
        writeView(await storyChrome(article), { csrfToken: s.csrfToken, reader: s.reader, article, parent, body: f.body, error: message }),
        status,
      );
    }
  });

  app.get<Params>('/comments/:id/edit', async (req, reply) => {
    const s = req.readerSession;
    if (!s) return signInFirst(req, reply);
    const c = await getOwnEditableComment(ctx.commentDeps(), s, req.params.id);
    const article = (await findCommentableArticle(deps.db, c.articleId))!;
    return ctx.send(reply, writeView(await storyChrome(article), { csrfToken: s.csrfToken, reader: s.reader, article, editing: c }));
  });

  app.post<Params>('/comments/:id/edit', async (req, reply) => {
    const s = req.readerSession!;
    const f = fields(req);
    try {
      const out = await editOwnComment(ctx.commentDeps(), s, req.params.id, f.body);
      const article = (await findCommentableArticle(deps.db, out.comment.articleId))!;
      if (wantsJson(req)) {
        const m = storyMessages(article);
        return reply.send({
          status: out.status,
          id: out.comment.id,
          message: m.text(out.status === 'pending' ? POSTED_MESSAGES.pending : POSTED_MESSAGES.edited),
          html: out.status === 'published' ? commentItem(m, out.comment, { articleId: article.id, open: true }).value : undefined,
        });
      }
      return reply.redirect(`${article.path}/comments?posted=${out.status === 'pending' ? 'pending' : 'edited'}#c-${out.comment.id}`, 303);
    } catch (err) {
      if (wantsJson(req)) throw err;
      const { status, message } = formRefusalOrThrow(err, ['validation_failed']);
      const c = await getOwnEditableComment(ctx.commentDeps(), s, req.params.id);
      const article = (await findCommentableArticle(deps.db, c.articleId))!;
      return ctx.send(
        reply,
        writeView(await storyChrome(article), {
          csrfToken: s.csrfToken,
          reader: s.reader,
          article,
          editing: c,
          body: f.body,
          error: message,
        }),
        status,
      );
    }
  });

  app.get<Params>('/comments/:id/delete', async (req, reply) => {
    const s = req.readerSession;
    if (!s) return signInFirst(req, reply);
    const c = await getOwnEditableComment(ctx.commentDeps(), s, req.params.id);
    const article = (await findCommentableArticle(deps.db, c.articleId))!;
    const chrome = await storyChrome(article);
    return ctx.send(
      reply,
      confirmView(chrome, {
        title: chrome.m.text('reader.deleteTitle'),
        csrfToken: s.csrfToken,
        action: `/comments/${c.id}/delete`,
        button: chrome.m.text('reader.deleteButton'),
        comment: c,
        articlePath: article.path,
      }),
    );
  });

  app.post<Params>('/comments/:id/delete', async (req, reply) => {
    const { articleId } = await deleteOwnComment(ctx.commentDeps(), req.readerSession!, req.params.id);
    const article = (await findCommentableArticle(deps.db, articleId))!;
    if (wantsJson(req))
      return reply.send({
        deleted: true,
        count: article.commentCount,
        countLabel: commentCountLabel(storyMessages(article), article.commentCount),
      });
    return reply.redirect(`${article.path}/comments?posted=deleted`, 303);
  });

  for (const kind of ['like', 'report'] as const) {
    app.get<Params>(`/comments/:id/${kind}`, async (req, reply) => {
      const s = req.readerSession;
      if (!s) return signInFirst(req, reply);
      const c = await loadComment(req.params.id);
      const article = (await findCommentableArticle(deps.db, c.articleId))!;
      const chrome = await storyChrome(article);
      const { m } = chrome;
      const props =
        kind === 'like'
          ? { title: m.text('reader.likeTitle'), button: m.text('comments.like') }
          : { title: m.text('reader.reportTitle'), button: m.text('reader.reportButton'), reasonField: true };
      return ctx.send(
        reply,
        confirmView(chrome, {
          ...props,
          csrfToken: s.csrfToken,
          action: `/comments/${c.id}/${kind}`,
          comment: c,
          articlePath: article.path,
        }),
      );
    });
  }

  app.post<Params>('/comments/:id/like', async (req, reply) => {
    const f = fields(req);
    const body = req.body as Record<string, unknown> | undefined;
    const like = body?.like === false || f.like === '0' ? false : true;
    const out = await toggleLike(ctx.commentDeps(), req.readerSession!, req.params.id, like);
    if (wantsJson(req)) return reply.send(out);
    const c = await loadComment(req.params.id);
    const article = (await findCommentableArticle(deps.db, c.articleId))!;
    return reply.redirect(`${article.path}/comments?posted=liked#c-${c.id}`, 303);
  });

  app.post<Params>('/comments/:id/report', async (req, reply) => {
    await reportComment(ctx.commentDeps(), req.readerSession!, req.params.id, fields(req).reason);
    const c = await loadComment(req.params.id);
    const article = (await findCommentableArticle(deps.db, c.articleId))!;
    if (wantsJson(req)) return reply.send({ reported: true, message: storyMessages(article).text(POSTED_MESSAGES.reported) });
    return reply.redirect(`${article.path}/comments?posted=reported#c-${c.id}`, 303);
  });
}
