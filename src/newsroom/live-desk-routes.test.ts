import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { seedStaff } from '../../test/support/account-factories.ts';
import { buildArticleInput } from '../../test/support/factories.ts';
import { signedInClients, type NewsroomClient } from '../../test/support/newsroom-client.ts';
import { testDialects } from '../../test/support/test-db.ts';
import { createTestSite, type TestSite } from '../../test/support/test-site.ts';
import type { User } from '../domain/accounts/user.ts';
import type { Article } from '../domain/articles/article.ts';
import { createArticle } from '../domain/articles/article-service.ts';
import { listDeskEntries } from '../domain/live/live-desk.ts';
import { createSection } from '../domain/sections/section.ts';

for (const { dialect, skip } of await testDialects()) {
  describe(`${dialect}: the newsroom live desk`, { skip }, () => {
    let site: TestSite;
    let staff: Record<'editor' | 'editor2' | 'author' | 'contributor', User>;
    let clients: Map<string, NewsroomClient>;
    let story: Article;
    const desk = () => `/newsroom/stories/${story.id}/live`;

    before(async () => {
      site = await createTestSite(dialect);
      const section = await createSection(site.deps.db, { name: 'World' }, site.deps.clock());
      staff = await seedStaff(site.deps, {
        editor: ['editor', 'Eda Editor'],
        editor2: ['editor', 'Ed Second'],
        author: ['author', 'Ari Author'],
        contributor: ['contributor', 'Cora Contributor'],
      });
      clients = await signedInClients(site, Object.values(staff));
      story = await createArticle(
        site.deps,
        buildArticleInput({ sectionId: section.id, publishedAt: new Date(Date.now() - 60_000).toISOString() }),
        {
          actor: { userId: staff.editor.id, role: 'editor' },
        },
      );
    });
    after(async () => site?.close());
    const as = (u: User) => clients.get(u.id)!;

    it('turns a story into a live blog and publishes an entry in one action, which readers then see', async () => {
      const editor = as(staff.editor);
      const page = await editor.get(desk());
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /Make this story a live blog/);
      const on = await editor.submit(desk(), `${desk()}/coverage`, { live: 'true', expectedRevision: String(story.revision) });
      assert.equal(on.statusCode, 303);
      const ready = await editor.get(desk());
      assert.match(ready.body, /<textarea id="entry-body" name="body" rows="8" required autofocus>/, 'the composer is ready to type');
      const posted = await editor.submit(desk(), `${desk()}/entries`, {
        body: 'The **bridge** is closed.',
        action: 'publish',
        keyEvent: 'true',
      });
      assert.equal(posted.statusCode, 303);
      assert.equal(posted.headers.location, desk());
      const [entry] = await listDeskEntries(site.deps.db, story.id);
      assert.equal(entry?.status, 'published');
      assert.equal(entry?.keyEvent, true);
      const publicPage = await site.app.inject({ method: 'GET', url: `/world/${story.slug}` });
      assert.match(publicPage.body, /The <strong>bridge<\/strong> is closed\./);
      assert.match((await editor.get(`${desk()}/list`)).body, /The <strong>bridge<\/strong> is closed\./);
    });

    it('refuses a post without the form token, and a contributor publishing; the typed text stays', async () => {
      const contributor = as(staff.contributor);
      const forged = await contributor.request('POST', `${desk()}/entries`, { body: 'Forged', action: 'publish' });
      assert.equal(forged.statusCode, 403);
      const refused = await contributor.submit(desk(), `${desk()}/entries`, {
        body: 'Unverified: a second bridge is down.',
        action: 'publish',
      });
      assert.equal(refused.statusCode, 403);
      assert.match(refused.body, /may not publish entries/);
      assert.match(refused.body, /<textarea[^>]*>Unverified: a second bridge is down\.<\/textarea>/);
      const draft = await contributor.submit(desk(), `${desk()}/entries`, {
        body: 'Unverified: a second bridge is down.',
        action: 'draft',
      });
      assert.equal(draft.statusCode, 303);
      const empty = await contributor.submit(desk(), `${desk()}/entries`, { body: '   ', action: 'draft' });
      assert.equal(empty.statusCode, 400);
    });

    it('two people editing the same entry: the second gets a 409 with their text kept and the current version shown', async () => {
      const [entry] = (await listDeskEntries(site.deps.db, story.id)).filter((e) => e.status === 'published');
      const edit = `${desk()}/entries/${entry!.id}/edit`;
      const editor = as(staff.editor);
      const author = as(staff.editor2);
      const [editorForm, authorForm] = [await editor.get(edit), await author.get(edit)];
      assert.match(editorForm.body, /The \*\*bridge\*\* is closed\./, 'the edit starts from the published text as Markdown');
      const csrf = (body: string) => /name="_csrf" value="([^"]+)"/.exec(body)![1]!;
      const first = await editor.request('POST', edit, {
        _csrf: csrf(editorForm.body),
        expectedRevision: String(entry!.revision),
        body: 'The bridge is closed in both directions.',
        correctionNote: 'An earlier version said only one direction.',
      });
      assert.equal(first.statusCode, 303);
      const second = await author.request('POST', edit, {
        _csrf: csrf(authorForm.body),
        expectedRevision: String(entry!.revision),
        body: 'My own wording.',
      });
      assert.equal(second.statusCode, 409);
      assert.match(second.body, /Someone else changed this entry/);
      assert.match(second.body, /<textarea[^>]*>My own wording\.<\/textarea>/);
      assert.match(second.body, /The entry as it is now/);
      assert.match(second.body, /both directions/);
      const publicPage = await site.app.inject({ method: 'GET', url: `/world/${story.slug}` });
      assert.match(publicPage.body, /An earlier version said only one direction\./);
    });

    it('pins, marks and deletes from the list', async () => {
      const editor = as(staff.editor);
      const [entry] = (await listDeskEntries(site.deps.db, story.id)).filter((e) => e.status === 'published');
      const pin = await editor.submit(desk(), `${desk()}/entries/${entry!.id}/flags`, {
        expectedRevision: String(entry!.revision),
        pinned: 'true',
      });
      assert.equal(pin.statusCode, 303);
      const stale = await editor.submit(desk(), `${desk()}/entries/${entry!.id}/delete`, { expectedRevision: String(entry!.revision) });
      assert.equal(stale.statusCode, 409);
      const del = await editor.submit(desk(), `${desk()}/entries/${entry!.id}/delete`, { expectedRevision: String(entry!.revision + 1) });
      assert.equal(del.statusCode, 303);
      assert.ok(!(await listDeskEntries(site.deps.db, story.id)).some((e) => e.id === entry!.id));
    });
  });
}
