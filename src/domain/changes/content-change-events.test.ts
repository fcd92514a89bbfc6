import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { seedUser } from '../../../test/support/account-factories.ts';
import { buildArticleInput, seedTaxonomy, serviceDepsFor, type Taxonomy, type TestServiceDeps } from '../../../test/support/factories.ts';
import { createTestDatabase, testDialects, type TestDatabase } from '../../../test/support/test-db.ts';
import { readNinjs } from '../../../test/support/wire-test-support.ts';
import { withTransaction } from '../../db/transaction.ts';
import { loadDemoContentIfEmpty } from '../../demo/demo-content.ts';
import { makeDemoJpeg } from '../../demo/demo-images.ts';
import type { Actor } from '../accounts/role.ts';
import { createArticle } from '../articles/article-service.ts';
import { updateAuthorAsEditor } from '../authors/author-admin.ts';
import { moderateComments } from '../comments/comment-moderation.ts';
import { deleteOwnComment, editOwnComment, postComment, type CommentDeps } from '../comments/comment-service.ts';
import { ingestImage } from '../media/image-ingest.ts';
import { updateImageMetadata } from '../media/media-library.ts';
import { signUpReader } from '../readers/reader-service.ts';
import { createReaderSession, resolveReaderSession, type ReaderSession } from '../readers/reader-sessions.ts';
import { createMemoryRateLimiter } from '../rate-limits/rate-limiter.ts';
import { createSectionAsEditor, deleteSectionAsEditor, updateSectionAsEditor } from '../sections/section-admin.ts';
import { ensureTags } from '../tags/tag.ts';
import { deleteTag, mergeTags, renameTag } from '../tags/tag-admin.ts';
import { importNinjsDocument } from '../wire/ninjs-import.ts';
import { authorTag, CHROME_TAG, imageTag, SITE_LISTS_TAG, sectionTag, storyTag, TAXONOMY_TAG, tagTag } from './cache-tags.ts';
import type { ContentChange } from './content-change.ts';
import { publishCommentClosings, publishVisibilityStarts } from './story-visibility-start.ts';

/*
 * Every write readers may see raises one change after its transaction commits, naming the
 * right cache tags; a rolled-back write (here: joined to an outer transaction that throws)
 * raises none.
 */

const rollback = new Error('rolled back on purpose');
let n = 0;

for (const { dialect, skip } of await testDialects()) {
  describe(`${dialect}: content change events`, { skip }, () => {
    let t: TestDatabase;
    let deps: TestServiceDeps;
    let tax: Taxonomy;
    let editor: Actor;
    const events: ContentChange[] = [];

    /** Runs `write` on a transaction that is then rolled back. */
    async function rolledBack(write: (trxDeps: TestServiceDeps) => Promise<unknown>): Promise<void> {
      await assert.rejects(
        withTransaction(deps.db, async (trx) => {
          await write({ ...deps, db: trx });
          throw rollback;
        }),
        (err) => err === rollback,
      );
    }
    /** A story, with the related lists it moved already published (they follow the save): not the events under test. */
    const story = async (overrides: Parameters<typeof buildArticleInput>[0]) => {
      n += 1;
      const created = await createArticle(deps, buildArticleInput({ headline: `Story ${n} for change events`, ...overrides }));
      await deps.deferredWork.drain();
      return created;
    };
    const causes = () => events.map((e) => e.cause);

    before(async () => {
      t = await createTestDatabase(dialect);
      deps = { ...serviceDepsFor(t.handle), changes: { publish: async (change) => void events.push(change) } };
      tax = await seedTaxonomy(deps);
      const user = await seedUser(deps, 'editor');
      editor = { userId: user.id, role: user.role };
    });
    beforeEach(async () => {
      await deps.deferredWork.drain();
      events.length = 0;
    });
    after(async () => {
      await t?.destroy();
      deps?.cleanup();
    });

    describe('comments', () => {
      let commentDeps: CommentDeps;
      const reader = async (): Promise<ReaderSession> => {
        n += 1;
        const { reader } = await signUpReader(
          commentDeps,
          { displayName: `Reader ${n}`, email: `events-reader${n}@example.test`, password: 'a long reader password' },
          { siteUrl: 'https://news.example.test', siteName: 'News' },
        );
        const { token } = await createReaderSession(commentDeps, reader.id);
        return (await resolveReaderSession(commentDeps, token))!;
      };
      const ip = () => ({ ip: `198.51.100.${(n += 1) % 250}` });
      before(() => {
        commentDeps = {
          ...deps,
          limiter: createMemoryRateLimiter(),
          rules: { closeAfterDays: 14, blockedWords: ['spam'], maxLinks: 2 },
        };
      });

      it('a published comment, an edit of it and its deletion name the story; a queued comment names nothing', async () => {
        const a = await story({ sectionId: tax.world.id });
        const rita = await reader();
        events.length = 0;
        const posted = await postComment(commentDeps, rita, { articleId: a.id, body: 'A fair point.' }, ip());
        assert.deepEqual(events, [{ tags: [storyTag(a.id)], cause: 'comment.post' }]);
        events.length = 0;
        await postComment(commentDeps, rita, { articleId: a.id, body: 'This is spam' }, ip());
        assert.equal(events.length, 0, 'a comment waiting for an editor changes nothing readers see');
        await editOwnComment(commentDeps, rita, posted.comment.id, 'A fairer point.');
        await deleteOwnComment(commentDeps, rita, posted.comment.id);
        assert.deepEqual(events, [
          { tags: [storyTag(a.id)], cause: 'comment.edit' },
          { tags: [storyTag(a.id)], cause: 'comment.delete' },
        ]);
      });

      it('approve, reject and delete name each story touched, after commit only', async () => {
        const a = await story({ sectionId: tax.world.id });
        const b = await story({ sectionId: tax.sport.id });
        const rita = await reader();
        const p1 = await postComment(commentDeps, rita, { articleId: a.id, body: 'spam one' }, ip());
        const p2 = await postComment(commentDeps, rita, { articleId: b.id, body: 'spam two' }, ip());
        events.length = 0;
        await rolledBack((d) => moderateComments(d, editor, [p1.comment.id, p2.comment.id], 'approve'));
        assert.equal(events.length, 0);
        await moderateComments(deps, editor, [p1.comment.id, p2.comment.id], 'approve');
        assert.deepEqual(
          events.map((e) => [e.cause, e.tags]).sort(),
          [
            ['comment.approve', [storyTag(a.id)]],
            ['comment.approve', [storyTag(b.id)]],
          ].sort(),
        );
        events.length = 0;
        await moderateComments(deps, editor, [p1.comment.id], 'reject');
        await moderateComments(deps, editor, [p2.comment.id], 'delete');
        assert.deepEqual(events, [
          { tags: [storyTag(a.id)], cause: 'comment.reject' },
          { tags: [storyTag(b.id)], cause: 'comment.delete' },
        ]);
      });
    });

    it('sections: navigation and lists on create, update and delete; a rename also names its visible stories', async () => {
      const section = await createSectionAsEditor(deps, editor, { name: `Climate ${++n}` });
      assert.deepEqual(events, [{ tags: [CHROME_TAG, TAXONOMY_TAG, sectionTag(section.id)], cause: 'section.create' }]);
      const visible = await story({ sectionId: section.id });
      await story({ sectionId: section.id, status: 'draft', publishedAt: undefined });
      events.length = 0;
      await rolledBack((d) => updateSectionAsEditor(d, editor, section.id, { name: 'Never', slug: section.slug }));
      assert.equal(events.length, 0);
      await updateSectionAsEditor(deps, editor, section.id, { name: `${section.name} and energy`, slug: section.slug, position: 3 });
      await updateSectionAsEditor(deps, editor, section.id, { name: `${section.name} and energy`, slug: section.slug, position: 4 });
      assert.deepEqual(events, [
        { tags: [CHROME_TAG, TAXONOMY_TAG, sectionTag(section.id), storyTag(visible.id)], cause: 'section.update' },
        { tags: [CHROME_TAG, TAXONOMY_TAG, sectionTag(section.id)], cause: 'section.update' },
      ]);
      const empty = await createSectionAsEditor(deps, editor, { name: `Empty ${++n}` });
      events.length = 0;
      await deleteSectionAsEditor(deps, editor, empty.id);
      assert.deepEqual(events, [{ tags: [CHROME_TAG, TAXONOMY_TAG, sectionTag(empty.id)], cause: 'section.delete' }]);
    });

    it('tags: rename names the tag and its visible stories, merge both tags, delete the tag', async () => {
      const [source, target, unused] = await ensureTags(deps.db, [`Floods ${++n}`, `Flooding ${n}`, `Unused ${n}`], deps.clock());
      const tagged = await story({ sectionId: tax.world.id, tagIds: [source!.id] });
      await story({ sectionId: tax.world.id, tagIds: [source!.id], status: 'draft', publishedAt: undefined });
      events.length = 0;
      await rolledBack((d) => renameTag(d, editor, source!.id, { name: 'Never' }));
      assert.equal(events.length, 0);
      await renameTag(deps, editor, source!.id, { name: `Floods and storms ${n}` });
      await mergeTags(deps, editor, source!.id, target!.id);
      await deleteTag(deps, editor, unused!.id);
      assert.deepEqual(events, [
        { tags: [TAXONOMY_TAG, tagTag(source!.id), storyTag(tagged.id)], cause: 'tag.rename' },
        { tags: [TAXONOMY_TAG, tagTag(source!.id), tagTag(target!.id), storyTag(tagged.id)], cause: 'tag.merge' },
        { tags: [TAXONOMY_TAG, tagTag(unused!.id)], cause: 'tag.delete' },
      ]);
    });

    it('authors: an edit names the author and every visible story whose byline renders from the row', async () => {
      const bylined = await story({ sectionId: tax.world.id, authorIds: [tax.editor.id] });
      events.length = 0;
      await rolledBack((d) => updateAuthorAsEditor(d, editor, tax.editor.id, { name: 'Never' }));
      assert.equal(events.length, 0);
      await updateAuthorAsEditor(deps, editor, tax.editor.id, { name: 'Amira Haddad-Smith', slug: tax.editor.slug });
      assert.equal(events.length, 1);
      assert.equal(events[0]!.cause, 'author.update');
      assert.deepEqual(events[0]!.tags.slice(0, 2), [TAXONOMY_TAG, authorTag(tax.editor.id)]);
      assert.ok(events[0]!.tags.includes(storyTag(bylined.id)));
    });

    it('images: a caption edit names every story showing the image', async () => {
      const image = await ingestImage({ db: deps.db, mediaStore: deps.mediaStore, now: deps.clock() }, await makeDemoJpeg(7), {
        caption: 'Before',
      });
      const hero = await story({ sectionId: tax.world.id, heroImageId: image.id });
      events.length = 0;
      const description = { caption: 'After', credit: 'Agency', creator: '', copyrightNotice: '', altText: 'A river' };
      await rolledBack((d) => updateImageMetadata(d, editor, image.id, description));
      assert.equal(events.length, 0);
      await updateImageMetadata(deps, editor, image.id, description);
      assert.deepEqual(events, [{ tags: [imageTag(image.id), storyTag(hero.id)], cause: 'image.update' }]);
    });

    it('wire imports raise the story change of the write path, after the import commits', async () => {
      const doc = { ...readNinjs('examples/1.4/ninjsExComplex1.json'), uri: `urn:test:events-${++n}` };
      await rolledBack((d) => importNinjsDocument(d, null, doc));
      assert.equal(events.length, 0);
      const imported = await importNinjsDocument(deps, null, doc);
      assert.deepEqual(events, [{ tags: [storyTag(imported.article.id)], cause: 'story.create' }]);
    });

    it('a story whose publication time comes is announced with its lists, once', async () => {
      const now = deps.clock();
      const at = (ms: number) => new Date(now.getTime() + ms).toISOString();
      const later = await story({ sectionId: tax.europe.id, publishedAt: at(60_000) });
      events.length = 0;
      assert.deepEqual(await publishVisibilityStarts(deps, at(-1000), now.toISOString()), []);
      const clock = () => new Date(now.getTime() + 61_000);
      assert.deepEqual(await publishVisibilityStarts({ ...deps, clock }, now.toISOString(), at(61_000)), [later.id]);
      assert.deepEqual(await publishVisibilityStarts({ ...deps, clock }, at(61_000), at(62_000)), []);
      assert.equal(events.length, 1);
      assert.equal(events[0]!.cause, 'story.visible');
      for (const tag of [storyTag(later.id), sectionTag(tax.europe.id), SITE_LISTS_TAG]) assert.ok(events[0]!.tags.includes(tag), tag);
    });

    it('a discussion that closes by age is announced once, naming its story only', async () => {
      const now = deps.clock();
      const DAY = 24 * 3600 * 1000;
      const at = (ms: number) => new Date(now.getTime() + ms).toISOString();
      // Published 14 days minus a minute ago: with 14-day discussions it closes a minute from now.
      const closing = await story({ sectionId: tax.europe.id, publishedAt: at(-14 * DAY + 60_000) });
      await story({ sectionId: tax.europe.id, publishedAt: at(-14 * DAY + 600_000), commentsPolicy: 'closed' });
      events.length = 0;
      assert.deepEqual(await publishCommentClosings(deps, at(-1000), now.toISOString(), 14), [], 'not yet');
      assert.deepEqual(await publishCommentClosings(deps, now.toISOString(), at(61_000), 14), [closing.id]);
      assert.deepEqual(
        await publishCommentClosings(deps, at(61_000), at(700_000), 14),
        [],
        'a discussion closed by policy is not announced again',
      );
      assert.deepEqual(await publishCommentClosings(deps, now.toISOString(), at(61_000), 0), [], 'discussions that never close');
      assert.deepEqual(events, [{ tags: [storyTag(closing.id)], cause: 'comments.closed' }]);
    });

    it('loading the demo content clears everything', async () => {
      const empty = await createTestDatabase(dialect);
      const demoEvents: ContentChange[] = [];
      const demoDeps = { ...serviceDepsFor(empty.handle), changes: { publish: async (c: ContentChange) => void demoEvents.push(c) } };
      try {
        assert.ok(await loadDemoContentIfEmpty(demoDeps, 2));
        assert.deepEqual(demoEvents.at(-1), { tags: [], cause: 'demo.load', clear: true });
      } finally {
        await empty.destroy();
        demoDeps.cleanup();
      }
    });
  });
}
