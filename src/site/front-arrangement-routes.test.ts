import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { seedUser } from '../../test/support/account-factories.ts';
import { buildArticleInput, FIXED_NOW, hoursAgo, seedTaxonomy, type Taxonomy } from '../../test/support/factories.ts';
import { testDialects } from '../../test/support/test-db.ts';
import { createTestSite, type TestSite } from '../../test/support/test-site.ts';
import type { Actor } from '../domain/accounts/role.ts';
import { createArticle } from '../domain/articles/article-service.ts';
import { runWorkflowAction } from '../domain/articles/article-workflow-service.ts';
import type { Article } from '../domain/articles/article.ts';
import { HOME_FRONT, sectionFrontKey } from '../domain/fronts/front-arrangement.ts';
import { saveArrangement } from '../domain/fronts/front-arrangement-service.ts';
import { publishFrontTakeovers } from '../domain/fronts/front-takeover.ts';

/*
 * Arranged fronts as readers get them, through the page cache: the lead, top stories and named
 * blocks; the same page as before while no arrangement exists; and every way an arrangement
 * changes (published, a pin unpublished, a scheduled one taking over) dropping the cached page.
 */

type Res = Awaited<ReturnType<TestSite['app']['inject']>>;

/** The headline in the lead slot. */
const leadOf = (res: Res) => /<section class="front__lead"[^>]*>.*?<h2 class="teaser__title"><a [^>]*>([^<]+)<\/a>/s.exec(res.body)?.[1];

for (const { dialect, skip } of await testDialects()) {
  describe(`${dialect}: arranged fronts on the public site`, { skip }, () => {
    let site: TestSite;
    let now = FIXED_NOW;
    let tax: Taxonomy;
    let editor: Actor;
    const stories: Article[] = [];
    let revision = 0;
    let sectionRevision = 0;

    const get = (url: string) => site.app.inject({ method: 'GET', url });

    before(async () => {
      site = await createTestSite(dialect, { clock: () => now, pageCacheMb: 16 });
      tax = await seedTaxonomy(site.deps);
      editor = { userId: (await seedUser(site.deps, 'editor')).id, role: 'editor' };
      for (let i = 0; i < 8; i++)
        stories.push(
          await createArticle(
            site.deps,
            buildArticleInput({ sectionId: i % 2 ? tax.world.id : tax.europe.id, headline: `Headline ${i}`, publishedAt: hoursAgo(i + 1) }),
          ),
        );
    });
    after(() => site?.close());

    it('renders the home front exactly as before while no arrangement exists', async () => {
      const res = await get('/');
      assert.equal(leadOf(res), 'Headline 0');
      assert.match(res.body, />Latest</);
      assert.doesNotMatch(res.body, /Top stories|front-block/);
      assert.ok(String(res.headers['surrogate-key']).split(' ').includes('front:home'), 'tagged, so the first arrangement purges it');
    });

    it('shows a published arrangement at once: pinned lead, top stories and a named block, with no duplicates', async () => {
      assert.equal((await get('/')).headers['x-page-cache'], 'hit');
      await saveArrangement(site.deps, editor, HOME_FRONT, {
        expectedRevision: revision++,
        mode: { kind: 'now' },
        arrangement: {
          lead: { pins: [stories[4]!.id] },
          top: { size: 3, pins: [stories[6]!.id] },
          blocks: [{ title: 'Ukraine war', size: 2, pins: [stories[0]!.id, stories[2]!.id] }],
        },
      });
      const res = await get('/');
      assert.equal(res.headers['x-page-cache'], 'miss', 'the publish purged the cached front');
      assert.equal(leadOf(res), 'Headline 4');
      assert.match(res.body, /<h2 id="latest-heading" class="block-title">Top stories<\/h2>/);
      assert.match(res.body, /<h2 id="front-block-0" class="block-title">Ukraine war<\/h2>/);
      const top = /id="latest-heading".*?<\/section>/s.exec(res.body)![0];
      assert.deepEqual(
        [...top.matchAll(/>(Headline \d)</g)].map((m) => m[1]),
        ['Headline 6', 'Headline 1', 'Headline 3'],
        'the pin first, then the newest stories not pinned elsewhere',
      );
      const frontPart = res.body.slice(
        res.body.indexOf('class="front"'),
        res.body.indexOf('class="section-block"', res.body.indexOf('front-block-0') + 1),
      );
      const headlines = [...frontPart.matchAll(/>(Headline \d)</g)].map((m) => m[1]);
      assert.equal(new Set(headlines).size, headlines.length, headlines.join(', '));
    });

    it('drops an unpublished pin from the cached front at once', async () => {
      await get('/');
      assert.equal((await get('/')).headers['x-page-cache'], 'hit');
      await runWorkflowAction(site.deps, stories[4]!.id, { type: 'unpublish' }, editor);
      const res = await get('/');
      assert.equal(res.headers['x-page-cache'], 'miss');
      assert.equal(leadOf(res), 'Headline 1', 'the lead falls back to the newest story shown nowhere else');
      assert.doesNotMatch(res.body, /Headline 4/);
    });

    it('lets a scheduled arrangement take over the cached front when the scheduler announces it', async () => {
      const at = new Date(now.getTime() + 3_600_000).toISOString();
      await saveArrangement(site.deps, editor, HOME_FRONT, {
        expectedRevision: revision++,
        mode: { kind: 'at', at },
        arrangement: { lead: { pins: [stories[7]!.id] } },
      });
      await get('/');
      assert.equal(leadOf(await get('/')), 'Headline 1');
      const since = now.toISOString();
      now = new Date(Date.parse(at) + 500);
      await publishFrontTakeovers(site.deps, since, now.toISOString());
      const res = await get('/');
      assert.equal(res.headers['x-page-cache'], 'miss');
      assert.equal(leadOf(res), 'Headline 7');
    });

    it('arranges a section front above its list, and leaves older pages alone', async () => {
      const plain = await get('/world');
      assert.doesNotMatch(plain.body, /front__lead/);
      await saveArrangement(site.deps, editor, sectionFrontKey(tax.world.id), {
        expectedRevision: sectionRevision++,
        mode: { kind: 'now' },
        arrangement: {
          lead: { pins: [stories[5]!.id] },
          top: { size: 1, pins: [] },
          blocks: [{ title: 'Analysis', size: 1, pins: [stories[7]!.id] }],
        },
      });
      const res = await get('/world');
      assert.equal(res.headers['x-page-cache'], 'miss');
      assert.equal(leadOf(res), 'Headline 5');
      assert.match(res.body, /Top stories.*Headline 1.*Analysis.*Headline 7/s);
      const stream = res.body.slice(res.body.indexOf('class="stream"'));
      assert.deepEqual(
        [...stream.matchAll(/>(Headline \d)</g)].map((m) => m[1]),
        ['Headline 3'],
        'the list below shows only what the blocks do not',
      );
      assert.ok(String(res.headers['surrogate-key']).split(' ').includes(`front:section:${tax.world.id}`));
    });
  });
}
