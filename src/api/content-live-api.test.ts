import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createArticle } from '../domain/articles/article-service.ts';
import type { Article } from '../domain/articles/article.ts';
import { setLiveCoverage } from '../domain/live/live-coverage.ts';
import { createLiveEntry, deleteLiveEntry, editLiveEntry } from '../domain/live/live-entry-service.ts';
import { buildArticleInput, FIXED_NOW, hoursAgo, paragraphs } from '../../test/support/factories.ts';
import { testDialects } from '../../test/support/test-db.ts';
import { apiError, createApiTestSite, SITE_URL, type ApiTestSite } from '../../test/support/api-test-support.ts';

type Json = Record<string, any>;
type Changes = { data: Json[]; cursor: string; hasMore: boolean };

for (const { dialect, skip } of await testDialects()) {
  describe(`${dialect}: Content API live entries with a since cursor`, { skip }, () => {
    let site: ApiTestSite;
    let story: Article;
    let ms = FIXED_NOW.getTime();
    // Each write a second later, as a newsroom would make them.
    const tick = () => site.setNow(new Date((ms += 1000)));

    async function liveStory(overrides: Partial<Parameters<typeof buildArticleInput>[0]> = {}): Promise<Article> {
      const s = await createArticle(
        site.deps,
        buildArticleInput({ sectionId: site.taxonomy.world.id, headline: 'Storm live', publishedAt: hoursAgo(1), ...overrides }),
      );
      return setLiveCoverage(site.deps, null, s.id, { live: true }, s.revision);
    }
    const post = async (text: string, publish = true, articleId = story.id) => {
      tick();
      return createLiveEntry(site.deps, null, articleId, { body: paragraphs(text), publish });
    };
    const changes = async (query = '', id = story.id): Promise<Changes> => {
      const res = await site.call('GET', `/api/v1/articles/${id}/entries${query}`);
      assert.equal(res.statusCode, 200, res.body);
      return JSON.parse(res.body) as Changes;
    };

    before(async () => {
      site = await createApiTestSite(dialect);
      story = await liveStory();
    });
    after(() => site?.close());

    it('gives published entries oldest first, then only what changed after the cursor, with tombstones for deletions', async () => {
      const first = await post('Landfall near the coast <b>now</b>.');
      await post('A draft nobody sees.', false);
      const second = await post('Winds reach 150 km/h.');
      const all = await changes();
      assert.deepEqual(
        all.data.map((e) => e.id),
        [first.id, second.id],
      );
      const e = all.data[0]!;
      assert.equal(e.deleted, false);
      assert.equal(e.url, `${SITE_URL}/world/${story.slug}?entry=${first.id}#entry-${first.id}`);
      assert.equal(e.bodyHtml, '<p>Landfall near the coast &lt;b&gt;now&lt;/b&gt;.</p>');
      assert.deepEqual(e.body, first.body);
      assert.equal(all.hasMore, false);
      assert.equal(all.cursor, all.data[1]!.cursor);

      // Nothing new: no entries, the same cursor back.
      const idle = await changes(`?since=${all.cursor}`);
      assert.deepEqual(idle, { data: [], cursor: all.cursor, hasMore: false });

      // An edit, a correction and a deletion each come once, in the order they were made.
      tick();
      const edited = await editLiveEntry(site.deps, null, first.id, {
        expectedRevision: first.revision,
        body: paragraphs('Landfall at 14:00.'),
      });
      tick();
      await deleteLiveEntry(site.deps, null, second.id, second.revision);
      const after = await changes(`?since=${all.cursor}`);
      assert.deepEqual(
        after.data.map((x) => [x.id, x.deleted]),
        [
          [first.id, false],
          [second.id, true],
        ],
      );
      assert.equal(after.data[0]!.bodyHtml, '<p>Landfall at 14:00.</p>');
      assert.deepEqual(Object.keys(after.data[1]!).sort(), ['cursor', 'deleted', 'id']);
      assert.ok(Number(after.cursor) > Number(all.cursor));
      tick();
      await editLiveEntry(site.deps, null, first.id, { expectedRevision: edited.revision, correctionNote: 'The time was wrong.' });
      const corrected = await changes(`?since=${after.cursor}`);
      assert.equal(corrected.data.length, 1);
      assert.equal(corrected.data[0]!.correction.note, 'The time was wrong.');
      // The whole list from the start no longer shows the deleted entry as an entry.
      assert.deepEqual(
        (await changes()).data.map((x) => [x.id, x.deleted]),
        [
          [second.id, true],
          [first.id, false],
        ],
      );
    });

    it('pages with limit and hasMore, resuming exactly where the last page ended', async () => {
      const s = await liveStory({ headline: 'Paged live' });
      const posted = [];
      for (let n = 1; n <= 5; n++) posted.push((await post(`Update ${n}`, true, s.id)).id);
      const seen: string[] = [];
      let cursor = '';
      let pages = 0;
      for (;;) {
        const page = await changes(`?limit=2${cursor ? `&since=${cursor}` : ''}`, s.id);
        seen.push(...page.data.map((e) => e.id));
        cursor = page.cursor;
        pages++;
        if (!page.hasMore) break;
      }
      assert.deepEqual(seen, posted);
      assert.equal(pages, 3);
    });

    it('numbers concurrent writes of one blog uniquely, so no change is skipped by a cursor', async () => {
      const s = await liveStory({ headline: 'Busy live' });
      tick();
      const entries = await Promise.all(
        Array.from({ length: 8 }, (_, i) => createLiveEntry(site.deps, null, s.id, { body: paragraphs(`Fast ${i}`), publish: true })),
      );
      const seqs = entries.map((e) => e.seq).sort((a, b) => a - b);
      assert.deepEqual(seqs, [1, 2, 3, 4, 5, 6, 7, 8]);
      const all = await changes('?limit=100', s.id);
      assert.equal(all.data.length, 8);
      assert.equal(all.cursor, '8');
    });

    it('answers 404 unless readers can see the live blog, and 400 for a cursor it never issued', async () => {
      const hidden = await liveStory({ headline: 'Not yet live', publishedAt: new Date(ms + 3_600_000).toISOString() });
      await post('Too early.', true, hidden.id);
      const plain = await createArticle(site.deps, buildArticleInput({ sectionId: site.taxonomy.world.id, publishedAt: hoursAgo(1) }));
      const draft = await liveStory({ headline: 'Draft live', status: 'draft', publishedAt: null });
      for (const id of [hidden.id, plain.id, draft.id, '0193a1c2-0000-7000-8000-000000000000']) {
        const res = await site.call('GET', `/api/v1/articles/${id}/entries`);
        assert.equal(res.statusCode, 404, id);
        assert.equal(apiError(res).code, 'not_found');
      }
      for (const since of ['abc', '-1', '1.5', '']) {
        const res = await site.call('GET', `/api/v1/articles/${story.id}/entries?since=${since}`);
        assert.equal(res.statusCode, 400, `since=${since}`);
        assert.equal(apiError(res).field, 'query.since');
      }
      // Once the story is public (a write here; the scheduler announces pure time passing), its entries appear.
      site.setNow(new Date(ms + 2 * 3_600_000));
      await setLiveCoverage(site.deps, null, hidden.id, { live: true, endAt: new Date(ms + 5 * 3_600_000).toISOString() });
      assert.equal((await changes('', hidden.id)).data.length, 1);
    });
  });
}
