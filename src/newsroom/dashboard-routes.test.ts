import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { seedStaff } from '../../test/support/account-factories.ts';
import { buildArticleInput } from '../../test/support/factories.ts';
import { signedInClients, type NewsroomClient } from '../../test/support/newsroom-client.ts';
import { testDialects } from '../../test/support/test-db.ts';
import { createTestSite, type TestSite } from '../../test/support/test-site.ts';
import type { User } from '../domain/accounts/user.ts';
import { createArticle } from '../domain/articles/article-service.ts';
import { runWorkflowAction } from '../domain/articles/article-workflow-service.ts';
import { createPlanningItem } from '../domain/planning/planning-service.ts';
import { createSection, type Section } from '../domain/sections/section.ts';

type Parts = Record<string, { count: number; html: string }>;

for (const { dialect, skip } of await testDialects()) {
  describe(`${dialect}: the dashboard that runs the day`, { skip }, () => {
    let site: TestSite;
    let staff: Record<'admin' | 'editor' | 'author', User>;
    let clients: Map<string, NewsroomClient>;
    let section: Section;
    let now = new Date('2026-12-07T08:00:00Z');
    const as = (u: User) => clients.get(u.id)!;
    const parts = async (u: User): Promise<Parts> => {
      const res = await as(u).get('/newsroom/dashboard.json');
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers['cache-control'], 'no-store');
      return (JSON.parse(res.body) as { parts: Parts }).parts;
    };

    before(async () => {
      site = await createTestSite(dialect, { clock: () => now });
      section = await createSection(site.deps.db, { name: 'World' }, site.deps.clock());
      staff = await seedStaff(site.deps, {
        admin: ['admin', 'Ada Admin'],
        editor: ['editor', 'Eda Editor'],
        author: ['author', 'Ari Author'],
      });
      clients = await signedInClients(site, Object.values(staff));
    });
    after(async () => site?.close());

    it('is only for signed-in staff, never stored, and a repeated ask with the ETag is a 304', async () => {
      const anonymous = await site.app.inject({ method: 'GET', url: '/newsroom/dashboard.json' });
      assert.equal(anonymous.statusCode, 303);
      const first = await as(staff.editor).get('/newsroom/dashboard.json');
      assert.equal(first.headers['cache-control'], 'no-store');
      const again = await as(staff.editor).get('/newsroom/dashboard.json', { 'if-none-match': first.headers.etag as string });
      assert.equal(again.statusCode, 304);
      assert.equal(again.body, '');
    });

    it('counts my drafts and assignments, the review queue with its oldest, what goes out next and what just went out', async () => {
      const author = { userId: staff.author.id, role: 'author' as const };
      const editor = { userId: staff.editor.id, role: 'editor' as const };
      const before = await parts(staff.author);
      assert.equal(before.myDrafts?.count, 0);
      assert.equal(before.review, undefined, 'an author has no desk-wide parts');
      assert.equal(before.failedDeliveries, undefined);

      const draft = await createArticle(
        site.deps,
        buildArticleInput({ sectionId: section.id, headline: 'Draft about rain', status: 'draft', publishedAt: null }),
        {
          actor: author,
        },
      );
      await createPlanningItem(site.deps, editor, {
        day: '2026-12-07',
        workingHeadline: 'Assigned: tram strike',
        sectionId: section.id,
        assigneeUserId: staff.author.id,
      });
      const mine = await parts(staff.author);
      assert.equal(mine.myDrafts?.count, 1);
      assert.match(mine.myDrafts!.html, new RegExp(`href="/newsroom/stories/${draft.id}"`));
      assert.equal(mine.myAssignments?.count, 1);
      assert.match(mine.myAssignments!.html, /Assigned: tram strike/);

      await runWorkflowAction(site.deps, draft.id, { type: 'submit' }, author);
      now = new Date('2026-12-07T09:00:00Z');
      const second = await createArticle(
        site.deps,
        buildArticleInput({ sectionId: section.id, headline: 'Later submission', status: 'draft', publishedAt: null }),
        {
          actor: author,
        },
      );
      await runWorkflowAction(site.deps, second.id, { type: 'submit' }, author);
      const scheduled = await createArticle(
        site.deps,
        buildArticleInput({ sectionId: section.id, headline: 'Goes at noon', status: 'draft', publishedAt: null }),
        {
          actor: editor,
        },
      );
      await runWorkflowAction(site.deps, scheduled.id, { type: 'schedule', at: '2026-12-07T12:00:00Z' }, editor);
      const embargoed = await createArticle(
        site.deps,
        buildArticleInput({
          sectionId: section.id,
          headline: 'Embargoed report',
          status: 'published',
          embargoUntil: '2026-12-07T10:00:00Z',
          publishedAt: '2026-12-07T10:00:00Z',
        }),
        { actor: editor },
      );
      await createArticle(
        site.deps,
        buildArticleInput({
          sectionId: section.id,
          headline: 'Out this morning',
          status: 'published',
          publishedAt: '2026-12-07T08:30:00Z',
        }),
        {
          actor: editor,
        },
      );

      const desk = await parts(staff.editor);
      assert.equal(desk.review?.count, 2);
      assert.match(desk.review!.html, /Oldest waiting since <time datetime="2026-12-07T08:00:00.000Z"/);
      assert.ok(desk.review!.html.indexOf('Draft about rain') < desk.review!.html.indexOf('Later submission'), 'oldest first');
      assert.equal(desk.nextOut?.count, 2);
      assert.ok(desk.nextOut!.html.indexOf('Embargoed report') < desk.nextOut!.html.indexOf('Goes at noon'), 'soonest first');
      assert.match(desk.nextOut!.html, /Embargo lifts/);
      assert.match(desk.nextOut!.html, new RegExp(`href="/newsroom/stories/${embargoed.id}"`));
      assert.equal(desk.justPublished?.count, 1, 'the embargoed story is not out yet');
      assert.match(desk.justPublished!.html, /Out this morning/);
      assert.equal(desk.pendingComments?.count, 0);
      assert.equal(desk.failedDeliveries, undefined, 'webhooks are the admin’s');
      assert.equal((await parts(staff.author)).myDrafts?.count, 0, 'a submitted story is no longer a draft');
    });

    it('counts comments waiting for moderation and failed deliveries, with links to where they are handled', async () => {
      const story = await createArticle(
        site.deps,
        buildArticleInput({ sectionId: section.id, headline: 'Commented', status: 'published' }),
      );
      const nowIso = now.toISOString();
      await site.deps.db
        .insertInto('readers')
        .values({
          id: 'r1',
          email: 'r@example.test',
          display_name: 'Reader',
          password_hash: 'x',
          email_verified_at: null,
          verify_token_hash: null,
          verify_expires_at: null,
          created_at: nowIso,
          updated_at: nowIso,
          last_login_at: null,
        })
        .execute();
      await site.deps.db
        .insertInto('comments')
        .values({
          id: 'c1',
          article_id: story.id,
          reader_id: 'r1',
          parent_id: null,
          status: 'pending',
          queue_reason: 'moderated',
          like_count: 0,
          report_count: 0,
          body_hash: 'h',
          ip: '',
          created_at: nowIso,
          edited_at: null,
          published_at: null,
          moderated_by: null,
          moderated_at: null,
          body: 'Is this true?',
        })
        .execute();
      await site.deps.db
        .insertInto('webhooks')
        .values({
          id: 'w1',
          url: 'https://hooks.example.test/in',
          description: '',
          events: '[]',
          secret: 's',
          enabled: 1,
          disabled_reason: null,
          created_by: null,
          created_at: nowIso,
          updated_at: nowIso,
          secret_rotated_at: null,
        })
        .execute();
      await site.deps.db
        .insertInto('webhook_deliveries')
        .values({
          id: 'd1',
          webhook_id: 'w1',
          event: 'article.published',
          event_id: 'e1',
          status: 'failed',
          attempts: 8,
          next_attempt_at: nowIso,
          last_status_code: 500,
          last_error: 'boom',
          response_excerpt: null,
          created_at: nowIso,
          last_attempt_at: nowIso,
          delivered_at: null,
          payload: '{}',
        })
        .execute();
      const admin = await parts(staff.admin);
      assert.equal(admin.pendingComments?.count, 1);
      assert.match(admin.pendingComments!.html, /Is this true\?/);
      assert.match(admin.pendingComments!.html, /href="\/newsroom\/comments\?view=pending"/);
      assert.equal(admin.failedDeliveries?.count, 1);
      assert.match(admin.failedDeliveries!.html, /href="\/newsroom\/webhooks\/w1"/);
      const page = await as(staff.admin).get('/newsroom');
      assert.match(page.body, /data-dash-count="failedDeliveries">1</);
      assert.match(page.body, /data-dash-count="pendingComments">1</);
    });
  });
}
