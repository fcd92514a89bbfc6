import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../domain/accounts/role.ts';
import { getStoryForEditing, saveStory, type StoryEditorData } from '../domain/desk/article-editor.ts';
import { getArticlePreview } from '../domain/desk/article-preview.ts';
import { articlePath } from '../domain/articles/article.ts';
import { documentToProseMirror } from '../domain/documents/document-prosemirror.ts';
import { EditConflictError, ValidationError } from '../domain/errors.ts';
import { toSlug } from '../domain/slug.ts';
import { errorReply, formRefusalOrThrow, publicErrorFor } from '../http/errors.ts';
import { actorOf } from './newsroom-auth.ts';
import { formFields } from '../http/form-security.ts';
import type { NewsroomContext } from './newsroom-context.ts';
import { storyEditorScript } from './story-client-asset.ts';
import type { SaveFailure, SaveOk, StoryEditorBoot } from './story-editor-boot.ts';
import { baseRevisionFrom, formToStoryEdit, formValuesFromFields, formValuesFromStory } from './story-form.ts';
import { storyWorkflowPanel } from './views/story-workflow-panel.ts';
import { storyEditionsPanel } from './views/story-editions-panel.ts';
import { getStoryEditions, type StoryEditions } from '../domain/desk/story-translations.ts';
import { roleAtLeast } from '../domain/accounts/access.ts';
import { html } from '../http/html.ts';
import { storyIdParam } from './workflow-forms.ts';
import { pickerItem } from './media-json.ts';
import { storyEditorView, type StoryFormValues } from './views/story-editor-view.ts';

/** Stories long enough to need it still fit: 2,000 blocks of ProseMirror JSON. */
const SAVE_BODY_LIMIT = 4 * 1024 * 1024;
const AUTOSAVED_STATUSES = new Set(['draft', 'in_review', 'unpublished']);

export function registerStoryEditorRoutes(app: FastifyInstance, ctx: NewsroomContext): void {
  const { deps } = ctx;
  const scriptHref = storyEditorScript();

  function renderEditor(
    req: FastifyRequest,
    reply: FastifyReply,
    actor: Actor,
    data: StoryEditorData,
    extra: { values?: StoryFormValues; error?: string; status?: number; editions?: StoryEditions } = {},
  ) {
    const a = data.article;
    const section = data.sections.find((s) => s.id === a.sectionId);
    const boot: StoryEditorBoot = {
      articleId: a.id,
      revision: a.revision,
      editable: data.editable,
      autosave: data.editable && AUTOSAVED_STATUSES.has(a.status),
      slugFollowsHeadline: a.publishedAt === null && a.slug === toSlug(a.headline),
      doc: documentToProseMirror(a.body),
      images: Object.fromEntries([...data.images.values()].map((img) => [img.id, pickerItem(deps.mediaStore, img)])),
      urls: {
        save: `/newsroom/stories/${a.id}/autosave`,
        preview: `/newsroom/stories/${a.id}/preview`,
        media: '/newsroom/media.json',
        upload: '/newsroom/media',
      },
    };
    const csrfToken = req.newsroomSession!.csrfToken;
    const page = storyEditorView(ctx.chrome(req, reply), {
      data,
      values: extra.values ?? formValuesFromStory(data),
      csrfToken,
      boot,
      scriptHref,
      workflowPanel: html`${storyWorkflowPanel({ article: a, actor, csrfToken })}${
        extra.editions ? storyEditionsPanel({ editions: extra.editions, csrfToken, canConfirm: roleAtLeast(actor.role, 'editor') }) : ''
      }`,
      publicPath: a.status === 'published' && section ? articlePath(section.slug, a.slug) : null,
      error: extra.error,
      saved: (req.query as Record<string, unknown> | undefined)?.saved === '1',
    });
    return ctx.send(reply, page, extra.status ?? 200);
  }

  app.get<{ Params: { id: string } }>('/stories/:id', { config: { access: 'contributor' } }, async (req, reply) => {
    const actor = actorOf(req);
    const id = storyIdParam(req);
    const [data, editions] = await Promise.all([getStoryForEditing(deps, actor, id), getStoryEditions(deps, actor, id)]);
    return renderEditor(req, reply, actor, data, { editions });
  });

  // The plain form (no JavaScript): POST-redirect-GET; the body is kept as stored.
  app.post<{ Params: { id: string } }>('/stories/:id', { config: { access: 'contributor' } }, async (req, reply) => {
    const actor = actorOf(req);
    const id = storyIdParam(req);
    const fields = formFields(req);
    try {
      await saveStory(deps, actor, id, formToStoryEdit(fields), baseRevisionFrom(fields.baseRevision));
      return reply.redirect(`/newsroom/stories/${id}?saved=1`, 303);
    } catch (err) {
      if (err instanceof EditConflictError) return reply.redirect(`/newsroom/stories/${id}/conflicts/${err.conflictCopyId}`, 303);
      const { status, message } = formRefusalOrThrow(err, ['validation_failed']);
      const data = await getStoryForEditing(deps, actor, id);
      return renderEditor(req, reply, actor, data, { values: formValuesFromFields(fields), error: message, status });
    }
  });

  // The editor script's saves and autosaves: JSON in, JSON out (also for errors).
  app.post<{ Params: { id: string } }>(
    '/stories/:id/autosave',
    { config: { access: 'contributor' }, bodyLimit: SAVE_BODY_LIMIT },
    async (req, reply) => {
      try {
        const id = storyIdParam(req);
        const body = req.body as { baseRevision?: unknown; story?: unknown } | null;
        if (!body || typeof body !== 'object' || Array.isArray(body)) {
          throw new ValidationError('Send a JSON object with baseRevision and story.', [
            { path: '(input)', message: 'expected an object' },
          ]);
        }
        const saved = await saveStory(deps, actorOf(req), id, body.story ?? null, baseRevisionFrom(body.baseRevision));
        const ok: SaveOk = { revision: saved.revision, slug: saved.slug, status: saved.status, savedAt: saved.modifiedAt };
        return reply.code(200).send(ok);
      } catch (err) {
        const { code, message, ...e } = publicErrorFor(req, err);
        const failure: SaveFailure = { error: code, message };
        if (err instanceof ValidationError) failure.issues = err.issues;
        if (err instanceof EditConflictError) {
          failure.compareUrl = `/newsroom/stories/${req.params.id}/conflicts/${err.conflictCopyId}`;
          failure.currentRevision = err.currentRevision;
        }
        return errorReply(reply, e).send(failure);
      }
    },
  );

  // Exactly the public page (same read model shape, same view), for any status.
  app.get<{ Params: { id: string } }>('/stories/:id/preview', { config: { access: 'contributor' } }, async (req, reply) => {
    const page = await getArticlePreview(deps, actorOf(req), storyIdParam(req), {
      commentsCloseAfterDays: deps.config.comments.closeAfterDays,
    });
    return ctx.send(reply, await ctx.publicArticlePage(page));
  });
}
