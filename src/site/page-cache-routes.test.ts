import assert from 'node:assert/strict';
import { publishVisibilityStarts } from '../domain/changes/story-visibility-start.ts';
import { after, afterEach, before, describe, it } from 'node:test';
import zlib from 'node:zlib';
import fs from 'node:fs';
import path from 'node:path';
import { seedUser } from '../../test/support/account-factories.ts';
import { buildArticleInput, FIXED_NOW, hoursAgo, seedTaxonomy, type Taxonomy } from '../../test/support/factories.ts';
import { testDialects } from '../../test/support/test-db.ts';
import { createTestSite, type TestSite } from '../../test/support/test-site.ts';
import type { Actor } from '../domain/accounts/role.ts';
import { addNote } from '../domain/articles/article-notes.ts';
import { createArticle, updateArticle } from '../domain/articles/article-service.ts';
import { runWorkflowAction } from '../domain/articles/article-workflow-service.ts';
import type { Article } from '../domain/articles/article.ts';
import { PUBLIC_DIR, versionedAsset } from '../http/assets.ts';
import type { ArticleInput } from '../domain/articles/article-schemas.ts';

/*
 * The page cache behind the public site, on both databases: every kind of story change drops
 * exactly the responses showing the story or a list it left or joined, and nothing else;
 * personal requests never touch it; encodings, validators and HEAD behave as a cache must.
 * `x-page-cache` (hit, miss, bypass) says where an answer came from.
 */

type Res = Awaited<ReturnType<TestSite['app']['inject']>>;

for (const { dialect, skip } of await testDialects()) {
  describe(`${dialect}: the public page cache`, { skip }, () => {
    let site: TestSite;
    let now = FIXED_NOW;
    let tax: Taxonomy;
    let editor: Actor;
    /** In World, tagged Russia, by the reporter. */
    let world: Article;
    let worldInput: ArticleInput;
    /** In Europe, tagged Diplomacy, by the editor: shares nothing with `world`. */
    let europe: Article;

    const get = (url: string, headers: Record<string, string> = {}) => site.app.inject({ method: 'GET', url, headers });
    const cacheState = (res: Res) => res.headers['x-page-cache'];
    const pathOf = (a: Article) =>
      `/${a.sectionId === tax.world.id ? 'world' : a.sectionId === tax.europe.id ? 'europe' : 'sport'}/${a.slug}`;

    before(async () => {
      site = await createTestSite(dialect, { clock: () => now, pageCacheMb: 16 });
      const { deps } = site;
      tax = await seedTaxonomy(deps);
      editor = { userId: (await seedUser(deps, 'editor')).id, role: 'editor' };
      worldInput = buildArticleInput({
        sectionId: tax.world.id,
        headline: 'Floods close the northern rail line',
        tagIds: [tax.tags.russia.id],
        authorIds: [tax.reporter.id],
        publishedAt: hoursAgo(2),
      });
      world = await createArticle(deps, worldInput);
      europe = await createArticle(
        deps,
        buildArticleInput({
          sectionId: tax.europe.id,
          headline: 'Ministers agree a fisheries deal',
          body: { version: 1, blocks: [{ type: 'paragraph', content: [{ type: 'text', text: 'Quotas for the coming year were set.' }] }] },
          tagIds: [tax.tags.diplomacy.id],
          authorIds: [tax.editor.id],
          publishedAt: hoursAgo(3),
        }),
      );
      await deps.deferredWork.drain();
    });
    // Related lists are refreshed after a write returns; each test starts with none pending, so a
    // box one test moved is never purged in the middle of the next.
    afterEach(() => site.deps.deferredWork.drain());
    after(() => site?.close());

    /** Fetches every URL twice so each is stored; returns the bodies. */
    async function warm(urls: string[]): Promise<Map<string, string>> {
      const bodies = new Map<string, string>();
      for (const url of urls) {
        const first = await get(url);
        assert.equal(first.statusCode, 200, `${url}: ${first.body.slice(0, 200)}`);
        const second = await get(url);
        assert.equal(cacheState(second), 'hit', url);
        assert.equal(second.body, first.body, url);
        bodies.set(url, first.body);
      }
      return bodies;
    }

    const LISTS = [
      '/',
      '/world',
      '/europe',
      '/tags/russia',
      '/tags/diplomacy',
      '/authors/sudesh-baniya',
      '/authors/amira-haddad',
      '/feed.xml',
      '/world/feed.xml',
      '/europe/feed.atom',
      '/tags/russia/feed.json',
      '/tags/diplomacy/feed.xml',
      '/authors/amira-haddad/feed.xml',
      '/sitemap-news.xml',
      '/api/v1/articles',
    ];

    it('serves a cold start from an empty cache, then from memory with the same bytes', async () => {
      const url = pathOf(world);
      const first = await get(url);
      assert.equal(first.statusCode, 200);
      assert.equal(cacheState(first), 'miss');
      const second = await get(url);
      assert.equal(cacheState(second), 'hit');
      assert.equal(second.body, first.body);
      assert.equal(second.headers.etag, first.headers.etag);
    });

    it('tags responses for the CDN with the one vocabulary and sends shared-cache headers', async () => {
      const page = await get(pathOf(world));
      const keys = String(page.headers['surrogate-key']).split(' ');
      assert.equal(page.headers.xkey, page.headers['surrogate-key']);
      assert.ok(keys.includes(`story:${world.id}`) && keys.includes('chrome'), keys.join(' '));
      assert.match(
        String(page.headers['cache-control']),
        /^public, max-age=\d+, s-maxage=\d+, stale-while-revalidate=\d+, stale-if-error=\d+$/,
      );
      const home = String((await get('/')).headers['surrogate-key']).split(' ');
      assert.ok(home.includes('lists:site') && home.includes(`story:${world.id}`) && home.includes(`story:${europe.id}`), home.join(' '));
      const front = String((await get('/world')).headers['surrogate-key']).split(' ');
      assert.ok(front.includes(`section:${tax.world.id}`) && front.includes(`story:${world.id}`), front.join(' '));
      assert.ok(!front.includes(`story:${europe.id}`), 'a front is not tagged with stories it does not show');
      const tagFeed = String((await get('/tags/russia/feed.json')).headers['surrogate-key']).split(' ');
      assert.ok(tagFeed.includes(`tag:${tax.tags.russia.id}`) && tagFeed.includes(`story:${world.id}`), tagFeed.join(' '));
      const authorPage = String((await get('/authors/sudesh-baniya')).headers['surrogate-key']).split(' ');
      assert.ok(authorPage.includes(`author:${tax.reporter.id}`), authorPage.join(' '));
      assert.match(String((await get('/sitemap.xml')).headers['surrogate-key']), /\bsitemaps\b/);
    });

    it('a save of a published story drops its page and the lists showing it, and nothing else', async () => {
      const urls = [pathOf(world), pathOf(europe), ...LISTS];
      const before = await warm(urls);
      world = await updateArticle(
        site.deps,
        world.id,
        { ...worldInput, headline: 'Floods close the northern rail line for a week' },
        world.revision,
      );
      worldInput = { ...worldInput, headline: 'Floods close the northern rail line for a week' };
      let unaffected = 0;
      for (const url of urls) {
        const res = await get(url);
        assert.equal(res.statusCode, 200, url);
        if (before.get(url)!.includes(world.id) || before.get(url)!.includes(pathOf(world))) {
          assert.equal(cacheState(res), 'miss', `${url} shows the story, so it is rendered again`);
          assert.ok(res.body.includes('for a week'), `${url} shows the new headline`);
        } else {
          assert.equal(cacheState(res), 'hit', `${url} does not show the story, so it stays`);
          unaffected++;
        }
      }
      assert.ok(unaffected >= 5, 'the other section, tag and author lists stayed cached');
    });

    it('a story published at a URL that 404ed shows at once there and on every front and feed', async () => {
      const slug = 'bridge-reopens-after-repairs';
      const gone = await get(`/world/${slug}`);
      assert.equal(gone.statusCode, 404);
      assert.equal(gone.headers['cache-control'], 'no-store');
      await warm([...LISTS]);
      const fresh = await createArticle(
        site.deps,
        buildArticleInput({
          sectionId: tax.world.id,
          slug,
          headline: 'Bridge reopens after repairs',
          tagIds: [tax.tags.russia.id],
          authorIds: [tax.reporter.id],
          publishedAt: hoursAgo(0.5),
        }),
      );
      const page = await get(`/world/${slug}`);
      assert.equal(page.statusCode, 200);
      assert.ok(page.body.includes('Bridge reopens after repairs'));
      for (const url of [
        '/',
        '/world',
        '/tags/russia',
        '/authors/sudesh-baniya',
        '/feed.xml',
        '/world/feed.xml',
        '/tags/russia/feed.json',
        '/sitemap-news.xml',
        '/api/v1/articles',
      ]) {
        const res = await get(url);
        assert.ok(res.body.includes(fresh.id) || res.body.includes(`/world/${slug}`), `${url} lists the new story`);
      }
      for (const url of ['/europe', '/tags/diplomacy', '/authors/amira-haddad', '/europe/feed.atom']) {
        assert.equal(cacheState(await get(url)), 'hit', `${url} is untouched by a story it does not list`);
      }
    });

    it('a new story that joins an older story’s related box drops that page, and pages whose box did not move stay', async () => {
      const relatedIds = async (id: string) =>
        (await site.deps.db.selectFrom('article_related').select('related_id').where('article_id', '=', id).orderBy('rank').execute()).map(
          (r) => r.related_id,
        );
      const before = await warm([pathOf(world), pathOf(europe)]);
      const europeBox = await relatedIds(europe.id);
      const neighbour = await createArticle(
        site.deps,
        buildArticleInput({
          sectionId: tax.world.id,
          headline: 'Floods close the southern rail line as rivers rise',
          tagIds: [tax.tags.russia.id],
          authorIds: [tax.reporter.id],
          publishedAt: hoursAgo(0.2),
        }),
      );
      // The boxes are recomputed after the save returns, then their pages are dropped.
      await site.deps.deferredWork.drain();
      assert.ok((await relatedIds(world.id)).includes(neighbour.id), 'the ranking puts the new story in the older one’s box');
      assert.ok(!before.get(pathOf(world))!.includes(neighbour.slug), 'the new story was not on the page before');
      const page = await get(pathOf(world));
      assert.equal(cacheState(page), 'miss', 'the page with the moved box is rendered again');
      assert.ok(page.body.includes(neighbour.slug), 'and its box shows the new story');
      const untouched = (await relatedIds(europe.id)).join() === europeBox.join();
      assert.equal(cacheState(await get(pathOf(europe))), untouched ? 'hit' : 'miss', 'a page is dropped exactly when its box moved');
    });

    it('an unpublish answers 404 at once and drops the story from every list', async () => {
      const victim = await createArticle(
        site.deps,
        buildArticleInput({
          sectionId: tax.world.id,
          headline: 'Rumour of a merger',
          tagIds: [tax.tags.russia.id],
          publishedAt: hoursAgo(0.2),
        }),
      );
      // Its own box is computed after the save returns, and that drops its page: done before warming.
      await site.deps.deferredWork.drain();
      const url = pathOf(victim);
      await warm([url, '/', '/world', '/tags/russia', '/feed.xml', `/api/v1/articles/${victim.id}`]);
      await runWorkflowAction(site.deps, victim.id, { type: 'unpublish' }, editor);
      assert.equal((await get(url)).statusCode, 404);
      assert.equal((await get(`/api/v1/articles/${victim.id}`)).statusCode, 404);
      for (const list of ['/', '/world', '/tags/russia', '/feed.xml'])
        assert.ok(!(await get(list)).body.includes(url), `${list} no longer lists it`);
    });

    it('a correction note shows on the page at once', async () => {
      const url = pathOf(world);
      await warm([url]);
      await addNote(site.deps, world.id, { kind: 'correction', text: 'An earlier version gave the wrong closing date.' }, editor);
      const res = await get(url);
      assert.equal(cacheState(res), 'miss');
      assert.ok(res.body.includes('An earlier version gave the wrong closing date.'));
    });

    it('a draft saved drops nothing', async () => {
      const urls = [pathOf(world), pathOf(europe), ...LISTS];
      await warm(urls);
      const input = buildArticleInput({ sectionId: tax.world.id, headline: 'Draft about floods', status: 'draft', publishedAt: null });
      const draft = await createArticle(site.deps, input);
      await updateArticle(site.deps, draft.id, { ...input, headline: 'Draft about floods, revised' }, draft.revision);
      for (const url of urls) assert.equal(cacheState(await get(url)), 'hit', url);
    });

    it('a story dated ahead appears when its time comes, though nothing was written then', async () => {
      const later = await createArticle(
        site.deps,
        buildArticleInput({
          sectionId: tax.world.id,
          headline: 'Polls open at dawn',
          publishedAt: new Date(now.getTime() + 3_600_000).toISOString(),
        }),
      );
      await warm(['/', '/world']);
      assert.equal((await get(pathOf(later))).statusCode, 404);
      const before = now.toISOString();
      now = new Date(now.getTime() + 2 * 3_600_000);
      // What every node's publishing scheduler does on its tick (no write happened at that time).
      await publishVisibilityStarts(site.deps, before, now.toISOString());
      assert.equal((await get(pathOf(later))).statusCode, 200);
      assert.ok((await get('/')).body.includes(pathOf(later)));
      assert.ok((await get('/world')).body.includes(pathOf(later)));
    });

    it('never serves or stores a request carrying a Masthead cookie or an Authorization header', async () => {
      const url = pathOf(europe);
      await warm([url]);
      for (const headers of [
        { cookie: 'masthead_reader=abc' } as Record<string, string>,
        { cookie: 'theme=dark; masthead_session=xyz' },
        { authorization: 'Bearer nothing' },
      ]) {
        const res = await get(url, headers);
        assert.equal(cacheState(res), 'bypass', JSON.stringify(headers));
      }
      // Not stored either: a new URL asked with a cookie is still a miss for the next anonymous reader.
      const fresh = '/sport/feed.atom';
      assert.equal(cacheState(await get(fresh, { cookie: 'masthead_reader=abc' })), 'bypass');
      assert.equal(cacheState(await get(fresh)), 'miss');
      // Tracking parameters share the page's entry; a page's own parameter does not.
      assert.equal(cacheState(await get(`${url}?utm_source=social&fbclid=abc123`)), 'hit');
      await warm(['/europe']);
      assert.equal(cacheState(await get('/europe?fbclid=one')), 'hit');
      assert.equal(cacheState(await get('/europe?fbclid=two&utm_medium=social')), 'hit');
      assert.equal((await get('/europe?before=not-a-cursor')).statusCode, 404);
      // Other sites' cookies (analytics) do not make a request personal.
      assert.equal(cacheState(await get(url, { cookie: '_ga=GA1.2.3' })), 'hit');
      // Personal pages never carry shared-cache headers.
      const personal = await get('/comments/signin');
      assert.equal(personal.headers['cache-control'], 'private, no-store');
      assert.equal(personal.headers['x-page-cache'], undefined);
      assert.equal(personal.headers['surrogate-key'], undefined);
    });

    it('negotiates brotli, gzip and identity: Vary, Content-Encoding, one ETag per variant, identical bytes', async () => {
      for (const url of [pathOf(world), '/feed.xml', '/api/v1/articles']) {
        const plain = await get(url, { 'accept-encoding': 'identity' });
        const br = await get(url, { 'accept-encoding': 'gzip, deflate, br' });
        const gz = await get(url, { 'accept-encoding': 'gzip' });
        assert.equal(plain.headers['content-encoding'], undefined, url);
        assert.equal(br.headers['content-encoding'], 'br', url);
        assert.equal(gz.headers['content-encoding'], 'gzip', url);
        for (const res of [plain, br, gz]) assert.match(String(res.headers.vary), /accept-encoding/i, url);
        assert.equal(zlib.brotliDecompressSync(br.rawPayload).toString(), plain.body, url);
        assert.equal(zlib.gunzipSync(gz.rawPayload).toString(), plain.body, url);
        assert.equal(new Set([plain.headers.etag, br.headers.etag, gz.headers.etag]).size, 3, `${url}: strong ETags differ per variant`);
        // Each variant validates only itself.
        assert.equal((await get(url, { 'accept-encoding': 'br', 'if-none-match': String(br.headers.etag) })).statusCode, 304, url);
        assert.equal((await get(url, { 'accept-encoding': 'gzip', 'if-none-match': String(gz.headers.etag) })).statusCode, 304, url);
        assert.equal((await get(url, { 'if-none-match': String(plain.headers.etag) })).statusCode, 304, url);
        assert.equal((await get(url, { 'accept-encoding': 'gzip', 'if-none-match': String(br.headers.etag) })).statusCode, 200, url);
      }
      // Streamed sitemaps are compressed too.
      const index = await get('/sitemap.xml', { 'accept-encoding': 'br' });
      assert.equal(index.headers['content-encoding'], 'br');
      assert.equal(zlib.brotliDecompressSync(index.rawPayload).toString(), (await get('/sitemap.xml')).body);
    });

    it('compresses static text assets for clients that accept it', async () => {
      const url = versionedAsset('site.css');
      const plain = await get(url);
      assert.equal(plain.statusCode, 200);
      assert.equal(plain.headers['content-encoding'], undefined);
      const br = await get(url, { 'accept-encoding': 'br, gzip' });
      assert.equal(br.headers['content-encoding'], 'br');
      assert.match(String(br.headers.vary), /accept-encoding/);
      assert.notEqual(br.headers.etag, plain.headers.etag);
      assert.equal(zlib.brotliDecompressSync(br.rawPayload).toString(), plain.body);
      const gz = await get(url, { 'accept-encoding': 'gzip' });
      assert.equal(zlib.gunzipSync(gz.rawPayload).toString(), plain.body);
      // Served minified: smaller than the file as written, without its comments, same rules.
      const source = fs.readFileSync(path.join(PUBLIC_DIR, 'site.css'), 'utf8');
      assert.ok(plain.body.length < source.length * 0.9, `${plain.body.length} of ${source.length} bytes`);
      assert.equal(Number(plain.headers['content-length']), plain.rawPayload.length);
      assert.match(source, /\/\*/);
      assert.doesNotMatch(plain.body, /\/\*/);
      for (const selector of ['.related__list', '.teaser__title', '@media']) assert.ok(plain.body.includes(selector), selector);
    });

    it('HEAD shares the GET entry and sends its headers without a body', async () => {
      const url = '/europe';
      const head = await site.app.inject({ method: 'HEAD', url: `${url}?head=1` });
      assert.equal(head.statusCode, 200);
      assert.equal(head.body, '');
      const getRes = await get(`${url}?head=1`);
      assert.equal(cacheState(getRes), 'hit', 'the HEAD stored the entry the GET uses');
      assert.equal(head.headers.etag, getRes.headers.etag);
      assert.equal(head.headers['content-length'], getRes.headers['content-length']);
      assert.equal(cacheState(await site.app.inject({ method: 'HEAD', url: `${url}?head=1` })), 'hit');
    });

    it('caches an old path’s redirect and drops it when the story moves again', async () => {
      const moveEuropeTo = async (slug: string) => {
        const input = buildArticleInput({
          sectionId: tax.europe.id,
          headline: europe.headline,
          tagIds: [tax.tags.diplomacy.id],
          authorIds: [tax.editor.id],
          publishedAt: europe.publishedAt,
        });
        europe = await updateArticle(site.deps, europe.id, { ...input, slug }, europe.revision);
      };
      const oldPath = pathOf(europe);
      await moveEuropeTo('fisheries-deal-agreed');
      const first = await get(oldPath);
      assert.equal(first.statusCode, 301);
      assert.equal(first.headers.location, '/europe/fisheries-deal-agreed');
      assert.equal(cacheState(await get(oldPath)), 'hit');
      await moveEuropeTo('fisheries-deal-signed');
      const moved = await get(oldPath);
      assert.equal(moved.statusCode, 301);
      assert.equal(moved.headers.location, '/europe/fisheries-deal-signed');
    });
  });
}
