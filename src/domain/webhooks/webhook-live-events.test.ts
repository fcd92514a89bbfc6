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
import { createArticle } from '../articles/article-service.ts';
import type { Article } from '../articles/article.ts';
import { ConflictError } from '../errors.ts';
import { setLiveCoverage } from '../live/live-coverage.ts';
import { createLiveEntry, deleteLiveEntry, editLiveEntry } from '../live/live-entry-service.ts';
import type { LiveEntryEventData } from './webhook-live-events.ts';
import { createWebhook } from './webhook-service.ts';

const SITE = 'https://news.example.test';

for (const { dialect, skip } of await testDialects()) {
  describe(`${dialect}: live entry events queue webhook deliveries`, { skip }, () => {
    let t: TestDatabase;
    let deps: TestServiceDeps;
    let tax: Taxonomy;
    let ms = Date.parse('2026-11-25T12:00:00.000Z');
    const admin: Actor = { userId: 'u-admin', role: 'admin' };

    before(async () => {
      t = await createTestDatabase(dialect);
      deps = { ...serviceDepsFor(t.handle, { clock: () => new Date((ms += 1000)) }), siteUrl: SITE };
      tax = await seedTaxonomy(deps);
      await createWebhook(
        deps,
        admin,
        { url: 'https://hooks.example.com/live', events: ['live_entry.published', 'live_entry.updated', 'live_entry.deleted'] },
        { allowPrivate: false },
      );
      // Subscribed to story events only: never gets entry events.
      await createWebhook(
        deps,
        admin,
        { url: 'https://hooks.example.com/stories', events: ['article.published'] },
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
      const rows = await deps.db
        .selectFrom('webhook_deliveries')
        .innerJoin('webhooks', 'webhooks.id', 'webhook_deliveries.webhook_id')
        .select(['webhook_deliveries.event', 'webhook_deliveries.payload', 'webhooks.url'])
        .orderBy('webhook_deliveries.created_at')
        .orderBy('webhook_deliveries.id')
        .execute();
      return rows.map((r) => ({ event: r.event, url: r.url, data: (JSON.parse(r.payload) as { data: LiveEntryEventData }).data }));
    };
    async function liveStory(publishedAt: string | null = new Date(ms - 3_600_000).toISOString()): Promise<Article> {
      const story = await createArticle(
        deps,
        buildArticleInput({
          sectionId: tax.world.id,
          headline: 'Storm live',
          ...(publishedAt ? { publishedAt } : { status: 'draft', publishedAt: null }),
        }),
      );
      return setLiveCoverage(deps, null, story.id, { live: true }, story.revision);
    }

    it('publishing, editing, correcting and deleting an entry each queue one event with the entry, in its transaction', async () => {
      const story = await liveStory();
      await deps.db.deleteFrom('webhook_deliveries').execute();
      const entry = await createLiveEntry(deps, null, story.id, { body: paragraphs('Landfall near the coast.'), publish: true });
      let rows = await queued();
      assert.deepEqual(
        rows.map((r) => [r.event, r.url]),
        [['live_entry.published', 'https://hooks.example.com/live']],
      );
      const data = rows[0]!.data;
      assert.equal(data.entry.id, entry.id);
      assert.equal(data.entry.url, `${SITE}/world/${story.slug}?entry=${entry.id}#entry-${entry.id}`);
      assert.equal(data.entry.text, 'Landfall near the coast.');
      assert.equal(data.entry.cursor, String(entry.seq));
      assert.deepEqual(data.article, {
        id: story.id,
        url: `${SITE}/world/${story.slug}`,
        path: `/world/${story.slug}`,
        headline: 'Storm live',
      });

      const edited = await editLiveEntry(deps, null, entry.id, {
        expectedRevision: entry.revision,
        body: paragraphs('Landfall at 14:00.'),
      });
      // A stale edit is a conflict: nothing stored, no event.
      await assert.rejects(
        editLiveEntry(deps, null, entry.id, { expectedRevision: entry.revision, body: paragraphs('Lost.') }),
        ConflictError,
      );
      const corrected = await editLiveEntry(deps, null, entry.id, { expectedRevision: edited.revision, correctionNote: 'Time fixed.' });
      await deleteLiveEntry(deps, null, entry.id, corrected.revision);
      rows = await queued();
      assert.deepEqual(
        rows.map((r) => r.event),
        ['live_entry.published', 'live_entry.updated', 'live_entry.updated', 'live_entry.deleted'],
      );
      assert.equal(rows[1]!.data.entry.text, 'Landfall at 14:00.');
      assert.deepEqual(rows[2]!.data.entry.correction?.note, 'Time fixed.');
      assert.equal(rows[3]!.data.entry.body, undefined, 'a deletion carries no body');
    });

    it('drafts are silent until published; a deleted draft is silent', async () => {
      const story = await liveStory();
      await deps.db.deleteFrom('webhook_deliveries').execute();
      const draft = await createLiveEntry(deps, null, story.id, { body: paragraphs('Not yet.') });
      const other = await createLiveEntry(deps, null, story.id, { body: paragraphs('Never.') });
      await deleteLiveEntry(deps, null, other.id, other.revision);
      assert.deepEqual(await queued(), []);
      await editLiveEntry(deps, null, draft.id, { expectedRevision: draft.revision, publish: true });
      assert.deepEqual(
        (await queued()).map((r) => r.event),
        ['live_entry.published'],
      );
    });

    it('no event while readers cannot see the story', async () => {
      const hidden = await liveStory(null);
      await deps.db.deleteFrom('webhook_deliveries').execute();
      await createLiveEntry(deps, null, hidden.id, { body: paragraphs('Before the story is public.'), publish: true });
      assert.deepEqual(await queued(), []);
    });
  });
}
