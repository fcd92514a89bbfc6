import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { seedStaff } from '../../test/support/account-factories.ts';
import { buildArticleInput, FIXED_NOW, seedTaxonomy, type Taxonomy } from '../../test/support/factories.ts';
import { csrfFrom, signedInClients, type NewsroomClient } from '../../test/support/newsroom-client.ts';
import { testDialects } from '../../test/support/test-db.ts';
import { createTestSite, type TestSite } from '../../test/support/test-site.ts';
import type { Actor } from '../domain/accounts/role.ts';
import type { User } from '../domain/accounts/user.ts';
import type { Article } from '../domain/articles/article.ts';
import { findPendingChange, saveTargetFor } from '../domain/articles/article-pending-change.ts';
import { findArticleById } from '../domain/articles/article-repository.ts';
import { createArticle } from '../domain/articles/article-service.ts';
import { listAuditEntries } from '../domain/audit/audit-log.ts';
import type { ContentChange } from '../domain/changes/content-change.ts';
import { saveStoryEdit } from '../domain/desk/article-editor.ts';

/*
 * Staged changes to live stories over HTTP, on both databases: an author's save of their live
 * story becomes a pending change that leaves the public page, the Content API and the feed
 * (cached or not) as they were and raises no change event; the editor reviews the diff and
 * publishes it through the one write path (event, purge, revision, audit), or it is discarded.
 */

const actorOf = (u: User): Actor => ({ userId: u.id, role: u.role });

function bootOf(body: string): { revision: number; autosave: boolean; pending: { revision: number | null } | null; mayStage: boolean } {
  const m = /<script type="application\/json" id="story-editor-data">([^<]*)<\/script>/.exec(body);
  assert.ok(m, 'editor page embeds its boot data');
  return JSON.parse(m[1]!);
}

const editorDoc = (text: string) => ({ type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] });

for (const { dialect, skip } of await testDialects()) {
  describe(`${dialect}: staged changes to live stories`, { skip }, () => {
    let site: TestSite;
    let tax: Taxonomy;
    let editor: User;
    let author: User;
    let other: User;
    let clients: Map<string, NewsroomClient>;
    let live: Article;
    const events: ContentChange[] = [];
    const as = (u: User) => clients.get(u.id)!;
    const reload = async (a: Pick<Article, 'id'>) => (await findArticleById(site.deps.db, a.id))!;
    const publicPath = () => `/world/${live.slug}`;
    const get = (url: string) => site.app.inject({ method: 'GET', url });

    const edit = (headline: string, text: string) => ({
      headline,
      standfirst: live.standfirst,
      slug: live.slug,
      sectionId: tax.world.id,
      authorIds: [tax.reporter.id],
      tags: [],
      heroImageId: null,
      language: 'en',
      commentsPolicy: 'open',
      body: editorDoc(text),
    });
    /** Posts the review page's publish or discard form as it stands (its CSRF token and revisions). */
    const decide = async (u: User, action: 'publish' | 'discard') => {
      const c = as(u);
      const page = await c.get(`/newsroom/stories/${live.id}/change`);
      assert.equal(page.statusCode, 200, page.body.slice(0, 300));
      const field = (n: string) => new RegExp(`name="${n}" value="([^"]*)"`).exec(page.body)?.[1] ?? '';
      return c.request('POST', `/newsroom/stories/${live.id}/change/${action}`, {
        _csrf: csrfFrom(page.body),
        expectedRevision: field('expectedRevision'),
        pendingRevision: field('pendingRevision'),
      });
    };
    const autosave = async (u: User, body: Record<string, unknown>) => {
      const c = as(u);
      return c.json('POST', `/newsroom/stories/${live.id}/autosave`, body, await c.csrfToken());
    };

    before(async () => {
      site = await createTestSite(dialect, { clock: () => FIXED_NOW, pageCacheMb: 16 });
      tax = await seedTaxonomy(site.deps);
      ({ editor, author, other } = await seedStaff(site.deps, {
        editor: ['editor', 'Eve Editor'],
        author: ['author', 'Ann Author'],
        other: ['author', 'Otto Other'],
      }));
      clients = await signedInClients(site, [editor, author, other]);
      site.deps.changes.subscribe((change) => void events.push(change));
    });
    after(() => site?.close());

    beforeEach(async () => {
      live = await createArticle(
        site.deps,
        buildArticleInput({
          sectionId: tax.world.id,
          headline: `Harbour bridge reopens ${Math.random().toString(36).slice(2, 8)}`,
          authorIds: [tax.reporter.id],
        }),
        { actor: actorOf(author) },
      );
      // Its related box is computed after the save returns (then purged); done before the test looks.
      await site.deps.deferredWork.drain();
    });

    it('an author’s save of their live story waits as a pending change: page, API and feed unchanged, cached or not, no event', async () => {
      const page = await get(publicPath());
      assert.equal(page.statusCode, 200);
      assert.equal((await get(publicPath())).headers['x-page-cache'], 'hit');
      const api = await get(`/api/v1/articles/${live.id}`);
      assert.equal(api.statusCode, 200);
      const feed = await get('/feed.xml');

      const editorPage = await as(author).get(`/newsroom/stories/${live.id}`);
      const boot = bootOf(editorPage.body);
      assert.deepEqual(boot.pending, { revision: null }, 'the author’s saves target a pending change');
      assert.equal(boot.autosave, true, 'pending changes autosave');
      assert.match(editorPage.body, /Changes to the live story wait for review/);

      const eventsBefore = events.length;
      const res = await autosave(author, {
        baseRevision: live.revision,
        pendingRevision: null,
        story: edit('Bridge reopens late', 'Staged words.'),
      });
      assert.equal(res.statusCode, 200, res.body);
      const saved = res.json() as { revision: number; pendingRevision: number };
      assert.equal(saved.revision, live.revision, 'the live revision did not move');
      assert.equal(saved.pendingRevision, 1);
      // Autosave again on the pending change.
      const again = await autosave(author, {
        baseRevision: live.revision,
        pendingRevision: 1,
        story: edit('Bridge reopens two hours late', 'Staged words, again.'),
      });
      assert.equal(again.statusCode, 200, again.body);
      assert.equal((again.json() as { pendingRevision: number }).pendingRevision, 2);

      assert.equal((await reload(live)).revision, live.revision);
      assert.equal((await reload(live)).headline, live.headline);
      const cached = await get(publicPath());
      assert.equal(cached.headers['x-page-cache'], 'hit', 'no purge');
      assert.equal(cached.body, page.body);
      assert.doesNotMatch(cached.body, /Staged words/);
      assert.equal((await get(`/api/v1/articles/${live.id}`)).body, api.body);
      assert.doesNotMatch((await get('/feed.xml')).body, /two hours late/);
      assert.equal((await get('/feed.xml')).body, feed.body);
      assert.equal(events.length, eventsBefore, 'no change event for a pending save');

      // The preview shows the story with the change only when asked for.
      const withChange = await as(author).get(`/newsroom/stories/${live.id}/preview?change=1`);
      assert.match(withChange.body, /Staged words, again\./);
      assert.match(withChange.body, /Bridge reopens two hours late/);
      assert.doesNotMatch((await as(author).get(`/newsroom/stories/${live.id}/preview`)).body, /Staged words/);

      // The editor page now opens the pending change, for the author and for an editor.
      const reopened = bootOf((await as(author).get(`/newsroom/stories/${live.id}`)).body);
      assert.deepEqual(reopened.pending, { revision: 2 });
      const editorsView = await as(editor).get(`/newsroom/stories/${live.id}`);
      assert.match(editorsView.body, /value="Bridge reopens two hours late"/);

      const audit = await listAuditEntries(site.deps.db, { subjectType: 'article', subjectId: live.id });
      assert.deepEqual(
        audit.filter((e) => e.action.startsWith('article.change')).map((e) => [e.action, e.actorUserId]),
        [['article.change_staged', author.id]],
      );
    });

    it('the editor reviews the diff on the queue and publishes: the page, API and feed change, the cache is purged, a revision is kept', async () => {
      await get(publicPath());
      assert.equal((await get(publicPath())).headers['x-page-cache'], 'hit');
      await autosave(author, {
        baseRevision: live.revision,
        pendingRevision: null,
        story: edit('Bridge reopens at dusk', 'New reviewed words.'),
      });

      const queue = await as(editor).get('/newsroom/review');
      assert.match(queue.body, new RegExp(`href="/newsroom/stories/${live.id}/change"`));
      assert.match(queue.body, /Ann Author/);
      const review = await as(editor).get(`/newsroom/stories/${live.id}/change`);
      assert.equal(review.statusCode, 200);
      assert.match(review.body, /<ins><span class="nr-visually-hidden">\[added: <\/span>at<\/span>|<ins>[^]*?dusk/);
      assert.match(review.body, /Added: <\/span>New reviewed words\./);
      assert.match(review.body, /Publish this change/);

      // Authors may not publish it, nor may another author discard it.
      const byAuthor = await decide(author, 'publish');
      assert.equal(byAuthor.statusCode, 403);
      assert.equal((await reload(live)).revision, live.revision);
      const byOther = await as(other).get(`/newsroom/stories/${live.id}/change`);
      assert.equal(byOther.statusCode, 403);

      const eventsBefore = events.length;
      const res = await decide(editor, 'publish');
      assert.equal(res.statusCode, 303, res.body);
      const after = await reload(live);
      assert.equal(after.headline, 'Bridge reopens at dusk');
      assert.equal(after.revision, live.revision + 1);
      assert.equal(await findPendingChange(site.deps.db, live.id), null);
      assert.ok(
        events.slice(eventsBefore).some((e) => e.tags.some((t) => t.includes(live.id))),
        'the story’s change event names it',
      );
      const fresh = await get(publicPath());
      assert.notEqual(fresh.headers['x-page-cache'], 'hit', 'purged');
      assert.match(fresh.body, /New reviewed words\./);
      assert.match((await get(`/api/v1/articles/${live.id}`)).body, /Bridge reopens at dusk/);
      assert.match((await get('/feed.xml')).body, /Bridge reopens at dusk/);
      const audit = await listAuditEntries(site.deps.db, { subjectType: 'article', subjectId: live.id });
      const published = audit.find((e) => e.action === 'article.publish_change');
      assert.ok(published);
      assert.equal(published.actorUserId, editor.id);
      assert.equal(published.details.stagedBy, author.id);
      const history = await as(editor).get(`/newsroom/stories/${live.id}/history`);
      assert.match(history.body, /Published a reviewed change/);
    });

    it('publishing is revision-checked: a live save since the review is a 409 and nothing changes', async () => {
      await autosave(author, { baseRevision: live.revision, pendingRevision: null, story: edit('Staged headline', 'Staged.') });
      const page = await as(editor).get(`/newsroom/stories/${live.id}/change`);
      const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
      // An editor saves the live story meanwhile is impossible through the editor (it edits the
      // change), so the form is replayed with an older live revision.
      const res = await as(editor).request('POST', `/newsroom/stories/${live.id}/change/publish`, {
        _csrf: csrf,
        expectedRevision: String(live.revision + 1),
        pendingRevision: '1',
      });
      assert.equal(res.statusCode, 409);
      assert.equal((await reload(live)).headline, live.headline);
      assert.ok(await findPendingChange(site.deps.db, live.id), 'the change is still there');
      const stale = await as(editor).request('POST', `/newsroom/stories/${live.id}/change/publish`, {
        _csrf: csrf,
        expectedRevision: String(live.revision),
        pendingRevision: '7',
      });
      assert.equal(stale.statusCode, 409, 'a change edited after the review is not published blindly');
      const noCsrf = await as(editor).request('POST', `/newsroom/stories/${live.id}/change/publish`, {
        expectedRevision: String(live.revision),
        pendingRevision: '1',
      });
      assert.equal(noCsrf.statusCode, 403);
      assert.equal((await reload(live)).revision, live.revision);
    });

    it('discarding leaves the live story as it was and is audited', async () => {
      await autosave(author, { baseRevision: live.revision, pendingRevision: null, story: edit('To be thrown away', 'Gone.') });
      const eventsBefore = events.length;
      const res = await decide(author, 'discard');
      assert.equal(res.statusCode, 303);
      assert.equal(await findPendingChange(site.deps.db, live.id), null);
      assert.equal((await reload(live)).headline, live.headline);
      assert.equal((await reload(live)).revision, live.revision);
      assert.equal(events.length, eventsBefore);
      const audit = await listAuditEntries(site.deps.db, { subjectType: 'article', subjectId: live.id });
      assert.ok(audit.some((e) => e.action === 'article.change_discarded' && e.actorUserId === author.id));
      assert.equal((await as(editor).get(`/newsroom/stories/${live.id}/change`)).statusCode, 404);
    });

    it('editors publish at once by default, or save for review when they ask; autosave conflicts are refused', async () => {
      const boot = bootOf((await as(editor).get(`/newsroom/stories/${live.id}`)).body);
      assert.equal(boot.pending, null);
      assert.equal(boot.mayStage, true);
      const direct = await autosave(editor, { baseRevision: live.revision, story: edit('Editor fixes a typo', 'Fixed at once.') });
      assert.equal(direct.statusCode, 200, direct.body);
      assert.equal((direct.json() as { pendingRevision?: number }).pendingRevision, undefined);
      const now = await reload(live);
      assert.equal(now.headline, 'Editor fixes a typo');
      assert.match((await get(publicPath())).body, /Fixed at once\./);

      const staged = await autosave(editor, { baseRevision: now.revision, pendingRevision: null, story: edit('Editor wants a look', 'x') });
      assert.equal(staged.statusCode, 200, staged.body);
      assert.equal((await reload(live)).headline, 'Editor fixes a typo');
      // A second tab that still thinks there is no pending change, or has an older one, is refused.
      const second = await autosave(author, { baseRevision: now.revision, pendingRevision: null, story: edit('Other tab', 'y') });
      assert.equal(second.statusCode, 409);
      const older = await autosave(author, { baseRevision: now.revision, pendingRevision: 5, story: edit('Other tab', 'y') });
      assert.equal(older.statusCode, 409);
      // Asking to publish live while a change is pending is still staged, never a fork of the story.
      const live2 = await autosave(editor, { baseRevision: now.revision, story: edit('Straight to live?', 'z') });
      assert.equal(live2.statusCode, 409);
      assert.equal((await reload(live)).headline, 'Editor fixes a typo');
      // Another author may not touch this story at all.
      const intruder = await autosave(other, { baseRevision: now.revision, pendingRevision: 1, story: edit('Not mine', 'n') });
      assert.equal(intruder.statusCode, 403);
    });

    it('the site policy decides for authors; drafts are never staged', async () => {
      const a = actorOf(author);
      const e = actorOf(editor);
      assert.equal(saveTargetFor(a, { status: 'published' }, false, { stageAuthorEdits: true }), 'pending');
      assert.equal(saveTargetFor(a, { status: 'published' }, false, { stageAuthorEdits: false }), 'live');
      assert.equal(saveTargetFor(a, { status: 'published' }, false, { stageAuthorEdits: true, requested: 'live' }), 'pending');
      assert.equal(saveTargetFor(e, { status: 'published' }, false, { stageAuthorEdits: true }), 'live');
      assert.equal(saveTargetFor(e, { status: 'published' }, false, { stageAuthorEdits: true, requested: 'pending' }), 'pending');
      assert.equal(saveTargetFor(a, { status: 'draft' }, false, { stageAuthorEdits: true }), 'live');
      assert.equal(saveTargetFor(e, { status: 'published' }, true, { stageAuthorEdits: false }), 'pending');

      // With the policy off, an author's save of their live story goes public at once.
      const saved = await saveStoryEdit(site.deps, a, live.id, edit('Published by its author', 'Direct.'), {
        baseRevision: live.revision,
        pendingRevision: undefined,
        stageAuthorEdits: false,
      });
      assert.equal(saved.target, 'live');
      assert.equal((await reload(live)).headline, 'Published by its author');
    });

    it('a form save without JavaScript follows the same rule', async () => {
      const res = await as(author).submit(`/newsroom/stories/${live.id}`, `/newsroom/stories/${live.id}`, {
        headline: 'Form-staged headline',
        sectionId: tax.world.id,
        baseRevision: String(live.revision),
        pendingRevision: '',
        author_0: tax.reporter.id,
      });
      assert.equal(res.statusCode, 303, res.body);
      assert.equal((await reload(live)).headline, live.headline);
      assert.equal((await findPendingChange(site.deps.db, live.id))?.input.headline, 'Form-staged headline');
    });
  });
}
