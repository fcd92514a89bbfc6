import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { seedStaff } from '../../test/support/account-factories.ts';
import { buildArticleInput, paragraphs } from '../../test/support/factories.ts';
import { openStream } from '../../test/support/live-test-support.ts';
import { testDialects } from '../../test/support/test-db.ts';
import { createTestSite, type TestSite } from '../../test/support/test-site.ts';
import type { Actor } from '../domain/accounts/role.ts';
import type { Article } from '../domain/articles/article.ts';
import { createArticle } from '../domain/articles/article-service.ts';
import { setLiveCoverage } from '../domain/live/live-coverage.ts';
import { createLiveEntry, deleteLiveEntry, editLiveEntry } from '../domain/live/live-entry-service.ts';
import { createSection, type Section } from '../domain/sections/section.ts';

/** The ids of the entries in the page's list, in page order (the pinned copy and key events left out). */
function listedEntries(body: string): string[] {
  const list = body.slice(body.indexOf('id="live-entries"'));
  return [...list.matchAll(/<article class="live-entry[^"]*" id="entry-([0-9a-f-]{36})"/g)].map((m) => m[1]!);
}

function jsonLd(body: string, type: string): Record<string, unknown> {
  for (const m of body.matchAll(/<script type="application\/ld\+json">(.*?)<\/script>/gs)) {
    const data = JSON.parse(m[1]!) as Record<string, unknown>;
    if (data['@type'] === type) return data;
  }
  throw new Error(`no ${type} JSON-LD`);
}

for (const { dialect, skip } of await testDialects()) {
  describe(`${dialect}: live blog reader page and stream`, { skip }, () => {
    let site: TestSite;
    let port: number;
    let section: Section;
    let editor: Actor;
    let n = 0;

    before(async () => {
      site = await createTestSite(dialect, { pageCacheMb: 16 });
      await site.app.listen({ port: 0, host: '127.0.0.1' });
      port = (site.app.server.address() as AddressInfo).port;
      section = await createSection(site.deps.db, { name: 'World' }, site.deps.clock());
      const staff = await seedStaff(site.deps, { editor: ['editor', 'Eda Editor'] });
      editor = { userId: staff.editor.id, role: 'editor' };
    });
    after(async () => site?.close());

    async function liveStory(overrides: Partial<Parameters<typeof buildArticleInput>[0]> = {}): Promise<Article> {
      const story = await createArticle(
        site.deps,
        buildArticleInput({
          sectionId: section.id,
          headline: `Live storm ${++n}`,
          publishedAt: new Date(Date.now() - 3_600_000).toISOString(),
          ...overrides,
        }),
        { actor: editor },
      );
      const live = await setLiveCoverage(site.deps, editor, story.id, { live: true, startAt: '2026-12-01T08:00:00Z' }, story.revision);
      // The related boxes it moved are refreshed (and their pages purged) after the save returns.
      await site.deps.deferredWork.drain();
      return live;
    }
    const post = (story: Article, text: string, flags: { keyEvent?: boolean; pinned?: boolean } = {}) =>
      createLiveEntry(site.deps, editor, story.id, { body: paragraphs(text), publish: true, ...flags });
    const get = (url: string) => site.app.inject({ method: 'GET', url });

    it('renders entries newest first (or oldest first), the pinned entry, key events, and LiveBlogPosting data', async () => {
      const story = await liveStory();
      const a = await post(story, 'First update', { keyEvent: true });
      const b = await post(story, 'Second update', { pinned: true });
      const c = await post(story, 'Third update', { keyEvent: true });
      const res = await get(`/world/${story.slug}`);
      assert.equal(res.statusCode, 200);
      assert.deepEqual(listedEntries(res.body), [c.id, b.id, a.id]);
      assert.match(res.body, new RegExp(`class="live-entry live-entry--pinned" id="pinned-${b.id}"`));
      const keyEvents = res.body.slice(res.body.indexOf('Key events'), res.body.indexOf('</nav>', res.body.indexOf('Key events')));
      assert.ok(keyEvents.indexOf(`entry=${c.id}`) < keyEvents.indexOf(`entry=${a.id}`) && keyEvents.includes(`entry=${a.id}`));
      assert.ok(!keyEvents.includes(b.id));
      assert.match(res.body, new RegExp(`href="/world/${story.slug}\\?entry=${a.id}#entry-${a.id}"`), 'each entry has its permalink');
      assert.match(res.body, /data-live-stream="\/world\/[^"]+\/live" data-live-since="[A-Za-z0-9_-]+"/);
      const ld = jsonLd(res.body, 'LiveBlogPosting');
      assert.equal(ld.coverageStartTime, '2026-12-01T08:00:00Z');
      assert.equal(ld.coverageEndTime, undefined);
      const updates = ld.liveBlogUpdate as Array<Record<string, unknown>>;
      assert.deepEqual(
        updates.map((u) => [u['@type'], u.headline]),
        [
          ['BlogPosting', 'Third update'],
          ['BlogPosting', 'Second update'],
          ['BlogPosting', 'First update'],
        ],
      );
      assert.equal(jsonLd(res.body, 'NewsArticle').headline, story.headline, 'the article JSON-LD stays');

      const oldest = await get(`/world/${story.slug}?order=oldest`);
      assert.deepEqual(listedEntries(oldest.body), [a.id, b.id, c.id]);
      assert.ok(!oldest.body.includes('data-live-stream='), 'oldest first takes no pushed entries at the top');
    });

    it('"Load older entries" pages by plain links, and a permalink opens the page at an old entry', async () => {
      const story = await liveStory();
      const ids: string[] = [];
      for (let i = 1; i <= 23; i++) ids.push((await post(story, `Update number ${i}`)).id);
      const newestFirst = [...ids].reverse();
      const first = await get(`/world/${story.slug}`);
      assert.deepEqual(listedEntries(first.body), newestFirst.slice(0, 20));
      const older = /<a class="live-blog__more-link" rel="next" href="([^"#]+)#live-entries">Load older entries<\/a>/.exec(first.body);
      assert.ok(older, 'a plain link to the older entries');
      const second = await get(older[1]!.replaceAll('&amp;', '&'));
      assert.deepEqual(listedEntries(second.body), newestFirst.slice(20));
      assert.ok(!second.body.includes('Load older entries'));
      assert.match(second.body, /Back to the latest entries/);
      assert.ok(!second.body.includes('data-live-stream='), 'an older page is not live');

      const target = ids[1]!;
      const permalink = await get(`/world/${story.slug}?entry=${target}`);
      assert.equal(listedEntries(permalink.body)[0], target, 'the entry heads the page although it is not on the first page');
      const path = await get(`/world/${story.slug}/entries/${target}`);
      assert.equal(path.statusCode, 301);
      assert.equal(path.headers.location, `/world/${story.slug}?entry=${target}#entry-${target}`);
      assert.equal((await get(`/world/${story.slug}/entries/00000000-0000-7000-8000-000000000000`)).statusCode, 404);
      // A mangled cursor shows the head of the blog rather than an error.
      assert.deepEqual(listedEntries((await get(`/world/${story.slug}?before=%3Cscript%3E`)).body), newestFirst.slice(0, 20));
    });

    it('the page is cached and purged when an entry is published, edited or deleted', async () => {
      const story = await liveStory();
      const a = await post(story, 'Cached update');
      await get(`/world/${story.slug}`);
      assert.equal((await get(`/world/${story.slug}`)).headers['x-page-cache'], 'hit');
      const b = await post(story, 'Fresh update');
      const res = await get(`/world/${story.slug}`);
      assert.notEqual(res.headers['x-page-cache'], 'hit');
      assert.deepEqual(listedEntries(res.body), [b.id, a.id]);
      await editLiveEntry(site.deps, editor, a.id, {
        expectedRevision: 1,
        body: paragraphs('Cached update, corrected'),
        correctionNote: 'Wrong place name.',
      });
      assert.match((await get(`/world/${story.slug}`)).body, /Wrong place name\./);
      await deleteLiveEntry(site.deps, editor, b.id, 1);
      assert.deepEqual(listedEntries((await get(`/world/${story.slug}`)).body), [a.id]);
    });

    it('a story not yet public shows neither page nor stream, whatever entries it has', async () => {
      const story = await liveStory({ publishedAt: new Date(Date.now() + 3_600_000).toISOString() });
      await post(story, 'Too early');
      assert.equal((await get(`/world/${story.slug}`)).statusCode, 404);
      const stream = await openStream(port, `/world/${story.slug}/live`);
      assert.equal(stream.status, 404);
      stream.close();
    });

    it('the stream delivers a published entry, resumes from Last-Event-ID, tells edits and deletions, and ends with coverage', async () => {
      const story = await liveStory();
      await post(story, 'Before the reader came');
      const stream = await openStream(port, `/world/${story.slug}/live`);
      assert.equal(stream.status, 200);
      assert.match(String(stream.headers['content-type']), /^text\/event-stream/);
      assert.equal(stream.headers['cache-control'], 'no-store');
      const first = await post(story, 'Pushed to the reader');
      const [received] = await stream.waitFor((events) => events.length >= 1);
      assert.equal(received!.event, 'entry');
      const data = JSON.parse(received!.data) as { id: string; html: string };
      assert.equal(data.id, first.id);
      assert.match(data.html, /Pushed to the reader/);
      assert.match(data.html, new RegExp(`id="entry-${first.id}"`));
      assert.ok(received!.id, 'the event id is the entry cursor');
      stream.close();

      // Away for a while: what was published meanwhile arrives on reconnecting, nothing twice.
      const missed = await post(story, 'Published while the reader was away');
      const resumed = await openStream(port, `/world/${story.slug}/live`, { 'last-event-id': received!.id });
      const events = await resumed.waitFor((e) => e.length >= 1);
      assert.deepEqual(
        events.map((e) => (JSON.parse(e.data) as { id: string }).id),
        [missed.id],
      );
      await editLiveEntry(site.deps, editor, first.id, { expectedRevision: 1, keyEvent: true });
      await deleteLiveEntry(site.deps, editor, missed.id, 1);
      await resumed.waitFor((e) => e.length >= 3);
      assert.deepEqual(
        resumed.events.slice(1).map((e) => [e.event, (JSON.parse(e.data) as { id: string }).id]),
        [
          ['entry', first.id],
          ['delete', missed.id],
        ],
      );
      // Coverage ends: the open stream says so and closes; a new one is refused with 204 (EventSource stops).
      const current = (await site.deps.db.selectFrom('articles').select('revision').where('id', '=', story.id).executeTakeFirstOrThrow())
        .revision;
      await setLiveCoverage(site.deps, editor, story.id, { live: true, endAt: new Date(Date.now() - 1000).toISOString() }, current);
      await resumed.waitFor((e) => e.some((x) => x.event === 'end'));
      await resumed.ended;
      const late = await openStream(port, `/world/${story.slug}/live`);
      assert.equal(late.status, 204);
      late.close();
      const page = await get(`/world/${story.slug}`);
      assert.match(page.body, /Live coverage ended/);
      assert.ok(!page.body.includes('data-live-stream='));
      assert.ok(jsonLd(page.body, 'LiveBlogPosting').coverageEndTime);
    });
  });
}
