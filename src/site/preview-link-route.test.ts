import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { seedStaff } from '../../test/support/account-factories.ts';
import { buildArticleInput, FIXED_NOW, paragraphs, seedTaxonomy } from '../../test/support/factories.ts';
import { csrfFrom, signedInClients, type NewsroomClient } from '../../test/support/newsroom-client.ts';
import { testDialects } from '../../test/support/test-db.ts';
import { createTestSite, type TestSite } from '../../test/support/test-site.ts';
import type { Actor } from '../domain/accounts/role.ts';
import type { User } from '../domain/accounts/user.ts';
import type { Article } from '../domain/articles/article.ts';
import { createArticle } from '../domain/articles/article-service.ts';
import { hashPreviewSecret } from '../domain/desk/preview-links.ts';
import { PREVIEW_GONE_MESSAGE } from './preview-link-route.ts';

/*
 * Sharable preview links over HTTP, on both databases: created from the story editor (CSRF,
 * story access), opened without an account (private headers, never cached), revoked and
 * expired (the same 410 page), only the secret's hash stored, create and revoke audited.
 */

const actorOf = (u: User): Actor => ({ userId: u.id, role: u.role });
const HEADLINE = 'Council weighs secret harbour land sale';

for (const { dialect, skip } of await testDialects()) {
  describe(`${dialect}: preview links expire and can be revoked`, { skip }, () => {
    let site: TestSite;
    let now = FIXED_NOW;
    let editor: User;
    let contributor: User;
    let other: User;
    let clients: Map<string, NewsroomClient>;
    let draft: Article;
    const as = (u: User) => clients.get(u.id)!;
    const editorUrl = () => `/newsroom/stories/${draft.id}`;
    const open = (secret: string) => site.app.inject({ method: 'GET', url: `/preview/${secret}`, remoteAddress: '198.51.100.9' });

    /** Creates a link from the editor page's form; returns the secret read from the answer. */
    const share = async (u: User, hours = '24') => {
      const res = await as(u).submit(editorUrl(), `/newsroom/stories/${draft.id}/preview-links`, { expiresInHours: hours });
      assert.equal(res.statusCode, 201, res.body);
      const m = /\/preview\/([A-Za-z0-9_-]{43})"/.exec(res.body);
      assert.ok(m, 'the new link is shown');
      return m[1]!;
    };

    before(async () => {
      site = await createTestSite(dialect, { clock: () => now, pageCacheMb: 8 });
      const tax = await seedTaxonomy(site.deps);
      ({ editor, contributor, other } = await seedStaff(site.deps, {
        editor: ['editor', 'Eve Editor'],
        contributor: ['contributor', 'Cora Contributor'],
        other: ['contributor', 'Otto Other'],
      }));
      clients = await signedInClients(site, [editor, contributor, other]);
      draft = await createArticle(
        site.deps,
        buildArticleInput({
          sectionId: tax.world.id,
          status: 'draft',
          publishedAt: undefined,
          headline: HEADLINE,
          body: paragraphs('The council met behind closed doors.'),
          authorIds: [tax.reporter.id],
        }),
        { actor: actorOf(contributor) },
      );
    });
    after(() => site?.close());

    it('opens the draft without an account, privately and never from the cache', async () => {
      const secret = await share(contributor);
      const entriesBefore = site.app.pageCacheStats()?.entries ?? 0;
      for (let i = 0; i < 2; i++) {
        const res = await open(secret);
        assert.equal(res.statusCode, 200);
        assert.match(res.body, new RegExp(HEADLINE));
        assert.match(res.body, /Preview — not published/);
        assert.equal(res.headers['cache-control'], 'no-store');
        assert.equal(res.headers['x-robots-tag'], 'noindex, nofollow');
        assert.equal(res.headers['referrer-policy'], 'no-referrer');
        assert.equal(res.headers['x-page-cache'], undefined);
        // The page's own robots meta agrees with the header (an article's would allow indexing).
        assert.match(res.body, /<meta name="robots" content="noindex, nofollow">/);
        assert.doesNotMatch(res.body, /max-image-preview/);
      }
      assert.equal(site.app.pageCacheStats()?.entries ?? 0, entriesBefore, 'nothing entered the page cache');
      const row = await site.deps.db
        .selectFrom('preview_links')
        .selectAll()
        .where('token_hash', '=', hashPreviewSecret(secret))
        .executeTakeFirstOrThrow();
      assert.equal(Number(row.open_count), 2);
      // Only the hash is stored: no column holds the secret.
      const rows = await site.deps.db.selectFrom('preview_links').selectAll().execute();
      assert.ok(!JSON.stringify(rows).includes(secret));
      // The editor lists it.
      const page = await as(contributor).get(editorUrl());
      assert.match(page.body, /Share a preview/);
      assert.match(page.body, new RegExp(`/preview-links/${row.id}/revoke`));
    });

    it('a revoked link answers 410 Gone saying so, like an unknown one', async () => {
      const secret = await share(contributor);
      const row = await site.deps.db
        .selectFrom('preview_links')
        .select('id')
        .where('token_hash', '=', hashPreviewSecret(secret))
        .executeTakeFirstOrThrow();
      const res = await as(editor).submit(editorUrl(), `/newsroom/stories/${draft.id}/preview-links/${row.id}/revoke`, {});
      assert.equal(res.statusCode, 303);
      const gone = await open(secret);
      assert.equal(gone.statusCode, 410);
      assert.equal(gone.headers['cache-control'], 'no-store');
      assert.ok(gone.body.includes(PREVIEW_GONE_MESSAGE), 'the page says why');
      assert.doesNotMatch(gone.body, new RegExp(HEADLINE));
      const unknown = await open('A'.repeat(43));
      assert.equal(unknown.statusCode, 410);
      assert.equal(unknown.body, gone.body, 'an unknown secret gets the very same page');
      const audit = await site.deps.db
        .selectFrom('audit_log')
        .select(['action', 'actor_user_id'])
        .where('subject_id', '=', draft.id)
        .execute();
      assert.ok(audit.some((a) => a.action === 'article.preview_link_created' && a.actor_user_id === contributor.id));
      assert.ok(audit.some((a) => a.action === 'article.preview_link_revoked' && a.actor_user_id === editor.id));
    });

    it('an expired link answers 410', async () => {
      const secret = await share(contributor, '1');
      assert.equal((await open(secret)).statusCode, 200);
      now = new Date(FIXED_NOW.getTime() + 61 * 60_000);
      try {
        assert.equal((await open(secret)).statusCode, 410);
      } finally {
        now = FIXED_NOW;
      }
    });

    it('slows down guessing: after 20 wrong secrets from one address, even a good one waits', async () => {
      const secret = await share(contributor);
      const guess = (s: string) => site.app.inject({ method: 'GET', url: `/preview/${s}`, remoteAddress: '192.0.2.44' });
      for (let i = 0; i < 20; i++) assert.equal((await guess(`${'B'.repeat(40)}${String(i).padStart(3, '0')}`)).statusCode, 410);
      assert.equal((await guess(secret)).statusCode, 429);
      assert.equal((await open(secret)).statusCode, 200, 'other addresses are not affected');
    });

    it('refuses a form without CSRF, a story of someone else, and an expiry off the list', async () => {
      const before = await site.deps.db.selectFrom('preview_links').select('id').execute();
      const forged = await as(contributor).request('POST', `/newsroom/stories/${draft.id}/preview-links`, { expiresInHours: '24' });
      assert.equal(forged.statusCode, 403);
      const page = await as(other).get('/newsroom');
      const foreign = await as(other).request('POST', `/newsroom/stories/${draft.id}/preview-links`, {
        _csrf: csrfFrom(page.body),
        expiresInHours: '24',
      });
      assert.equal(foreign.statusCode, 403);
      const longer = await as(editor).submit(editorUrl(), `/newsroom/stories/${draft.id}/preview-links`, { expiresInHours: '9999' });
      assert.equal(longer.statusCode, 400);
      assert.equal((await site.deps.db.selectFrom('preview_links').select('id').execute()).length, before.length);
    });
  });
}
