import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createArticle } from '../domain/articles/article-service.ts';
import { listAuditEntries } from '../domain/audit/audit-log.ts';
import { fixturesSkip, NINJS_DIR, READABILITY_DIR, readNinjs } from '../../test/support/wire-test-support.ts';
import { buildArticleInput } from '../../test/support/factories.ts';
import { testDialects } from '../../test/support/test-db.ts';
import { apiError, createApiTestSite, type ApiTestSite } from '../../test/support/api-test-support.ts';

type Imported = { data: { id: string; status: string; headline: string }; import: { status: string; changed: boolean } };
const skipFixtures = fixturesSkip(NINJS_DIR) || fixturesSkip(READABILITY_DIR);

for (const { dialect, skip } of await testDialects()) {
  describe(`${dialect}: wire import and export over the API`, { skip: skip || skipFixtures }, () => {
    let site: ApiTestSite;
    let author: string;
    before(async () => {
      site = await createApiTestSite(dialect);
      author = await site.token('author');
    });
    after(() => site?.close());

    it('imports a ninjs 3.0 document as a draft, then updates it on re-import', async () => {
      const doc = readNinjs('examples/3.0/dpa_text.json');
      const res = await site.call('POST', '/api/v1/admin/import/ninjs', { token: author, json: doc });
      assert.equal(res.statusCode, 201, res.body);
      const body = JSON.parse(res.body) as Imported;
      assert.equal(body.data.status, 'draft');
      assert.equal(body.import.status, 'created');
      const again = await site.call('POST', '/api/v1/admin/import/ninjs?force=true', { token: author, json: doc });
      assert.equal(again.statusCode, 200, again.body);
      assert.equal((JSON.parse(again.body) as Imported).data.id, body.data.id);
      const audit = await listAuditEntries(site.deps.db, {
        subjectType: 'article',
        subjectId: body.data.id,
        action: 'api.article.imported',
      });
      assert.equal(audit.length, 2);
    });

    it('refuses an invalid ninjs document with 400, and a contributor token with 403', async () => {
      const bad = await site.call('POST', '/api/v1/admin/import/ninjs', {
        token: author,
        json: { uri: 'urn:x', headlines: 'not an array' },
      });
      assert.equal(bad.statusCode, 400, bad.body);
      assert.equal(apiError(bad).code, 'validation_failed');
      assert.equal(apiError(bad).field, 'body.headlines');
      const contributor = await site.token('contributor');
      const refused = await site.call('POST', '/api/v1/admin/import/ninjs', {
        token: contributor,
        json: readNinjs('examples/3.0/dpa_text.json'),
      });
      assert.equal(refused.statusCode, 403);
    });

    it('imports a web page sent as text/html', async () => {
      const html = fs.readFileSync(path.join(READABILITY_DIR, 'bbc-1', 'source.html'), 'utf8');
      const res = await site.call('POST', '/api/v1/admin/import/html?url=https%3A%2F%2Fwww.bbc.com%2Fnews%2Fx', {
        token: author,
        payload: html,
        headers: { 'content-type': 'text/html; charset=utf-8' },
      });
      assert.equal(res.statusCode, 201, res.body.slice(0, 500));
      const body = JSON.parse(res.body) as Imported;
      assert.match(body.data.headline, /Obama/);
      assert.equal(body.data.status, 'draft');
    });

    it('exports only published articles as ninjs', async () => {
      const published = await createArticle(site.deps, buildArticleInput({ sectionId: site.taxonomy.world.id }));
      const v3 = await site.call('GET', `/api/v1/articles/${published.id}/ninjs`);
      assert.equal(v3.statusCode, 200, v3.body);
      assert.ok(v3.headers.etag);
      const doc = JSON.parse(v3.body) as Record<string, unknown>;
      assert.ok(JSON.stringify(doc).includes('Russia executing soldiers'));
      assert.equal((await site.call('GET', `/api/v1/articles/${published.id}/ninjs?version=2`)).statusCode, 200);
      assert.equal(apiError(await site.call('GET', `/api/v1/articles/${published.id}/ninjs?version=4`)).field, 'query.version');
      const draft = await createArticle(
        site.deps,
        buildArticleInput({ sectionId: site.taxonomy.world.id, status: 'draft', publishedAt: null }),
      );
      assert.equal((await site.call('GET', `/api/v1/articles/${draft.id}/ninjs`)).statusCode, 404);
    });
  });
}

for (const { dialect, skip } of await testDialects()) {
  describe(`${dialect}: wire import over the API into a site with no section`, { skip }, () => {
    let site: ApiTestSite;
    let author: string;
    const doc = (n: number) => ({
      uri: `urn:test:api-empty:${n}`,
      type: 'text',
      headline: `Harbour story ${n}`,
      body_text: 'Ferries ran again.',
    });
    before(async () => {
      site = await createApiTestSite(dialect);
      author = await site.token('author');
      await site.deps.db.deleteFrom('sections').execute(); // a fresh site: nothing filed yet
    });
    after(() => site?.close());

    it('creates the default "news" section for the first import and says so', async () => {
      const res = await site.call('POST', '/api/v1/admin/import/ninjs', { token: author, json: doc(1) });
      assert.equal(res.statusCode, 201, res.body);
      const body = JSON.parse(res.body) as { data: { section: { slug: string } }; import: { notes: string[] } };
      assert.equal(body.data.section.slug, 'news');
      assert.ok(
        body.import.notes.some((n) => /no section yet: created "News"/.test(n)),
        res.body,
      );
    });

    it('answers 400 with the known sections for an unknown one, and for a section that is not a slug', async () => {
      const unknown = await site.call('POST', '/api/v1/admin/import/ninjs?section=culture', { token: author, json: doc(2) });
      assert.equal(unknown.statusCode, 400, unknown.body);
      assert.match(apiError(unknown).message, /no section "culture" \(known: news\)/);
      const bad = await site.call('POST', '/api/v1/admin/import/ninjs?section=Not%20a%20slug', { token: author, json: doc(3) });
      assert.equal(bad.statusCode, 400, bad.body);
      assert.equal(apiError(bad).field, 'query.section');
    });
  });
}
