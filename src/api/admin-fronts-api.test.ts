import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { apiError, createApiTestSite, type ApiTestSite } from '../../test/support/api-test-support.ts';
import { buildArticleInput, FIXED_NOW, hoursAgo } from '../../test/support/factories.ts';
import { testDialects } from '../../test/support/test-db.ts';
import { createArticle } from '../domain/articles/article-service.ts';
import type { Article } from '../domain/articles/article.ts';
import { listAuditEntries } from '../domain/audit/audit-log.ts';

/*
 * Front arrangements through the Admin API, on both databases: read, write with the revision
 * check, schedule, restore; editors' tokens only; answers as the OpenAPI document says; and
 * readers see a new lead at once.
 */

type Json = Record<string, any>;

const leadOf = (body: string) => /<section class="front__lead"[^>]*>.*?<h2 class="teaser__title"><a [^>]*>([^<]+)<\/a>/s.exec(body)?.[1];

for (const { dialect, skip } of await testDialects()) {
  describe(`${dialect}: Admin API fronts`, { skip }, () => {
    let site: ApiTestSite;
    let editorToken: string;
    const stories: Article[] = [];
    let validateFront: ValidateFunction;
    let validatePut: ValidateFunction;

    before(async () => {
      site = await createApiTestSite(dialect);
      editorToken = await site.token('editor');
      for (let i = 0; i < 4; i++)
        stories.push(
          await createArticle(
            site.deps,
            buildArticleInput({ sectionId: site.taxonomy.world.id, headline: `API story ${i}`, publishedAt: hoursAgo(i + 1) }),
          ),
        );
      const doc = JSON.parse((await site.call('GET', '/api/openapi.json')).body) as Json;
      const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
      ajv.addSchema(doc, 'oas');
      const at = (method: string, where: string) =>
        ajv.compile({ $ref: `oas#/paths/~1api~1v1~1admin~1fronts~1{front}/${method}/${where}` });
      validateFront = at('get', 'responses/200/content/application~1json/schema');
      validatePut = at('put', 'requestBody/content/application~1json/schema');
    });
    after(() => site?.close());

    const put = (front: string, json: unknown, token = editorToken) => site.call('PUT', `/api/v1/admin/fronts/${front}`, { token, json });

    it('reads a front with no arrangement, as documented', async () => {
      const res = await site.call('GET', '/api/v1/admin/fronts/home', { token: editorToken });
      assert.equal(res.statusCode, 200);
      const body = JSON.parse(res.body) as Json;
      assert.ok(validateFront(body), JSON.stringify(validateFront.errors));
      assert.equal(body.data.revision, 0);
      assert.equal(body.data.inForce, null);
      assert.equal(body.data.url, 'https://news.example.test/');
      assert.equal((await site.call('GET', '/api/v1/admin/fronts/world', { token: editorToken })).statusCode, 200);
      assert.equal((await site.call('GET', '/api/v1/admin/fronts/no-such-section', { token: editorToken })).statusCode, 404);
    });

    it('sets the lead with a revision-checked PUT; readers see it at once; audited with the token', async () => {
      const input = { expectedRevision: 0, arrangement: { lead: { pins: [stories[3]!.id] }, top: { size: 2 } } };
      assert.ok(validatePut(input), 'the documented request schema accepts it');
      const res = await put('home', input);
      assert.equal(res.statusCode, 200, res.body);
      const body = JSON.parse(res.body) as Json;
      assert.ok(validateFront(body), JSON.stringify(validateFront.errors));
      assert.equal(body.data.revision, 1);
      assert.deepEqual(body.data.inForce.arrangement, { lead: { pins: [stories[3]!.id] }, top: { size: 2, pins: [] }, blocks: [] });
      assert.equal(leadOf((await site.call('GET', '/')).body), 'API story 3');
      const audit = await listAuditEntries(site.deps.db, { subjectType: 'front', subjectId: 'home' });
      assert.deepEqual(audit.map((e) => e.action).sort(), ['api.front.saved', 'front.published']);

      const stale = await put('home', input);
      assert.equal(stale.statusCode, 409);
      assert.equal(apiError(stale).code, 'conflict');
    });

    it('refuses bad input with the field named, and tokens below editor', async () => {
      const twice = await put('home', {
        expectedRevision: 1,
        arrangement: { lead: { pins: [stories[0]!.id] }, top: { pins: [stories[0]!.id] } },
      });
      assert.equal(twice.statusCode, 400);
      assert.match(apiError(twice).message, /pinned more than once/);
      const unknown = await put('home', { expectedRevision: 1, arrangement: { lead: { pins: ['nope'] } } });
      assert.equal(unknown.statusCode, 400);
      assert.match(apiError(unknown).message, /no story with id nope/);
      const extra = { expectedRevision: 1, arrangement: { lead: { pins: [] }, colour: 'red' } };
      assert.equal(validatePut(extra), false);
      assert.equal((await put('home', extra)).statusCode, 400);
      const past = await put('home', { expectedRevision: 1, arrangement: {}, effectiveAt: '2020-01-01T00:00:00Z' });
      assert.equal(past.statusCode, 400);
      const author = await put('home', { expectedRevision: 1, arrangement: {} }, await site.token('author'));
      assert.equal(author.statusCode, 403);
      assert.equal((await site.call('GET', '/api/v1/admin/fronts/home', { token: await site.token('author') })).statusCode, 403);
      assert.equal((await site.call('GET', '/api/v1/admin/fronts/home')).statusCode, 401);
    });

    it('schedules an arrangement and restores an old one', async () => {
      const at = new Date(FIXED_NOW.getTime() + 6 * 3_600_000).toISOString();
      let res = await put('home', { expectedRevision: 1, arrangement: { lead: { pins: [stories[1]!.id] } }, effectiveAt: at });
      assert.equal(res.statusCode, 200, res.body);
      let body = JSON.parse(res.body) as Json;
      assert.deepEqual(
        body.data.scheduled.map((v: Json) => [v.version, v.effectiveAt]),
        [[2, at]],
      );
      assert.equal(body.data.inForce.version, 1);
      res = await put('home', { expectedRevision: 2, arrangement: { lead: { pins: [stories[2]!.id] } }, state: 'draft' });
      assert.equal(JSON.parse(res.body).data.inForce.version, 1, 'a draft is not shown');
      res = await site.call('POST', '/api/v1/admin/fronts/home/restore', {
        token: editorToken,
        json: { expectedRevision: 3, version: 1, publish: true },
      });
      assert.equal(res.statusCode, 200, res.body);
      body = JSON.parse(res.body) as Json;
      assert.ok(validateFront(body), JSON.stringify(validateFront.errors));
      assert.equal(body.data.inForce.version, 4);
      assert.equal(body.data.inForce.restoredFrom, 1);
      assert.deepEqual(
        body.data.history.map((v: Json) => [v.version, v.state]),
        [
          [4, 'published'],
          [3, 'draft'],
          [2, 'published'],
          [1, 'published'],
        ],
      );
      site.setNow(new Date(Date.parse(at) + 1000));
      assert.equal(leadOf((await site.call('GET', '/')).body), 'API story 1', 'the scheduled version takes over at its time');
      site.setNow(FIXED_NOW);
    });
  });
}
