import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { seedStaff } from '../../test/support/account-factories.ts';
import { buildArticleInput, hoursAgo, seedTaxonomy, type Taxonomy } from '../../test/support/factories.ts';
import { csrfFrom, signedInClient, TEST_ORIGIN, type NewsroomClient } from '../../test/support/newsroom-client.ts';
import { testDialects } from '../../test/support/test-db.ts';
import { createTestSite, type TestSite } from '../../test/support/test-site.ts';
import { createArticle } from '../domain/articles/article-service.ts';
import type { Article } from '../domain/articles/article.ts';
import { listAuditEntries } from '../domain/audit/audit-log.ts';

/*
 * The front desk through HTTP, without script: every button is a form post. Editors only,
 * CSRF-checked, audited; the reorder buttons work on what was sent; preview shows the public
 * front as it would be; publishing changes what readers see; restore brings an old one back.
 */

type Pairs = Array<[string, string]>;

/** The arrangement fields of a page, in document order (what a browser would send). */
function formPairs(body: string): Pairs {
  const form = body.slice(body.indexOf('data-front-form'), body.indexOf('</form>', body.indexOf('data-front-form')));
  const pairs: Pairs = [];
  for (const m of form.matchAll(/<input ([^>]*)>|<select [^>]*name="([^"]+)"[^>]*>(.*?)<\/select>/gs)) {
    if (m[1]) {
      const name = /name="([^"]+)"/.exec(m[1])?.[1];
      const value = /value="([^"]*)"/.exec(m[1])?.[1] ?? '';
      if (name && !/type="(datetime-local)"/.test(m[1])) pairs.push([name, value]);
    } else if (m[2]) pairs.push([m[2], /<option value="([^"]*)" selected>/.exec(m[3]!)?.[1] ?? '']);
  }
  return pairs;
}

const leadOf = (body: string) => /<section class="front__lead"[^>]*>.*?<h2 class="teaser__title"><a [^>]*>([^<]+)<\/a>/s.exec(body)?.[1];

for (const { dialect, skip } of await testDialects()) {
  describe(`${dialect}: the front desk (newsroom)`, { skip }, () => {
    let site: TestSite;
    let tax: Taxonomy;
    let editor: NewsroomClient;
    let author: NewsroomClient;
    let editorId: string;
    const stories: Article[] = [];

    const post = (client: NewsroomClient, url: string, pairs: Pairs, headers: Record<string, string> = {}) =>
      client.send(
        'POST',
        url,
        { 'content-type': 'application/x-www-form-urlencoded', origin: TEST_ORIGIN, ...headers },
        new URLSearchParams(pairs).toString(),
      );
    const page = async () => (await editor.get('/newsroom/fronts/home')).body;
    /** The form with `extra` fields replacing the page's own, submitted by the button `op`. */
    const withOp = (pairs: Pairs, op: string, extra: Pairs = []) =>
      [...pairs.filter(([k]) => k !== 'op' && !extra.some(([e]) => e === k)), ...extra, ['op', op]] as Pairs;

    before(async () => {
      site = await createTestSite(dialect);
      tax = await seedTaxonomy(site.deps);
      const staff = await seedStaff(site.deps, { editor: ['editor', 'Edie Editor'], author: ['author', 'Arthur Author'] });
      editorId = staff.editor.id;
      for (let i = 0; i < 5; i++)
        stories.push(
          await createArticle(
            site.deps,
            buildArticleInput({ sectionId: tax.world.id, headline: `Desk story ${i}`, publishedAt: hoursAgo(i + 1) }),
          ),
        );
      editor = await signedInClient(site, staff.editor);
      author = await signedInClient(site, staff.author, '203.0.113.9');
    });
    after(() => site?.close());

    it('lists the fronts for editors only', async () => {
      const list = await editor.get('/newsroom/fronts');
      assert.equal(list.statusCode, 200);
      assert.match(list.body, /href="\/newsroom\/fronts\/home"/);
      assert.match(list.body, /href="\/newsroom\/fronts\/world"/);
      assert.equal((await author.get('/newsroom/fronts')).statusCode, 403);
      assert.equal((await author.get('/newsroom/fronts/home')).statusCode, 403);
      assert.equal((await editor.get('/newsroom/fronts/no-such-front')).statusCode, 404);
    });

    it('searches, pins and reorders without script, and saves nothing until asked', async () => {
      let body = await page();
      let res = await post(
        editor,
        '/newsroom/fronts/home',
        withOp(formPairs(body), 'search', [
          ['q', 'story 3'],
          ['target', 'top'],
        ]),
      );
      assert.equal(res.statusCode, 200);
      assert.match(res.body, /Desk story 3/);
      assert.doesNotMatch(res.body, /Desk story 2/);
      res = await post(editor, '/newsroom/fronts/home', withOp(formPairs(res.body), `add:${stories[3]!.id}`, [['target', 'top']]));
      res = await post(editor, '/newsroom/fronts/home', withOp(formPairs(res.body), `add:${stories[4]!.id}`, [['target', 'top']]));
      assert.deepEqual(
        formPairs(res.body)
          .filter(([k]) => k === 'pins.top')
          .map(([, v]) => v),
        [stories[3]!.id, stories[4]!.id],
      );
      res = await post(editor, '/newsroom/fronts/home', withOp(formPairs(res.body), 'up:top:1'));
      assert.deepEqual(
        formPairs(res.body)
          .filter(([k]) => k === 'pins.top')
          .map(([, v]) => v),
        [stories[4]!.id, stories[3]!.id],
        'Up moved the second story first',
      );
      res = await post(editor, '/newsroom/fronts/home', withOp(formPairs(res.body), `add:${stories[2]!.id}`, [['target', 'lead']]));
      body = res.body;
      assert.deepEqual(
        formPairs(body)
          .filter(([k]) => k === 'pins.lead')
          .map(([, v]) => v),
        [stories[2]!.id],
      );
      assert.equal((await listAuditEntries(site.deps.db, { subjectType: 'front' })).length, 0, 'nothing saved yet');

      const preview = await post(editor, '/newsroom/fronts/home', withOp(formPairs(body), 'preview'));
      assert.equal(preview.statusCode, 200);
      assert.equal(leadOf(preview.body), 'Desk story 2', 'the preview is the public front under this arrangement');
      assert.equal(leadOf((await site.app.inject('/')).body), 'Desk story 0', 'readers still see the newest story');

      const published = await post(editor, '/newsroom/fronts/home', withOp(formPairs(body), 'publish'));
      assert.equal(published.statusCode, 303, published.body.slice(0, 300));
      assert.equal(leadOf((await site.app.inject('/')).body), 'Desk story 2');
      const [entry] = await listAuditEntries(site.deps.db, { subjectType: 'front', subjectId: 'home' });
      assert.equal(entry?.action, 'front.published');
      assert.equal(entry?.actorUserId, editorId);
      assert.match(await page(), /Version 1 is on the front now/);
    });

    it('refuses a post without the CSRF token and a stale revision, keeping the form', async () => {
      const pairs = formPairs(await page());
      const noToken = await post(
        editor,
        '/newsroom/fronts/home',
        withOp(
          pairs.filter(([k]) => k !== '_csrf'),
          'publish',
        ),
      );
      assert.equal(noToken.statusCode, 403);
      const stale = await post(
        editor,
        '/newsroom/fronts/home',
        withOp(
          pairs.map(([k, v]) => [k, k === 'expectedRevision' ? '0' : v] as [string, string]),
          'publish',
        ),
      );
      assert.equal(stale.statusCode, 409);
      assert.match(stale.body, /changed meanwhile/);
      assert.match(stale.body, new RegExp(stories[2]!.id));
      const tooMany = await post(editor, '/newsroom/fronts/home', withOp([...pairs, ['pins.lead', stories[0]!.id]], 'publish'));
      assert.equal(tooMany.statusCode, 400);
      assert.match(tooMany.body, /pin at most 1/);
    });

    it('schedules, shows the schedule, cancels it, and restores an old version as a draft', async () => {
      const pairs = formPairs(await page());
      const scheduled = await post(
        editor,
        '/newsroom/fronts/home',
        withOp(pairs, 'schedule', [
          ['at', '2099-01-01T06:00'],
          ['tz', 'Europe/London'],
        ]),
      );
      assert.equal(scheduled.statusCode, 303, scheduled.body.slice(0, 500));
      let body = await page();
      assert.match(body, /Version 2 takes over at/);
      body = (await editor.request('POST', '/newsroom/fronts/home/cancel', { _csrf: csrfFrom(body), version: '2' })).body;
      body = await page();
      assert.doesNotMatch(body, /takes over at/);
      assert.match(body, /<td>2<\/td><td>Cancelled<\/td>/);
      const restored = await editor.request('POST', '/newsroom/fronts/home/restore', {
        _csrf: csrfFrom(body),
        version: '1',
        expectedRevision: '2',
      });
      assert.equal(restored.statusCode, 303);
      body = await page();
      assert.match(body, /<td>3 <span class="nr-muted">\(from 1\)<\/span><\/td><td>Draft<\/td>/);
      const preview = await editor.get('/newsroom/fronts/home/preview?version=3');
      assert.equal(leadOf(preview.body), 'Desk story 2');
      const json = await editor.get('/newsroom/fronts/home/stories?q=desk%20story%201');
      assert.deepEqual(
        (JSON.parse(json.body) as { stories: Array<{ headline: string }> }).stories.map((s) => s.headline),
        ['Desk story 1'],
      );
    });

    it('adds a named block filled from a tag, without script', async () => {
      await createArticle(
        site.deps,
        buildArticleInput({
          sectionId: tax.world.id,
          headline: 'Talks resume in Geneva',
          tagIds: [tax.tags.diplomacy.id],
          publishedAt: hoursAgo(30),
        }),
      );
      let res = await post(editor, '/newsroom/fronts/home', withOp(formPairs(await page()), 'add-block'));
      assert.match(res.body, /Named block 1/);
      const pairs = formPairs(res.body).map(([k, v]) =>
        k === 'top.size'
          ? (['top.size', '3'] as [string, string])
          : k === 'blocks.title'
            ? (['blocks.title', 'Diplomacy'] as [string, string])
            : k === 'blocks.tag'
              ? (['blocks.tag', tax.tags.diplomacy.id] as [string, string])
              : ([k, v] as [string, string]),
      );
      res = await post(editor, '/newsroom/fronts/home', withOp(pairs, 'publish'));
      assert.equal(res.statusCode, 303, res.body.slice(0, 500));
      const home = (await site.app.inject('/')).body;
      assert.match(home, /<h2 id="front-block-0" class="block-title">Diplomacy<\/h2><div class="grid">.*Talks resume in Geneva/s);
      assert.match(await page(), new RegExp(`<option value="${tax.tags.diplomacy.id}" selected>Diplomacy</option>`));
    });
  });
}
