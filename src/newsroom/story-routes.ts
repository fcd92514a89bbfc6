import type { FastifyInstance } from 'fastify';
import { createStory, getNewStoryOptions } from '../domain/desk/article-editor.ts';
import { listStories } from '../domain/desk/article-list.ts';
import { formRefusalOrThrow } from '../http/errors.ts';
import { actorOf } from './newsroom-auth.ts';
import { formFields } from '../http/form-security.ts';
import type { NewsroomContext } from './newsroom-context.ts';
import { registerStoryConflictRoutes } from './story-conflict-routes.ts';
import { registerStoryEditorRoutes } from './story-editor-routes.ts';
import { registerStoryPendingRoutes } from './story-pending-routes.ts';
import { registerStoryNotesRoutes } from './story-notes-routes.ts';
import { registerPreviewLinkRoutes } from './preview-link-routes.ts';
import { registerStoryPresenceRoutes } from './story-presence-routes.ts';
import { bylinesFrom } from './story-form.ts';
import { newStoryView } from './views/story-new-view.ts';
import { storyListView } from './views/story-list-view.ts';

/** Stories in the newsroom: the list, a new draft, the editor, saving, preview, conflicts. */
export function registerStoryRoutes(app: FastifyInstance, ctx: NewsroomContext): void {
  const { deps } = ctx;

  app.get('/stories', { config: { access: 'contributor' } }, async (req, reply) => {
    const [list, options] = await Promise.all([listStories(deps, actorOf(req), req.query), getNewStoryOptions(deps)]);
    return ctx.send(reply, storyListView(ctx.chrome(req, reply), { list, ...options }));
  });

  app.get('/stories/new', { config: { access: 'contributor' } }, async (req, reply) => {
    const options = await getNewStoryOptions(deps);
    return ctx.send(reply, newStoryView(ctx.chrome(req, reply), { ...options, csrfToken: req.newsroomSession!.csrfToken }));
  });

  app.post('/stories', { config: { access: 'contributor' } }, async (req, reply) => {
    const fields = formFields(req);
    try {
      const story = await createStory(deps, actorOf(req), {
        headline: fields.headline ?? '',
        standfirst: fields.standfirst ?? '',
        sectionId: fields.sectionId ?? '',
        authorIds: bylinesFrom(fields),
      });
      return reply.redirect(`/newsroom/stories/${story.id}`, 303);
    } catch (err) {
      const { status, message } = formRefusalOrThrow(err, ['validation_failed']);
      const options = await getNewStoryOptions(deps);
      const page = newStoryView(ctx.chrome(req, reply), {
        ...options,
        csrfToken: req.newsroomSession!.csrfToken,
        values: fields,
        error: message,
      });
      return ctx.send(reply, page, status);
    }
  });

  registerStoryEditorRoutes(app, ctx);
  registerStoryConflictRoutes(app, ctx);
  registerStoryPendingRoutes(app, ctx);
  registerStoryNotesRoutes(app, ctx);
  registerStoryPresenceRoutes(app, ctx);
  registerPreviewLinkRoutes(app, ctx);
}
