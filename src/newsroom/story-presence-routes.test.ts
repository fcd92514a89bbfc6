import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { seedStaff } from '../../test/support/account-factories.ts';
import { buildArticleInput } from '../../test/support/factories.ts';
import { signedInClients, TEST_ORIGIN, type NewsroomClient } from '../../test/support/newsroom-client.ts';
import { testDialects } from '../../test/support/test-db.ts';
import { createTestSite, type TestSite } from '../../test/support/test-site.ts';
import type { User } from '../domain/accounts/user.ts';
import type { Article } from '../domain/articles/article.ts';
import { createArticle } from '../domain/articles/article-service.ts';
import { createSection } from '../domain/sections/section.ts';

for (const { dialect, skip } of await testDialects()) {
  describe(`${dialect}: the editor's presence routes`, { skip }, () => {
    let site: TestSite;
    let staff: Record<'author' | 'editor', User>;
    let clients: Map<string, NewsroomClient>;
    let story: Article;
    const as = (u: User) => clients.get(u.id)!;
    const url = () => `/newsroom/stories/${story.id}/presence`;

    before(async () => {
      site = await createTestSite(dialect);
      const section = await createSection(site.deps.db, { name: 'World' }, site.deps.clock());
      staff = await seedStaff(site.deps, { author: ['author', 'Ari Author'], editor: ['editor', 'Eda Editor'] });
      clients = await signedInClients(site, Object.values(staff));
      story = await createArticle(site.deps, buildArticleInput({ sectionId: section.id, status: 'draft', publishedAt: null }), {
        actor: { userId: staff.author.id, role: 'author' },
      });
    });
    after(async () => site?.close());

    it('the editor page carries the panel, with the takeover offered only to editors', async () => {
      const page = await as(staff.author).get(`/newsroom/stories/${story.id}`);
      assert.match(page.body, /id="presence-panel"[^>]*data-presence="\/newsroom\/stories\/[^"]+\/presence" data-can-take-over="0"/);
      assert.match(page.body, /newsroom-presence\.js\?v=/);
      assert.match((await as(staff.editor).get(`/newsroom/stories/${story.id}`)).body, /data-can-take-over="1"/);
    });

    it('heartbeats need the session’s token; answers are JSON, refusals too', async () => {
      const author = as(staff.author);
      const forged = await author.json('POST', url(), { clientId: 'tab-aaaaaaaa', field: 'headline' }, 'not-the-token');
      assert.equal(forged.statusCode, 403);
      const token = await author.csrfToken();
      const beat = await author.json('POST', url(), { clientId: 'tab-aaaaaaaa', field: 'headline' }, token);
      assert.equal(beat.statusCode, 200);
      assert.equal(beat.headers['cache-control'], 'no-store');
      assert.equal(JSON.parse(beat.body).lock.mine, true);
      const refused = await author.json('POST', `${url()}/takeover`, { clientId: 'tab-aaaaaaaa' }, token);
      assert.equal(refused.statusCode, 403);
      assert.equal(JSON.parse(refused.body).error, 'forbidden');
      const bad = await author.json('POST', url(), { clientId: '<script>' }, token);
      assert.equal(bad.statusCode, 400);
      assert.equal(JSON.parse(bad.body).error, 'validation_failed');
    });

    it('an editor takes over over HTTP; the author’s next beat says so; a beacon leave lets the lock go', async () => {
      const editor = as(staff.editor);
      const author = as(staff.author);
      const taken = await editor.json('POST', `${url()}/takeover`, { clientId: 'tab-bbbbbbbb', field: 'body' }, await editor.csrfToken());
      assert.equal(taken.statusCode, 200);
      assert.equal(JSON.parse(taken.body).lock.mine, true);
      const told = await author.json('POST', url(), { clientId: 'tab-aaaaaaaa', field: 'headline' }, await author.csrfToken());
      assert.equal(JSON.parse(told.body).takenOver.byName, 'Eda Editor');
      const left = await editor.request(
        'POST',
        `${url()}/leave`,
        { _csrf: await editor.csrfToken(), clientId: 'tab-bbbbbbbb' },
        { origin: TEST_ORIGIN },
      );
      assert.equal(left.statusCode, 204);
      const after = await author.json('POST', url(), { clientId: 'tab-aaaaaaaa', field: 'headline' }, await author.csrfToken());
      assert.equal(JSON.parse(after.body).lock.mine, true, 'the author can take the free lock again');
    });
  });
}
