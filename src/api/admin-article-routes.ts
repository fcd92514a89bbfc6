import { z } from 'zod';
import type { Deps } from '../deps.ts';
import type { ApiPrincipal } from '../domain/api-tokens/api-token-service.ts';
import { auditedApiWrite } from '../domain/api-tokens/api-token-service.ts';
import { ARTICLE_STATUSES } from '../domain/articles/article.ts';
import { articleInputSchema } from '../domain/articles/article-schemas.ts';
import { createArticle } from '../domain/articles/article-service.ts';
import {
  discardPendingChange,
  findPendingChange,
  publishPendingChange,
  saveStoryChanges,
  type PendingChange,
} from '../domain/articles/article-pending-change.ts';
import { deleteArticle } from '../domain/articles/article-delete.ts';
import { addNote, noteInputSchema } from '../domain/articles/article-notes.ts';
import type { WorkflowAction } from '../domain/articles/article-workflow.ts';
import { runWorkflowAction } from '../domain/articles/article-workflow-service.ts';
import { encodeCursor } from '../domain/articles/cursor.ts';
import { getEditorialArticle, listEditorialArticles } from '../domain/published/catalog-articles.ts';
import { NotFoundError } from '../domain/errors.ts';
import { editorialArticleJsonSchema, one, page, pendingChangeJsonSchema } from './api-json.ts';
import { presentEditorialArticle, presentPendingChange } from './api-presenters.ts';
import { articleLinks } from './api-editions.ts';
import type { CatalogArticle } from '../domain/published/catalog-article.ts';
import { cursorSchema, idParams, limitSchema } from './api-query.ts';
import type { ApiRouter } from './api-route.ts';

const JSON_BODY = ['application/json'];

const expectedRevision = z
  .number({ error: 'must be the revision number you loaded' })
  .int()
  .min(1)
  .meta({ description: 'The `revision` you last read; a newer one answers 409 conflict instead of overwriting' });

/** Creating takes exactly the article input the newsroom uses, with no unknown fields. */
export const createArticleBody = articleInputSchema.strict();

/** A partial update: the fields to change, and the revision they were based on. */
export const updateArticleBody = articleInputSchema
  .partial()
  .extend({
    expectedRevision,
    expectedPendingRevision: z
      .number({ error: 'must be the pending change’s revision you loaded' })
      .int()
      .min(1)
      .optional()
      .meta({ description: 'When the story has a change waiting for review: that change’s `revision`, which this request changes' }),
  })
  .strict();

/** Publishing a pending change names the live and the change's revisions that were reviewed. */
const pendingDecisionBody = z.strictObject({
  expectedRevision,
  expectedPendingRevision: z.number({ error: 'must be the pending change’s revision you reviewed' }).int().min(1),
});

const workflowBody = z.strictObject({ expectedRevision: expectedRevision.optional() });
const scheduleBody = workflowBody.extend({
  at: z.iso
    .datetime({ offset: true, error: 'must be a date and time such as 2026-12-01T06:00:00Z' })
    .meta({ description: 'When the story goes live' }),
});

const noteBody = noteInputSchema.extend({ expectedRevision: expectedRevision.optional() }).strict();

const listQuery = z.strictObject({
  status: z.enum(ARTICLE_STATUSES).optional().meta({ description: 'Only stories in this workflow status' }),
  cursor: cursorSchema.optional(),
  limit: limitSchema,
});

const ARTICLE_RESPONSE = { description: 'The story with its workflow state', schema: one(editorialArticleJsonSchema) };
const NO_STORE = { 'cache-control': 'no-store' };

/** The Admin API for stories: drafts, writes and workflow steps, limited by the token's role. */
export function registerAdminArticleRoutes(router: ApiRouter, deps: Deps): void {
  const siteUrl = deps.config.siteUrl;
  const principalOf = (p: ApiPrincipal | null): ApiPrincipal => p!; // admin routes always have one
  // Stories with their edition and published translations, as the Content API shows them.
  const presentEditorialPage = async (items: CatalogArticle[]) => {
    const links = await articleLinks(deps, items);
    return items.map((a) => presentEditorialArticle(siteUrl, a, links(a)));
  };
  const presentEditorial = async (a: CatalogArticle) => (await presentEditorialPage([a]))[0]!;
  const reload = async (principal: ApiPrincipal, id: string) => ({
    data: await presentEditorial(await getEditorialArticle(deps, principal.actor, id)),
  });
  const pendingReply = async (principal: ApiPrincipal, change: PendingChange) => {
    const live = await getEditorialArticle(deps, principal.actor, change.articleId);
    const links = await articleLinks(deps, [live]);
    return { data: presentPendingChange(siteUrl, change, live, links(live)) };
  };

  router.route({
    method: 'GET',
    url: '/v1/admin/articles',
    operationId: 'adminListArticles',
    summary: 'Stories in any status, most recently changed first',
    description: 'Editors and administrators see every story; authors and contributors the stories their token’s owner created.',
    tags: ['admin'],
    auth: 'admin',
    query: listQuery,
    responses: { 200: { description: 'One page of stories', schema: page(editorialArticleJsonSchema) } },
    async handler({ reply, query, principal }) {
      const result = await listEditorialArticles(
        deps,
        principalOf(principal).actor,
        { status: query.status },
        { before: query.cursor ?? null, limit: query.limit },
      );
      reply.headers(NO_STORE);
      return {
        data: await presentEditorialPage(result.items),
        nextCursor: result.next ? encodeCursor(result.next) : null,
      };
    },
  });

  router.route({
    method: 'GET',
    url: '/v1/admin/articles/:id',
    operationId: 'adminGetArticle',
    summary: 'One story in any status',
    tags: ['admin'],
    auth: 'admin',
    params: idParams,
    responses: { 200: ARTICLE_RESPONSE, 404: { description: 'No such story' } },
    async handler({ reply, params, principal }) {
      reply.headers(NO_STORE);
      return reload(principalOf(principal), params.id);
    },
  });

  router.route({
    method: 'POST',
    url: '/v1/admin/articles',
    operationId: 'adminCreateArticle',
    summary: 'Create a story (draft, in review, or published if the role may publish)',
    tags: ['admin'],
    auth: 'admin',
    body: { contentTypes: JSON_BODY, schema: createArticleBody },
    responses: { 201: { ...ARTICLE_RESPONSE, headers: { location: 'The story’s Admin API URL' } } },
    async handler({ reply, body, principal, req }) {
      const p = principalOf(principal);
      // The raw body goes to the domain, which validates it again with the same schema.
      const article = await auditedApiWrite(
        deps,
        p,
        (tx) => createArticle(tx, req.body as z.input<typeof createArticleBody>, { actor: p.actor }),
        (a) => ({ action: 'article.created', subjectType: 'article', subjectId: a.id, details: { status: body.status ?? 'draft' } }),
      );
      reply.code(201).header('location', `/api/v1/admin/articles/${article.id}`).headers(NO_STORE);
      return reload(p, article.id);
    },
  });

  router.route({
    method: 'PATCH',
    url: '/v1/admin/articles/:id',
    operationId: 'adminUpdateArticle',
    summary: 'Change some fields of a story (a live story’s change may wait for an editor’s review)',
    description:
      'Fields left out keep their stored value. Status changes go through the workflow actions, not here. ' +
      'An author’s change to their own published story is not published: it is kept as the story’s pending change (202) for an editor to review, as in the newsroom (unless the site sets `MASTHEAD_STAGE_AUTHOR_EDITS=false`). ' +
      'While a story has a pending change, every change to it (an editor’s too) goes into that change: send its `revision` as `expectedPendingRevision`. ' +
      'Editors and administrators otherwise change a story at once (200). A pending change carries content only: `status`, `publishedAt`, `updatedAt` and `embargoUntil` are refused in it.',
    tags: ['admin'],
    auth: 'admin',
    params: idParams,
    body: { contentTypes: JSON_BODY, schema: updateArticleBody },
    responses: {
      200: ARTICLE_RESPONSE,
      202: {
        description: 'The change is kept for an editor’s review; readers still see the live story',
        schema: one(pendingChangeJsonSchema),
      },
      404: { description: 'No such story' },
      409: { description: 'The story (or its pending change) changed since `expectedRevision` (or `expectedPendingRevision`)' },
    },
    async handler({ reply, params, body, principal, req }) {
      const p = principalOf(principal);
      // Merge the fields that were sent (not zod's defaults for the ones that were not).
      const { expectedRevision: _r, expectedPendingRevision: _p, ...changes } = req.body as Record<string, unknown>;
      const saved = await auditedApiWrite(
        deps,
        p,
        (tx) =>
          saveStoryChanges(
            tx,
            p.actor,
            params.id,
            changes as Partial<z.input<typeof articleInputSchema>>,
            {
              liveRevision: body.expectedRevision,
              ...(body.expectedPendingRevision !== undefined ? { pendingRevision: body.expectedPendingRevision } : {}),
            },
            { stageAuthorEdits: deps.config.stageAuthorEdits },
          ),
        (r) =>
          r.target === 'live'
            ? {
                action: 'article.updated',
                subjectType: 'article',
                subjectId: r.article.id,
                details: { fields: Object.keys(changes), revision: r.article.revision },
              }
            : {
                action: 'article.change_staged',
                subjectType: 'article',
                subjectId: r.article.id,
                details: { fields: Object.keys(changes), pendingChangeId: r.change.id, pendingRevision: r.change.revision },
              },
      );
      reply.headers(NO_STORE);
      if (saved.target === 'live') return reload(p, saved.article.id);
      reply.code(202);
      return pendingReply(p, saved.change);
    },
  });

  router.route({
    method: 'GET',
    url: '/v1/admin/articles/:id/pending-change',
    operationId: 'adminGetPendingChange',
    summary: 'The change to a live story waiting for an editor’s review',
    tags: ['admin'],
    auth: 'admin',
    params: idParams,
    responses: {
      200: { description: 'The pending change and the live story', schema: one(pendingChangeJsonSchema) },
      404: { description: 'No such story, or it has no pending change' },
    },
    async handler({ reply, params, principal }) {
      const p = principalOf(principal);
      await getEditorialArticle(deps, p.actor, params.id); // who may read the story may read its change
      const change = await findPendingChange(deps.db, params.id);
      if (!change) throw new NotFoundError('This story has no change waiting for review.');
      reply.headers(NO_STORE);
      return pendingReply(p, change);
    },
  });

  router.route({
    method: 'POST',
    url: '/v1/admin/articles/:id/pending-change/publish',
    operationId: 'adminPublishPendingChange',
    summary: 'Publish the change waiting for review (editors and administrators)',
    description:
      'Send `{"expectedRevision": live revision, "expectedPendingRevision": the change’s revision}`: the ones you reviewed. The story is saved with the change and readers see it at once.',
    tags: ['admin'],
    auth: 'admin',
    params: idParams,
    body: { contentTypes: JSON_BODY, schema: pendingDecisionBody },
    responses: {
      200: ARTICLE_RESPONSE,
      403: { description: 'Only editors and administrators publish a change' },
      404: { description: 'No such story, or it has no pending change' },
      409: { description: 'The story or the change moved on since you reviewed it' },
    },
    async handler({ reply, params, body, principal }) {
      const p = principalOf(principal);
      const article = await auditedApiWrite(
        deps,
        p,
        (tx) =>
          publishPendingChange(tx, p.actor, params.id, {
            liveRevision: body.expectedRevision,
            pendingRevision: body.expectedPendingRevision,
          }),
        (a) => ({ action: 'article.change_published', subjectType: 'article', subjectId: a.id, details: { revision: a.revision } }),
      );
      reply.headers(NO_STORE);
      return reload(p, article.id);
    },
  });

  router.route({
    method: 'POST',
    url: '/v1/admin/articles/:id/pending-change/discard',
    operationId: 'adminDiscardPendingChange',
    summary: 'Throw away the change waiting for review; the live story is untouched',
    description: 'Send `{"expectedPendingRevision": n}`. Editors, or whoever may edit the story.',
    tags: ['admin'],
    auth: 'admin',
    params: idParams,
    body: { contentTypes: JSON_BODY, schema: pendingDecisionBody.pick({ expectedPendingRevision: true }) },
    responses: {
      204: { description: 'Discarded' },
      404: { description: 'No such story, or it has no pending change' },
      409: { description: 'The change was edited since you read it' },
    },
    async handler({ reply, params, body, principal }) {
      const p = principalOf(principal);
      await auditedApiWrite(
        deps,
        p,
        (tx) => discardPendingChange(tx, p.actor, params.id, body.expectedPendingRevision),
        () => ({ action: 'article.change_discarded', subjectType: 'article', subjectId: params.id, details: {} }),
      );
      return reply.code(204).headers(NO_STORE).send();
    },
  });

  router.route({
    method: 'DELETE',
    url: '/v1/admin/articles/:id',
    operationId: 'adminDeleteArticle',
    summary: 'Delete a story for good (editors and administrators)',
    description:
      'Removes the story with its revisions, notes and comments, and sends the `article.deleted` webhook. To take a story down but keep it, unpublish it instead.',
    tags: ['admin'],
    auth: 'admin',
    params: idParams,
    responses: {
      204: { description: 'Deleted' },
      403: { description: 'The token’s role may not delete stories' },
      404: { description: 'No such story' },
    },
    async handler({ reply, params, principal }) {
      const p = principalOf(principal);
      await auditedApiWrite(
        deps,
        p,
        (tx) => deleteArticle(tx, p.actor, params.id),
        () => ({ action: 'article.deleted', subjectType: 'article', subjectId: params.id, details: {} }),
      );
      return reply.code(204).headers(NO_STORE).send();
    },
  });

  router.route({
    method: 'POST',
    url: '/v1/admin/articles/:id/notes',
    operationId: 'adminAddArticleNote',
    summary: 'Add an update or correction note to a published story',
    description:
      'Send `{"kind": "correction" | "update", "text": "…"}` (and optionally `expectedRevision`). The note is shown on the story, its updated time becomes now, readers everywhere see it at once, and a revision records it. Refused with 409 unless the story is published.',
    tags: ['admin'],
    auth: 'admin',
    params: idParams,
    body: { contentTypes: JSON_BODY, schema: noteBody },
    responses: {
      201: ARTICLE_RESPONSE,
      403: { description: 'The token’s role may not add notes' },
      404: { description: 'No such story' },
      409: { description: 'The story is not published, or it changed since `expectedRevision`' },
    },
    async handler({ reply, params, body, principal }) {
      const p = principalOf(principal);
      const { article } = await auditedApiWrite(
        deps,
        p,
        (tx) => addNote(tx, params.id, { kind: body.kind, text: body.text }, p.actor, body.expectedRevision),
        ({ article, note }) => ({
          action: `article.note_${note.kind}`,
          subjectType: 'article',
          subjectId: article.id,
          details: { noteId: note.id, revision: article.revision },
        }),
      );
      reply.code(201).headers(NO_STORE);
      return reload(p, article.id);
    },
  });

  const actions = [
    { name: 'submit', summary: 'Submit a draft for review', schema: workflowBody },
    { name: 'schedule', summary: 'Schedule a story to go live at `at`', schema: scheduleBody },
    { name: 'publish', summary: 'Publish a story now', schema: workflowBody },
    { name: 'unpublish', summary: 'Take a published story down', schema: workflowBody },
    { name: 'republish', summary: 'Put an unpublished story back up, at its address', schema: workflowBody },
  ] as const;
  for (const action of actions) {
    router.route({
      method: 'POST',
      url: `/v1/admin/articles/:id/${action.name}`,
      operationId: `admin${action.name[0]!.toUpperCase()}${action.name.slice(1)}Article`,
      summary: action.summary,
      description:
        'Send `{}` or `{"expectedRevision": n}`. Refused with 403 when the token’s role may not take this step, 409 when the story’s state does not allow it.',
      tags: ['admin'],
      auth: 'admin',
      params: idParams,
      body: { contentTypes: JSON_BODY, schema: action.schema as z.ZodType<{ expectedRevision?: number; at?: string }> },
      responses: {
        200: ARTICLE_RESPONSE,
        404: { description: 'No such story' },
        409: { description: 'Not possible in the story’s current state, or it changed since `expectedRevision`' },
      },
      async handler({ reply, params, body, principal }) {
        const p = principalOf(principal);
        const step: WorkflowAction =
          action.name === 'schedule' ? { type: 'schedule', at: new Date(body.at!).toISOString() } : { type: action.name };
        const article = await auditedApiWrite(
          deps,
          p,
          (tx) => runWorkflowAction(tx, params.id, step, p.actor, body.expectedRevision),
          (a) => ({
            action: `article.${action.name}`,
            subjectType: 'article',
            subjectId: a.id,
            details: { status: a.status, revision: a.revision },
          }),
        );
        reply.headers(NO_STORE);
        return reload(p, article.id);
      },
    });
  }
}
