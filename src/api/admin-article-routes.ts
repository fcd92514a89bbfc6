import { z } from 'zod';
import type { Deps } from '../deps.ts';
import type { ApiPrincipal } from '../domain/api-tokens/api-token-service.ts';
import { auditedApiWrite } from '../domain/api-tokens/api-token-service.ts';
import { ARTICLE_STATUSES } from '../domain/articles/article.ts';
import { articleInputSchema } from '../domain/articles/article-schemas.ts';
import { createArticle, updateArticle } from '../domain/articles/article-service.ts';
import { deleteArticle } from '../domain/articles/article-delete.ts';
import { addNote, noteInputSchema } from '../domain/articles/article-notes.ts';
import type { WorkflowAction } from '../domain/articles/article-workflow.ts';
import { runWorkflowAction } from '../domain/articles/article-workflow-service.ts';
import { encodeCursor } from '../domain/articles/cursor.ts';
import { currentArticleInput, getEditorialArticle, listEditorialArticles } from '../domain/published/catalog-articles.ts';
import { NotFoundError } from '../domain/errors.ts';
import { editorialArticleJsonSchema, one, page } from './api-json.ts';
import { presentEditorialArticle } from './api-presenters.ts';
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
export const updateArticleBody = articleInputSchema.partial().extend({ expectedRevision }).strict();

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
    summary: 'Change some fields of a story',
    description: 'Fields left out keep their stored value. Status changes go through the workflow actions, not here.',
    tags: ['admin'],
    auth: 'admin',
    params: idParams,
    body: { contentTypes: JSON_BODY, schema: updateArticleBody },
    responses: {
      200: ARTICLE_RESPONSE,
      404: { description: 'No such story' },
      409: { description: 'The story changed since `expectedRevision`' },
    },
    async handler({ reply, params, body, principal, req }) {
      const p = principalOf(principal);
      const current = await currentArticleInput(deps, params.id);
      if (!current) throw new NotFoundError('There is no article with that id.');
      // Merge the fields that were sent (not zod's defaults for the ones that were not).
      const { expectedRevision: _r, ...changes } = req.body as Record<string, unknown>;
      const article = await auditedApiWrite(
        deps,
        p,
        (tx) =>
          updateArticle(tx, params.id, { ...current.input, ...changes } as z.input<typeof articleInputSchema>, body.expectedRevision, {
            actor: p.actor,
          }),
        (a) => ({
          action: 'article.updated',
          subjectType: 'article',
          subjectId: a.id,
          details: { fields: Object.keys(changes), revision: a.revision },
        }),
      );
      reply.headers(NO_STORE);
      return reload(p, article.id);
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
