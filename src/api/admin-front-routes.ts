import { z } from 'zod';
import type { Deps } from '../deps.ts';
import type { ApiPrincipal } from '../domain/api-tokens/api-token-service.ts';
import { auditedApiWrite } from '../domain/api-tokens/api-token-service.ts';
import { arrangementSchema, type ArrangementVersion } from '../domain/fronts/front-arrangement.ts';
import { restoreArrangement, saveArrangement } from '../domain/fronts/front-arrangement-service.ts';
import { getFrontDesk, resolveFront, type FrontDesk } from '../domain/fronts/front-desk.ts';
import { one } from './api-json.ts';
import type { ApiRouter } from './api-route.ts';

/*
 * Front arrangements in the Admin API, so a newsroom's own tools can set the lead: the same
 * service as the newsroom's front desk (editors' tokens only, revision-checked, audited, the
 * page caches purged everywhere once it commits).
 */

const JSON_BODY = ['application/json'];
const NO_STORE = { 'cache-control': 'no-store' };

const frontParams = z.strictObject({
  front: z.string().min(1).max(120).meta({
    description:
      '`home`, or a section’s slug for its front; in a language edition other than the default, after its code and a colon (`fr:home`, `fr:world`)',
  }),
});

const revision = z
  .number({ error: 'must be the revision number you loaded' })
  .int()
  .min(0)
  .meta({ description: 'The front’s `revision` you last read (0 before its first arrangement); a newer one answers 409' });

const putBody = z.strictObject({
  expectedRevision: revision,
  arrangement: arrangementSchema,
  state: z
    .enum(['draft', 'published'])
    .default('published')
    .meta({ description: '`draft` keeps it for the desk; `published` shows it (at once, or at `effectiveAt`)' }),
  effectiveAt: z.iso
    .datetime({ offset: true, error: 'must be a date and time such as 2026-12-07T06:00:00Z' })
    .optional()
    .meta({ description: 'When a published arrangement takes over the front (in the future); now when left out' }),
});

const restoreBody = z.strictObject({
  expectedRevision: revision,
  version: z.number().int().min(1).meta({ description: 'The old version to bring back as a new one' }),
  publish: z.boolean().default(false).meta({ description: 'Publish it at once instead of keeping it as a draft' }),
});

const versionJsonSchema = z.strictObject({
  version: z.number().int(),
  state: z.enum(['draft', 'published', 'cancelled']),
  effectiveAt: z.string().nullable().meta({ description: 'When a published version takes (or took) over' }),
  createdAt: z.string(),
  restoredFrom: z.number().int().nullable(),
  arrangement: arrangementSchema,
});

const frontJsonSchema = z.strictObject({
  front: z.string().meta({ description: '`home` or the section’s slug' }),
  title: z.string(),
  url: z.string().meta({ description: 'The public front' }),
  revision: z.number().int().meta({ description: 'Send as `expectedRevision` with the next change' }),
  inForce: versionJsonSchema.nullable().meta({ description: 'The arrangement readers see now; null: the front’s automatic order' }),
  scheduled: z.array(versionJsonSchema).meta({ description: 'Published versions waiting to take over, soonest first' }),
  history: z.array(versionJsonSchema).meta({ description: 'The latest versions, newest first (at most 50)' }),
});

function presentVersion(v: ArrangementVersion): z.infer<typeof versionJsonSchema> {
  return {
    version: v.version,
    state: v.state,
    effectiveAt: v.effectiveAt,
    createdAt: v.createdAt,
    restoredFrom: v.restoredFrom,
    arrangement: v.arrangement,
  };
}

function presentFront(desk: FrontDesk): z.infer<typeof frontJsonSchema> {
  return {
    front: desk.front.name,
    title: desk.front.title,
    url: desk.front.url,
    revision: desk.revision,
    inForce: desk.inForce ? presentVersion(desk.inForce) : null,
    scheduled: desk.scheduled.map(presentVersion),
    history: desk.history.map(presentVersion),
  };
}

const FRONT_RESPONSE = { description: 'The front’s arrangements', schema: one(frontJsonSchema) };

/** `/v1/admin/fronts/:front`: read and write the arrangement of the home front or a section front. */
export function registerAdminFrontRoutes(router: ApiRouter, deps: Deps): void {
  const principalOf = (p: ApiPrincipal | null): ApiPrincipal => p!; // admin routes always have one
  const read = async (p: ApiPrincipal, name: string) => {
    const front = await resolveFront(deps, name);
    return { data: presentFront(await getFrontDesk(deps, p.actor, front)) };
  };

  router.route({
    method: 'GET',
    url: '/v1/admin/fronts/:front',
    operationId: 'adminGetFront',
    summary: 'A front’s arrangement: in force, scheduled, and its history',
    description: 'Editors and administrators only.',
    tags: ['admin'],
    auth: 'admin',
    params: frontParams,
    responses: {
      200: FRONT_RESPONSE,
      403: { description: 'The token’s role may not arrange fronts' },
      404: { description: 'No such front' },
    },
    async handler({ reply, params, principal }) {
      reply.headers(NO_STORE);
      return read(principalOf(principal), params.front);
    },
  });

  router.route({
    method: 'PUT',
    url: '/v1/admin/fronts/:front',
    operationId: 'adminPutFront',
    summary: 'Save a new arrangement of a front: a draft, published now, or scheduled',
    description:
      'The lead, top stories and named blocks, each with pinned story ids in order; the rest of each block is filled automatically. A pinned story readers cannot see (unpublished, embargoed, scheduled) stays off the front until they can. Send the `revision` you read as `expectedRevision`.',
    tags: ['admin'],
    auth: 'admin',
    params: frontParams,
    body: { contentTypes: JSON_BODY, schema: putBody },
    responses: {
      200: FRONT_RESPONSE,
      403: { description: 'The token’s role may not arrange fronts' },
      404: { description: 'No such front' },
      409: { description: 'The front changed since `expectedRevision`' },
    },
    async handler({ reply, params, body, principal, req }) {
      const p = principalOf(principal);
      const front = await resolveFront(deps, params.front);
      const raw = req.body as { arrangement: unknown };
      const mode =
        body.state === 'draft'
          ? ({ kind: 'draft' } as const)
          : body.effectiveAt
            ? ({ kind: 'at', at: body.effectiveAt } as const)
            : ({ kind: 'now' } as const);
      await auditedApiWrite(
        deps,
        p,
        // The raw arrangement goes to the domain, which validates it again with the same schema.
        (tx) =>
          saveArrangement(tx, p.actor, front.key, { arrangement: raw.arrangement as never, expectedRevision: body.expectedRevision, mode }),
        (v) => ({
          action: 'front.saved',
          subjectType: 'front',
          subjectId: front.key,
          details: { version: v.version, state: v.state, effectiveAt: v.effectiveAt },
        }),
      );
      reply.headers(NO_STORE);
      return read(p, params.front);
    },
  });

  router.route({
    method: 'POST',
    url: '/v1/admin/fronts/:front/restore',
    operationId: 'adminRestoreFront',
    summary: 'Bring back an old arrangement as a new version (a draft, or published at once)',
    tags: ['admin'],
    auth: 'admin',
    params: frontParams,
    body: { contentTypes: JSON_BODY, schema: restoreBody },
    responses: {
      200: FRONT_RESPONSE,
      403: { description: 'The token’s role may not arrange fronts' },
      404: { description: 'No such front or version' },
      409: { description: 'The front changed since `expectedRevision`' },
    },
    async handler({ reply, params, body, principal }) {
      const p = principalOf(principal);
      const front = await resolveFront(deps, params.front);
      await auditedApiWrite(
        deps,
        p,
        (tx) => restoreArrangement(tx, p.actor, front.key, body),
        (v) => ({
          action: 'front.restored',
          subjectType: 'front',
          subjectId: front.key,
          details: { version: v.version, from: body.version },
        }),
      );
      reply.headers(NO_STORE);
      return read(p, params.front);
    },
  });
}
