import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { revokeApiToken, listApiTokens } from '../domain/api-tokens/api-token-service.ts';
import { createArticle } from '../domain/articles/article-service.ts';
import { findArticleById } from '../domain/articles/article-repository.ts';
import { listAuditEntries } from '../domain/audit/audit-log.ts';
import { seedUser } from '../../test/support/account-factories.ts';
import { buildArticleInput, FIXED_NOW, paragraphs } from '../../test/support/factories.ts';
import { testDialects } from '../../test/support/test-db.ts';
import { apiError, createApiTestSite, type ApiTestSite } from '../../test/support/api-test-support.ts';

type Story = {
  id: string;
  status: string;
  revision: number;
  headline: string;
  standfirst: string;
  scheduledAt: string | null;
  createdBy: string;
};
const dataOf = (body: string) => (JSON.parse(body) as { data: Story }).data;

for (const { dialect, skip } of await testDialects()) {
  describe(`${dialect}: Admin API`, { skip }, () => {
    let site: ApiTestSite;
    let editorToken: string;
    const draftInput = () => ({
      headline: 'Council approves new budget',
      standfirst: 'The vote was close.',
      sectionId: site.taxonomy.world.id,
      body: paragraphs('The council voted 7 to 6.'),
      tagIds: [site.taxonomy.tags.diplomacy.id],
    });

    before(async () => {
      site = await createApiTestSite(dialect);
      editorToken = await site.token('editor');
    });
    after(() => site?.close());

    it('refuses calls without a token, with a revoked token, or with another scheme (401, JSON)', async () => {
      const none = await site.call('GET', '/api/v1/admin/articles');
      assert.equal(none.statusCode, 401);
      assert.equal(apiError(none).code, 'unauthorized');
      const token = await site.token('editor');
      assert.equal((await site.call('GET', '/api/v1/admin/articles', { token })).statusCode, 200);
      const [record] = (await listApiTokens(site.deps, { userId: site.admin.id, role: 'admin' })).filter(
        (t) => token.startsWith(t.hint) && !t.revokedAt,
      );
      await revokeApiToken(site.deps, { userId: site.admin.id, role: 'admin' }, record!.id);
      const revoked = await site.call('GET', '/api/v1/admin/articles', { token });
      assert.equal(revoked.statusCode, 401);
      assert.match(revoked.headers['www-authenticate'] as string, /invalid_token/);
      const basic = await site.call('GET', '/api/v1/admin/articles', { headers: { authorization: 'Basic YWRtaW46YWRtaW4=' } });
      assert.equal(basic.statusCode, 401);
    });

    it('creates a draft, reads it back with its revision, and audits the write with the token', async () => {
      const res = await site.call('POST', '/api/v1/admin/articles', { token: editorToken, json: draftInput() });
      assert.equal(res.statusCode, 201, res.body);
      const story = dataOf(res.body);
      assert.equal(res.headers.location, `/api/v1/admin/articles/${story.id}`);
      assert.equal(story.status, 'draft');
      assert.equal(story.revision, 1);
      assert.equal(story.createdBy, site.admin.id);
      const read = await site.call('GET', `/api/v1/admin/articles/${story.id}`, { token: editorToken });
      assert.equal(dataOf(read.body).headline, 'Council approves new budget');
      // Drafts are not on the Content API.
      assert.equal((await site.call('GET', `/api/v1/articles/${story.id}`)).statusCode, 404);
      const drafts = JSON.parse((await site.call('GET', '/api/v1/admin/articles?status=draft', { token: editorToken })).body) as {
        data: Story[];
      };
      assert.ok(drafts.data.some((s) => s.id === story.id));
      const audit = await listAuditEntries(site.deps.db, { subjectType: 'article', subjectId: story.id });
      const entry = audit.find((e) => e.action === 'api.article.created');
      assert.ok(entry, 'audit entry written');
      assert.equal(entry.actorUserId, site.admin.id);
      assert.equal(entry.details.tokenName, 'editor token');
    });

    it('refuses bad input with 400 naming the field, and writes nothing', async () => {
      const before = (await site.deps.db.selectFrom('articles').select('id').execute()).length;
      const cases: Array<[unknown, string]> = [
        [{ ...draftInput(), headline: '' }, 'body.headline'],
        [{ ...draftInput(), sectionId: undefined }, 'body.sectionId'],
        [{ ...draftInput(), language: 'English please' }, 'body.language'],
        [{ ...draftInput(), surprise: true }, 'body.surprise'],
        [
          {
            ...draftInput(),
            body: {
              version: 1,
              blocks: [
                { type: 'paragraph', content: [{ type: 'link', href: 'javascript:alert(1)', content: [{ type: 'text', text: 'x' }] }] },
              ],
            },
          },
          'body.blocks[0] (paragraph).content[0].href',
        ],
        [{ ...draftInput(), sectionId: '01a21290-fe38-71b2-8106-000000000000' }, 'body.sectionId'],
        [[1, 2, 3], 'body'],
      ];
      for (const [json, field] of cases) {
        const res = await site.call('POST', '/api/v1/admin/articles', { token: editorToken, json });
        assert.equal(res.statusCode, 400, `${field}: ${res.body}`);
        const err = apiError(res);
        assert.equal(err.code, 'validation_failed');
        assert.equal(err.field, field);
        assert.ok(err.message.length > 5);
      }
      assert.equal((await site.deps.db.selectFrom('articles').select('id').execute()).length, before);
    });

    it('updates with expectedRevision, keeps fields left out, and answers 409 for a stale revision', async () => {
      const created = dataOf((await site.call('POST', '/api/v1/admin/articles', { token: editorToken, json: draftInput() })).body);
      const patched = await site.call('PATCH', `/api/v1/admin/articles/${created.id}`, {
        token: editorToken,
        json: { headline: 'Council approves budget', expectedRevision: 1 },
      });
      assert.equal(patched.statusCode, 200, patched.body);
      const story = dataOf(patched.body);
      assert.equal(story.headline, 'Council approves budget');
      assert.equal(story.standfirst, 'The vote was close.', 'untouched field kept');
      assert.equal(story.revision, 2);
      const stale = await site.call('PATCH', `/api/v1/admin/articles/${created.id}`, {
        token: editorToken,
        json: { headline: 'Lost update', expectedRevision: 1 },
      });
      assert.equal(stale.statusCode, 409);
      assert.equal(apiError(stale).code, 'conflict');
      assert.equal((await findArticleById(site.deps.db, created.id))!.headline, 'Council approves budget');
      const noRevision = await site.call('PATCH', `/api/v1/admin/articles/${created.id}`, { token: editorToken, json: { headline: 'x' } });
      assert.equal(apiError(noRevision).field, 'body.expectedRevision');
      const missing = await site.call('PATCH', '/api/v1/admin/articles/01a21290-fe38-71b2-8106-000000000000', {
        token: editorToken,
        json: { expectedRevision: 1 },
      });
      assert.equal(missing.statusCode, 404);
    });

    it('limits a contributor token exactly as the newsroom limits contributors: no publishing, nothing changes', async () => {
      const contributorToken = await site.token('contributor');
      const own = dataOf((await site.call('POST', '/api/v1/admin/articles', { token: contributorToken, json: draftInput() })).body);
      const publish = await site.call('POST', `/api/v1/admin/articles/${own.id}/publish`, { token: contributorToken, json: {} });
      assert.equal(publish.statusCode, 403, publish.body);
      assert.equal(apiError(publish).code, 'forbidden');
      const schedule = await site.call('POST', `/api/v1/admin/articles/${own.id}/schedule`, {
        token: contributorToken,
        json: { at: '2026-11-26T06:00:00Z' },
      });
      assert.equal(schedule.statusCode, 403);
      const createPublished = await site.call('POST', '/api/v1/admin/articles', {
        token: contributorToken,
        json: { ...draftInput(), status: 'published' },
      });
      assert.equal(createPublished.statusCode, 403);
      const stored = (await findArticleById(site.deps.db, own.id))!;
      assert.equal(stored.status, 'draft');
      assert.equal(stored.revision, 1);
      // Someone else's story is not even readable by a contributor.
      const reporter = await seedUser(site.deps, 'author');
      const theirs = await createArticle(
        site.deps,
        buildArticleInput({ sectionId: site.taxonomy.world.id, status: 'draft', publishedAt: null }),
        { actor: { userId: reporter.id, role: 'author' } },
      );
      assert.equal((await site.call('GET', `/api/v1/admin/articles/${theirs.id}`, { token: contributorToken })).statusCode, 403);
      const listed = JSON.parse((await site.call('GET', '/api/v1/admin/articles', { token: contributorToken })).body) as { data: Story[] };
      assert.ok(listed.data.every((s) => s.createdBy === site.admin.id));
      // The contributor may submit their own draft.
      const submitted = await site.call('POST', `/api/v1/admin/articles/${own.id}/submit`, {
        token: contributorToken,
        json: { expectedRevision: 1 },
      });
      assert.equal(submitted.statusCode, 200, submitted.body);
      assert.equal(dataOf(submitted.body).status, 'in_review');
    });

    it('lets an editor token schedule, publish, unpublish and republish; the story appears on the Content API', async () => {
      const story = dataOf((await site.call('POST', '/api/v1/admin/articles', { token: editorToken, json: draftInput() })).body);
      const at = new Date(FIXED_NOW.getTime() + 3_600_000).toISOString();
      const scheduled = await site.call('POST', `/api/v1/admin/articles/${story.id}/schedule`, {
        token: editorToken,
        json: { at, expectedRevision: 1 },
      });
      assert.equal(scheduled.statusCode, 200, scheduled.body);
      assert.equal(dataOf(scheduled.body).status, 'scheduled');
      assert.equal(dataOf(scheduled.body).scheduledAt, at);
      const badTime = await site.call('POST', `/api/v1/admin/articles/${story.id}/schedule`, {
        token: editorToken,
        json: { at: 'tomorrow' },
      });
      assert.equal(apiError(badTime).field, 'body.at');
      const published = await site.call('POST', `/api/v1/admin/articles/${story.id}/publish`, { token: editorToken, json: {} });
      assert.equal(published.statusCode, 200, published.body);
      assert.equal(dataOf(published.body).status, 'published');
      assert.equal((await site.call('GET', `/api/v1/articles/${story.id}`)).statusCode, 200);
      const again = await site.call('POST', `/api/v1/admin/articles/${story.id}/publish`, { token: editorToken, json: {} });
      assert.equal(again.statusCode, 409, 'cannot publish a published story');
      const down = await site.call('POST', `/api/v1/admin/articles/${story.id}/unpublish`, { token: editorToken, json: {} });
      assert.equal(dataOf(down.body).status, 'unpublished');
      assert.equal((await site.call('GET', `/api/v1/articles/${story.id}`)).statusCode, 404);
      const back = await site.call('POST', `/api/v1/admin/articles/${story.id}/republish`, { token: editorToken, json: {} });
      assert.equal(back.statusCode, 200, back.body);
      assert.equal(dataOf(back.body).status, 'published');
      assert.equal((await site.call('GET', `/api/v1/articles/${story.id}`)).statusCode, 200);
      const actions = (await listAuditEntries(site.deps.db, { subjectType: 'article', subjectId: story.id })).map((e) => e.action);
      for (const a of ['api.article.schedule', 'api.article.publish', 'api.article.unpublish', 'api.article.republish'])
        assert.ok(actions.includes(a), a);
    });

    it('adds a correction note to a published story (201), shown on the public page; refuses a draft (409) and bad input (400)', async () => {
      const story = dataOf((await site.call('POST', '/api/v1/admin/articles', { token: editorToken, json: draftInput() })).body);
      const onDraft = await site.call('POST', `/api/v1/admin/articles/${story.id}/notes`, {
        token: editorToken,
        json: { kind: 'correction', text: 'Wrong date.' },
      });
      assert.equal(onDraft.statusCode, 409, onDraft.body);
      await site.call('POST', `/api/v1/admin/articles/${story.id}/publish`, { token: editorToken, json: {} });
      const text = 'An earlier version of this story misstated the closing date.';
      const added = await site.call('POST', `/api/v1/admin/articles/${story.id}/notes`, {
        token: editorToken,
        json: { kind: 'correction', text },
      });
      assert.equal(added.statusCode, 201, added.body);
      const stored = await findArticleById(site.deps.db, story.id);
      assert.equal(dataOf(added.body).revision, stored!.revision);
      const { url } = (JSON.parse((await site.call('GET', `/api/v1/articles/${story.id}`)).body) as { data: { url: string } }).data;
      const page = await site.call('GET', new URL(url).pathname);
      assert.equal(page.statusCode, 200);
      assert.ok(page.body.includes(text), 'the story’s page shows the correction');
      const empty = await site.call('POST', `/api/v1/admin/articles/${story.id}/notes`, {
        token: editorToken,
        json: { kind: 'correction', text: ' ' },
      });
      assert.equal(empty.statusCode, 400);
      assert.equal(apiError(empty).field, 'body.text');
      const actions = (await listAuditEntries(site.deps.db, { subjectType: 'article', subjectId: story.id })).map((e) => e.action);
      assert.ok(actions.includes('api.article.note_correction'), actions.join());
    });

    it('deletes a story with an editor token (204); an author token gets 403 and the story stays', async () => {
      const story = dataOf((await site.call('POST', '/api/v1/admin/articles', { token: editorToken, json: draftInput() })).body);
      const authorToken = await site.token('author');
      const refused = await site.call('DELETE', `/api/v1/admin/articles/${story.id}`, { token: authorToken });
      assert.equal(refused.statusCode, 403);
      assert.equal(apiError(refused).code, 'forbidden');
      assert.ok(await findArticleById(site.deps.db, story.id));
      const deleted = await site.call('DELETE', `/api/v1/admin/articles/${story.id}`, { token: editorToken });
      assert.equal(deleted.statusCode, 204);
      assert.equal(await findArticleById(site.deps.db, story.id), null);
      const gone = await site.call('DELETE', `/api/v1/admin/articles/${story.id}`, { token: editorToken });
      assert.equal(gone.statusCode, 404);
      assert.equal(apiError(gone).code, 'not_found');
    });
  });
}
