import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { seedStaff } from '../../../test/support/account-factories.ts';
import {
  buildArticleInput,
  FIXED_NOW,
  paragraphs,
  seedTaxonomy,
  serviceDepsFor,
  type Taxonomy,
  type TestServiceDeps,
} from '../../../test/support/factories.ts';
import { createTestDatabase, testDialects, type TestDatabase } from '../../../test/support/test-db.ts';
import type { Actor } from '../accounts/role.ts';
import type { User } from '../accounts/user.ts';
import type { Article } from '../articles/article.ts';
import { findArticleById } from '../articles/article-repository.ts';
import { createArticle } from '../articles/article-service.ts';
import { storyTag } from '../changes/cache-tags.ts';
import type { ContentChange } from '../changes/content-change.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../errors.ts';
import { setLiveCoverage } from './live-coverage.ts';
import { listDeskEntries } from './live-desk.ts';
import { getLiveEntriesPage, latestChangeCursor, liveEntryChangesSince } from './live-entries-read.ts';
import { createLiveEntry, deleteLiveEntry, editLiveEntry } from './live-entry-service.ts';

const actor = (u: User): Actor => ({ userId: u.id, role: u.role });
const NOW_ISO = FIXED_NOW.toISOString();

for (const { dialect, skip } of await testDialects()) {
  describe(`${dialect}: live blog entries`, { skip }, () => {
    let t: TestDatabase;
    let deps: TestServiceDeps;
    let tax: Taxonomy;
    let staff: Record<'contributor' | 'author' | 'otherAuthor' | 'editor', User>;
    let clockMs = FIXED_NOW.getTime();
    const events: ContentChange[] = [];

    before(async () => {
      t = await createTestDatabase(dialect);
      // Each write a millisecond later, so entry order is the order of the writes.
      deps = {
        ...serviceDepsFor(t.handle, { clock: () => new Date((clockMs += 1000)) }),
        changes: { publish: async (c) => void events.push(c) },
      };
      tax = await seedTaxonomy(deps);
      staff = await seedStaff(deps, {
        contributor: ['contributor', 'Cora Contributor'],
        author: ['author', 'Ari Author'],
        otherAuthor: ['author', 'Olu Author'],
        editor: ['editor', 'Eda Editor'],
      });
    });
    after(async () => {
      await t?.destroy();
      deps?.cleanup();
    });
    beforeEach(async () => {
      // Related lists moved by story writes are published after those return: not a test's events.
      await deps.deferredWork.drain();
      events.length = 0;
    });

    async function liveStory(overrides: Parameters<typeof buildArticleInput>[0] = { sectionId: '' }): Promise<Article> {
      const story = await createArticle(
        deps,
        buildArticleInput({
          headline: 'Storm makes landfall',
          publishedAt: new Date(clockMs - 3_600_000).toISOString(),
          ...overrides,
          sectionId: tax.world.id,
        }),
        { actor: actor(staff.editor) },
      );
      const live = await setLiveCoverage(deps, actor(staff.editor), story.id, { live: true }, story.revision);
      await deps.deferredWork.drain();
      return live;
    }
    const nowIso = () => new Date(clockMs).toISOString();

    it('a story becomes a live blog through the story write path: revision, audit, the story change', async () => {
      const story = await createArticle(deps, buildArticleInput({ sectionId: tax.world.id, publishedAt: NOW_ISO }), {
        actor: actor(staff.author),
      });
      await deps.deferredWork.drain();
      events.length = 0;
      await assert.rejects(setLiveCoverage(deps, actor(staff.otherAuthor), story.id, { live: true }), ForbiddenError);
      await assert.rejects(setLiveCoverage(deps, actor(staff.author), story.id, { live: true }, story.revision + 5), ConflictError);
      await assert.rejects(
        setLiveCoverage(deps, actor(staff.author), story.id, {
          live: true,
          startAt: '2026-12-04T10:00:00Z',
          endAt: '2026-12-04T09:00:00Z',
        }),
        ValidationError,
      );
      const live = await setLiveCoverage(
        deps,
        actor(staff.author),
        story.id,
        { live: true, startAt: '2026-12-04T10:00:00Z' },
        story.revision,
      );
      assert.deepEqual(live.live, { startAt: '2026-12-04T10:00:00Z', endAt: null });
      assert.equal(live.revision, story.revision + 1);
      assert.deepEqual((await findArticleById(deps.db, story.id))!.live, live.live);
      const audit = await deps.db
        .selectFrom('audit_log')
        .selectAll()
        .where('subject_id', '=', story.id)
        .where('action', '=', 'article.live_coverage')
        .execute();
      assert.equal(audit.length, 1);
      assert.ok(
        events.some((e) => e.cause === 'story.live_coverage' && e.tags.includes(storyTag(story.id))),
        'the story change event fired',
      );
      assert.ok(
        events.some((e) => e.liveStories?.includes(story.id)),
        'open streams are told',
      );
    });

    it('contributors draft, authors and editors publish; a story that is not live takes no entries', async () => {
      const story = await liveStory();
      events.length = 0;
      await assert.rejects(
        createLiveEntry(deps, actor(staff.contributor), story.id, { body: paragraphs('Winds at 180 km/h.'), publish: true }),
        ForbiddenError,
      );
      const draft = await createLiveEntry(deps, actor(staff.contributor), story.id, { body: paragraphs('Winds at 180 km/h.') });
      assert.equal(draft.status, 'draft');
      assert.equal(events.length, 0, 'a draft changes nothing readers see');
      await assert.rejects(editLiveEntry(deps, actor(staff.contributor), draft.id, { expectedRevision: 1, publish: true }), ForbiddenError);
      await assert.rejects(
        editLiveEntry(deps, actor(staff.otherAuthor), draft.id, { expectedRevision: 1, body: paragraphs('Mine now') }),
        ForbiddenError,
      );
      const published = await editLiveEntry(deps, actor(staff.author), draft.id, { expectedRevision: 1, publish: true });
      assert.equal(published.status, 'published');
      assert.ok(published.publishedAt);
      assert.deepEqual(
        events.map((e) => [e.cause, e.tags, e.liveStories]),
        [['live.entry.publish', [storyTag(story.id)], [story.id]]],
      );
      // A published entry is changed by whoever may publish the story, or its own author.
      await assert.rejects(
        editLiveEntry(deps, actor(staff.contributor), draft.id, { expectedRevision: 2, body: paragraphs('x') }),
        ForbiddenError,
      );
      const own = await createLiveEntry(deps, actor(staff.otherAuthor), story.id, { body: paragraphs('Power is out.'), publish: true });
      await editLiveEntry(deps, actor(staff.otherAuthor), own.id, { expectedRevision: 1, body: paragraphs('Power is out in the east.') });
      await assert.rejects(
        editLiveEntry(deps, actor(staff.author), own.id, { expectedRevision: 2, body: paragraphs('x') }),
        ForbiddenError,
      );
      await editLiveEntry(deps, actor(staff.editor), own.id, { expectedRevision: 2, keyEvent: true });

      const plain = await createArticle(deps, buildArticleInput({ sectionId: tax.world.id }), { actor: actor(staff.editor) });
      await assert.rejects(createLiveEntry(deps, actor(staff.editor), plain.id, { body: paragraphs('x'), publish: true }), ValidationError);
      await assert.rejects(
        createLiveEntry(deps, actor(staff.editor), story.id, { body: { version: 1, blocks: [{ type: 'paragraph', content: [] }] } }),
        (err: unknown) => {
          assert.ok(err instanceof ValidationError);
          assert.match(err.message, /body/);
          return true;
        },
      );
    });

    it('entries are never visible before their story is, and never while it is unpublished', async () => {
      const later = new Date(clockMs + 3_600_000).toISOString();
      const story = await liveStory({ sectionId: '', publishedAt: later });
      const entry = await createLiveEntry(deps, actor(staff.editor), story.id, {
        body: paragraphs('Before the story is out.'),
        publish: true,
      });
      assert.equal((await getLiveEntriesPage(deps.db, story.id, nowIso())).entries.length, 0);
      assert.deepEqual(await liveEntryChangesSince(deps.db, story.id, nowIso(), null), []);
      assert.equal(await latestChangeCursor(deps.db, story.id, nowIso()), null);
      // The desk sees it all along.
      assert.deepEqual(
        (await listDeskEntries(deps.db, story.id)).map((e) => e.id),
        [entry.id],
      );
      const afterPublication = new Date(Date.parse(later) + 1000).toISOString();
      assert.deepEqual(
        (await getLiveEntriesPage(deps.db, story.id, afterPublication)).entries.map((e) => e.id),
        [entry.id],
      );
    });

    it('corrections are visible with their time; deletions disappear and are streamed as deletions; all audited', async () => {
      const story = await liveStory();
      const entry = await createLiveEntry(deps, actor(staff.author), story.id, {
        body: paragraphs('Three people injured.'),
        publish: true,
      });
      const cursor = await latestChangeCursor(deps.db, story.id, nowIso());
      await assert.rejects(
        editLiveEntry(deps, actor(staff.author), entry.id, { expectedRevision: 1, correctionNote: '   ' }),
        ValidationError,
      );
      const corrected = await editLiveEntry(deps, actor(staff.author), entry.id, {
        expectedRevision: 1,
        body: paragraphs('Four people injured.'),
        correctionNote: 'An earlier version gave the wrong number of injured.',
      });
      assert.equal(corrected.correction?.note, 'An earlier version gave the wrong number of injured.');
      assert.equal(corrected.correction?.at, corrected.modifiedAt);
      const page = await getLiveEntriesPage(deps.db, story.id, nowIso());
      assert.equal(page.entries[0]!.correction?.note, corrected.correction?.note);
      const changes = await liveEntryChangesSince(deps.db, story.id, nowIso(), cursor);
      assert.deepEqual(
        changes.map((c) => c.kind),
        ['entry'],
      );

      const draft = await createLiveEntry(deps, actor(staff.contributor), story.id, { body: paragraphs('Unchecked rumour.') });
      await assert.rejects(
        editLiveEntry(deps, actor(staff.author), draft.id, { expectedRevision: 1, correctionNote: 'x' }),
        ForbiddenError,
      );
      await assert.rejects(
        editLiveEntry(deps, actor(staff.editor), draft.id, { expectedRevision: 1, correctionNote: 'x' }),
        ValidationError,
      );

      await assert.rejects(deleteLiveEntry(deps, actor(staff.contributor), entry.id, 2), ForbiddenError);
      await assert.rejects(deleteLiveEntry(deps, actor(staff.author), entry.id, 1), ConflictError);
      const before = await latestChangeCursor(deps.db, story.id, nowIso());
      events.length = 0;
      await deleteLiveEntry(deps, actor(staff.author), entry.id, 2);
      assert.deepEqual(
        events.map((e) => e.cause),
        ['live.entry.delete'],
      );
      assert.equal((await getLiveEntriesPage(deps.db, story.id, nowIso())).entries.length, 0);
      assert.deepEqual(
        (await liveEntryChangesSince(deps.db, story.id, nowIso(), before)).map((c) => [c.kind, c.kind === 'delete' ? c.entryId : '']),
        [['delete', entry.id]],
      );
      await assert.rejects(editLiveEntry(deps, actor(staff.editor), entry.id, { expectedRevision: 3, keyEvent: true }), NotFoundError);
      const audit = await deps.db
        .selectFrom('audit_log')
        .select(['action', 'actor_user_id'])
        .where('subject_id', '=', entry.id)
        .orderBy('at')
        .execute();
      assert.deepEqual(
        audit.map((a) => a.action),
        ['live_entry.publish', 'live_entry.correct', 'live_entry.delete'],
      );
      assert.ok(audit.every((a) => a.actor_user_id === staff.author.id));
    });

    it('two edits of the same entry from the same revision: the second is a conflict and stores nothing', async () => {
      const story = await liveStory();
      const entry = await createLiveEntry(deps, actor(staff.editor), story.id, { body: paragraphs('Bridge closed.'), publish: true });
      const results = await Promise.allSettled([
        editLiveEntry(deps, actor(staff.editor), entry.id, { expectedRevision: 1, body: paragraphs('Bridge closed both ways.') }),
        editLiveEntry(deps, actor(staff.editor), entry.id, { expectedRevision: 1, body: paragraphs('Bridge reopened.') }),
      ]);
      const refused = results.filter((r) => r.status === 'rejected');
      assert.equal(refused.length, 1);
      const reason = (refused[0] as PromiseRejectedResult).reason;
      assert.ok(reason instanceof ConflictError, String(reason));
      assert.match(reason.message, /Someone else changed this entry/);
      const stored = (await listDeskEntries(deps.db, story.id))[0]!;
      assert.equal(stored.revision, 2);
      const audits = await deps.db.selectFrom('audit_log').select('action').where('subject_id', '=', entry.id).execute();
      assert.equal(audits.length, 2, 'publish and the one edit that won');
    });

    it('reader pages: newest or oldest first, keyset pages, one pinned entry, key events, a permalink page', async () => {
      const story = await liveStory();
      const ids: string[] = [];
      for (let i = 1; i <= 7; i++) {
        const e = await createLiveEntry(deps, actor(staff.editor), story.id, {
          body: paragraphs(`Update ${i}`),
          publish: true,
          keyEvent: i === 2 || i === 5,
          pinned: i === 1 || i === 3,
          authorIds: [tax.reporter.id],
        });
        ids.push(e.id);
      }
      const first = await getLiveEntriesPage(deps.db, story.id, nowIso(), { limit: 3 });
      assert.deepEqual(
        first.entries.map((e) => e.id),
        [ids[6], ids[5], ids[4]],
      );
      assert.equal(first.total, 7);
      assert.equal(first.pinned?.id, ids[2], 'pinning entry 3 unpinned entry 1');
      assert.deepEqual(
        first.keyEvents.map((e) => e.id),
        [ids[4], ids[1]],
      );
      assert.equal(first.entries[0]!.authors[0]!.name, tax.reporter.name);
      const second = await getLiveEntriesPage(deps.db, story.id, nowIso(), { limit: 3, cursor: first.next! });
      assert.deepEqual(
        second.entries.map((e) => e.id),
        [ids[3], ids[2], ids[1]],
      );
      const third = await getLiveEntriesPage(deps.db, story.id, nowIso(), { limit: 3, cursor: second.next! });
      assert.deepEqual(
        third.entries.map((e) => e.id),
        [ids[0]],
      );
      assert.equal(third.next, null);
      const oldest = await getLiveEntriesPage(deps.db, story.id, nowIso(), { limit: 3, order: 'oldest' });
      assert.deepEqual(
        oldest.entries.map((e) => e.id),
        [ids[0], ids[1], ids[2]],
      );
      const permalink = await getLiveEntriesPage(deps.db, story.id, nowIso(), { limit: 3, entryId: ids[1] });
      assert.equal(permalink.target, ids[1]);
      assert.deepEqual(
        permalink.entries.map((e) => e.id),
        [ids[1], ids[0]],
      );
      assert.equal(permalink.continued, true);
      // A stream from the page's cursor hears exactly what came after it.
      const cursor = first.streamCursor;
      const next = await createLiveEntry(deps, actor(staff.editor), story.id, { body: paragraphs('Update 8'), publish: true });
      const changes = await liveEntryChangesSince(deps.db, story.id, nowIso(), cursor);
      assert.deepEqual(
        changes.map((c) => (c.kind === 'entry' ? c.entry.id : c.entryId)),
        [next.id],
      );
    });
  });
}
