import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  createEditionAsAdmin,
  deleteEditionAsAdmin,
  getEditionAsAdmin,
  listEditionsAsAdmin,
  setEditionSectionNames,
  updateEditionAsAdmin,
} from '../domain/editions/edition-admin.ts';
import { editionSectionNames } from '../domain/editions/edition-sections.ts';
import { formRefusalOrThrow } from '../http/errors.ts';
import { formFields } from '../http/form-security.ts';
import { setFlash } from './flash.ts';
import { actorOf } from './newsroom-auth.ts';
import type { NewsroomContext } from './newsroom-context.ts';
import { checkId, FIXABLE, many } from './taxonomy-forms.ts';
import { editionEditView, editionsListView, type EditionFormValues } from './views/editions-view.ts';

type IdParams = { Params: { id: string } };
const ADMIN_ACCESS = { access: 'admin' as const };

function editionForm(req: FastifyRequest): EditionFormValues {
  const f = formFields(req);
  return {
    code: f.code ?? '',
    language: f.language ?? '',
    locale: f.locale ?? '',
    direction: f.direction ?? '',
    name: f.name ?? '',
    siteName: f.siteName ?? '',
    pathPrefix: f.pathPrefix ?? '',
    host: f.host ?? '',
    isDefault: f.isDefault === '1',
    position: f.position ?? '',
  };
}

const asInput = (v: EditionFormValues) => ({
  ...v,
  direction: v.direction as 'ltr',
  position: (v.position.trim() || '0') as unknown as number,
});

/** `/newsroom/editions`: administrators manage the site's language editions. */
export function registerEditionRoutes(app: FastifyInstance, ctx: NewsroomContext): void {
  const { deps } = ctx;
  const csrf = (req: FastifyRequest) => req.newsroomSession!.csrfToken;
  const renderList = async (
    req: FastifyRequest,
    reply: FastifyReply,
    status = 200,
    extra: { error?: string; form?: EditionFormValues } = {},
  ) =>
    ctx.send(
      reply,
      editionsListView(ctx.chrome(req, reply), { editions: await listEditionsAsAdmin(deps, actorOf(req)), csrfToken: csrf(req), ...extra }),
      status,
    );
  const renderEdit = async (
    req: FastifyRequest,
    reply: FastifyReply,
    id: string,
    status = 200,
    extra: { error?: string; form?: EditionFormValues } = {},
  ) => {
    const edition = await getEditionAsAdmin(deps, actorOf(req), id);
    const sections = await editionSectionNames(deps.db, id);
    return ctx.send(reply, editionEditView(ctx.chrome(req, reply), { edition, sections, csrfToken: csrf(req), ...extra }), status);
  };

  app.get('/editions', { config: ADMIN_ACCESS }, async (req, reply) => renderList(req, reply));

  app.post('/editions', { config: ADMIN_ACCESS }, async (req, reply) => {
    const form = editionForm(req);
    try {
      const edition = await createEditionAsAdmin(deps, actorOf(req), asInput(form));
      setFlash(reply, deps.config, 'edition-saved');
      return reply.redirect(`/newsroom/editions/${edition.id}`, 303);
    } catch (err) {
      const { status, message } = formRefusalOrThrow(err, FIXABLE);
      return renderList(req, reply, status, { error: message, form });
    }
  });

  app.get<IdParams>('/editions/:id', { config: ADMIN_ACCESS }, async (req, reply) => {
    checkId(req.params.id, 'edition');
    return renderEdit(req, reply, req.params.id);
  });

  app.post<IdParams>('/editions/:id', { config: ADMIN_ACCESS }, async (req, reply) => {
    checkId(req.params.id, 'edition');
    const form = editionForm(req);
    try {
      await updateEditionAsAdmin(deps, actorOf(req), req.params.id, asInput(form));
      setFlash(reply, deps.config, 'edition-saved');
      return reply.redirect(`/newsroom/editions/${req.params.id}`, 303);
    } catch (err) {
      const { status, message } = formRefusalOrThrow(err, FIXABLE);
      return renderEdit(req, reply, req.params.id, status, { error: message, form });
    }
  });

  app.post<IdParams>('/editions/:id/sections', { config: ADMIN_ACCESS }, async (req, reply) => {
    checkId(req.params.id, 'edition');
    const ids = many(req, 'sectionId');
    const names = many(req, 'sectionName');
    const slugs = many(req, 'sectionSlug');
    try {
      await setEditionSectionNames(
        deps,
        actorOf(req),
        req.params.id,
        ids.map((sectionId, i) => ({ sectionId, name: names[i] ?? '', slug: slugs[i] ?? '' })),
      );
      setFlash(reply, deps.config, 'edition-saved');
      return reply.redirect(`/newsroom/editions/${req.params.id}`, 303);
    } catch (err) {
      const { status, message } = formRefusalOrThrow(err, FIXABLE);
      return renderEdit(req, reply, req.params.id, status, { error: message });
    }
  });

  app.post<IdParams>('/editions/:id/delete', { config: ADMIN_ACCESS }, async (req, reply) => {
    checkId(req.params.id, 'edition');
    try {
      await deleteEditionAsAdmin(deps, actorOf(req), req.params.id);
    } catch (err) {
      const { status, message } = formRefusalOrThrow(err, FIXABLE);
      return renderEdit(req, reply, req.params.id, status, { error: message });
    }
    setFlash(reply, deps.config, 'edition-deleted');
    return reply.redirect('/newsroom/editions', 303);
  });
}
