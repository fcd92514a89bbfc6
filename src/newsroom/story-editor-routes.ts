import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../domain/accounts/role.ts';
import { getStoryForEditing, saveStoryEdit, type StoryEditorData } from '../domain/desk/article-editor.ts';
import { saveTargetFor } from '../domain/articles/article-pending-change.ts';
import { roleAtLeast } from '../domain/accounts/access.ts';
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
import {
  baseRevisionFrom,
  formToStoryEdit,
  formValuesFromFields,
  formValuesFromStory,
  pendingRevisionFrom,
  requestedTargetFrom,
} from './story-form.ts';
import { storyWorkflowPanel } from './views/story-workflow-panel.ts';
import { storyNotesPanel } from './views/story-notes-panel.ts';
import { storyPresencePanel } from './views/story-presence-panel.ts';
import { canTakeOverLock } from '../domain/presence/story-presence.ts';
import { planForStory } from '../domain/planning/planning-board.ts';
import type { PlanningItem } from '../domain/planning/planning-item.ts';
import { storyEditionsPanel } from './views/story-editions-panel.ts';
import { storyPreviewLinksPanel } from './views/story-preview-links-panel.ts';
import { listActivePreviewLinks, type PreviewLink } from '../domain/desk/preview-links.ts';
import { getStoryEditions, type StoryEditions } from '../domain/desk/story-translations.ts';
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
    extra: {
      values?: StoryFormValues;
      error?: string;
      status?: number;
      plan?: PlanningItem | null;
      editions?: StoryEditions;
      previewLinks?: PreviewLink[];
    } = {},
  ) {
    const a = data.article;
    const section = data.sections.find((s) => s.id === a.sectionId);
    const staged =
      data.editable && saveTargetFor(actor, a, data.pending !== null, { stageAuthorEdits: deps.config.stageAuthorEdits }) === 'pending';
    const boot: StoryEditorBoot = {
      articleId: a.id,
      revision: a.revision,
      editable: data.editable,
      // A pending change saves itself like a draft: nothing readers see moves until it is published.
      autosave: data.editable && (staged || AUTOSAVED_STATUSES.has(a.status)),
      pending: staged ? { revision: data.pending?.revision ?? null } : null,
      mayStage: data.editable && !staged && a.status === 'published' && roleAtLeast(actor.role, 'editor'),
      slugFollowsHeadline: a.publishedAt === null && a.slug === toSlug(a.headline),
      doc: documentToProseMirror(a.body),
      images: Object.fromEntries([...data.images.values()].map((img) => [img.id, pickerItem(deps.mediaStore, img)])),
      urls: {
        save: `/newsroom/stories/${a.id}/autosave`,
        // With a pending change open, the preview shows the story as the change would leave it.
        preview: `/newsroom/stories/${a.id}/preview${staged ? '?change=1' : ''}`,
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
      workflowPanel: html`${storyWorkflowPanel({ article: data.live ?? a, actor, csrfToken })}${
        extra.editions ? storyEditionsPanel({ editions: extra.editions, csrfToken, canConfirm: roleAtLeast(actor.role, 'editor') }) : ''
      }${extra.previewLinks ? storyPreviewLinksPanel({ articleId: a.id, links: extra.previewLinks, csrfToken }) : ''}`,
      notesPanel: storyNotesPanel({
        articleId: a.id,
        threads: data.notes,
        csrfToken,
        userId: actor.userId,
        isEditor: roleAtLeast(actor.role, 'editor'),
      }),
      presencePanel: storyPresencePanel({ articleId: a.id, canTakeOver: canTakeOverLock(actor), plan: extra.plan ?? null }),
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
    const previewLinks = await listActivePreviewLinks(deps, actor, id);
    return renderEditor(req, reply, actor, data, { plan: await planForStory(deps.db, data.article.id), editions, previewLinks });
  });

  // The plain form (no JavaScript): POST-redirect-GET; the body is kept as stored.
  app.post<{ Params: { id: string } }>('/stories/:id', { config: { access: 'contributor' } }, async (req, reply) => {
    const actor = actorOf(req);
    const id = storyIdParam(req);
    const fields = formFields(req);
    try {
      await saveStoryEdit(deps, actor, id, formToStoryEdit(fields), {
        baseRevision: baseRevisionFrom(fields.baseRevision),
        pendingRevision: pendingRevisionFrom(fields.pendingRevision),
        requested: requestedTargetFrom(fields.target),
        stageAuthorEdits: deps.config.stageAuthorEdits,
      });
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
        const body = req.body as { baseRevision?: unknown; story?: unknown; pendingRevision?: unknown } | null;
        if (!body || typeof body !== 'object' || Array.isArray(body)) {
          throw new ValidationError('Send a JSON object with baseRevision and story.', [
            { path: '(input)', message: 'expected an object' },
          ]);
        }
        const saved = await saveStoryEdit(deps, actorOf(req), id, body.story ?? null, {
          baseRevision: baseRevisionFrom(body.baseRevision),
          pendingRevision: pendingRevisionFrom(body.pendingRevision),
          stageAuthorEdits: deps.config.stageAuthorEdits,
        });
        const a = saved.article;
        const ok: SaveOk =
          saved.target === 'live'
            ? { revision: a.revision, slug: a.slug, status: a.status, savedAt: a.modifiedAt }
            : {
                revision: a.revision,
                pendingRevision: saved.change.revision,
                slug: saved.change.input.slug ?? a.slug,
                status: a.status,
                savedAt: saved.change.updatedAt,
              };
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
      pending: (req.query as Record<string, unknown> | undefined)?.change === '1',
    });
    return ctx.send(reply, await ctx.publicArticlePage(page, req));
  });
}
