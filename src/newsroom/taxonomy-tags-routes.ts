import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { deleteTag, getTagSummary, listTagSummaries, mergeTags, renameTag } from '../domain/tags/tag-admin.ts';
import { formRefusalOrThrow } from '../http/errors.ts';
import { setFlash } from './flash.ts';
import { actorOf } from './newsroom-auth.ts';
import { formFields } from '../http/form-security.ts';
import type { NewsroomContext } from './newsroom-context.ts';
import { setTagNamesInEditions, tagNamesByEdition } from '../domain/editions/edition-tags.ts';
import { checkId, EDITOR_ACCESS, FIXABLE, many } from './taxonomy-forms.ts';
import { tagEditView, tagsListView, type TagPageProps } from './views/taxonomy-tags-view.ts';

type IdParams = { Params: { id: string } };

export function registerTagAdminRoutes(app: FastifyInstance, ctx: NewsroomContext): void {
  const { deps } = ctx;

  const renderEdit = async (
    req: FastifyRequest,
    reply: FastifyReply,
    id: string,
    status = 200,
    extra: Pick<TagPageProps, 'error' | 'form'> = {},
  ) => {
    const actor = actorOf(req);
    const tag = await getTagSummary(deps, actor, id);
    const others = (await listTagSummaries(deps, actor)).filter((t) => t.id !== id);
    const editionNames = await tagNamesByEdition(deps, actor, id);
    return ctx.send(
      reply,
      tagEditView(ctx.chrome(req, reply), { tag, others, editionNames, csrfToken: req.newsroomSession!.csrfToken, ...extra }),
      status,
    );
  };
  /** Runs a change; a refusal re-renders the tag page with the typed values and the reason. */
  const attempt = async (req: FastifyRequest<IdParams>, reply: FastifyReply, change: () => Promise<unknown>, done: () => FastifyReply) => {
    try {
      await change();
    } catch (err) {
      const { status, message } = formRefusalOrThrow(err, FIXABLE);
      const f = formFields(req);
      // The rename and merge forms are shown again as typed; the editions' form has neither field.
      const typed = f.name !== undefined || f.into !== undefined;
      return renderEdit(req, reply, req.params.id, status, {
        error: message,
        ...(typed ? { form: { name: f.name ?? '', slug: f.slug ?? '', into: f.into ?? '' } } : {}),
      });
    }
    return done();
  };

  app.get<{ Querystring: { q?: string } }>('/tags', { config: EDITOR_ACCESS }, async (req, reply) => {
    const q = typeof req.query.q === 'string' ? req.query.q : '';
    const tags = await listTagSummaries(deps, actorOf(req), { q });
    return ctx.send(reply, tagsListView(ctx.chrome(req, reply), { tags, q }));
  });

  app.get<IdParams>('/tags/:id', { config: EDITOR_ACCESS }, async (req, reply) => {
    checkId(req.params.id, 'tag');
    return renderEdit(req, reply, req.params.id);
  });

  app.post<IdParams>('/tags/:id', { config: EDITOR_ACCESS }, async (req, reply) => {
    checkId(req.params.id, 'tag');
    const f = formFields(req);
    return attempt(
      req,
      reply,
      () => renameTag(deps, actorOf(req), req.params.id, { name: f.name ?? '', slug: f.slug ?? '' }),
      () => {
        setFlash(reply, deps.config, 'tag-saved');
        return reply.redirect(`/newsroom/tags/${req.params.id}`, 303);
      },
    );
  });

  app.post<IdParams>('/tags/:id/editions', { config: EDITOR_ACCESS }, async (req, reply) => {
    checkId(req.params.id, 'tag');
    const names = many(req, 'editionName');
    const entries = many(req, 'editionId').map((editionId, i) => ({ editionId, name: names[i] ?? '' }));
    return attempt(
      req,
      reply,
      () => setTagNamesInEditions(deps, actorOf(req), req.params.id, entries),
      () => {
        setFlash(reply, deps.config, 'tag-editions-saved');
        return reply.redirect(`/newsroom/tags/${req.params.id}`, 303);
      },
    );
  });

  app.post<IdParams>('/tags/:id/merge', { config: EDITOR_ACCESS }, async (req, reply) => {
    checkId(req.params.id, 'tag');
    let targetId = '';
    return attempt(
      req,
      reply,
      async () => (targetId = (await mergeTags(deps, actorOf(req), req.params.id, formFields(req).into ?? '')).target.id),
      () => {
        setFlash(reply, deps.config, 'tag-merged');
        return reply.redirect(`/newsroom/tags/${targetId}`, 303);
      },
    );
  });

  app.post<IdParams>('/tags/:id/delete', { config: EDITOR_ACCESS }, async (req, reply) => {
    checkId(req.params.id, 'tag');
    return attempt(
      req,
      reply,
      () => deleteTag(deps, actorOf(req), req.params.id),
      () => {
        setFlash(reply, deps.config, 'tag-deleted');
        return reply.redirect('/newsroom/tags', 303);
      },
    );
  });
}
