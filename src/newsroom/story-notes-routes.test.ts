import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { seedStaff } from '../../test/support/account-factories.ts';
import { readEntries } from '../../test/support/archive-test-support.ts';
import { buildArticleInput, FIXED_NOW, paragraphs, seedTaxonomy, type Taxonomy } from '../../test/support/factories.ts';
import { csrfFrom, signedInClients, type NewsroomClient } from '../../test/support/newsroom-client.ts';
import { testDialects } from '../../test/support/test-db.ts';
import { createTestSite, type TestSite } from '../../test/support/test-site.ts';
import type { Actor } from '../domain/accounts/role.ts';
import type { User } from '../domain/accounts/user.ts';
import type { Article } from '../domain/articles/article.ts';
import { createArticle } from '../domain/articles/article-service.ts';
import { runWorkflowAction } from '../domain/articles/article-workflow-service.ts';
import { exportSite } from '../domain/backup/site-export.ts';
import { listNoteThreads } from '../domain/desk/editorial-notes.ts';
import { createWebhook } from '../domain/webhooks/webhook-service.ts';
import { articleToNinjs } from '../domain/wire/ninjs-export.ts';

/*
 * Editorial notes over HTTP, on both databases: threads on a passage, replies, resolve and
 * reopen, delete, roles and CSRF; and the guarantee that matters most: a note's words never
 * reach the public page, the Content API, the feeds, search, the ninjs export, a webhook
 * payload or the site archive, even once the story is published.
 */

const actorOf = (u: User): Actor => ({ userId: u.id, role: u.role });
const SECRET = 'Zanzibar-lawyer-check-7731';
const REPLY = 'Quokka-source-confirmed-4410';

for (const { dialect, skip } of await testDialects()) {
  describe(`${dialect}: editorial notes in drafts`, { skip }, () => {
    let site: TestSite;
    let tax: Taxonomy;
    let editor: User;
    let contributor: User;
    let other: User;
    let admin: User;
    let clients: Map<string, NewsroomClient>;
    let draft: Article;
    const as = (u: User) => clients.get(u.id)!;
    const editorUrl = () => `/newsroom/stories/${draft.id}`;
    /** Posts a notes form from the editor page, the way the page's own forms do. */
    const post = async (u: User, suffix: string, fields: Record<string, string>, headers: Record<string, string> = {}) => {
      const c = as(u);
      const page = await c.get(editorUrl());
      assert.equal(page.statusCode, 200);
      return c.request('POST', `/newsroom/stories/${draft.id}/desk-notes${suffix}`, { _csrf: csrfFrom(page.body), ...fields }, headers);
    };
    const threads = () => listNoteThreads(site.deps, actorOf(editor), draft.id);

    before(async () => {
      site = await createTestSite(dialect, { clock: () => FIXED_NOW });
      tax = await seedTaxonomy(site.deps);
      ({ editor, contributor, other, admin } = await seedStaff(site.deps, {
        editor: ['editor', 'Eve Editor'],
        contributor: ['contributor', 'Cora Contributor'],
        other: ['contributor', 'Otto Other'],
        admin: ['admin', 'Ada Admin'],
      }));
      clients = await signedInClients(site, [editor, contributor, other]);
      draft = await createArticle(
        site.deps,
        buildArticleInput({
          sectionId: tax.world.id,
          status: 'draft',
          publishedAt: undefined,
          headline: 'Port strike enters second week',
          body: paragraphs('Dockers walked out on Monday.', 'The union says talks have stalled over pay.'),
          authorIds: [tax.reporter.id],
        }),
        { actor: actorOf(contributor) },
      );
    });
    after(() => site?.close());

    it('a desk member starts a thread on a passage; others reply; it is resolved and reopened', async () => {
      const res = await post(contributor, '', {
        text: `Check this figure with legal: ${SECRET}`,
        quote: 'talks have stalled',
        blockIndex: '1',
      });
      assert.equal(res.statusCode, 303, res.body);
      assert.equal(res.headers.location, editorUrl());
      let [t] = await threads();
      assert.ok(t);
      assert.equal(t.note.quote, 'talks have stalled');
      assert.equal(t.note.blockIndex, 1);
      assert.equal(t.note.authorName, 'Cora Contributor');

      const reply = await post(editor, `/${t.note.id}/reply`, { text: REPLY }, { accept: 'application/json' });
      assert.equal(reply.statusCode, 200, reply.body);
      assert.deepEqual(reply.json(), { ok: true });
      [t] = await threads();
      assert.deepEqual(
        t!.replies.map((r) => [r.authorName, r.text]),
        [['Eve Editor', REPLY]],
      );

      const page = await as(contributor).get(editorUrl());
      assert.match(page.body, /id="desk-notes"/);
      assert.match(page.body, new RegExp(SECRET));
      assert.match(page.body, /data-quote="talks have stalled"/);
      assert.match(page.body, /Notes for the desk <span class="nr-muted">\(1 open\)/);

      assert.equal((await post(contributor, `/${t!.note.id}/resolve`, {})).statusCode, 303);
      [t] = await threads();
      assert.equal(t!.note.resolvedByName, 'Cora Contributor');
      const resolvedPage = await as(editor).get(`/newsroom/stories/${draft.id}/desk-notes`);
      assert.match(resolvedPage.body, /1 resolved/);
      assert.match(resolvedPage.body, /\(0 open\)/);
      assert.equal(resolvedPage.headers['cache-control'], 'no-store');

      assert.equal((await post(editor, `/${t!.replies[0]!.id}/reopen`, {})).statusCode, 303, 'reopening from a reply reopens its thread');
      [t] = await threads();
      assert.equal(t!.note.resolvedAt, null);
    });

    it('refuses empty notes, strangers, forged forms and deleting someone else’s note', async () => {
      const empty = await post(contributor, '', { text: '   ' }, { accept: 'application/json' });
      assert.equal(empty.statusCode, 400);
      assert.match((empty.json() as { message: string }).message, /Write the note first/);
      const count = (await threads()).length;

      // Another contributor may not even open the story, nor write on it.
      assert.equal((await as(other).get(`/newsroom/stories/${draft.id}/desk-notes`)).statusCode, 403);
      const page = await as(other).get('/newsroom/stories');
      const stranger = await as(other).request('POST', `/newsroom/stories/${draft.id}/desk-notes`, {
        _csrf: csrfFrom(page.body),
        text: 'sneaky',
      });
      assert.equal(stranger.statusCode, 403);
      const forged = await as(contributor).request('POST', `/newsroom/stories/${draft.id}/desk-notes`, { text: 'no token' });
      assert.equal(forged.statusCode, 403);
      assert.equal((await threads()).length, count);

      const byEditor = await post(editor, '', { text: 'Editor’s own note' });
      assert.equal(byEditor.statusCode, 303);
      const mine = (await threads()).find((t) => t.note.text === 'Editor’s own note')!;
      const refused = await post(contributor, `/${mine.note.id}/delete`, {});
      assert.equal(refused.statusCode, 403);
      assert.ok((await threads()).some((t) => t.note.id === mine.note.id));
      assert.equal((await post(editor, `/${mine.note.id}/delete`, {})).statusCode, 303);
      assert.ok(!(await threads()).some((t) => t.note.id === mine.note.id));
      assert.equal((await post(editor, '/not-an-id/resolve', {})).statusCode, 404);
    });

    it('never reaches the public page, Content API, feeds, search, ninjs, webhooks or the site archive', async () => {
      await createWebhook(
        site.deps,
        actorOf(admin),
        { url: 'https://hooks.example.com/all', events: ['article.published', 'article.updated'] },
        { allowPrivate: false },
      );
      await runWorkflowAction(site.deps, draft.id, { type: 'publish' }, actorOf(editor));
      assert.ok(
        (await threads()).some((t) => t.note.text.includes(SECRET)),
        'the note is still there',
      );

      const leaks = (label: string, text: string) => {
        assert.ok(!text.includes(SECRET), `${label} carries the note`);
        assert.ok(!text.includes(REPLY), `${label} carries the reply`);
      };
      const get = async (url: string) => {
        const res = await site.app.inject({ method: 'GET', url });
        assert.equal(res.statusCode, 200, `${url}: ${res.body.slice(0, 200)}`);
        return res.body;
      };
      const page = await get(`/world/port-strike-enters-second-week`);
      assert.match(page, /talks have stalled over pay/, 'the passage itself is published');
      leaks('the public page', page);
      leaks('the Content API', await get(`/api/v1/articles/${draft.id}`));
      leaks('the article list', await get('/api/v1/articles'));
      for (const feed of ['/feed.xml', '/feed.atom', '/feed.json', '/world/feed.json']) leaks(feed, await get(feed));
      // The search page repeats the query, so what counts is whether the story is found by the note's words.
      // (The search page repeats the query and offers the latest stories, so the API's results are what count.)
      assert.ok((await get('/api/v1/search?q=Dockers')).includes(draft.id), 'the story is searchable');
      for (const word of ['Zanzibar', 'Quokka', 'lawyer']) {
        const found = await get(`/api/v1/search?q=${word}`);
        assert.ok(!found.includes(draft.id), `found by its note's word ${word}`);
      }
      leaks('ninjs 2', JSON.stringify(await articleToNinjs(site.deps, draft.id, '2')));
      leaks('ninjs 3', JSON.stringify(await articleToNinjs(site.deps, draft.id, '3')));
      const deliveries = await site.deps.db.selectFrom('webhook_deliveries').select('payload').execute();
      assert.ok(deliveries.length > 0, 'the publish queued a webhook delivery');
      for (const d of deliveries) leaks('a webhook payload', d.payload);

      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'masthead-notes-export-'));
      try {
        const file = path.join(dir, 'site.tar.gz');
        const { manifest } = await exportSite(site.deps, file);
        assert.ok(!manifest.tables.some((t) => t.name === 'editorial_notes'), 'the archive has no notes table');
        assert.ok(manifest.tables.some((t) => t.name === 'articles'));
        for (const entry of await readEntries(file)) {
          const text = entry.name.endsWith('.gz') ? '' : entry.data.toString('utf8');
          leaks(`archive entry ${entry.name}`, text);
        }
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    it('go with their story when it is deleted', async () => {
      const story = await createArticle(
        site.deps,
        buildArticleInput({ sectionId: tax.world.id, status: 'draft', publishedAt: undefined, headline: 'Short-lived draft' }),
        { actor: actorOf(editor) },
      );
      const c = as(editor);
      const page = await c.get(`/newsroom/stories/${story.id}`);
      await c.request('POST', `/newsroom/stories/${story.id}/desk-notes`, { _csrf: csrfFrom(page.body), text: 'temporary' });
      const root = await site.deps.db
        .selectFrom('editorial_notes')
        .select('id')
        .where('article_id', '=', story.id)
        .executeTakeFirstOrThrow();
      await c.request('POST', `/newsroom/stories/${story.id}/desk-notes/${root.id}/reply`, { _csrf: csrfFrom(page.body), text: 'reply' });
      const del = await c.request('POST', `/newsroom/stories/${story.id}/delete`, {
        _csrf: csrfFrom(page.body),
        expectedRevision: '1',
        confirm: '1',
      });
      assert.ok(del.statusCode < 400, del.body.slice(0, 300));
      const left = await site.deps.db.selectFrom('editorial_notes').select('id').where('article_id', '=', story.id).execute();
      assert.deepEqual(left, []);
    });
  });
}
