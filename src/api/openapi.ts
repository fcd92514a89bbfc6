import { z } from 'zod';
import { articleInputSchema } from '../domain/articles/article-schemas.ts';
import { articleDocumentSchema } from '../domain/documents/document-schema.ts';
import { apiErrorSchema } from './api-errors.ts';
import { articleJsonSchema, editorialArticleJsonSchema, imageJsonSchema } from './api-json.ts';
import type { RecordedOperation } from './api-route.ts';

/*
 * Builds the OpenAPI 3.1 document from the operations the router recorded. Every schema is
 * produced by z.toJSONSchema from the zod schema the route validates with (requests, in
 * their input form) or is typed by (responses). OpenAPI 3.1 uses JSON Schema 2020-12, which
 * is zod's default target.
 */

/** Schemas shown once under components and referenced everywhere else. */
const COMPONENTS = new Map<z.ZodType, string>([
  [apiErrorSchema, 'Error'],
  [articleDocumentSchema, 'ArticleDocument'],
  [imageJsonSchema, 'Image'],
  [articleJsonSchema, 'Article'],
  [editorialArticleJsonSchema, 'EditorialArticle'],
]);

type JsonSchema = Record<string, unknown>;

function toJsonSchema(schema: z.ZodType, io: 'input' | 'output', root?: z.ZodType): JsonSchema {
  const out = z.toJSONSchema(schema, {
    io,
    target: 'draft-2020-12',
    unrepresentable: 'any',
    override(ctx) {
      const z = ctx.zodSchema as unknown as z.ZodType;
      // The article body is validated by parseArticleDocument inside a transform: its
      // accepted shape is the document schema.
      const name = z === articleInputSchema.shape.body ? 'ArticleDocument' : z !== root ? COMPONENTS.get(z) : undefined;
      if (!name) return;
      for (const key of Object.keys(ctx.jsonSchema)) delete (ctx.jsonSchema as JsonSchema)[key];
      (ctx.jsonSchema as JsonSchema).$ref = `#/components/schemas/${name}`;
    },
  }) as JsonSchema;
  delete out.$schema;
  return out;
}

function openApiPath(fastifyPath: string): string {
  return fastifyPath.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

function parameters(op: RecordedOperation): JsonSchema[] {
  const out: JsonSchema[] = [];
  for (const [where, schema] of [
    ['path', op.spec.params],
    ['query', op.spec.query],
  ] as const) {
    if (!schema) continue;
    const json = toJsonSchema(schema, 'input');
    const props = (json.properties ?? {}) as Record<string, JsonSchema>;
    const required = new Set((json.required ?? []) as string[]);
    for (const [name, s] of Object.entries(props)) {
      const { description, ...rest } = s;
      out.push({
        name,
        in: where,
        required: where === 'path' || required.has(name),
        ...(description ? { description } : {}),
        schema: rest,
      });
    }
  }
  return out;
}

const ERROR_RESPONSE = { content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };

function operation(op: RecordedOperation): JsonSchema {
  const { spec } = op;
  const responses: Record<string, JsonSchema> = {};
  for (const [status, r] of Object.entries(spec.responses)) {
    responses[status] = {
      description: r.description,
      ...(r.headers
        ? { headers: Object.fromEntries(Object.entries(r.headers).map(([h, d]) => [h, { description: d, schema: { type: 'string' } }])) }
        : {}),
      ...(r.schema
        ? { content: { 'application/json': { schema: toJsonSchema(r.schema, 'output') } } }
        : Number(status) >= 400
          ? ERROR_RESPONSE
          : {}),
    };
  }
  const errors: Record<string, string> = {
    '400': 'Invalid input; `error.field` names the first bad field',
    '500': 'Unexpected server error',
  };
  if (spec.auth === 'admin') Object.assign(errors, { '401': 'Missing or invalid API token', '403': "The token's role may not do this" });
  else errors['401'] = 'A token was sent but is not valid (or MASTHEAD_CONTENT_API=token and none was sent)';
  if (spec.body) errors['415'] = 'Wrong request content type';
  for (const [status, description] of Object.entries(errors)) responses[status] ??= { description, ...ERROR_RESPONSE };
  responses.default ??= { description: 'Any other error, in the same shape', ...ERROR_RESPONSE };

  const body = spec.body;
  return {
    operationId: spec.operationId,
    summary: spec.summary,
    ...(spec.description ? { description: spec.description } : {}),
    tags: spec.tags,
    ...(spec.auth === 'admin' ? { security: [{ bearerToken: [] }] } : { security: [{}, { bearerToken: [] }] }),
    parameters: parameters(op),
    ...(body
      ? {
          requestBody: {
            required: true,
            content: Object.fromEntries(
              body.contentTypes.map((type) => [
                type,
                body.schema
                  ? { schema: toJsonSchema(body.schema, 'input') }
                  : type === 'multipart/form-data'
                    ? {
                        schema: {
                          type: 'object',
                          properties: {
                            file: { type: 'string', contentMediaType: 'application/octet-stream', description: body.binaryDescription },
                          },
                          required: ['file'],
                        },
                      }
                    : { schema: { type: 'string', contentMediaType: type, description: body.binaryDescription } },
              ]),
            ),
          },
        }
      : {}),
    responses,
  };
}

/** The whole OpenAPI 3.1 document for the recorded operations. */
export function buildOpenApiDocument(operations: readonly RecordedOperation[], info: { title: string; serverUrl: string }): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const op of operations) {
    const path = openApiPath(op.path);
    (paths[path] ??= {})[op.method.toLowerCase()] = operation(op);
  }
  const schemas: Record<string, JsonSchema> = {};
  for (const [schema, name] of COMPONENTS) schemas[name] = toJsonSchema(schema, name === 'ArticleDocument' ? 'input' : 'output', schema);
  return {
    openapi: '3.1.0',
    info: {
      title: `${info.title} API`,
      version: '1.0.0',
      description:
        'Content API (read-only, published stories) and Admin API (token-authenticated writes). Every error has the shape `{"error":{"code","message","field"?,"details"?}}`.',
    },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    servers: [{ url: info.serverUrl }],
    tags: [
      { name: 'content', description: 'Read-only published content' },
      { name: 'admin', description: 'Writes and drafts; needs an API token' },
    ],
    paths,
    components: {
      schemas,
      securitySchemes: {
        bearerToken: { type: 'http', scheme: 'bearer', description: 'An API token (`mh_…`) created in the newsroom under API tokens' },
      },
    },
  };
}
