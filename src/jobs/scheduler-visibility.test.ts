import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  buildArticleInput,
  FIXED_NOW,
  seedTaxonomy,
  serviceDepsFor,
  type Taxonomy,
  type TestServiceDeps,
} from '../../test/support/factories.ts';
import { createTestDatabase, testDialects, type TestDatabase } from '../../test/support/test-db.ts';
import { createArticle } from '../domain/articles/article-service.ts';
import { sectionTag, storyTag } from '../domain/changes/cache-tags.ts';
import type { ContentChange } from '../domain/changes/content-change.ts';
import { createScheduler } from './scheduler.ts';

/*
 * A story stored as published with a future time, or under an embargo, becomes visible with
 * no write: the scheduler's tick announces it once its time has passed. The clock is driven
 * by the test and tick() is called directly.
 */

for (const { dialect, skip } of await testDialects()) {
  describe(`${dialect}: scheduler announces stories whose visibility starts`, { skip }, () => {
    let t: TestDatabase;
    let deps: TestServiceDeps;
    let tax: Taxonomy;
    let now = FIXED_NOW;
    const events: ContentChange[] = [];
    const at = (seconds: number) => new Date(FIXED_NOW.getTime() + seconds * 1000);
    before(async () => {
      t = await createTestDatabase(dialect);
      deps = { ...serviceDepsFor(t.handle, { clock: () => now }), changes: { publish: async (c) => void events.push(c) } };
      tax = await seedTaxonomy(deps);
    });
    after(async () => {
      await t?.destroy();
      deps?.cleanup();
    });

    it('publishes the story-change tags once, on the first tick after the time, for a publication time and an embargo end', async () => {
      const timed = await createArticle(deps, buildArticleInput({ sectionId: tax.world.id, publishedAt: at(10).toISOString() }));
      const embargoed = await createArticle(
        deps,
        buildArticleInput({ sectionId: tax.sport.id, publishedAt: at(20).toISOString(), embargoUntil: at(20).toISOString() }),
      );
      const scheduler = createScheduler(deps, { maxSleepMs: 1000 });
      // Related lists the writes moved are published after they return: not this test's events.
      await deps.deferredWork.drain();
      events.length = 0;
      await scheduler.tick();
      assert.equal(events.length, 0, 'nothing is visible yet');
      now = at(15);
      await scheduler.tick();
      await scheduler.tick();
      now = at(25);
      await scheduler.tick();
      assert.deepEqual(
        events.map((e) => e.cause),
        ['story.visible', 'story.visible'],
      );
      assert.ok(events[0]!.tags.includes(storyTag(timed.id)) && events[0]!.tags.includes(sectionTag(tax.world.id)));
      assert.ok(events[1]!.tags.includes(storyTag(embargoed.id)) && events[1]!.tags.includes(sectionTag(tax.sport.id)));
    });

    it('on start looks back one interval, no further', async () => {
      now = at(100);
      const justNow = await createArticle(deps, buildArticleInput({ sectionId: tax.europe.id, publishedAt: at(99.5).toISOString() }));
      await createArticle(deps, buildArticleInput({ sectionId: tax.europe.id, publishedAt: at(90).toISOString() }));
      await deps.deferredWork.drain();
      events.length = 0;
      await createScheduler(deps, { maxSleepMs: 1000 }).tick();
      assert.deepEqual(
        events.map((e) => e.tags[0]),
        [storyTag(justNow.id)],
      );
    });
  });
}
