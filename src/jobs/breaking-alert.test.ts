import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { seedStaff } from '../../test/support/account-factories.ts';
import { buildArticleInput } from '../../test/support/factories.ts';
import { openStream } from '../../test/support/live-test-support.ts';
import { signedInClients, type NewsroomClient } from '../../test/support/newsroom-client.ts';
import { testDialects } from '../../test/support/test-db.ts';
import { createTestSite, type TestSite } from '../../test/support/test-site.ts';
import type { User } from '../domain/accounts/user.ts';
import type { Article } from '../domain/articles/article.ts';
import { createArticle } from '../domain/articles/article-service.ts';
import { runWorkflowAction } from '../domain/articles/article-workflow-service.ts';
import { listAuditEntries } from '../domain/audit/audit-log.ts';
import { findActiveAlert } from '../domain/alerts/breaking-alert.ts';
import { raiseBreakingAlert } from '../domain/alerts/breaking-alert-service.ts';
import { createSection } from '../domain/sections/section.ts';
import { createAlertExpiry } from './alert-expiry.ts';

/** The banner on a public page, or null. */
function banner(body: string): string | null {
  return /<aside class="breaking-alert"[^>]*>.*?<\/aside>/s.exec(body)?.[0] ?? null;
}

for (const { dialect, skip } of await testDialects()) {
  describe(`${dialect}: the breaking-news alert`, { skip }, () => {
    let site: TestSite;
    let port: number;
    let staff: Record<'editor' | 'author', User>;
    let clients: Map<string, NewsroomClient>;
    let story: Article;
    let offsetMs = 0;

    before(async () => {
      site = await createTestSite(dialect, { pageCacheMb: 16, clock: () => new Date(Date.now() + offsetMs) });
      await site.app.listen({ port: 0, host: '127.0.0.1' });
      port = (site.app.server.address() as AddressInfo).port;
      const section = await createSection(site.deps.db, { name: 'World' }, site.deps.clock());
      staff = await seedStaff(site.deps, { editor: ['editor', 'Eda Editor'], author: ['author', 'Ari Author'] });
      clients = await signedInClients(site, Object.values(staff));
      story = await createArticle(
        site.deps,
        buildArticleInput({
          sectionId: section.id,
          headline: 'Storm makes landfall',
          publishedAt: new Date(Date.now() - 60_000).toISOString(),
        }),
        { actor: { userId: staff.editor.id, role: 'editor' } },
      );
      await site.deps.deferredWork.drain();
    });
    after(async () => site?.close());
    const get = (url: string) => site.app.inject({ method: 'GET', url });
    const as = (u: User) => clients.get(u.id)!;

    it('only editors raise it, with the CSRF token; the raise is audited', async () => {
      const author = as(staff.author);
      assert.equal((await author.get('/newsroom/alerts')).statusCode, 403);
      const editor = as(staff.editor);
      const refused = await editor.request('POST', '/newsroom/alerts', { articleId: story.id });
      assert.equal(refused.statusCode, 403, 'no CSRF token');
      const bad = await editor.submit('/newsroom/alerts', '/newsroom/alerts', { articleId: story.id, minutes: 'soon' });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /whole number of minutes/);
      assert.equal(await findActiveAlert(site.deps.db, site.deps.clock().toISOString()), null);
      const page = await editor.get('/newsroom/alerts');
      assert.match(page.body, new RegExp(`<option value="${story.id}">Storm makes landfall</option>`));
    });

    it('shows on every public page at once (cached pages purged), is pushed to open pages, and clears by hand', async () => {
      // Cached pages before the alert.
      for (const url of ['/', '/world', `/world/${story.slug}`]) {
        await get(url);
        assert.equal((await get(url)).headers['x-page-cache'], 'hit', url);
        assert.equal(banner((await get(url)).body), null);
      }
      const stream = await openStream(port, '/alerts/stream?since=none');
      assert.equal(stream.status, 200);
      try {
        const editor = as(staff.editor);
        const raised = await editor.submit('/newsroom/alerts', '/newsroom/alerts', { articleId: story.id, text: 'Storm <now> ashore' });
        assert.equal(raised.statusCode, 303);
        for (const url of ['/', '/world', `/world/${story.slug}`, '/search?q=storm']) {
          const b = banner((await get(url)).body);
          assert.ok(b, `${url} shows the banner`);
          assert.match(b, new RegExp(`<a class="breaking-alert__link" href="/world/${story.slug}">Storm &lt;now&gt; ashore</a>`));
        }
        const [pushed] = await stream.waitFor((e) => e.some((x) => x.event === 'alert'));
        const alert = JSON.parse(pushed!.data) as { id: string; html: string };
        assert.match(alert.html, /Storm &lt;now&gt; ashore/);
        assert.equal(pushed!.id, alert.id);
        const audit = await listAuditEntries(site.deps.db, { action: 'breaking_alert.raise' });
        assert.ok(audit.some((a) => a.subjectId === alert.id && a.actorUserId === staff.editor.id));

        const cleared = await editor.submit('/newsroom/alerts', `/newsroom/alerts/${alert.id}/clear`, {});
        assert.equal(cleared.statusCode, 303);
        await stream.waitFor((e) => e.some((x) => x.event === 'clear'));
        assert.equal(banner((await get('/')).body), null);
        assert.equal(banner((await get(`/world/${story.slug}`)).body), null);
      } finally {
        stream.close();
      }
      // A page that resumes with the alert it shows hears nothing until it changes.
      const quiet = await openStream(port, '/alerts/stream?since=none');
      try {
        await new Promise((r) => setTimeout(r, 150));
        assert.deepEqual(quiet.events, []);
      } finally {
        quiet.close();
      }
    });

    it('clears itself at its expiry on every node: the expiry loop purges pages and streams read again', async () => {
      const expiry = createAlertExpiry(site.deps);
      await raiseBreakingAlert(site.deps, { userId: staff.editor.id, role: 'editor' }, { articleId: story.id, expiresInMinutes: 1 });
      await get('/');
      assert.ok(banner((await get('/')).body));
      assert.equal((await get('/')).headers['x-page-cache'], 'hit');
      const sleep = await expiry.tick();
      assert.ok(sleep > 0 && sleep <= 15_000);
      const stream = await openStream(port, '/alerts/stream');
      try {
        await stream.waitFor((e) => e.some((x) => x.event === 'alert'));
        offsetMs = 61_000; // a minute passes
        await expiry.tick();
        assert.notEqual((await get('/')).headers['x-page-cache'], 'hit', 'the expiry purged the cached page');
        assert.equal(banner((await get('/')).body), null);
        await stream.waitFor((e) => e.some((x) => x.event === 'clear'));
      } finally {
        stream.close();
        offsetMs = 0;
      }
    });

    it('shows an alert only while readers can see its story: unpublishing the story takes the banner down', async () => {
      const editor = { userId: staff.editor.id, role: 'editor' as const };
      const other = await createArticle(
        site.deps,
        buildArticleInput({
          sectionId: story.sectionId,
          headline: 'Flood warning',
          publishedAt: new Date(Date.now() - 30_000).toISOString(),
        }),
        { actor: editor },
      );
      const raised = await raiseBreakingAlert(site.deps, editor, { articleId: other.id, text: 'Flood: move inland' });
      const now = () => site.deps.clock().toISOString();
      const shown = await findActiveAlert(site.deps.db, now());
      assert.deepEqual(
        { ...shown, createdAt: undefined },
        {
          id: raised.id,
          text: 'Flood: move inland',
          path: `/world/${other.slug}`,
          articleId: other.id,
          createdAt: undefined,
          expiresAt: null,
        },
      );
      assert.ok(banner((await get('/world')).body), 'the section front shows the banner');
      await runWorkflowAction(site.deps, other.id, { type: 'unpublish' }, editor);
      assert.equal(await findActiveAlert(site.deps.db, now()), null);
      assert.equal(banner((await get('/world')).body), null, 'and drops it with the story');
      const row = await site.deps.db
        .selectFrom('breaking_alerts')
        .select('cleared_at')
        .where('id', '=', raised.id)
        .executeTakeFirstOrThrow();
      assert.equal(row.cleared_at, null, 'the alert itself stands: its story is what readers cannot see');
    });
  });
}
