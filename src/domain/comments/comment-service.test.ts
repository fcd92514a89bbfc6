import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import nodemailer from 'nodemailer';
import { seedUser } from '../../../test/support/account-factories.ts';
import {
  buildArticleInput,
  FIXED_NOW,
  hoursAgo,
  seedTaxonomy,
  serviceDepsFor,
  type Taxonomy,
  type TestServiceDeps,
} from '../../../test/support/factories.ts';
import { createTestDatabase, testDialects, type TestDatabase } from '../../../test/support/test-db.ts';
import type { User } from '../accounts/user.ts';
import { createArticle } from '../articles/article-service.ts';
import type { CommentsPolicy } from '../articles/article.ts';
import { listAuditEntries } from '../audit/audit-log.ts';
import { ConflictError, ForbiddenError, NotFoundError, RateLimitedError, ValidationError } from '../errors.ts';
import { createTransportMailer } from '../readers/mailer.ts';
import { signUpReader, verifyReaderEmail } from '../readers/reader-service.ts';
import { createReaderSession, resolveReaderSession, type ReaderSession } from '../readers/reader-sessions.ts';
import { banReader, listModerationQueue, moderateComments, unbanReader } from './comment-moderation.ts';
import { deleteOwnComment, editOwnComment, postComment, reportComment, toggleLike, type CommentDeps } from './comment-service.ts';
import { getCommentThread } from './comment-thread.ts';
import { createMemoryRateLimiter } from '../rate-limits/rate-limiter.ts';

let n = 0;

for (const { dialect, skip } of await testDialects()) {
  describe(`${dialect}: comments storage`, { skip }, () => {
    let t: TestDatabase;
    let base: TestServiceDeps;
    let deps: CommentDeps;
    let tax: Taxonomy;
    let editor: User;
    let now = FIXED_NOW;
    const postedEvents = async () =>
      (await base.db.selectFrom('webhook_deliveries').select('payload').where('event', '=', 'comment.posted').execute()).map(
        (r) => JSON.parse(r.payload).data as { comment: { id: string; text: string; url: string }; article: { id: string } },
      );

    const article = async (policy: CommentsPolicy = 'open', publishedAt = hoursAgo(2)) => {
      n += 1;
      return createArticle(
        base,
        buildArticleInput({ sectionId: tax.world.id, headline: `Story number ${n} for comments`, commentsPolicy: policy, publishedAt }),
      );
    };
    const reader = async (name = 'Rita Reader', d: CommentDeps = deps): Promise<ReaderSession> => {
      n += 1;
      const { reader } = await signUpReader(
        d,
        { displayName: name, email: `reader${n}@example.test`, password: 'a long reader password' },
        { siteUrl: 'https://news.example.test', siteName: 'News' },
      );
      const { token } = await createReaderSession(d, reader.id);
      return (await resolveReaderSession(d, token))!;
    };
    const count = async (articleId: string) =>
      Number(
        (await base.db.selectFrom('articles').select('comment_count').where('id', '=', articleId).executeTakeFirstOrThrow()).comment_count,
      );
    const ip = () => ({ ip: `198.51.100.${(n += 1) % 250}` });

    before(async () => {
      t = await createTestDatabase(dialect);
      base = serviceDepsFor(t.handle, { clock: () => now });
      tax = await seedTaxonomy(base);
      editor = await seedUser(base, 'editor');
      deps = {
        ...base,
        limiter: createMemoryRateLimiter(),
        rules: { closeAfterDays: 14, blockedWords: ['spam'], maxLinks: 2 },
        siteUrl: 'https://news.example.test',
      };
      // One hook subscribed to comment.posted: publishing a comment writes its outbox row.
      await base.db
        .insertInto('webhooks')
        .values({
          id: '0190a000-0000-7000-8000-00000000beef',
          url: 'https://hooks.example.test/in',
          description: '',
          events: JSON.stringify(['comment.posted']),
          secret: 's',
          enabled: 1,
          disabled_reason: null,
          created_by: null,
          created_at: FIXED_NOW.toISOString(),
          updated_at: FIXED_NOW.toISOString(),
          secret_rotated_at: null,
        })
        .execute();
    });
    after(async () => {
      await t?.destroy();
      base?.cleanup();
    });

    it('publishes on an open story, threads replies one level deep and keeps the count', async () => {
      const a = await article();
      const rita = await reader();
      const sam = await reader('Sam Second');
      const first = await postComment(deps, rita, { articleId: a.id, body: '  First!  I agree with this.  ' }, ip());
      assert.equal(first.status, 'published');
      assert.equal(first.comment.body, 'First!  I agree with this.');
      const reply = await postComment(deps, sam, { articleId: a.id, parentId: first.comment.id, body: 'A reply' }, ip());
      const replyToReply = await postComment(
        deps,
        rita,
        { articleId: a.id, parentId: reply.comment.id, body: 'A reply to the reply' },
        ip(),
      );
      assert.equal(replyToReply.comment.parentId, first.comment.id, 'replies to replies join the thread');
      assert.equal(await count(a.id), 3);
      const event = (await postedEvents()).find((e) => e.comment.id === first.comment.id);
      assert.ok(event, 'a comment.posted webhook event is queued with the comment');
      assert.equal(event.comment.text, 'First!  I agree with this.');
      assert.equal(event.comment.url, `https://news.example.test/world/${a.slug}/comments#c-${first.comment.id}`);
      const result = await getCommentThread(base, 'world', a.slug, { sort: 'newest', page: 1, closeAfterDays: 14 });
      assert.equal(result.kind, 'thread');
      if (result.kind !== 'thread') return;
      assert.equal(result.thread.threads.length, 1);
      assert.deepEqual(
        result.thread.threads[0]!.replies.map((r) => r.body),
        ['A reply', 'A reply to the reply'],
      );
    });

    it('sorts by newest, oldest and most liked', async () => {
      const a = await article();
      const authors = [await reader('A one'), await reader('B two'), await reader('C three')];
      const ids: string[] = [];
      for (const [i, r] of authors.entries()) {
        now = new Date(FIXED_NOW.getTime() + i * 1000);
        ids.push((await postComment(deps, r, { articleId: a.id, body: `Comment ${i}` }, ip())).comment.id);
      }
      await toggleLike(deps, authors[0]!, ids[1]!, true);
      await toggleLike(deps, authors[2]!, ids[1]!, true);
      await toggleLike(deps, authors[1]!, ids[0]!, true);
      const order = async (sort: 'newest' | 'oldest' | 'liked') => {
        const r = await getCommentThread(base, 'world', a.slug, { sort, page: 1, closeAfterDays: 14 });
        return r.kind === 'thread' ? r.thread.threads.map((x) => x.comment.body) : [];
      };
      assert.deepEqual(await order('newest'), ['Comment 2', 'Comment 1', 'Comment 0']);
      assert.deepEqual(await order('oldest'), ['Comment 0', 'Comment 1', 'Comment 2']);
      assert.deepEqual(await order('liked'), ['Comment 1', 'Comment 0', 'Comment 2']);
      assert.deepEqual(await toggleLike(deps, authors[0]!, ids[1]!, true), { liked: true, likeCount: 2 }, 'liking twice counts once');
      assert.deepEqual(await toggleLike(deps, authors[0]!, ids[1]!, false), { liked: false, likeCount: 1 });
      await assert.rejects(toggleLike(deps, authors[0]!, ids[0]!, true), ValidationError, 'no liking your own comment');
      now = FIXED_NOW;
    });

    it('policy: a closed story refuses, a pre-moderated story queues, an old story is closed automatically', async () => {
      const rita = await reader();
      const closed = await article('closed');
      await assert.rejects(
        postComment(deps, rita, { articleId: closed.id, body: 'Let me in' }, ip()),
        (e) => e instanceof ForbiddenError && /closed/.test(e.message),
      );
      const moderated = await article('moderated');
      const queued = await postComment(deps, rita, { articleId: moderated.id, body: 'Please approve me' }, ip());
      assert.deepEqual([queued.status, queued.status === 'pending' && queued.reason], ['pending', 'moderated_article']);
      assert.equal(await count(moderated.id), 0, 'pending comments are not counted');
      const old = await article('open', hoursAgo(24 * 15));
      await assert.rejects(postComment(deps, rita, { articleId: old.id, body: 'Too late' }, ip()), /have closed/);
      await assert.rejects(
        postComment(deps, rita, { articleId: '0190a000-0000-7000-8000-000000000000', body: 'Nowhere' }, ip()),
        NotFoundError,
      );
    });

    it('content rules: blocked words and too many links queue; duplicates and bad lengths are refused', async () => {
      const a = await article();
      const rita = await reader();
      const blocked = await postComment(deps, rita, { articleId: a.id, body: 'This is SPAM, honestly' }, ip());
      assert.equal(blocked.status === 'pending' && blocked.reason, 'blocked_words');
      const links = await postComment(deps, rita, { articleId: a.id, body: 'https://a.example https://b.example https://c.example' }, ip());
      assert.equal(links.status === 'pending' && links.reason, 'too_many_links');
      await postComment(deps, rita, { articleId: a.id, body: 'Same words twice' }, ip());
      await assert.rejects(postComment(deps, rita, { articleId: a.id, body: 'same  WORDS twice' }, ip()), ConflictError);
      await assert.rejects(postComment(deps, rita, { articleId: a.id, body: ' ' }, ip()), /Write a comment/);
      await assert.rejects(postComment(deps, rita, { articleId: a.id, body: 'x'.repeat(2001) }, ip()), /too long: 2,001 characters/);
    });

    it('rate limits per reader and per address', async () => {
      const a = await article();
      const rita = await reader();
      for (let i = 0; i < 5; i++) await postComment(deps, rita, { articleId: a.id, body: `Quick comment ${i}` }, ip());
      await assert.rejects(
        postComment(deps, rita, { articleId: a.id, body: 'One too many' }, ip()),
        (e) => e instanceof RateLimitedError && /wait 10 minutes/.test(e.message),
      );
      const sameIp = { ip: '203.0.113.99' };
      let refused = 0;
      for (let i = 0; i < 22; i++) {
        try {
          await postComment(deps, await reader(`Sock ${i}`), { articleId: a.id, body: `From one address ${i}` }, sameIp);
        } catch (e) {
          assert.ok(e instanceof RateLimitedError);
          refused += 1;
        }
      }
      assert.equal(refused, 2, '20 per address per window');
    });

    it('edit and delete your own comment within 15 minutes only; count follows', async () => {
      const a = await article();
      const rita = await reader();
      const other = await reader('Other One');
      const c = await postComment(deps, rita, { articleId: a.id, body: 'Original text' }, ip());
      await assert.rejects(editOwnComment(deps, other, c.comment.id, 'Hijack'), NotFoundError);
      const edited = await editOwnComment(deps, rita, c.comment.id, 'Corrected text');
      assert.equal(edited.comment.body, 'Corrected text');
      assert.ok(edited.comment.editedAt);
      const flagged = await editOwnComment(deps, rita, c.comment.id, 'Now with spam');
      assert.equal(flagged.status, 'pending', 'an edit cannot sneak blocked words past moderation');
      assert.equal(await count(a.id), 0);
      const d = await postComment(deps, rita, { articleId: a.id, body: 'Delete me' }, ip());
      assert.equal(await count(a.id), 1);
      await deleteOwnComment(deps, rita, d.comment.id);
      assert.equal(await count(a.id), 0);
      const late = await postComment(deps, rita, { articleId: a.id, body: 'Set in stone' }, ip());
      now = new Date(FIXED_NOW.getTime() + 16 * 60_000);
      await assert.rejects(editOwnComment(deps, rita, late.comment.id, 'Changed'), /first 15 minutes/);
      await assert.rejects(deleteOwnComment(deps, rita, late.comment.id), /first 15 minutes/);
      now = FIXED_NOW;
    });

    it('moderation: reports, approve/reject/delete in bulk, ban — all audited, counts right', async () => {
      const a = await article('moderated');
      const troll = await reader('Troll');
      const nice = await reader('Nice Person');
      const actor = { userId: editor.id, role: editor.role };
      const p1 = await postComment(deps, troll, { articleId: a.id, body: 'Pending one' }, ip());
      const p2 = await postComment(deps, nice, { articleId: a.id, body: 'Pending two' }, ip());
      const pending = await listModerationQueue(base, actor, { view: 'pending', articleId: a.id, page: 1 });
      assert.deepEqual(
        pending.items.map((c) => c.body),
        ['Pending one', 'Pending two'],
      );
      assert.equal(
        (await postedEvents()).some((e) => e.comment.id === p1.comment.id),
        false,
        'no event while pending',
      );
      assert.equal(await moderateComments(deps, actor, [p1.comment.id, p2.comment.id], 'approve'), 2);
      assert.equal((await postedEvents()).filter((e) => e.comment.id === p1.comment.id).length, 1, 'approval queues the event');
      assert.equal(await count(a.id), 2);

      await reportComment(deps, nice, p1.comment.id, 'Rude <b>words</b>');
      await reportComment(deps, nice, p1.comment.id, 'again');
      const reported = await listModerationQueue(base, actor, { view: 'reported', page: 1 });
      const item = reported.items.find((c) => c.id === p1.comment.id);
      assert.equal(item?.reportCount, 1, 'one report per reader');

      await moderateComments(deps, actor, [p1.comment.id], 'reject');
      assert.equal(await count(a.id), 1);
      assert.equal(
        (await listModerationQueue(base, actor, { view: 'reported', page: 1 })).items.some((c) => c.id === p1.comment.id),
        false,
        'reports resolved',
      );

      const { rejected } = await banReader(deps, actor, troll.reader.id, { reason: 'Trolling', removePublished: true });
      assert.equal(rejected, 0);
      const bannedSession = { ...troll, banned: true };
      await assert.rejects(postComment(deps, bannedSession, { articleId: a.id, body: 'I am back' }, ip()), /banned/);
      const fresh = await createReaderSession(deps, troll.reader.id);
      const resolved = (await resolveReaderSession(deps, fresh.token))!;
      assert.equal(resolved.banned, true, 'the ban is read with the session');
      await assert.rejects(postComment(deps, resolved, { articleId: a.id, body: 'I am back again' }, ip()), ForbiddenError);

      await moderateComments(deps, actor, [p2.comment.id], 'delete');
      assert.equal(await count(a.id), 0);
      await unbanReader(deps, actor, troll.reader.id);
      const after = (await resolveReaderSession(deps, fresh.token))!;
      assert.equal(after.banned, false);

      const audit = await listAuditEntries(base.db, { actorUserId: editor.id, limit: 50 });
      const actions = audit.map((e) => e.action);
      for (const verb of ['comment.approved', 'comment.rejected', 'comment.deleted', 'reader.banned', 'reader.unbanned'])
        assert.ok(actions.includes(verb), verb);
      const del = audit.find((e) => e.action === 'comment.deleted');
      assert.equal(del?.details.text, 'Pending two', 'the deleted text is kept in the audit log only');

      const contributor = await seedUser(base, 'contributor');
      await assert.rejects(
        moderateComments(deps, { userId: contributor.id, role: 'contributor' }, [p2.comment.id], 'approve'),
        ForbiddenError,
      );
      await assert.rejects(moderateComments(deps, actor, ['0190a000-0000-7000-8000-000000000000'], 'approve'), NotFoundError);
    });

    it('with email configured: unverified readers are queued until they verify', async () => {
      const sent: Array<{ to: string; text: string }> = [];
      const transport = nodemailer.createTransport({ jsonTransport: true });
      const mailer = createTransportMailer(transport, 'news@example.test');
      const mailDeps: CommentDeps = {
        ...deps,
        mailer: {
          send: async (m) => {
            sent.push(m);
            await mailer.send(m);
          },
        },
      };
      const a = await article();
      const rita = await reader('Verify Me', mailDeps);
      assert.equal(sent.length, 1);
      const token = /token=([A-Za-z0-9_-]{43})/.exec(sent[0]!.text)?.[1];
      assert.ok(token, 'the email holds a verification link');
      const queued = await postComment(mailDeps, rita, { articleId: a.id, body: 'Before verifying' }, ip());
      assert.equal(queued.status === 'pending' && queued.reason, 'unverified_reader');
      assert.equal(await verifyReaderEmail(mailDeps, 'x'.repeat(43)), null);
      assert.equal((await verifyReaderEmail(mailDeps, token))?.emailVerified, true);
      assert.equal(await verifyReaderEmail(mailDeps, token), null, 'a link works once');
      const { token: s } = await createReaderSession(mailDeps, rita.reader.id);
      const verified = (await resolveReaderSession(mailDeps, s))!;
      assert.equal((await postComment(mailDeps, verified, { articleId: a.id, body: 'After verifying' }, ip())).status, 'published');
    });
  });
}
