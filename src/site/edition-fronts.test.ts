import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { seedStaff } from '../../test/support/account-factories.ts';
import { buildArticleInput, hoursAgo, paragraphs } from '../../test/support/factories.ts';
import { signedInClient, TEST_ORIGIN, type NewsroomClient } from '../../test/support/newsroom-client.ts';
import { testDialects } from '../../test/support/test-db.ts';
import { createTestSite, TEST_SITE_URL, type TestSite } from '../../test/support/test-site.ts';
import type { User } from '../domain/accounts/user.ts';
import { createApiToken } from '../domain/api-tokens/api-token-service.ts';
import { createArticle } from '../domain/articles/article-service.ts';
import type { Article } from '../domain/articles/article.ts';
import { listAuditEntries } from '../domain/audit/audit-log.ts';
import { findSectionBySlug } from '../domain/sections/section.ts';

/*
 * Curated fronts per language edition, on both databases, with the demo's editions (English
 * at the root, French under /fr/): an editor arranges the French home front in the newsroom
 * and the French world front through the Admin API, readers of /fr/ see them at once (through
 * the page cache), and the default edition's fronts are untouched, as their arrangements are
 * by the French ones.
 */

type Res = Awaited<ReturnType<TestSite['app']['inject']>>;
type Pairs = Array<[string, string]>;

const leadOf = (res: Res) => /<section class="front__lead"[^>]*>.*?<h2 class="teaser__title"><a [^>]*>([^<]+)<\/a>/s.exec(res.body)?.[1];
const surrogateKeys = (res: Res) => String(res.headers['surrogate-key'] ?? '').split(' ');

/** The arrangement form's fields in document order (what a browser sends). */
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
const withOp = (pairs: Pairs, op: string, extra: Pairs = []) =>
  [...pairs.filter(([k]) => k !== 'op' && !extra.some(([e]) => e === k)), ...extra, ['op', op]] as Pairs;

for (const { dialect, skip } of await testDialects()) {
  describe(`${dialect}: curated fronts per language edition`, { skip }, () => {
    let site: TestSite;
    let editorUser: User;
    let editor: NewsroomClient;
    let token: string;
    const french: Article[] = [];
    const get = (url: string) => site.app.inject({ method: 'GET', url });
    const post = (url: string, pairs: Pairs) =>
      editor.send(
        'POST',
        url,
        { 'content-type': 'application/x-www-form-urlencoded', origin: TEST_ORIGIN },
        new URLSearchParams(pairs).toString(),
      );
    const api = (method: 'GET' | 'PUT', url: string, json?: unknown) =>
      site.app.inject({
        method,
        url,
        headers: { authorization: `Bearer ${token}`, ...(json ? { 'content-type': 'application/json' } : {}) },
        ...(json ? { payload: JSON.stringify(json) } : {}),
      });

    before(async () => {
      site = await createTestSite(dialect, { demo: true, generated: 0, pageCacheMb: 16 });
      const staff = await seedStaff(site.deps, { editor: ['editor', 'Édith Éditrice'], admin: ['admin', 'Ada Admin'] });
      editorUser = staff.editor;
      editor = await signedInClient(site, editorUser);
      token = (await createApiToken(site.deps, { userId: staff.admin.id, role: 'admin' }, { name: 'desk tool', role: 'editor' })).secret;
      const world = (await findSectionBySlug(site.deps.db, 'world'))!;
      for (const [i, headline] of ['Le port rouvre après la tempête', 'La mairie vote le budget', 'Le tram arrive en 2028'].entries())
        french.push(
          await createArticle(
            site.deps,
            buildArticleInput({
              sectionId: world.id,
              headline,
              language: 'fr',
              body: paragraphs('Un texte.'),
              publishedAt: hoursAgo(i + 2),
            }),
          ),
        );
    });
    after(() => site?.close());

    it('lists each edition’s fronts in the newsroom, named and linked by edition', async () => {
      const list = await editor.get('/newsroom/fronts');
      assert.equal(list.statusCode, 200);
      assert.match(list.body, /href="\/newsroom\/fronts\/home">Home</);
      assert.match(list.body, /href="\/newsroom\/fronts\/fr:home">Home \(Français\)</);
      assert.match(list.body, /href="\/newsroom\/fronts\/fr:world">Monde \(Français\)<\/a> <a class="nr-muted" href="\/fr\/monde">/);
      assert.equal((await editor.get('/newsroom/fronts/xx:home')).statusCode, 404);
      assert.equal((await editor.get('/newsroom/fronts/fr:no-such-section')).statusCode, 404);
    });

    it('an editor arranges the French home front; /fr/ readers see it at once, the default edition’s home is untouched', async () => {
      const [enBefore, frBefore] = await Promise.all([get('/'), get('/fr/')]); // both now in the page cache
      assert.notEqual(leadOf(frBefore), 'La mairie vote le budget');
      assert.ok(surrogateKeys(frBefore).includes('front:home@fr'), 'the French home carries its own arrangement tag');
      assert.ok(!surrogateKeys(frBefore).includes('front:home'));
      assert.ok(surrogateKeys(enBefore).includes('front:home'));

      let res = await editor.get('/newsroom/fronts/fr:home');
      assert.equal(res.statusCode, 200);
      assert.match(res.body, /Arrange the Home \(Français\) front/);
      // The picker offers the edition's own stories only.
      res = await post(
        '/newsroom/fronts/fr:home',
        withOp(formPairs(res.body), 'search', [
          ['q', 'budget'],
          ['target', 'lead'],
        ]),
      );
      assert.match(res.body, /La mairie vote le budget/);
      const picked = await editor.get(`/newsroom/fronts/fr:home/stories?q=`);
      const offered = (JSON.parse(picked.body) as { stories: Array<{ headline: string }> }).stories.map((s) => s.headline);
      assert.ok(offered.includes('Le tram arrive en 2028'));
      assert.ok(
        offered.every((h) => !/Russia executing/.test(h)),
        `no English story offered: ${offered.join(' | ')}`,
      );

      res = await post('/newsroom/fronts/fr:home', withOp(formPairs(res.body), `add:${french[1]!.id}`, [['target', 'lead']]));
      const preview = await post('/newsroom/fronts/fr:home', withOp(formPairs(res.body), 'preview'));
      assert.equal(preview.statusCode, 200);
      assert.match(preview.body, /<html lang="fr"/, 'the preview is the French front');
      assert.equal(leadOf(preview), 'La mairie vote le budget');
      assert.equal(leadOf(await get('/fr/')), leadOf(frBefore), 'nothing changes before publishing');

      const published = await post('/newsroom/fronts/fr:home', withOp(formPairs(res.body), 'publish'));
      assert.equal(published.statusCode, 303, published.body.slice(0, 300));
      assert.equal(published.headers.location, '/newsroom/fronts/fr:home');
      const frAfter = await get('/fr/');
      assert.equal(leadOf(frAfter), 'La mairie vote le budget');
      assert.match(frAfter.body, /href="\/fr\/monde\/[^"]*"[^>]*>La mairie vote le budget</, 'linked inside the edition');
      const enAfter = await get('/');
      assert.equal(enAfter.body, enBefore.body, 'the default edition’s home is byte for byte the same');
      assert.equal((await editor.get('/newsroom/fronts/home')).body.includes('No arrangement is on the front'), true);
      const audit = await listAuditEntries(site.deps.db, { subjectType: 'front', subjectId: 'home@fr' });
      assert.deepEqual(
        audit.map((e) => [e.action, e.actorUserId]),
        [['front.published', editorUser.id]],
      );
    });

    it('the Admin API arranges the French world front; /fr/monde shows it, /world does not', async () => {
      const worldBefore = await get('/world');
      const read = await api('GET', '/api/v1/admin/fronts/fr:world');
      assert.equal(read.statusCode, 200, read.body);
      const front = (JSON.parse(read.body) as { data: { front: string; url: string; revision: number } }).data;
      assert.deepEqual(front, { ...front, front: 'fr:world', url: `${TEST_SITE_URL}/fr/monde`, revision: 0 });
      const put = await api('PUT', '/api/v1/admin/fronts/fr:world', {
        expectedRevision: 0,
        arrangement: { lead: { pins: [french[2]!.id] } },
      });
      assert.equal(put.statusCode, 200, put.body);
      assert.equal(leadOf(await get('/fr/monde')), 'Le tram arrive en 2028');
      assert.equal((await get('/world')).body, worldBefore.body, 'the default edition’s section front is unchanged');
      // The French home's arrangement is its own: the default home still has none.
      const home = JSON.parse((await api('GET', '/api/v1/admin/fronts/home')).body) as { data: { revision: number; url: string } };
      assert.equal(home.data.revision, 0);
      assert.equal(home.data.url, `${TEST_SITE_URL}/`);
      assert.equal((await api('GET', '/api/v1/admin/fronts/xx:world')).statusCode, 404);
    });

    it('an arrangement of the default edition’s home leaves the French home as it is', async () => {
      const frBefore = await get('/fr/');
      const english = await createArticle(
        site.deps,
        buildArticleInput({
          sectionId: (await findSectionBySlug(site.deps.db, 'world'))!.id,
          headline: 'Old English lead',
          publishedAt: hoursAgo(30),
        }),
      );
      const put = await api('PUT', '/api/v1/admin/fronts/home', { expectedRevision: 0, arrangement: { lead: { pins: [english.id] } } });
      assert.equal(put.statusCode, 200, put.body);
      assert.equal(leadOf(await get('/')), 'Old English lead');
      const frAfter = await get('/fr/');
      assert.equal(leadOf(frAfter), 'La mairie vote le budget');
      assert.doesNotMatch(frAfter.body, /Old English lead/);
      assert.equal(leadOf(frAfter), leadOf(frBefore));
    });
  });
}
