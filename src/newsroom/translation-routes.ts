import type { FastifyInstance } from 'fastify';
import { confirmTranslation, translateStory } from '../domain/editions/translation-service.ts';
import { formFields } from '../http/form-security.ts';
import { actorOf } from './newsroom-auth.ts';
import type { NewsroomContext } from './newsroom-context.ts';
import { setFlash } from './flash.ts';
import { storyIdParam } from './workflow-forms.ts';

/** "Translate" a story into another edition, and confirm a translation is in step with its source. */
export function registerTranslationRoutes(app: FastifyInstance, ctx: NewsroomContext): void {
  const { deps } = ctx;

  app.post<{ Params: { id: string } }>('/stories/:id/translate', { config: { access: 'contributor' } }, async (req, reply) => {
    const created = await translateStory(deps, actorOf(req), storyIdParam(req), formFields(req).editionId ?? '');
    return reply.redirect(`/newsroom/stories/${created.id}`, 303);
  });

  app.post<{ Params: { id: string } }>('/stories/:id/translation/confirm', { config: { access: 'editor' } }, async (req, reply) => {
    const id = storyIdParam(req);
    await confirmTranslation(deps, actorOf(req), id);
    setFlash(reply, deps.config, 'translation-confirmed');
    const back = formFields(req).returnTo ?? '';
    return reply.redirect(/^\/newsroom\/stories\/[0-9a-f-]+$/.test(back) ? back : `/newsroom/stories/${id}`, 303);
  });
}
