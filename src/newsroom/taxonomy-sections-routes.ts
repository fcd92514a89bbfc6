import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  createSectionAsEditor,
  deleteSectionAsEditor,
  getSectionSummary,
  listSectionSummaries,
  updateSectionAsEditor,
} from '../domain/sections/section-admin.ts';
import { formRefusalOrThrow } from '../http/errors.ts';
import { setFlash } from './flash.ts';
import { actorOf } from './newsroom-auth.ts';
import { formFields } from '../http/form-security.ts';
import type { NewsroomContext } from './newsroom-context.ts';
import { checkId, EDITOR_ACCESS, FIXABLE } from './taxonomy-forms.ts';
import { sectionEditView, sectionsListView, type SectionFormValues } from './views/taxonomy-sections-view.ts';

type IdParams = { Params: { id: string } };

function sectionForm(req: FastifyRequest): SectionFormValues {
  const f = formFields(req);
  return { name: f.name ?? '', slug: f.slug ?? '', description: f.description ?? '', position: f.position ?? '' };
}

/** The form as domain input: an empty position means 0 (the schema coerces the digits). */
const asInput = (v: SectionFormValues) => ({
  name: v.name,
  slug: v.slug,
  description: v.description,
  position: (v.position.trim() || '0') as unknown as number,
});

export function registerSectionAdminRoutes(app: FastifyInstance, ctx: NewsroomContext): void {
  const { deps } = ctx;
  const csrf = (req: FastifyRequest) => req.newsroomSession!.csrfToken;

  const renderList = async (
    req: FastifyRequest,
    reply: FastifyReply,
    status = 200,
    extra: { error?: string; form?: SectionFormValues } = {},
  ) =>
    ctx.send(
      reply,
      sectionsListView(ctx.chrome(req, reply), {
        sections: await listSectionSummaries(deps, actorOf(req)),
        csrfToken: csrf(req),
        ...extra,
      }),
      status,
    );
  const renderEdit = async (
    req: FastifyRequest,
    reply: FastifyReply,
    id: string,
    status = 200,
    extra: { error?: string; form?: SectionFormValues } = {},
  ) =>
    ctx.send(
      reply,
      sectionEditView(ctx.chrome(req, reply), { section: await getSectionSummary(deps, actorOf(req), id), csrfToken: csrf(req), ...extra }),
      status,
    );

  app.get('/sections', { config: EDITOR_ACCESS }, async (req, reply) => renderList(req, reply));

  app.post('/sections', { config: EDITOR_ACCESS }, async (req, reply) => {
    const form = sectionForm(req);
    try {
      const section = await createSectionAsEditor(deps, actorOf(req), asInput(form));
      setFlash(reply, deps.config, 'section-created');
      return reply.redirect(`/newsroom/sections/${section.id}`, 303);
    } catch (err) {
      const { status, message } = formRefusalOrThrow(err, FIXABLE);
      return renderList(req, reply, status, { error: message, form });
    }
  });

  app.get<IdParams>('/sections/:id', { config: EDITOR_ACCESS }, async (req, reply) => {
    checkId(req.params.id, 'section');
    return renderEdit(req, reply, req.params.id);
  });

  app.post<IdParams>('/sections/:id', { config: EDITOR_ACCESS }, async (req, reply) => {
    checkId(req.params.id, 'section');
    const form = sectionForm(req);
    try {
      await updateSectionAsEditor(deps, actorOf(req), req.params.id, asInput(form));
      setFlash(reply, deps.config, 'section-saved');
      return reply.redirect(`/newsroom/sections/${req.params.id}`, 303);
    } catch (err) {
      const { status, message } = formRefusalOrThrow(err, FIXABLE);
      return renderEdit(req, reply, req.params.id, status, { error: message, form });
    }
  });

  app.post<IdParams>('/sections/:id/delete', { config: EDITOR_ACCESS }, async (req, reply) => {
    checkId(req.params.id, 'section');
    try {
      await deleteSectionAsEditor(deps, actorOf(req), req.params.id);
    } catch (err) {
      const { status, message } = formRefusalOrThrow(err, FIXABLE);
      return renderEdit(req, reply, req.params.id, status, { error: message });
    }
    setFlash(reply, deps.config, 'section-deleted');
    return reply.redirect('/newsroom/sections', 303);
  });
}
