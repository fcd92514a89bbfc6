import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { seedUser } from '../../test/support/account-factories.ts';
import { buildArticleInput, seedTaxonomy, type Taxonomy } from '../../test/support/factories.ts';
import { NewsroomClient, signedInClient } from '../../test/support/newsroom-client.ts';
import { testDialects } from '../../test/support/test-db.ts';
import { createTestSite, type TestSite } from '../../test/support/test-site.ts';
import type { User } from '../domain/accounts/user.ts';
import { createArticle } from '../domain/articles/article-service.ts';
import type { CommentsPolicy } from '../domain/articles/article.ts';
import { listAuditEntries } from '../domain/audit/audit-log.ts';

let n = 0;

class Reader extends NewsroomClient {
  async signUp(name: string): Promise<void> {
    n += 1;
    const res = await this.submit('/comments/signup', '/comments/signup', {
      displayName: name,
      email: `mod-reader${n}@example.test`,
      password: 'a long reader password',
    });
    assert.equal(res.statusCode, 303);
  }
  async post(articleId: string, body: string) {
    const token = JSON.parse((await this.get('/comments/session')).body).csrfToken as string;
    return this.request('POST', '/comments', { _csrf: token, articleId, body });
  }
}

for (const { dialect, skip } of await testDialects()) {
  describe(`${dialect}: comment moderation in the newsroom`, { skip }, () => {
    let site: TestSite;
    let tax: Taxonomy;
    let editor: User;
    const story = async (policy: CommentsPolicy) => {
      n += 1;
      return createArticle(
        site.deps,
        buildArticleInput({ sectionId: tax.world.id, headline: `Moderated story ${n}`, commentsPolicy: policy }),
      );
    };
    const count = async (id: string) =>
      Number(
        (await site.deps.db.selectFrom('articles').select('comment_count').where('id', '=', id).executeTakeFirstOrThrow()).comment_count,
      );

    before(async () => {
      site = await createTestSite(dialect);
      tax = await seedTaxonomy(site.deps);
      editor = await seedUser(site.deps, 'editor', { name: 'Edna Editor' });
    });
    after(() => site?.close());

    it('is for editors only: authors get 403, anonymous visitors the sign-in page', async () => {
      const author = await seedUser(site.deps, 'author');
      const c = new NewsroomClient(site, '203.0.113.60');
      assert.equal((await c.get('/newsroom/comments')).statusCode, 303);
      await c.login(author.email);
      assert.equal((await c.get('/newsroom/comments')).statusCode, 403);
      const token = await c.csrfToken();
      assert.equal(
        (
          await c.request('POST', '/newsroom/comments/bulk', {
            _csrf: token,
            action: 'approve',
            ids: '0190a000-0000-7000-8000-000000000000',
          })
        ).statusCode,
        403,
      );
    });

    it('lists pending comments, approves in bulk, rejects one, bans the reader — audited, counts right, banned reader refused', async () => {
      const a = await story('moderated');
      const troll = new Reader(site, '203.0.113.61');
      await troll.signUp('Troll <script>alert(1)</script>');
      const nice = new Reader(site, '203.0.113.62');
      await nice.signUp('Nice Person');
      await troll.post(a.id, 'Nasty comment');
      await nice.post(a.id, 'Thoughtful comment');
      await nice.post(a.id, 'Second thoughtful comment');

      const ed = await signedInClient(site, editor, '203.0.113.63');
      const queue = await ed.get(`/newsroom/comments?article=${a.id}`);
      assert.equal(queue.statusCode, 200);
      assert.match(queue.body, /Pending \(3\)/);
      assert.match(queue.body, /Story: <strong>Moderated story/);
      assert.match(queue.body, /Troll &lt;script&gt;alert\(1\)&lt;\/script&gt;/, 'names are escaped');
      assert.match(queue.body, /Story is pre-moderated/);
      const rows = [...queue.body.matchAll(/name="ids" value="([^"]+)"/g)].map((m) => m[1]!);
      assert.equal(rows.length, 3);
      const [trollId, ...niceIds] = rows;

      const bulk = await ed.submit(`/newsroom/comments?article=${a.id}`, '/newsroom/comments/bulk', {
        action: 'approve',
        ids: niceIds[0]!,
        returnTo: `/newsroom/comments?article=${a.id}`,
      });
      assert.equal(bulk.statusCode, 303);
      // Two checkboxes: a repeated field.
      const token = await ed.csrfToken('/newsroom/comments');
      const body = new URLSearchParams([
        ['_csrf', token],
        ['action', 'approve'],
        ['ids', niceIds[0]!],
        ['ids', niceIds[1]!],
        ['returnTo', `/newsroom/comments?article=${a.id}`],
      ]);
      const both = await ed.send(
        'POST',
        '/newsroom/comments/bulk',
        { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://news.example.test' },
        body.toString(),
      );
      assert.equal(both.statusCode, 303);
      assert.equal(
        both.headers.location,
        `/newsroom/comments?article=${a.id}&done=approve&n=1`,
        'the already published one is not counted again',
      );
      assert.match((await ed.get(both.headers.location!)).body, /The comment is published/);
      assert.equal(await count(a.id), 2);

      const reject = await ed.submit('/newsroom/comments', `/newsroom/comments/${trollId}/reject`, {});
      assert.equal(reject.statusCode, 303);
      const readerId = (await site.deps.db.selectFrom('comments').select('reader_id').where('id', '=', trollId!).executeTakeFirstOrThrow())
        .reader_id;
      const readerPage = await ed.get(`/newsroom/comments/readers/${readerId}`);
      assert.match(readerPage.body, /Ban this reader/);
      const ban = await ed.submit(`/newsroom/comments/readers/${readerId}`, `/newsroom/comments/readers/${readerId}/ban`, {
        reason: 'Abuse',
      });
      assert.equal(ban.statusCode, 303);
      assert.match((await ed.get(ban.headers.location!)).body, /The reader is banned/);

      const refused = await troll.post(a.id, 'Let me back in');
      assert.equal(refused.statusCode, 403);
      assert.match(refused.body, /banned/);

      const audit = await listAuditEntries(site.deps.db, { actorUserId: editor.id, limit: 20 });
      const verbs = audit.map((e) => e.action);
      assert.equal(verbs.filter((v) => v === 'comment.approved').length, 2);
      assert.ok(verbs.includes('comment.rejected'));
      assert.ok(verbs.includes('reader.banned'));

      const rejected = await ed.get(`/newsroom/comments?view=rejected&reader=${readerId}`);
      assert.match(rejected.body, /Nasty comment/);
      assert.match(rejected.body, /Banned/);
    });

    it('shows reported comments with their reasons; deleting resolves the reports', async () => {
      const a = await story('open');
      const author = new Reader(site, '203.0.113.64');
      await author.signUp('Poster');
      const loc = (await author.post(a.id, 'Questionable claim')).headers.location!;
      const id = /#c-(.+)$/.exec(loc)![1]!;
      const reporter = new Reader(site, '203.0.113.65');
      await reporter.signUp('Reporter');
      await reporter.submit(`/comments/${id}/report`, `/comments/${id}/report`, { reason: 'Misinformation <i>here</i>' });
      const ed = await signedInClient(site, editor, '203.0.113.66');
      const reported = await ed.get('/newsroom/comments?view=reported');
      assert.match(reported.body, /Reported once: “Misinformation &lt;i&gt;here&lt;\/i&gt;”/);
      const del = await ed.submit('/newsroom/comments?view=reported', `/newsroom/comments/${id}/delete`, {
        returnTo: '/newsroom/comments?view=reported',
      });
      assert.equal(del.headers.location, '/newsroom/comments?view=reported&done=delete&n=1');
      assert.ok(!(await ed.get('/newsroom/comments?view=reported')).body.includes('Questionable claim'));
      assert.equal(await count(a.id), 0);
      assert.equal((await ed.submit('/newsroom/comments', '/newsroom/comments/not-an-id/approve', {})).statusCode, 404);
      assert.equal((await ed.submit('/newsroom/comments', '/newsroom/comments/bulk', { action: 'approve' })).statusCode, 400);
    });
  });
}
