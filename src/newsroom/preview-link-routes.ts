import type { FastifyInstance } from 'fastify';
import { createPreviewLink, revokePreviewLink } from '../domain/desk/preview-links.ts';
import { NotFoundError, ERROR_CODES } from '../domain/errors.ts';
import { isId } from '../domain/ids.ts';
import { formRefusalOrThrow } from '../http/errors.ts';
import { formFields } from '../http/form-security.ts';
import { actorOf } from './newsroom-auth.ts';
import type { NewsroomContext } from './newsroom-context.ts';
import { previewLinkCreatedView } from './views/story-preview-links-panel.ts';
import { workflowErrorView } from './views/workflow-error-view.ts';
import { handleStoryForm, storyIdParam } from './workflow-forms.ts';

/** Sharable preview links of a story (`/stories/:id/preview-links…`); roles and CSRF from the newsroom's guard. */
export function registerPreviewLinkRoutes(app: FastifyInstance, ctx: NewsroomContext): void {
  const { deps } = ctx;

  // Not POST-redirect-GET: the secret is shown on this answer only, never put in a URL or a cookie.
  app.post<{ Params: { id: string } }>('/stories/:id/preview-links', { config: { access: 'contributor' } }, async (req, reply) => {
    const id = storyIdParam(req);
    try {
      const { link, secret } = await createPreviewLink(deps, actorOf(req), id, formFields(req));
      const url = new URL(`/preview/${secret}`, deps.config.siteUrl).toString();
      reply.header('cache-control', 'private, no-store');
      return ctx.send(reply, previewLinkCreatedView(ctx.chrome(req, reply), { url, expiresAt: link.expiresAt, articleId: id }), 201);
    } catch (err) {
      const { status, message } = formRefusalOrThrow(err, ERROR_CODES);
      return ctx.send(reply, workflowErrorView(ctx.chrome(req, reply), status, message, `/newsroom/stories/${id}`), status);
    }
  });

  app.post<{ Params: { id: string; linkId: string } }>(
    '/stories/:id/preview-links/:linkId/revoke',
    { config: { access: 'contributor' } },
    async (req, reply) =>
      handleStoryForm(ctx, req, reply, async (id) => {
        if (!isId(req.params.linkId)) throw new NotFoundError('There is no such preview link on this story.');
        await revokePreviewLink(deps, actorOf(req), id, req.params.linkId);
        return 'preview-link-revoked';
      }),
  );
}
