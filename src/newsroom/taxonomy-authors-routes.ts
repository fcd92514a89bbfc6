import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  createAuthorAsEditor,
  deleteAuthorAsEditor,
  getAuthorSummary,
  listAuthorSummaries,
  updateAuthorAsEditor,
} from '../domain/authors/author-admin.ts';
import { listLibraryImages } from '../domain/media/media-library.ts';
import { formRefusalOrThrow } from '../http/errors.ts';
import { setFlash } from './flash.ts';
import { actorOf } from './newsroom-auth.ts';
import { formFields } from '../http/form-security.ts';
import type { NewsroomContext } from './newsroom-context.ts';
import { checkId, EDITOR_ACCESS, FIXABLE } from './taxonomy-forms.ts';
import { authorEditView, authorsListView, type AuthorFormValues, type PhotoChoices } from './views/taxonomy-authors-view.ts';

type IdParams = { Params: { id: string } };
type PhotoQuery = { Querystring: { photoq?: string } };
type Extra = { error?: string; form?: AuthorFormValues };

function authorForm(req: FastifyRequest): AuthorFormValues {
  const f = formFields(req);
  return { name: f.name ?? '', slug: f.slug ?? '', roleTitle: f.roleTitle ?? '', bio: f.bio ?? '', photoImageId: f.photoImageId ?? '' };
}

export function registerAuthorAdminRoutes(app: FastifyInstance, ctx: NewsroomContext): void {
  const { deps } = ctx;
  const csrf = (req: FastifyRequest) => req.newsroomSession!.csrfToken;

  /** Photo choices: the newest library images, or those matching `photoq` (a bad query falls back to the newest). */
  const photos = async (req: FastifyRequest): Promise<PhotoChoices> => {
    const raw = (req.query as { photoq?: unknown } | undefined)?.photoq;
    const q = typeof raw === 'string' ? raw.trim().slice(0, 100) : '';
    return { images: (await listLibraryImages(deps, actorOf(req), { q, limit: 50 })).items, q };
  };
  const renderList = async (req: FastifyRequest, reply: FastifyReply, status = 200, extra: Extra = {}) =>
    ctx.send(
      reply,
      authorsListView(ctx.chrome(req, reply), {
        authors: await listAuthorSummaries(deps, actorOf(req)),
        photos: await photos(req),
        csrfToken: csrf(req),
        ...extra,
      }),
      status,
    );
  const renderEdit = async (req: FastifyRequest, reply: FastifyReply, id: string, status = 200, extra: Extra = {}) =>
    ctx.send(
      reply,
      authorEditView(ctx.chrome(req, reply), {
        author: await getAuthorSummary(deps, actorOf(req), id),
        photos: await photos(req),
        csrfToken: csrf(req),
        ...extra,
      }),
      status,
    );

  app.get<PhotoQuery>('/authors', { config: EDITOR_ACCESS }, async (req, reply) => renderList(req, reply));

  app.post('/authors', { config: EDITOR_ACCESS }, async (req, reply) => {
    const form = authorForm(req);
    try {
      const author = await createAuthorAsEditor(deps, actorOf(req), form);
      setFlash(reply, deps.config, 'author-created');
      return reply.redirect(`/newsroom/authors/${author.id}`, 303);
    } catch (err) {
      const { status, message } = formRefusalOrThrow(err, FIXABLE);
      return renderList(req, reply, status, { error: message, form });
    }
  });

  app.get<IdParams & PhotoQuery>('/authors/:id', { config: EDITOR_ACCESS }, async (req, reply) => {
    checkId(req.params.id, 'author');
    return renderEdit(req, reply, req.params.id);
  });

  app.post<IdParams>('/authors/:id', { config: EDITOR_ACCESS }, async (req, reply) => {
    checkId(req.params.id, 'author');
    const form = authorForm(req);
    try {
      await updateAuthorAsEditor(deps, actorOf(req), req.params.id, form);
      setFlash(reply, deps.config, 'author-saved');
      return reply.redirect(`/newsroom/authors/${req.params.id}`, 303);
    } catch (err) {
      const { status, message } = formRefusalOrThrow(err, FIXABLE);
      return renderEdit(req, reply, req.params.id, status, { error: message, form });
    }
  });

  app.post<IdParams>('/authors/:id/delete', { config: EDITOR_ACCESS }, async (req, reply) => {
    checkId(req.params.id, 'author');
    try {
      await deleteAuthorAsEditor(deps, actorOf(req), req.params.id);
    } catch (err) {
      const { status, message } = formRefusalOrThrow(err, FIXABLE);
      return renderEdit(req, reply, req.params.id, status, { error: message });
    }
    setFlash(reply, deps.config, 'author-deleted');
    return reply.redirect('/newsroom/authors', 303);
  });
}
