import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { apiError, createApiTestSite, type ApiTestSite } from '../../test/support/api-test-support.ts';
import { seedUser } from '../../test/support/account-factories.ts';
import { buildArticleInput, paragraphs } from '../../test/support/factories.ts';
import { testDialects } from '../../test/support/test-db.ts';
import { findPendingChange } from '../domain/articles/article-pending-change.ts';
import { findArticleById } from '../domain/articles/article-repository.ts';
import { createArticle } from '../domain/articles/article-service.ts';
import type { Article } from '../domain/articles/article.ts';
import { listAuditEntries } from '../domain/audit/audit-log.ts';

/*
 * Staged changes through the Admin API, on both databases: an author's change to their own
 * live story is kept as the story's pending change (202, as documented), the one the
 * newsroom's review queue shows, and readers see the live story until an editor publishes
 * it; editors' changes, and authors' changes to drafts, are written at once; the site's
 * setting turns staging off.
 */

type Json = Record<string, any>;
const h1Of = (body: string) => /<h1[^>]*>([^<]+)<\/h1>/.exec(body)?.[1];

for (const { dialect, skip } of await testDialects()) {
  describe(`${dialect}: Admin API staged changes to live stories`, { skip }, () => {
    let site: ApiTestSite;
    let authorToken: string;
    let editorToken: string;
    let validate202: ValidateFunction;
    let validatePending: ValidateFunction;

    /** A story the author token published itself (a token acts as its owner, with the token's role). */
    const liveStory = async (headline: string): Promise<Article> => {
      const res = await site.call('POST', '/api/v1/admin/articles', {
        token: authorToken,
        json: { headline, sectionId: site.taxonomy.world.id, body: paragraphs('The first version.'), status: 'published' },
      });
      assert.equal(res.statusCode, 201, res.body);
      return (await findArticleById(site.deps.db, (JSON.parse(res.body) as Json).data.id as string))!;
    };
    const patch = (id: string, json: unknown, token = authorToken) => site.call('PATCH', `/api/v1/admin/articles/${id}`, { token, json });
    const publicPage = async (a: Article) => site.call('GET', `/world/${a.slug}`);

    before(async () => {
      site = await createApiTestSite(dialect);
      authorToken = await site.token('author');
      editorToken = await site.token('editor');
      const doc = JSON.parse((await site.call('GET', '/api/openapi.json')).body) as Json;
      const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
      ajv.addSchema(doc, 'oas');
      validate202 = ajv.compile({
        $ref: 'oas#/paths/~1api~1v1~1admin~1articles~1{id}/patch/responses/202/content/application~1json/schema',
      });
      validatePending = ajv.compile({
        $ref: 'oas#/paths/~1api~1v1~1admin~1articles~1{id}~1pending-change/get/responses/200/content/application~1json/schema',
      });
    });
    after(() => site?.close());

    it('keeps an author’s change to their live story for review (202); readers still see the live story', async () => {
      const story = await liveStory('Harbour reopens');
      const res = await patch(story.id, { headline: 'Harbour reopens after storm', expectedRevision: story.revision });
      assert.equal(res.statusCode, 202, res.body);
      const body = JSON.parse(res.body) as Json;
      assert.ok(validate202(body), JSON.stringify(validate202.errors));
      assert.equal(body.data.state, 'pending_review');
      assert.equal(body.data.revision, 1);
      assert.equal(body.data.baseRevision, story.revision);
      assert.equal(body.data.proposed.headline, 'Harbour reopens after storm');
      assert.equal(body.data.live.headline, 'Harbour reopens');
      // The story itself did not move: same revision, same public page, same Content API answer.
      const stored = (await findArticleById(site.deps.db, story.id))!;
      assert.equal(stored.revision, story.revision);
      assert.equal(stored.headline, 'Harbour reopens');
      assert.equal(h1Of((await publicPage(story)).body), 'Harbour reopens');
      assert.equal((JSON.parse((await site.call('GET', `/api/v1/articles/${story.id}`)).body) as Json).data.headline, 'Harbour reopens');
      // It is the newsroom's pending change: the one the review queue shows.
      const change = await findPendingChange(site.deps.db, story.id);
      assert.equal(change?.input.headline, 'Harbour reopens after storm');
      assert.equal(change?.createdBy, site.admin.id, 'kept as the token owner’s');
      const audit = await listAuditEntries(site.deps.db, { subjectType: 'article', subjectId: story.id });
      assert.ok(audit.some((e) => e.action === 'api.article.change_staged' && e.details.tokenName === 'author token'));
      assert.ok(audit.some((e) => e.action === 'article.change_staged'));
      assert.ok(!audit.some((e) => e.action === 'api.article.updated'));
    });

    it('changes the pending change again with its revision; fields left out keep the change’s values', async () => {
      const story = await liveStory('Bridge closes');
      assert.equal((await patch(story.id, { headline: 'Bridge closes for a month', expectedRevision: story.revision })).statusCode, 202);
      const blind = await patch(story.id, { standfirst: 'Repairs start Monday.', expectedRevision: story.revision });
      assert.equal(blind.statusCode, 409);
      assert.match(apiError(blind).message, /expectedPendingRevision: 1/);
      const again = await patch(story.id, {
        standfirst: 'Repairs start Monday.',
        expectedRevision: story.revision,
        expectedPendingRevision: 1,
      });
      assert.equal(again.statusCode, 202, again.body);
      const data = (JSON.parse(again.body) as Json).data;
      assert.equal(data.revision, 2);
      assert.equal(data.proposed.headline, 'Bridge closes for a month', 'the earlier staged headline is kept');
      assert.equal(data.proposed.standfirst, 'Repairs start Monday.');
      const stale = await patch(story.id, { headline: 'Lost', expectedRevision: story.revision, expectedPendingRevision: 1 });
      assert.equal(stale.statusCode, 409);
      // Timing fields are not part of a change waiting for review.
      const embargo = await patch(story.id, {
        embargoUntil: '2026-12-01T00:00:00Z',
        expectedRevision: story.revision,
        expectedPendingRevision: 2,
      });
      assert.equal(embargo.statusCode, 400);
      assert.equal(apiError(embargo).field, 'body.embargoUntil');
      assert.equal((await findPendingChange(site.deps.db, story.id))?.revision, 2);
      // Read back as documented.
      const read = await site.call('GET', `/api/v1/admin/articles/${story.id}/pending-change`, { token: authorToken });
      assert.equal(read.statusCode, 200);
      assert.ok(validatePending(JSON.parse(read.body)), JSON.stringify(validatePending.errors));
    });

    it('an editor publishes the change through the API and readers see it; an author may not', async () => {
      const story = await liveStory('Ferry fares rise');
      assert.equal((await patch(story.id, { headline: 'Ferry fares rise by a tenth', expectedRevision: story.revision })).statusCode, 202);
      const decision = { expectedRevision: story.revision, expectedPendingRevision: 1 };
      const byAuthor = await site.call('POST', `/api/v1/admin/articles/${story.id}/pending-change/publish`, {
        token: authorToken,
        json: decision,
      });
      assert.equal(byAuthor.statusCode, 403);
      assert.equal(h1Of((await publicPage(story)).body), 'Ferry fares rise');
      const res = await site.call('POST', `/api/v1/admin/articles/${story.id}/pending-change/publish`, {
        token: editorToken,
        json: decision,
      });
      assert.equal(res.statusCode, 200, res.body);
      assert.equal((JSON.parse(res.body) as Json).data.headline, 'Ferry fares rise by a tenth');
      assert.equal(await findPendingChange(site.deps.db, story.id), null);
      assert.equal(h1Of((await publicPage(story)).body), 'Ferry fares rise by a tenth');
      const none = await site.call('GET', `/api/v1/admin/articles/${story.id}/pending-change`, { token: authorToken });
      assert.equal(none.statusCode, 404);
    });

    it('the author discards their pending change; the live story is untouched', async () => {
      const story = await liveStory('Library hours cut');
      assert.equal((await patch(story.id, { headline: 'Library hours cut again', expectedRevision: story.revision })).statusCode, 202);
      const res = await site.call('POST', `/api/v1/admin/articles/${story.id}/pending-change/discard`, {
        token: authorToken,
        json: { expectedPendingRevision: 1 },
      });
      assert.equal(res.statusCode, 204, res.body);
      assert.equal(await findPendingChange(site.deps.db, story.id), null);
      assert.equal((await findArticleById(site.deps.db, story.id))!.headline, 'Library hours cut');
    });

    it('writes an editor’s change to a live story, and an author’s change to a draft, at once (200)', async () => {
      const story = await liveStory('Tram line approved');
      const res = await patch(story.id, { headline: 'Tram line approved at last', expectedRevision: story.revision }, editorToken);
      assert.equal(res.statusCode, 200, res.body);
      assert.equal((JSON.parse(res.body) as Json).data.revision, story.revision + 1);
      assert.equal(await findPendingChange(site.deps.db, story.id), null);
      assert.equal(h1Of((await publicPage(story)).body), 'Tram line approved at last');

      const draft = await createArticle(
        site.deps,
        buildArticleInput({ sectionId: site.taxonomy.world.id, headline: 'Draft budget', status: 'draft', publishedAt: undefined }),
        { actor: { userId: site.admin.id, role: 'author' } },
      );
      const own = await patch(draft.id, { headline: 'Draft budget, revised', expectedRevision: draft.revision });
      assert.equal(own.statusCode, 200, own.body);
      assert.equal((await findArticleById(site.deps.db, draft.id))!.headline, 'Draft budget, revised');
    });

    it('while a story has a pending change, an editor’s change goes into it too (the newsroom’s rule), never past it', async () => {
      const story = await liveStory('Museum closes');
      assert.equal((await patch(story.id, { headline: 'Museum closes for repairs', expectedRevision: story.revision })).statusCode, 202);
      const blind = await patch(story.id, { standfirst: 'Until spring.', expectedRevision: story.revision }, editorToken);
      assert.equal(blind.statusCode, 409, 'not written over the change under review');
      const into = await patch(
        story.id,
        { standfirst: 'Until spring.', expectedRevision: story.revision, expectedPendingRevision: 1 },
        editorToken,
      );
      assert.equal(into.statusCode, 202, into.body);
      const data = (JSON.parse(into.body) as Json).data;
      assert.equal(data.proposed.headline, 'Museum closes for repairs');
      assert.equal(data.proposed.standfirst, 'Until spring.');
      assert.equal((await findArticleById(site.deps.db, story.id))!.revision, story.revision, 'the live story did not move');
    });

    it('refuses an author’s change to someone else’s live story (403) and stages nothing', async () => {
      const editor = await seedUser(site.deps, 'editor', { name: 'Eli Editor' });
      const story = await createArticle(site.deps, buildArticleInput({ sectionId: site.taxonomy.world.id, headline: 'Mayor resigns' }), {
        actor: { userId: editor.id, role: 'editor' },
      });
      const res = await patch(story.id, { headline: 'Mayor quits', expectedRevision: story.revision });
      assert.equal(res.statusCode, 403);
      assert.equal(await findPendingChange(site.deps.db, story.id), null);
    });
  });

  describe(`${dialect}: Admin API with MASTHEAD_STAGE_AUTHOR_EDITS=false`, { skip }, () => {
    let site: ApiTestSite;
    before(async () => {
      site = await createApiTestSite(dialect, { MASTHEAD_STAGE_AUTHOR_EDITS: 'false' });
    });
    after(() => site?.close());

    it('writes an author’s change to their live story at once', async () => {
      const token = await site.token('author');
      const story = await createArticle(site.deps, buildArticleInput({ sectionId: site.taxonomy.world.id, headline: 'Dam opens' }), {
        actor: { userId: site.admin.id, role: 'author' },
      });
      const res = await site.call('PATCH', `/api/v1/admin/articles/${story.id}`, {
        token,
        json: { headline: 'Dam opens early', expectedRevision: story.revision },
      });
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(await findPendingChange(site.deps.db, story.id), null);
      assert.equal((await findArticleById(site.deps.db, story.id))!.headline, 'Dam opens early');
    });
  });
}
