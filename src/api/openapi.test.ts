import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Ajv2020 } from 'ajv/dist/2020.js';
import Fastify, { type RouteOptions } from 'fastify';
import { createArticle } from '../domain/articles/article-service.ts';
import { setLiveCoverage } from '../domain/live/live-coverage.ts';
import { createLiveEntry, deleteLiveEntry } from '../domain/live/live-entry-service.ts';
import { buildArticleInput, paragraphs } from '../../test/support/factories.ts';
import { testDialects } from '../../test/support/test-db.ts';
import { createArticleBody } from './admin-article-routes.ts';
import { apiRoutes } from './api-routes.ts';
import { createApiTestSite, type ApiTestSite } from '../../test/support/api-test-support.ts';

type Json = Record<string, any>;
const METHODS = ['get', 'post', 'patch', 'put', 'delete'];

/** JSON pointer into the document, for ajv `$ref`s. */
const pointer = (...parts: string[]) => `oas#/${parts.map((p) => p.replaceAll('~', '~0').replaceAll('/', '~1')).join('/')}`;

// The coverage and schema checks need no database contents: SQLite is enough; the document
// does not depend on the dialect.
const sqlite = (await testDialects()).find((d) => d.dialect === 'sqlite')!;

describe('OpenAPI 3.1 document at /api/openapi.json', { skip: sqlite.skip }, () => {
  let site: ApiTestSite;
  let doc: Json;
  let ajv: Ajv2020;

  before(async () => {
    site = await createApiTestSite('sqlite');
    const res = await site.call('GET', '/api/openapi.json');
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^application\/json/);
    doc = JSON.parse(res.body) as Json;
    ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
    ajv.addSchema(doc, 'oas');
  });
  after(() => site?.close());

  it('has the OpenAPI 3.1 top level, a bearer scheme and the shared error schema', () => {
    assert.equal(doc.openapi, '3.1.0');
    assert.ok(doc.info.title && doc.info.version);
    assert.equal(doc.jsonSchemaDialect, 'https://json-schema.org/draft/2020-12/schema');
    assert.deepEqual(doc.components.securitySchemes.bearerToken, {
      type: 'http',
      scheme: 'bearer',
      description: doc.components.securitySchemes.bearerToken.description,
    });
    assert.deepEqual(Object.keys(doc.components.schemas.Error.properties), ['error']);
  });

  it('documents every route the API plugin registers, and nothing it does not', async () => {
    const app = Fastify();
    const routes: RouteOptions[] = [];
    app.addHook('onRoute', (r) => void routes.push(r));
    await app.register(apiRoutes(site.deps), { prefix: '/api' });
    await app.ready();
    const registered = routes
      .flatMap((r) => ([] as string[]).concat(r.method).map((m) => `${m.toLowerCase()} ${r.url.replace(/:([A-Za-z0-9_]+)/g, '{$1}')}`))
      .filter((k) => !k.startsWith('head ') && !/ \/api(\/\*|\/)?$/.test(k) && k !== 'get /api/openapi.json' && !k.endsWith('/*'))
      .sort();
    const documented = Object.entries(doc.paths as Json)
      .flatMap(([path, ops]) =>
        Object.keys(ops)
          .filter((m) => METHODS.includes(m))
          .map((m) => `${m} ${path}`),
      )
      .sort();
    assert.deepEqual(documented, registered);
    assert.ok(registered.length >= 13, registered.join('\n'));
    await app.close();
  });

  it('gives every operation an id, responses with the error schema, and consistent path parameters', () => {
    const ids = new Set<string>();
    for (const [path, ops] of Object.entries(doc.paths as Json)) {
      assert.ok(path.startsWith('/api/'), path);
      for (const [method, op] of Object.entries(ops as Json)) {
        assert.ok(op.operationId && !ids.has(op.operationId), `${method} ${path}: unique operationId`);
        ids.add(op.operationId);
        assert.ok(
          Object.keys(op.responses).some((s) => s.startsWith('2')),
          `${method} ${path}: a success response`,
        );
        assert.equal(op.responses['400'].content['application/json'].schema.$ref, '#/components/schemas/Error');
        const templated = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
        const inPath = (op.parameters as Json[]).filter((p) => p.in === 'path');
        assert.deepEqual(inPath.map((p) => p.name).sort(), templated.sort(), `${method} ${path}: path parameters`);
        for (const p of inPath) assert.equal(p.required, true);
        if (path.includes('/admin/')) assert.deepEqual(op.security, [{ bearerToken: [] }]);
      }
    }
  });

  it('contains only valid JSON Schema 2020-12 schemas, and every $ref resolves', () => {
    const schemas: Array<[string, unknown]> = [];
    for (const [name, s] of Object.entries(doc.components.schemas as Json)) schemas.push([`components.${name}`, s]);
    for (const [path, ops] of Object.entries(doc.paths as Json)) {
      for (const [method, op] of Object.entries(ops as Json)) {
        for (const p of op.parameters as Json[]) schemas.push([`${method} ${path} ${p.name}`, p.schema]);
        for (const [type, c] of Object.entries((op.requestBody?.content ?? {}) as Json))
          schemas.push([`${method} ${path} body ${type}`, c.schema]);
        for (const [status, r] of Object.entries(op.responses as Json)) {
          for (const c of Object.values((r.content ?? {}) as Json)) schemas.push([`${method} ${path} ${status}`, (c as Json).schema]);
        }
      }
    }
    for (const [where, schema] of schemas) {
      assert.ok(ajv.validateSchema(schema as object), `${where}: ${ajv.errorsText(ajv.errors)}`);
    }
    const refs = JSON.stringify(doc).match(/"\$ref":"[^"]+"/g) ?? [];
    assert.ok(refs.length > 10);
    for (const ref of new Set(refs)) {
      const target = ref.slice(8, -1);
      assert.ok(target.startsWith('#/components/schemas/') && doc.components.schemas[target.split('/').pop()!], target);
    }
  });

  it('describes request bodies with the schema that validates them: ajv and the API agree', async () => {
    const validate = ajv.compile({
      $ref: pointer('paths', '/api/v1/admin/articles', 'post', 'requestBody', 'content', 'application/json', 'schema'),
    });
    const base = { headline: 'A story', sectionId: site.taxonomy.world.id, body: paragraphs('Text.') };
    const cases: Array<[string, unknown]> = [
      ['valid', base],
      [
        'full',
        {
          ...base,
          standfirst: 'S',
          slug: 'a-story',
          tagIds: [],
          language: 'pt-BR',
          commentsPolicy: 'closed',
          seoTitle: null,
          embargoUntil: '2027-01-01T00:00:00Z',
        },
      ],
      ['empty headline', { ...base, headline: '' }],
      ['unknown field', { ...base, extra: 1 }],
      ['bad slug', { ...base, slug: 'Not A Slug' }],
      ['bad language', { ...base, language: 'english' }],
      ['bad status', { ...base, status: 'deleted' }],
      ['bad block', { ...base, body: { version: 1, blocks: [{ type: 'marquee' }] } }],
      ['bad document version', { ...base, body: { version: 2, blocks: [] } }],
      ['missing section', { headline: 'x', body: paragraphs('y') }],
    ];
    for (const [name, input] of cases) {
      let zodOk: boolean;
      try {
        zodOk = createArticleBody.safeParse(input).success;
      } catch {
        zodOk = false; // the document is validated inside a transform, which throws
      }
      assert.equal(validate(input), zodOk, `${name}: ajv ${validate(input)} vs zod ${zodOk}`);
      const res = await site.call('POST', '/api/v1/admin/articles', { token: await site.token('editor'), json: input });
      assert.equal(res.statusCode === 201, zodOk, `${name}: HTTP ${res.statusCode}`);
    }
  });

  it('describes responses as the API really answers them', async () => {
    await createArticle(
      site.deps,
      buildArticleInput({
        sectionId: site.taxonomy.world.id,
        tagIds: [site.taxonomy.tags.russia.id],
        authorIds: [site.taxonomy.reporter.id],
      }),
    );
    const checks: Array<[string, string, string]> = [
      ['/api/v1/articles', '/api/v1/articles', 'get'],
      ['/api/v1/sections', '/api/v1/sections', 'get'],
      ['/api/v1/tags', '/api/v1/tags', 'get'],
      ['/api/v1/authors', '/api/v1/authors', 'get'],
      ['/api/v1/search?q=russia', '/api/v1/search', 'get'],
    ];
    const list = JSON.parse((await site.call('GET', '/api/v1/articles')).body) as { data: Json[] };
    checks.push([`/api/v1/articles/${list.data[0]!.id}`, '/api/v1/articles/{id}', 'get']);
    // A live blog with an entry and a tombstone (a deleted entry).
    const live = await setLiveCoverage(site.deps, null, list.data[0]!.id as string, { live: true });
    await createLiveEntry(site.deps, null, live.id, { body: paragraphs('Kept.'), publish: true, keyEvent: true });
    const gone = await createLiveEntry(site.deps, null, live.id, { body: paragraphs('Gone.'), publish: true });
    await deleteLiveEntry(site.deps, null, gone.id, gone.revision);
    checks.push([`/api/v1/articles/${live.id}/entries`, '/api/v1/articles/{id}/entries', 'get']);
    for (const [url, path, method] of checks) {
      const validate = ajv.compile({ $ref: pointer('paths', path, method, 'responses', '200', 'content', 'application/json', 'schema') });
      const body = JSON.parse((await site.call('GET', url)).body) as unknown;
      assert.ok(validate(body), `${url}: ${ajv.errorsText(validate.errors)}`);
    }
    const errorSchema = ajv.compile({ $ref: 'oas#/components/schemas/Error' });
    for (const url of ['/api/v1/nope', '/api/v1/articles?limit=0']) {
      assert.ok(errorSchema(JSON.parse((await site.call('GET', url)).body)), url);
    }
  });
});
