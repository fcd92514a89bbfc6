import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Article } from '../domain/articles/article.ts';
import { createArticle } from '../domain/articles/article-service.ts';
import { findArticleById } from '../domain/articles/article-repository.ts';
import type { User } from '../domain/accounts/user.ts';
import { listAuthors, type Author } from '../domain/authors/author.ts';
import { listSections, type Section } from '../domain/sections/section.ts';
import { tagsForArticle } from '../domain/tags/tag.ts';
import { seedStaff } from '../../test/support/account-factories.ts';
import { paragraphs } from '../../test/support/factories.ts';
import { csrfFrom, NewsroomClient, signedInClient } from '../../test/support/newsroom-client.ts';
import { testDialects } from '../../test/support/test-db.ts';
import { createTestSite, type TestSite } from '../../test/support/test-site.ts';

/** A ProseMirror document as the editor sends it: a paragraph with bold words and a quotation. */
function editorDoc(words = 'Typed in the editor') {
  return {
    type: 'doc',
    content: [
      {
        type: 'paragraph',
        content: [
          { type: 'text', text: `${words} ` },
          { type: 'text', text: 'with bold', marks: [{ type: 'bold' }] },
        ],
      },
      {
        type: 'quote',
        content: [
          { type: 'paragraph', content: [{ type: 'text', text: 'It is barbaric.' }] },
          { type: 'quoteAttribution', content: [{ type: 'text', text: 'John Kirby' }] },
        ],
      },
      { type: 'paragraph' },
    ],
  };
}

function dataBlock(body: string): { revision: number; doc: { type: string; content: unknown[] }; autosave: boolean; editable: boolean } {
  const m = /<script type="application\/json" id="story-editor-data">([^<]*)<\/script>/.exec(body);
  assert.ok(m, 'editor page embeds its boot data as a JSON data block');
  return JSON.parse(m[1]!);
}

for (const { dialect, skip } of await testDialects()) {
  describe(`${dialect}: newsroom stories over HTTP`, { skip }, () => {
    let site: TestSite;
    let editor: User;
    let author: User;
    let carl: User;
    let dora: User;
    let sections: Section[];
    let bylines: Author[];
    let carlsDraft: Article;
    let dorasDraft: Article;

    const story = (over: Record<string, unknown> = {}) => ({
      headline: 'Council approves the new bridge',
      standfirst: 'After two years of debate.',
      slug: '',
      sectionId: sections[0]!.id,
      authorIds: [bylines[1]!.id, bylines[0]!.id],
      tags: ['Russia'],
      heroImageId: null,
      language: 'en',
      commentsPolicy: 'moderated',
      body: editorDoc(),
      ...over,
    });

    async function signedIn(user: User): Promise<{ c: NewsroomClient; csrf: string }> {
      const c = await signedInClient(site, user);
      return { c, csrf: await c.csrfToken() };
    }

    before(async () => {
      site = await createTestSite(dialect, { demo: true, generated: 2 });
      ({ editor, author, carl, dora } = await seedStaff(site.deps, {
        editor: ['editor', 'Eve Editor'],
        author: ['author', 'Ann Author'],
        carl: ['contributor', 'Carl Contributor'],
        dora: ['contributor', 'Dora Contributor'],
      }));
      sections = await listSections(site.deps.db);
      bylines = await listAuthors(site.deps.db);
      const base = { sectionId: sections[1]!.id, body: paragraphs('Draft words.'), status: 'draft' as const };
      carlsDraft = await createArticle(
        site.deps,
        { ...base, headline: 'Carl writes about zebras' },
        { actor: { userId: carl.id, role: 'contributor' } },
      );
      dorasDraft = await createArticle(
        site.deps,
        { ...base, headline: 'Dora writes about herons', authorIds: [bylines[0]!.id] },
        { actor: { userId: dora.id, role: 'contributor' } },
      );
    });
    after(() => site?.close());

    it('lists only their own stories to a contributor, and every story to an editor', async () => {
      const { c } = await signedIn(carl);
      const own = await c.get('/newsroom/stories');
      assert.equal(own.statusCode, 200);
      assert.match(own.body, /Carl writes about zebras/);
      assert.doesNotMatch(own.body, /Dora writes about herons/);
      assert.doesNotMatch(own.body, /Russia executing soldiers/);
      assert.match(own.body, new RegExp(`href="/newsroom/stories/${carlsDraft.id}"`));

      const { c: e } = await signedIn(editor);
      const all = await e.get('/newsroom/stories');
      for (const h of ['Carl writes about zebras', 'Dora writes about herons', 'Russia executing soldiers'])
        assert.match(all.body, new RegExp(h));
    });

    it('filters by status, section, byline and text, and sorts', async () => {
      const { c } = await signedIn(editor);
      const drafts = await c.get('/newsroom/stories?status=draft');
      assert.match(drafts.body, /Carl writes about zebras/);
      assert.doesNotMatch(drafts.body, /Russia executing soldiers/);
      const bySection = await c.get(`/newsroom/stories?section=${sections[1]!.id}&status=draft`);
      assert.match(bySection.body, /Dora writes about herons/);
      const other = await c.get(`/newsroom/stories?section=${sections[2]!.id}&status=draft`);
      assert.doesNotMatch(other.body, /Dora writes about herons/);
      const byAuthor = await c.get(`/newsroom/stories?author=${bylines[0]!.id}&status=draft`);
      assert.match(byAuthor.body, /Dora writes about herons/);
      assert.doesNotMatch(byAuthor.body, /Carl writes about zebras/);
      const text = await c.get('/newsroom/stories?q=HERONS');
      assert.match(text.body, /Dora writes about herons/);
      assert.doesNotMatch(text.body, /Carl writes about zebras/);
      const literal = await c.get('/newsroom/stories?q=%25');
      assert.doesNotMatch(literal.body, /Carl writes about zebras/, '% is searched literally, not as a wildcard');
      const sorted = await c.get('/newsroom/stories?status=draft&sort=headline_asc');
      assert.ok(sorted.body.indexOf('Carl writes') < sorted.body.indexOf('Dora writes'), 'A to Z');
      const bad = await c.get('/newsroom/stories?status=bogus&sort=sideways');
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /status: not a story status/);
    });

    it('pages through long lists with previous and next links', async () => {
      const actor = { userId: author.id, role: 'author' as const };
      for (let i = 0; i < 27; i++) {
        await createArticle(
          site.deps,
          { sectionId: sections[0]!.id, headline: `Paging story ${String(i).padStart(2, '0')}`, body: paragraphs('x') },
          { actor },
        );
      }
      const { c } = await signedIn(author);
      const first = await c.get('/newsroom/stories?sort=headline_asc');
      assert.equal((first.body.match(/Paging story/g) ?? []).length, 25);
      assert.match(first.body, /rel="next" href="\/newsroom\/stories\?sort=headline_asc&amp;page=2"/);
      const second = await c.get('/newsroom/stories?sort=headline_asc&page=2');
      assert.equal((second.body.match(/Paging story/g) ?? []).length, 2);
      assert.match(second.body, /Paging story 26/);
      assert.match(second.body, /rel="prev"/);
      assert.doesNotMatch(second.body, /rel="next"/);
    });

    it('creates a draft owned by the writer and opens the editor on it', async () => {
      const { c } = await signedIn(carl);
      const form = await c.get('/newsroom/stories/new');
      assert.equal(form.statusCode, 200);
      const res = await c.request('POST', '/newsroom/stories', {
        _csrf: csrfFrom(form.body),
        headline: 'A brand new story',
        sectionId: sections[0]!.id,
        author_0: bylines[0]!.id,
      });
      assert.equal(res.statusCode, 303);
      const id = /^\/newsroom\/stories\/([0-9a-f-]{36})$/.exec(res.headers.location as string)?.[1];
      assert.ok(id, `redirects to the editor, got ${res.headers.location}`);
      const stored = (await findArticleById(site.deps.db, id))!;
      assert.equal(stored.status, 'draft');
      assert.equal(stored.createdBy, carl.id);
      assert.equal(stored.slug, 'a-brand-new-story');
      assert.deepEqual(stored.authorIds, [bylines[0]!.id]);

      const empty = await c.request('POST', '/newsroom/stories', {
        _csrf: csrfFrom(form.body),
        headline: '  ',
        sectionId: sections[0]!.id,
      });
      assert.equal(empty.statusCode, 400);
      assert.match(empty.body, /headline: a headline is required/);
      const nowhere = await c.request('POST', '/newsroom/stories', {
        _csrf: csrfFrom(form.body),
        headline: 'Lost',
        sectionId: 'no-such-section',
      });
      assert.equal(nowhere.statusCode, 400);
      assert.match(nowhere.body, /sectionId/);
    });

    it('offers no preselected section: a required select starts with an empty placeholder (HTML validity), refused with words when left', async () => {
      const { c } = await signedIn(carl);
      const form = await c.get('/newsroom/stories/new');
      const editorPage = await c.get(`/newsroom/stories/${carlsDraft.id}`);
      for (const [page, id] of [
        [form.body, 'new-section'],
        [editorPage.body, 'story-section'],
      ] as const) {
        const select = new RegExp(`<select id="${id}" name="sectionId" required[^>]*>(<option[^>]*>[^<]*</option>)`).exec(page);
        assert.ok(select, `#${id} is a required select`);
        assert.equal(select[1], '<option value="">Choose a section</option>', `#${id} starts with the placeholder`);
      }
      // The story's own section stays selected in the editor, not the placeholder.
      assert.match(editorPage.body, new RegExp(`<option value="${sections[1]!.id}" selected>`));

      const none = await c.request('POST', '/newsroom/stories', { _csrf: csrfFrom(form.body), headline: 'Nowhere yet', sectionId: '' });
      assert.equal(none.statusCode, 400);
      assert.match(none.body, /Choose the section this story belongs in/);
      assert.match(none.body, /value="Nowhere yet"/, 'the headline is kept for the next try');
    });

    it('serves the editor with its fields, the document as a JSON data block and the bundled script, no inline script', async () => {
      const { c } = await signedIn(carl);
      const page = await c.get(`/newsroom/stories/${carlsDraft.id}`);
      assert.equal(page.statusCode, 200);
      assert.match(page.headers['content-security-policy'] as string, /script-src 'self'/);
      for (const name of [
        'headline',
        'standfirst',
        'slug',
        'sectionId',
        'author_0',
        'tags',
        'heroImageId',
        'language',
        'commentsPolicy',
        'baseRevision',
      ]) {
        assert.match(page.body, new RegExp(`name="${name}"`), `field ${name}`);
      }
      assert.match(page.body, /<script type="module" src="\/static\/build\/story-editor\.js\?v=[0-9a-f]{12}"><\/script>/);
      const scripts = page.body.match(/<script\b[^>]*>/g) ?? [];
      for (const s of scripts) assert.ok(/type="application\/json"|src="/.test(s), `no inline script: ${s}`);
      assert.match(page.body, /<noscript><p class="se-nojs">The body editor needs JavaScript/);
      const boot = dataBlock(page.body);
      assert.equal(boot.revision, carlsDraft.revision);
      assert.equal(boot.autosave, true);
      assert.equal(boot.doc.type, 'doc');
      const asset = await c.get(/src="(\/static\/build\/story-editor\.js\?v=[^"]+)"/.exec(page.body)![1]!);
      assert.equal(asset.statusCode, 200);
      assert.match(asset.headers['content-type'] as string, /javascript/);
    });

    it('loads only the form script first: the body editor, media picker and slug tables are chunks imported when needed', async () => {
      const { c } = await signedIn(carl);
      const page = await c.get(`/newsroom/stories/${carlsDraft.id}`);
      const entryUrl = /src="(\/static\/build\/story-editor\.js\?v=[^"]+)"/.exec(page.body)![1]!;
      const entry = await c.get(entryUrl);
      // The whole editor was one 447 KB file; what the page loads first must stay a small part of it.
      const entryBytes = Buffer.byteLength(entry.body);
      assert.ok(entryBytes < 20_000, `the entry script is ${entryBytes} bytes`);
      assert.doesNotMatch(entry.body, /ProseMirror/, 'no editor library in the entry');
      const chunks = [...entry.body.matchAll(/import\("\.\/(chunks\/[\w-]+\.js)"\)/g)].map((m) => m[1]!);
      for (const name of ['story-body-editor', 'media-picker', 'slug'])
        assert.ok(
          chunks.some((f) => f.startsWith(`chunks/${name}-`)),
          `${name} is imported on demand: ${chunks.join(', ')}`,
        );
      let lazyBytes = 0;
      for (const file of chunks) {
        const res = await c.get(`/static/build/${file}`);
        assert.equal(res.statusCode, 200, file);
        assert.match(res.headers['content-type'] as string, /javascript/);
        // Named by content hash: cached for good, like the other build assets.
        assert.match(res.headers['cache-control'] as string, /immutable/);
        lazyBytes += Buffer.byteLength(res.body);
      }
      assert.ok(lazyBytes > 10 * entryBytes, `the deferred chunks (${lazyBytes} bytes) hold most of the code`);
    });

    it('keeps hostile text inert in the page and its JSON data block', async () => {
      const nasty = '</script><script>alert(1)</script><!-- \u2028';
      const hostile = await createArticle(
        site.deps,
        { sectionId: sections[0]!.id, headline: nasty, body: paragraphs(nasty) },
        { actor: { userId: carl.id, role: 'contributor' } },
      );
      const { c } = await signedIn(carl);
      const page = await c.get(`/newsroom/stories/${hostile.id}`);
      assert.equal(page.statusCode, 200);
      assert.ok(!page.body.includes('<script>alert(1)'), 'never raw markup');
      const boot = dataBlock(page.body) as unknown as { doc: { content: Array<{ content: Array<{ text: string }> }> } };
      assert.equal(boot.doc.content[0]!.content[0]!.text, nasty, 'the data block round-trips the text exactly');
    });

    it('saves through the JSON endpoint: body converted, bylines in order, tags, revision bumped', async () => {
      const { c, csrf } = await signedIn(carl);
      const res = await c.json(
        'POST',
        `/newsroom/stories/${carlsDraft.id}/autosave`,
        { baseRevision: carlsDraft.revision, story: story() },
        csrf,
      );
      assert.equal(res.statusCode, 200, res.body);
      const ok = res.json() as { revision: number; slug: string };
      assert.equal(ok.revision, carlsDraft.revision + 1);
      assert.equal(ok.slug, 'council-approves-the-new-bridge', 'a draft address follows its headline when left blank');
      const stored = (await findArticleById(site.deps.db, carlsDraft.id))!;
      assert.deepEqual(stored.body, {
        version: 1,
        blocks: [
          {
            type: 'paragraph',
            content: [
              { type: 'text', text: 'Typed in the editor ' },
              { type: 'text', text: 'with bold', marks: ['bold'] },
            ],
          },
          { type: 'blockquote', content: [[{ type: 'text', text: 'It is barbaric.' }]], attribution: 'John Kirby' },
        ],
      });
      assert.deepEqual(stored.authorIds, [bylines[1]!.id, bylines[0]!.id]);
      assert.equal(stored.commentsPolicy, 'moderated');
      assert.deepEqual(
        (await tagsForArticle(site.deps.db, carlsDraft.id)).map((t) => t.name),
        ['Russia'],
      );
      carlsDraft = stored;
    });

    it('refuses bad input with 400 naming the field, and changes nothing', async () => {
      const { c, csrf } = await signedIn(carl);
      const url = `/newsroom/stories/${carlsDraft.id}/autosave`;
      const cases: Array<[unknown, RegExp]> = [
        [{ baseRevision: carlsDraft.revision, story: story({ headline: '' }) }, /headline/],
        [
          { baseRevision: carlsDraft.revision, story: story({ body: { type: 'doc', content: [{ type: 'table' }] } }) },
          /body\.content\[0\]\.type/,
        ],
        [
          {
            baseRevision: carlsDraft.revision,
            story: story({
              body: {
                type: 'doc',
                content: [
                  {
                    type: 'paragraph',
                    content: [{ type: 'text', text: 'x', marks: [{ type: 'link', attrs: { href: 'javascript:alert(1)' } }] }],
                  },
                ],
              },
            }),
          },
          /body\.content\[0\]\.content\[0\]\.marks\[0\]\.attrs\.href/,
        ],
        [{ baseRevision: carlsDraft.revision, story: story({ commentsPolicy: 'sometimes' }) }, /commentsPolicy/],
        [{ baseRevision: carlsDraft.revision, story: story({ tags: ['No Such Tag Yet'] }) }, /tags: "No Such Tag Yet" is not a tag yet/],
        [{ baseRevision: carlsDraft.revision, story: story({ surprise: true }) }, /surprise/],
        [{ baseRevision: carlsDraft.revision, story: story({ language: 'English please' }) }, /language/],
        [{ story: story() }, /baseRevision/],
        [[1, 2], /Send a JSON object with baseRevision and story/],
      ];
      for (const [payload, field] of cases) {
        const res = await c.json('POST', url, payload, csrf);
        assert.equal(res.statusCode, 400, `${JSON.stringify(payload).slice(0, 120)} → ${res.body}`);
        const failure = res.json() as { error: string; message: string };
        assert.equal(failure.error, 'validation_failed');
        assert.match(failure.message, field);
      }
      const stored = (await findArticleById(site.deps.db, carlsDraft.id))!;
      assert.equal(stored.revision, carlsDraft.revision, 'nothing was written');
      const noCsrf = await c.json('POST', url, { baseRevision: carlsDraft.revision, story: story() }, 'x'.repeat(43));
      assert.equal(noCsrf.statusCode, 403);
    });

    it('lets an editor create tags while writing', async () => {
      const { c, csrf } = await signedIn(editor);
      const res = await c.json(
        'POST',
        `/newsroom/stories/${carlsDraft.id}/autosave`,
        { baseRevision: carlsDraft.revision, story: story({ tags: ['Bridges', 'Russia'] }) },
        csrf,
      );
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual(
        (await tagsForArticle(site.deps.db, carlsDraft.id)).map((t) => t.name),
        ['Bridges', 'Russia'],
      );
      carlsDraft = (await findArticleById(site.deps.db, carlsDraft.id))!;
    });

    it('refuses a stale save with 409, keeps both versions, and lets the writer take theirs over the latest', async () => {
      const { c: carlClient, csrf: carlCsrf } = await signedIn(carl);
      const { c: eve, csrf: eveCsrf } = await signedIn(editor);
      const base = carlsDraft.revision;
      const first = await eve.json(
        'POST',
        `/newsroom/stories/${carlsDraft.id}/autosave`,
        { baseRevision: base, story: story({ headline: 'Editor’s headline' }) },
        eveCsrf,
      );
      assert.equal(first.statusCode, 200);
      const stale = await carlClient.json(
        'POST',
        `/newsroom/stories/${carlsDraft.id}/autosave`,
        { baseRevision: base, story: story({ headline: 'Carl’s headline', body: editorDoc('Carl’s words') }) },
        carlCsrf,
      );
      assert.equal(stale.statusCode, 409);
      const conflict = stale.json() as { error: string; message: string; compareUrl: string; currentRevision: number };
      assert.equal(conflict.error, 'conflict');
      assert.match(conflict.message, /Someone else saved this story/);
      assert.equal(conflict.currentRevision, base + 1);
      assert.match(conflict.compareUrl, new RegExp(`^/newsroom/stories/${carlsDraft.id}/conflicts/[0-9a-f-]{36}$`));

      const theirs = (await findArticleById(site.deps.db, carlsDraft.id))!;
      assert.equal(theirs.headline, 'Editor’s headline', 'the newer save stands');
      const kept = await site.deps.db.selectFrom('article_conflict_copies').selectAll().where('article_id', '=', carlsDraft.id).execute();
      assert.equal(kept.length, 1);
      assert.equal(kept[0]!.user_id, carl.id);
      assert.match(kept[0]!.input, /Carl’s headline/);
      assert.match(kept[0]!.input, /Carl’s words/);

      const editorPage = await carlClient.get(`/newsroom/stories/${carlsDraft.id}`);
      assert.match(editorPage.body, /could not be saved because someone else saved first/);
      const compare = await carlClient.get(conflict.compareUrl);
      assert.equal(compare.statusCode, 200);
      assert.match(compare.body, /Editor’s headline/);
      assert.match(compare.body, /Carl’s headline/);
      assert.match(compare.body, /<ins>[^<]*Carl’s/);
      assert.equal((await eve.get(conflict.compareUrl)).statusCode, 200, 'an editor may look too');
      const { c: doraClient } = await signedIn(dora);
      assert.equal((await doraClient.get(conflict.compareUrl)).statusCode, 403, 'another contributor may not');

      const csrf = csrfFrom(compare.body);
      const staleApply = await carlClient.request('POST', conflict.compareUrl, {
        _csrf: csrf,
        resolution: 'applied',
        baseRevision: String(base),
      });
      assert.equal(staleApply.statusCode, 409, 'taking mine over a revision I have not seen is refused again');
      const apply = await carlClient.request('POST', conflict.compareUrl, {
        _csrf: csrf,
        resolution: 'applied',
        baseRevision: String(theirs.revision),
      });
      assert.equal(apply.statusCode, 303);
      const mine = (await findArticleById(site.deps.db, carlsDraft.id))!;
      assert.equal(mine.headline, 'Carl’s headline');
      assert.equal(mine.revision, theirs.revision + 1);
      const resolved = await site.deps.db
        .selectFrom('article_conflict_copies')
        .select(['resolution', 'resolved_at'])
        .where('article_id', '=', carlsDraft.id)
        .executeTakeFirstOrThrow();
      assert.equal(resolved.resolution, 'applied');
      assert.ok(resolved.resolved_at);
      assert.doesNotMatch((await carlClient.get(`/newsroom/stories/${carlsDraft.id}`)).body, /could not be saved because someone else/);
      carlsDraft = mine;
    });

    it('saves the plain form without JavaScript (POST-redirect-GET), keeping the body; a stale form goes to the comparison', async () => {
      const { c } = await signedIn(carl);
      const page = await c.get(`/newsroom/stories/${carlsDraft.id}`);
      const fields = {
        _csrf: csrfFrom(page.body),
        baseRevision: String(carlsDraft.revision),
        headline: 'Edited without JavaScript',
        standfirst: 'Still fine.',
        slug: 'no-js-address',
        sectionId: sections[0]!.id,
        author_0: bylines[0]!.id,
        author_1: '',
        tags: 'Russia',
        heroImageId: '',
        language: 'en',
        commentsPolicy: 'closed',
      };
      const res = await c.request('POST', `/newsroom/stories/${carlsDraft.id}`, fields);
      assert.equal(res.statusCode, 303);
      assert.equal(res.headers.location, `/newsroom/stories/${carlsDraft.id}?saved=1`);
      const stored = (await findArticleById(site.deps.db, carlsDraft.id))!;
      assert.equal(stored.headline, 'Edited without JavaScript');
      assert.equal(stored.slug, 'no-js-address');
      assert.equal(stored.commentsPolicy, 'closed');
      assert.deepEqual(stored.body, carlsDraft.body, 'the body is kept as it was');
      assert.match((await c.get(res.headers.location as string)).body, /Saved\./);

      const again = await c.request('POST', `/newsroom/stories/${carlsDraft.id}`, { ...fields, headline: 'From an old tab' });
      assert.equal(again.statusCode, 303);
      assert.match(again.headers.location as string, /\/conflicts\/[0-9a-f-]{36}$/);
      const invalid = await c.request('POST', `/newsroom/stories/${carlsDraft.id}`, {
        ...fields,
        baseRevision: String(stored.revision),
        headline: '',
      });
      assert.equal(invalid.statusCode, 400);
      assert.match(invalid.body, /headline: a headline is required/);
      assert.match(invalid.body, /value="no-js-address"/, 'the form comes back as submitted');
      carlsDraft = stored;
    });

    it('never lets a contributor open or edit someone else’s story, or their own once submitted', async () => {
      const { c, csrf } = await signedIn(carl);
      assert.equal((await c.get(`/newsroom/stories/${dorasDraft.id}`)).statusCode, 403);
      assert.equal((await c.get(`/newsroom/stories/${dorasDraft.id}/preview`)).statusCode, 403);
      const json = await c.json('POST', `/newsroom/stories/${dorasDraft.id}/autosave`, { baseRevision: 1, story: story() }, csrf);
      assert.equal(json.statusCode, 403);
      assert.equal((json.json() as { error: string }).error, 'forbidden');
      const form = await c.request('POST', `/newsroom/stories/${dorasDraft.id}`, {
        _csrf: csrf,
        baseRevision: '1',
        headline: 'Mine now',
        sectionId: sections[0]!.id,
      });
      assert.equal(form.statusCode, 403);
      const stale = await c.json('POST', `/newsroom/stories/${dorasDraft.id}/autosave`, { baseRevision: 99, story: story() }, csrf);
      assert.equal(stale.statusCode, 403, 'a stale save from someone who may not edit is refused, not kept');
      assert.equal((await findArticleById(site.deps.db, dorasDraft.id))!.headline, 'Dora writes about herons');

      const submitted = await createArticle(
        site.deps,
        { sectionId: sections[0]!.id, headline: 'Carl submitted this', body: paragraphs('x'), status: 'in_review' },
        { actor: { userId: carl.id, role: 'contributor' } },
      );
      const readOnly = await c.get(`/newsroom/stories/${submitted.id}`);
      assert.equal(readOnly.statusCode, 200);
      assert.match(readOnly.body, /You can read this story but not change it now/);
      assert.equal(dataBlock(readOnly.body).editable, false);
      const refused = await c.json(
        'POST',
        `/newsroom/stories/${submitted.id}/autosave`,
        { baseRevision: submitted.revision, story: story() },
        csrf,
      );
      assert.equal(refused.statusCode, 403);
      assert.match((refused.json() as { message: string }).message, /while it is in review/);
      assert.equal((await c.get('/newsroom/stories/not-an-id')).statusCode, 404);
    });

    it('previews exactly the public page of a published story, and any draft the writer may open', async () => {
      const { c } = await signedIn(editor);
      const list = await c.get('/newsroom/stories?q=executing+soldiers');
      const id = /href="\/newsroom\/stories\/([0-9a-f-]{36})"/.exec(list.body)?.[1];
      assert.ok(id, 'the seed article is listed');
      const seed = (await findArticleById(site.deps.db, id))!;
      const section = sections.find((s) => s.id === seed.sectionId)!;
      const pub = await c.get(`/${section.slug}/${seed.slug}`);
      assert.equal(pub.statusCode, 200);
      const preview = await c.get(`/newsroom/stories/${id}/preview`);
      assert.equal(preview.statusCode, 200);
      assert.equal(preview.body, pub.body, 'the preview is byte for byte the public page');
      assert.equal(preview.headers['cache-control'], 'no-store');
      assert.match(preview.headers['x-robots-tag'] as string, /noindex/);

      const { c: carlClient } = await signedIn(carl);
      const draft = await carlClient.get(`/newsroom/stories/${carlsDraft.id}/preview`);
      assert.equal(draft.statusCode, 200);
      assert.match(draft.body, /<h1 class="article__headline">Edited without JavaScript<\/h1>/);
      assert.match(
        draft.body,
        /<blockquote><p>It is barbaric\.<\/p><\/blockquote><figcaption class="quote__by">— <cite>John Kirby<\/cite>/,
      );
      assert.doesNotMatch(draft.body, /Published <time/, 'a draft has no publication time yet');
    });
  });
}
