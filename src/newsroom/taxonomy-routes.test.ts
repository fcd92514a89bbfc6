import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { User } from '../domain/accounts/user.ts';
import { createArticle } from '../domain/articles/article-service.ts';
import { listAuditEntries } from '../domain/audit/audit-log.ts';
import { ensureTags } from '../domain/tags/tag.ts';
import { seedStaff } from '../../test/support/account-factories.ts';
import { buildArticleInput } from '../../test/support/factories.ts';
import { NewsroomClient, signedInClient } from '../../test/support/newsroom-client.ts';
import { testDialects } from '../../test/support/test-db.ts';
import { createTestSite, type TestSite } from '../../test/support/test-site.ts';

const idFrom = (location: unknown, area: string) => new RegExp(`^/newsroom/${area}/([0-9a-f-]{36})$`).exec(String(location))?.[1];

for (const { dialect, skip } of await testDialects()) {
  describe(`${dialect}: newsroom sections, tags and authors`, { skip }, () => {
    let site: TestSite;
    let editor: User;
    let author: User;
    let contributor: User;
    let ed: NewsroomClient;
    let ip = 80;
    const client = (user: User) => signedInClient(site, user, `203.0.113.${ip++}`);

    before(async () => {
      site = await createTestSite(dialect);
      ({ editor, author, contributor } = await seedStaff(site.deps, {
        editor: ['editor', 'Ed Editor'],
        author: ['author'],
        contributor: ['contributor'],
      }));
      ed = await client(editor);
    });
    after(() => site?.close());

    it('is for editors: authors and contributors get 403 on every page and action, and no nav links', async () => {
      const section = await ed.submit('/newsroom/sections', '/newsroom/sections', { name: 'Guarded' });
      const sectionId = idFrom(section.headers.location, 'sections')!;
      const [tag] = await ensureTags(site.deps.db, ['Guarded tag'], new Date());
      const person = await ed.submit('/newsroom/authors', '/newsroom/authors', { name: 'Guarded Person' });
      const authorId = idFrom(person.headers.location, 'authors')!;
      for (const user of [author, contributor]) {
        const c = await client(user);
        const dashboard = await c.get('/newsroom');
        for (const area of ['sections', 'tags', 'authors'])
          assert.ok(!dashboard.body.includes(`href="/newsroom/${area}"`), `no ${area} link for ${user.role}`);
        for (const url of [
          '/newsroom/sections',
          `/newsroom/sections/${sectionId}`,
          '/newsroom/tags',
          `/newsroom/tags/${tag!.id}`,
          '/newsroom/authors',
          `/newsroom/authors/${authorId}`,
        ]) {
          assert.equal((await c.get(url)).statusCode, 403, `${user.role} GET ${url}`);
        }
        const token = await c.csrfToken();
        const posts = [
          '/newsroom/sections',
          `/newsroom/sections/${sectionId}`,
          `/newsroom/sections/${sectionId}/delete`,
          `/newsroom/tags/${tag!.id}`,
          `/newsroom/tags/${tag!.id}/merge`,
          `/newsroom/tags/${tag!.id}/delete`,
          '/newsroom/authors',
          `/newsroom/authors/${authorId}`,
          `/newsroom/authors/${authorId}/delete`,
        ];
        for (const url of posts)
          assert.equal(
            (await c.request('POST', url, { _csrf: token, name: 'Hijack', into: 'x' })).statusCode,
            403,
            `${user.role} POST ${url}`,
          );
      }
      assert.equal((await site.deps.db.selectFrom('sections').select('id').where('name', '=', 'Hijack').execute()).length, 0);
      assert.equal((await site.deps.db.selectFrom('authors').select('id').where('name', '=', 'Hijack').execute()).length, 0);
      assert.equal((await new NewsroomClient(site, '203.0.113.79').get('/newsroom/sections')).statusCode, 303, 'anonymous → sign-in');
    });

    it('refuses a POST without the CSRF token with 403 and changes nothing', async () => {
      const res = await ed.request('POST', '/newsroom/sections', { name: 'No token' });
      assert.equal(res.statusCode, 403);
      const res2 = await ed.request('POST', '/newsroom/authors', { name: 'No token' });
      assert.equal(res2.statusCode, 403);
      assert.equal((await site.deps.db.selectFrom('sections').select('id').where('name', '=', 'No token').execute()).length, 0);
      assert.equal((await site.deps.db.selectFrom('authors').select('id').where('name', '=', 'No token').execute()).length, 0);
    });

    it('creates a section that is in the public navigation with a front page at once; edits, refusals keep the typed values, deletes', async () => {
      const page = await ed.get('/newsroom/sections');
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /aria-current="page">Sections/);
      const created = await ed.submit('/newsroom/sections', '/newsroom/sections', {
        name: 'Culture <Arts>',
        slug: '',
        description: 'Books & films',
        position: '3',
      });
      assert.equal(created.statusCode, 303);
      const id = idFrom(created.headers.location, 'sections');
      assert.ok(id);
      const edit = await ed.get(created.headers.location as string);
      assert.match(edit.body, /has been created/, 'flash shown after the redirect');
      assert.match(edit.body, /Culture &lt;Arts&gt;/, 'escaped');

      const home = await ed.get('/');
      assert.match(
        home.body,
        /<a href="\/culture-arts">Culture &lt;Arts&gt;<\/a>/,
        'in the site navigation without waiting for the cache TTL',
      );
      assert.equal((await ed.get('/culture-arts')).statusCode, 200, 'the section front answers');

      const reserved = await ed.submit('/newsroom/sections', '/newsroom/sections', {
        name: 'Tags',
        slug: 'tags',
        description: 'kept text',
        position: '1',
      });
      assert.equal(reserved.statusCode, 400);
      assert.match(reserved.body, /role="alert"><p>slug: &quot;tags&quot; is an address the site uses itself/);
      assert.match(reserved.body, /name="description" rows="3" maxlength="500">kept text</, 'what was typed is kept');
      const dup = await ed.submit('/newsroom/sections', '/newsroom/sections', {
        name: 'Culture again',
        slug: 'culture-arts',
        position: '',
      });
      assert.equal(dup.statusCode, 409);
      assert.match(dup.body, /already uses the address \/culture-arts/);
      const badPos = await ed.submit(`/newsroom/sections/${id}`, `/newsroom/sections/${id}`, {
        name: 'Culture',
        slug: 'culture-arts',
        position: 'first',
      });
      assert.equal(badPos.statusCode, 400);
      assert.match(badPos.body, /position: /);

      const saved = await ed.submit(`/newsroom/sections/${id}`, `/newsroom/sections/${id}`, {
        name: 'Culture',
        slug: 'culture',
        description: '',
        position: '2',
      });
      assert.equal(saved.statusCode, 303);
      assert.match((await ed.get('/')).body, /<a href="\/culture">Culture<\/a>/, 'renamed in the navigation at once');
      assert.equal((await ed.get('/culture-arts')).statusCode, 404);

      await createArticle(site.deps, buildArticleInput({ sectionId: id! }));
      const frozen = await ed.submit(`/newsroom/sections/${id}`, `/newsroom/sections/${id}`, {
        name: 'Culture',
        slug: 'kultur',
        position: '2',
      });
      assert.equal(frozen.statusCode, 409);
      assert.match(frozen.body, /\/culture cannot change: 1 published story/);
      assert.match((await ed.get(`/newsroom/sections/${id}`)).body, /name="slug"[^>]* readonly/, 'the form says so before anyone tries');
      const refused = await ed.submit(`/newsroom/sections/${id}`, `/newsroom/sections/${id}/delete`, {});
      assert.equal(refused.statusCode, 409);
      assert.match(refused.body, /still has 1 story/);

      const spare = await ed.submit('/newsroom/sections', '/newsroom/sections', { name: 'Spare' });
      const spareId = idFrom(spare.headers.location, 'sections');
      const deleted = await ed.submit(`/newsroom/sections/${spareId}`, `/newsroom/sections/${spareId}/delete`, {});
      assert.equal(deleted.statusCode, 303);
      assert.equal(deleted.headers.location, '/newsroom/sections');
      assert.equal((await ed.get('/spare')).statusCode, 404);
      assert.equal((await ed.get('/newsroom/sections/not-an-id')).statusCode, 404);
      const audit = await listAuditEntries(site.deps.db, { subjectType: 'section', subjectId: spareId! });
      assert.deepEqual(
        audit.map((e) => e.actorUserId),
        [editor.id, editor.id],
      );
    });

    it('lists tags with counts and search, renames, merges and deletes; refusals are clear', async () => {
      const { db } = site.deps;
      const section = (await db.selectFrom('sections').select('id').where('slug', '=', 'culture').executeTakeFirstOrThrow()).id;
      const [film, films, unused] = await ensureTags(db, ['Film', 'Films', 'Unused tag'], new Date());
      await createArticle(site.deps, buildArticleInput({ sectionId: section, headline: 'Cannes opens', tagIds: [film!.id, films!.id] }));
      await createArticle(site.deps, buildArticleInput({ sectionId: section, headline: 'Venice closes', tagIds: [films!.id] }));
      const list = await ed.get('/newsroom/tags?q=fil');
      assert.equal(list.statusCode, 200);
      assert.match(list.body, />Films<\/a><\/td>\s*<td><code>\/tags\/films<\/code><\/td>\s*<td>2<\/td>/);
      assert.ok(!list.body.includes('Unused tag'), 'search filters');

      const clash = await ed.submit(`/newsroom/tags/${films!.id}`, `/newsroom/tags/${films!.id}`, { name: 'Film', slug: '' });
      assert.equal(clash.statusCode, 409);
      assert.match(clash.body, /merge this tag into it/);
      const merged = await ed.submit(`/newsroom/tags/${films!.id}`, `/newsroom/tags/${films!.id}/merge`, { into: 'film' });
      assert.equal(merged.statusCode, 303);
      assert.equal(merged.headers.location, `/newsroom/tags/${film!.id}`);
      assert.match((await ed.get(merged.headers.location as string)).body, /On 2 stories/);
      assert.equal((await ed.get(`/newsroom/tags/${films!.id}`)).statusCode, 404, 'the merged tag is gone');
      assert.equal((await ed.get('/tags/film')).statusCode, 200);

      const badMerge = await ed.submit(`/newsroom/tags/${film!.id}`, `/newsroom/tags/${film!.id}/merge`, { into: 'nothing like it' });
      assert.equal(badMerge.statusCode, 400);
      assert.match(badMerge.body, /value="nothing like it"/, 'typed value kept');
      const usedDelete = await ed.submit(`/newsroom/tags/${film!.id}`, `/newsroom/tags/${film!.id}/delete`, {});
      assert.equal(usedDelete.statusCode, 409);
      assert.match(usedDelete.body, /is on 2 stories/);

      const renamed = await ed.submit(`/newsroom/tags/${film!.id}`, `/newsroom/tags/${film!.id}`, { name: 'Cinema', slug: '' });
      assert.equal(renamed.statusCode, 303);
      assert.equal((await ed.get('/tags/cinema')).statusCode, 200);
      assert.equal((await ed.get('/tags/film')).statusCode, 404, 'documented: the old tag address is not kept');
      const gone = await ed.submit(`/newsroom/tags/${unused!.id}`, `/newsroom/tags/${unused!.id}/delete`, {});
      assert.equal(gone.statusCode, 303);
      assert.match((await ed.get('/newsroom/tags')).body, /The tag has been deleted/);
    });

    it('creates an author whose public page lists their story once bylined on a published one; refusals keep the typed values', async () => {
      const created = await ed.submit('/newsroom/authors', '/newsroom/authors', {
        name: 'Nadia Okafor',
        slug: '',
        roleTitle: 'Culture critic',
        bio: 'Writes about <film>.',
        photoImageId: '',
      });
      assert.equal(created.statusCode, 303);
      const id = idFrom(created.headers.location, 'authors')!;
      assert.ok(id);
      const early = await ed.get('/authors/nadia-okafor');
      assert.equal(early.statusCode, 200, 'the site answers for any author');
      assert.ok(!early.body.includes('A critic at the festival'));

      const dup = await ed.submit('/newsroom/authors', '/newsroom/authors', {
        name: 'Nadia Okafor',
        roleTitle: 'Typed title',
        photoImageId: '',
      });
      assert.equal(dup.statusCode, 409);
      assert.match(dup.body, /already has the address \/authors\/nadia-okafor/);
      assert.match(dup.body, /value="Typed title"/);
      const badPhoto = await ed.submit(`/newsroom/authors/${id}`, `/newsroom/authors/${id}`, {
        name: 'Nadia Okafor',
        photoImageId: '0190aaaa-0000-7000-8000-000000000000',
      });
      assert.equal(badPhoto.statusCode, 400);
      assert.match(badPhoto.body, /photoImageId: no image in the media library/);

      const section = (await site.deps.db.selectFrom('sections').select('id').where('slug', '=', 'culture').executeTakeFirstOrThrow()).id;
      await createArticle(site.deps, buildArticleInput({ sectionId: section, headline: 'A critic at the festival', authorIds: [id] }));
      const publicPage = await ed.get('/authors/nadia-okafor');
      assert.equal(publicPage.statusCode, 200);
      assert.match(publicPage.body, /Nadia Okafor/);
      assert.match(publicPage.body, /A critic at the festival/);

      const refused = await ed.submit(`/newsroom/authors/${id}`, `/newsroom/authors/${id}/delete`, {});
      assert.equal(refused.statusCode, 409);
      assert.match(refused.body, /byline of 1 story/);

      const spare = await ed.submit('/newsroom/authors', '/newsroom/authors', { name: 'Temp Writer' });
      const spareId = idFrom(spare.headers.location, 'authors')!;
      const renamed = await ed.submit(`/newsroom/authors/${spareId}`, `/newsroom/authors/${spareId}`, {
        name: 'Temporary Writer',
        slug: 'temp',
        roleTitle: '',
        bio: '',
        photoImageId: '',
      });
      assert.equal(renamed.statusCode, 303);
      assert.match((await ed.get(`/newsroom/authors/${spareId}`)).body, /has been saved[\s\S]*<code>\/authors\/temp<\/code>/);
      const deleted = await ed.submit(`/newsroom/authors/${spareId}`, `/newsroom/authors/${spareId}/delete`, {});
      assert.equal(deleted.statusCode, 303);
      assert.ok(!(await ed.get('/newsroom/authors')).body.includes('Temporary Writer'));
    });
  });
}
