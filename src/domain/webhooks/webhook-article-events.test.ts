import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import {
  buildArticleInput,
  paragraphs,
  seedTaxonomy,
  serviceDepsFor,
  type Taxonomy,
  type TestServiceDeps,
} from '../../../test/support/factories.ts';
import { createTestDatabase, testDialects, type TestDatabase } from '../../../test/support/test-db.ts';
import type { Actor } from '../accounts/role.ts';
import { listAuditEntries } from '../audit/audit-log.ts';
import { deleteArticle } from '../articles/article-delete.ts';
import { addNote } from '../articles/article-notes.ts';
import { findArticleById } from '../articles/article-repository.ts';
import { publishDue } from '../articles/article-scheduler.ts';
import { createArticle, updateArticle } from '../articles/article-service.ts';
import { runWorkflowAction } from '../articles/article-workflow-service.ts';
import type { ArticleInput } from '../articles/article-schemas.ts';
import type { Article } from '../articles/article.ts';
import type { ArticleEventData } from './webhook-article-events.ts';
import { createWebhook } from './webhook-service.ts';

const SITE = 'https://news.example.test';

for (const { dialect, skip } of await testDialects()) {
  describe(`${dialect}: article events queue webhook deliveries`, { skip }, () => {
    let t: TestDatabase;
    let deps: TestServiceDeps;
    let tax: Taxonomy;
    let now: Date;
    const admin: Actor = { userId: 'u-admin', role: 'admin' };
    const editor: Actor = { userId: 'u-editor', role: 'editor' };

    before(async () => {
      t = await createTestDatabase(dialect);
      now = new Date('2026-11-25T12:00:00.000Z');
      deps = { ...serviceDepsFor(t.handle, { clock: () => now }), siteUrl: SITE };
      tax = await seedTaxonomy(deps);
      await createWebhook(
        deps,
        admin,
        {
          url: 'https://hooks.example.com/all',
          events: ['article.published', 'article.updated', 'article.unpublished', 'article.deleted'],
        },
        { allowPrivate: false },
      );
    });
    beforeEach(async () => {
      await deps.db.deleteFrom('webhook_deliveries').execute();
    });
    after(async () => {
      await t?.destroy();
      deps?.cleanup();
    });

    const queued = async () => {
      const rows = await deps.db.selectFrom('webhook_deliveries').select(['event', 'payload', 'status']).orderBy('id').execute();
      return rows.map((r) => ({
        event: r.event,
        status: r.status,
        payload: JSON.parse(r.payload) as { id: string; type: string; createdAt: string; data: ArticleEventData },
      }));
    };
    const draft = (overrides: Partial<ArticleInput> = {}) =>
      createArticle(
        deps,
        buildArticleInput({
          sectionId: tax.world.id,
          authorIds: [tax.reporter.id],
          tagIds: [tax.tags.russia.id],
          status: 'draft',
          publishedAt: undefined,
          ...overrides,
        }),
        { actor: editor },
      );
    const inputOf = (a: Article, overrides: Partial<ArticleInput> = {}): ArticleInput => ({
      headline: a.headline,
      standfirst: a.standfirst,
      slug: a.slug,
      sectionId: a.sectionId,
      authorIds: a.authorIds,
      tagIds: a.tagIds,
      body: a.body,
      language: a.language,
      ...overrides,
    });

    it('publishing by hand queues article.published with the story, its absolute URL, bylines and tags', async () => {
      const a = await draft({ headline: 'Ministers resign', slug: 'ministers-resign' });
      assert.deepEqual(await queued(), [], 'a draft is no event');
      await runWorkflowAction(deps, a.id, { type: 'publish' }, editor);
      const [d, ...rest] = await queued();
      assert.equal(rest.length, 0);
      assert.equal(d!.event, 'article.published');
      assert.equal(d!.status, 'pending');
      assert.equal(d!.payload.type, 'article.published');
      assert.equal(d!.payload.createdAt, now.toISOString());
      const art = d!.payload.data.article;
      assert.equal(art.id, a.id);
      assert.equal(art.url, `${SITE}/world/ministers-resign`);
      assert.equal(art.headline, 'Ministers resign');
      assert.equal(art.status, 'published');
      assert.equal(art.publishedAt, now.toISOString());
      assert.deepEqual(art.section, { id: tax.world.id, slug: 'world', name: 'World' });
      assert.deepEqual(
        art.authors.map((x) => x.name),
        ['Sudesh Baniya'],
      );
      assert.deepEqual(
        art.tags.map((x) => x.slug),
        ['russia'],
      );
    });

    it('the scheduler publishing a story queues article.published; a refused action queues nothing', async () => {
      const a = await draft({ slug: 'scheduled-story' });
      const at = new Date(now.getTime() + 60_000).toISOString();
      await runWorkflowAction(deps, a.id, { type: 'schedule', at }, editor);
      assert.deepEqual(await queued(), [], 'scheduling is not publishing');
      await assert.rejects(runWorkflowAction(deps, a.id, { type: 'unpublish' }, editor), { code: 'conflict' });
      assert.deepEqual(await queued(), []);
      now = new Date(now.getTime() + 61_000);
      assert.deepEqual((await publishDue(deps)).published, [a.id]);
      const events = await queued();
      assert.deepEqual(
        events.map((e) => e.event),
        ['article.published'],
      );
      assert.equal(events[0]!.payload.data.article.publishedAt, at);
    });

    it('saving a published story queues article.updated; saving a draft does not', async () => {
      const d = await draft({ slug: 'draft-save' });
      await updateArticle(deps, d.id, inputOf(d, { headline: 'Draft, edited' }), d.revision, { actor: editor });
      assert.deepEqual(await queued(), []);
      const p = await createArticle(deps, buildArticleInput({ sectionId: tax.world.id, slug: 'live-story' }));
      assert.deepEqual(
        (await queued()).map((e) => e.event),
        ['article.published'],
        'created as published',
      );
      await deps.db.deleteFrom('webhook_deliveries').execute();
      await updateArticle(
        deps,
        p.id,
        inputOf(p, { headline: 'Live story, corrected headline', body: paragraphs('New text.') }),
        p.revision,
        { actor: editor },
      );
      const events = await queued();
      assert.deepEqual(
        events.map((e) => e.event),
        ['article.updated'],
      );
      assert.equal(events[0]!.payload.data.article.headline, 'Live story, corrected headline');
      await assert.rejects(updateArticle(deps, p.id, inputOf(p), p.revision, { actor: editor }), { code: 'conflict' });
      assert.equal((await queued()).length, 1, 'a refused (stale) save queues nothing');
    });

    it('an update or correction note queues article.updated; unpublishing queues article.unpublished', async () => {
      const p = await createArticle(deps, buildArticleInput({ sectionId: tax.world.id, slug: 'noted-story' }));
      await deps.db.deleteFrom('webhook_deliveries').execute();
      await addNote(deps, p.id, { kind: 'correction', text: 'An earlier version misspelt a name.' }, editor);
      await runWorkflowAction(deps, p.id, { type: 'unpublish' }, editor);
      const events = await queued();
      assert.deepEqual(
        events.map((e) => e.event),
        ['article.updated', 'article.unpublished'],
      );
      assert.equal(events[1]!.payload.data.article.status, 'unpublished');
    });

    it('deleteArticle: editors only, audited, cascades to its rows and related lists, queues article.deleted', async () => {
      const p = await createArticle(
        deps,
        buildArticleInput({ sectionId: tax.world.id, slug: 'doomed-story', headline: 'Doomed story', tagIds: [tax.tags.russia.id] }),
        { actor: editor },
      );
      await deps.deferredWork.drain();
      await addNote(deps, p.id, { kind: 'update', text: 'More detail.' }, editor);
      await deps.db.deleteFrom('webhook_deliveries').execute();
      await assert.rejects(deleteArticle(deps, { userId: editor.userId, role: 'author' }, p.id), { code: 'forbidden' });
      assert.ok(await findArticleById(deps.db, p.id), 'an author cannot delete, even their own story');
      await deleteArticle(deps, editor, p.id);
      await deps.deferredWork.drain();
      assert.ok(!(await findArticleById(deps.db, p.id)), 'gone');
      for (const table of ['article_revisions', 'article_notes', 'article_tags', 'article_authors', 'scheduled_jobs'] as const) {
        assert.equal((await deps.db.selectFrom(table).select('article_id').where('article_id', '=', p.id).execute()).length, 0, table);
      }
      assert.equal(
        (await deps.db.selectFrom('article_related').select('article_id').where('related_id', '=', p.id).execute()).length,
        0,
        'no related list points at it',
      );
      const events = await queued();
      assert.deepEqual(
        events.map((e) => e.event),
        ['article.deleted'],
      );
      assert.equal(events[0]!.payload.data.article.headline, 'Doomed story');
      assert.equal(events[0]!.payload.data.article.url, `${SITE}/world/doomed-story`);
      const audit = await listAuditEntries(deps.db, { subjectType: 'article', subjectId: p.id });
      assert.ok(audit.some((e) => e.action === 'article.deleted' && e.actorUserId === editor.userId));
      await assert.rejects(deleteArticle(deps, editor, p.id), { code: 'not_found' });
    });

    it('no event when no hook subscribes', async () => {
      await deps.db
        .updateTable('webhooks')
        .set({ events: JSON.stringify(['comment.posted']) })
        .execute();
      try {
        await createArticle(deps, buildArticleInput({ sectionId: tax.world.id, slug: 'unheard-story' }));
        assert.deepEqual(await queued(), []);
      } finally {
        await deps.db
          .updateTable('webhooks')
          .set({ events: JSON.stringify(['article.published', 'article.updated', 'article.unpublished', 'article.deleted']) })
          .execute();
      }
    });
  });
}
