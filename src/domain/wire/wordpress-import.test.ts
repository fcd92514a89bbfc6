import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { mediaFolder } from '../../cli/commands/import-media-folder.ts';
import { testDialects } from '../../../test/support/test-db.ts';
import { createTestSite, type TestSite } from '../../../test/support/test-site.ts';
import type { ArticleDocument } from '../documents/document-schema.ts';
import { ValidationError } from '../errors.ts';
import type { ImportLine } from './site-story.ts';
import { autop, wordpressBodyHtml } from './wordpress-content.ts';
import { importWordpressExport, parseWxr } from './wordpress-import.ts';

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../test/fixtures/wordpress');
const EXPORTS = ['wxr-comprehensive.xml', 'valid-wxr-1.1.xml', 'masthead-newsroom.xml'];
const read = (name: string) => fs.readFileSync(path.join(FIXTURES, name), 'utf8');

describe('WordPress content (autop and shortcodes)', () => {
  it('makes paragraphs and line breaks of classic content, leaving block elements alone', () => {
    const html = autop('First line\nsecond line\n\nNext paragraph\n<h3>Title</h3>\nAfter');
    assert.equal(html, '<p>First line<br>\nsecond line</p>\n<p>Next paragraph</p>\n<h3>Title</h3>\n<p>After</p>');
  });
  it('keeps block-editor content as it is and turns [caption] into a figure', () => {
    assert.equal(
      wordpressBodyHtml('<!-- wp:paragraph -->\n<p>a</p>\n<!-- /wp:paragraph -->').html,
      '<!-- wp:paragraph -->\n<p>a</p>\n<!-- /wp:paragraph -->',
    );
    const { html, notes } = wordpressBodyHtml(
      '[caption id="a" width="300"]<img src="x.jpg" alt="X" /> The pier.[/caption]\n\n[gallery ids="1,2"]',
    );
    assert.match(html.replace(/\s*\n\s*/g, ''), /<figure><img src="x.jpg" alt="X" \/><figcaption>The pier.<\/figcaption><\/figure>/);
    assert.doesNotMatch(html, /gallery/);
    assert.match(notes.join(' '), /\[gallery\]/);
  });
  it('refuses a file that is not WXR with a message that says so', () => {
    assert.throws(() => parseWxr('<rss version="2.0"><channel><item/></channel></rss>'), /Not a WordPress export/);
  });
});

for (const { dialect, skip } of await testDialects()) {
  describe(`WordPress import (${dialect})`, { skip }, () => {
    let site: TestSite;
    const lines: ImportLine[] = [];
    const media = mediaFolder(path.join(FIXTURES, 'uploads'));

    const importAll = async (into: ImportLine[]) => {
      for (const name of EXPORTS) await importWordpressExport(site.deps, read(name), { media, onLine: (l) => into.push(l) });
    };
    const count = async (table: 'articles' | 'authors' | 'sections' | 'tags' | 'comments' | 'images' | 'redirects') =>
      Number(
        (
          await site.deps.db
            .selectFrom(table)
            .select((e) => e.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const story = async (slug: string) =>
      site.deps.db.selectFrom('articles').selectAll().where('slug', '=', slug).executeTakeFirstOrThrow();

    before(async () => {
      site = await createTestSite(dialect);
      await importAll(lines);
    });
    after(async () => site?.close());

    it('imports posts and pages as stories, with their authors, sections, tags and approved comments', async () => {
      assert.equal(await count('articles'), 7, 'comprehensive 2 + valid-1.1 2 + newsroom 3 (trash and attachment left out)');
      assert.deepEqual(
        (await site.deps.db.selectFrom('authors').select('name').orderBy('name').execute()).map((a) => a.name),
        ['Alice', 'Bob', 'John Doe', 'Marta Reyes', 'Tunde Okafor'],
      );
      assert.deepEqual(
        (await site.deps.db.selectFrom('sections').select('slug').orderBy('slug').execute()).map((s) => s.slug),
        ['alpha', 'harbour', 'local-politics', 'news', 'pages'],
      );
      assert.deepEqual(
        (await site.deps.db.selectFrom('tags').select('name').orderBy('name').execute()).map((t) => t.name),
        ['Budget', 'Clippable', 'Harbour', 'T1', 'T2', 'Updates'],
      );
      assert.equal(await count('comments'), 4, 'spam is not imported');
      const skipped = lines.find((l) => l.kind === 'story' && l.status === 'skipped');
      assert.match(skipped?.error ?? '', /trash/);
    });

    it('keeps the body: paragraphs, headings, lists, quotes, figures with captions; scripts and iframes are gone', async () => {
      const budget = await story('council-approves-harbour-budget');
      const body = JSON.parse(budget.body) as ArticleDocument;
      const types = body.blocks.map((b) => b.type);
      assert.deepEqual(types, ['paragraph', 'heading', 'list', 'blockquote', 'figure', 'paragraph']);
      assert.match(budget.body, /seven to four/);
      assert.match(budget.body, /"bold"/);
      assert.match(budget.body, /We waited ten years for this/);
      assert.match(budget.body, /The chamber during the vote/);
      assert.doesNotMatch(budget.body, /alert|tracking|ads\.example\.com/);
      assert.ok(budget.hero_image_id, 'the featured image is the hero');
      const hero = await site.deps.db.selectFrom('images').selectAll().where('id', '=', budget.hero_image_id).executeTakeFirstOrThrow();
      assert.equal(hero.alt_text, 'Fishing boats moored in the harbour');
      assert.equal(hero.caption, 'Fishing boats in the old harbour at dawn.');
      const missing = lines.find((l) => l.kind === 'image' && l.source.endsWith('missing-chart.png'));
      assert.equal(missing?.ok, false);
      assert.equal(missing?.status, 'missing');

      const ferry = JSON.parse((await story('ferry-timetable-changes')).body) as ArticleDocument;
      assert.deepEqual(
        ferry.blocks.map((b) => b.type),
        ['paragraph', 'figure', 'heading', 'paragraph'],
      );
      const figure = ferry.blocks[1]!;
      assert.ok(figure.type === 'figure' && figure.caption === 'The ferry pier at low tide.');
      const pier =
        figure.type === 'figure'
          ? await site.deps.db.selectFrom('images').select('original_filename').where('id', '=', figure.imageId).executeTakeFirst()
          : undefined;
      assert.equal(pier?.original_filename, 'harbour.jpg', 'the resized copy named in the body is read from its original');
    });

    it('keeps GMT publication times, statuses and slugs; drafts stay drafts', async () => {
      const budget = await story('council-approves-harbour-budget');
      assert.equal(budget.status, 'published');
      assert.equal(budget.published_at, '2024-05-20T21:30:00.000Z');
      assert.equal((await story('comprehensive-post')).published_at, '2024-06-05T16:04:48.000Z');
      assert.equal((await story('hello-world')).published_at, '2010-10-16T20:53:18.000Z');
      const draft = await story('draft-school-closures-list');
      assert.equal(draft.status, 'draft');
      assert.equal(draft.published_at, null);
    });

    it('threads a reply under its comment and counts published comments', async () => {
      const budget = await story('council-approves-harbour-budget');
      const comments = await site.deps.db
        .selectFrom('comments')
        .selectAll()
        .where('article_id', '=', budget.id)
        .orderBy('created_at')
        .execute();
      assert.equal(comments.length, 2);
      assert.equal(comments[1]!.parent_id, comments[0]!.id);
      assert.match(comments[1]!.body, /Thanks Ana — we will follow/);
      assert.equal(budget.comment_count, 2);
    });

    it('answers every old address of a visible story with a 301 to a page that answers 200', async () => {
      const rows = await site.deps.db
        .selectFrom('redirects as r')
        .innerJoin('articles as a', 'a.id', 'r.article_id')
        .select(['r.path', 'a.status'])
        .execute();
      const visible = rows.filter((r) => r.status === 'published');
      assert.ok(visible.length >= 8, `old addresses: ${visible.map((r) => r.path).join(' ')}`);
      const asRequested = [
        '/2024/05/20/council-approves-harbour-budget/',
        '/?p=42',
        '/?p=45&utm_source=newsletter',
        '/2024/05/18/ferry-timetable-changes',
        '/site/?p=1000',
        '/site/?page_id=2000',
        '/?p=1',
        '/?page_id=2',
      ];
      for (const url of [...asRequested, ...visible.map((r) => r.path)]) {
        const res = await site.app.inject({ method: 'GET', url });
        assert.equal(res.statusCode, 301, `${url} → ${res.statusCode}`);
        const page = await site.app.inject({ method: 'GET', url: res.headers.location as string });
        assert.equal(page.statusCode, 200, `${url} → ${res.headers.location} → ${page.statusCode}`);
      }
      // A draft's old address stays a 404, and the home page still answers without ?p=.
      assert.equal((await site.app.inject({ method: 'GET', url: '/?p=50' })).statusCode, 404);
      assert.equal((await site.app.inject({ method: 'GET', url: '/?p=999' })).statusCode, 404);
      assert.equal((await site.app.inject({ method: 'GET', url: '/' })).statusCode, 200);
    });

    it('importing again changes nothing and duplicates nothing', async () => {
      const before = {
        articles: await count('articles'),
        images: await count('images'),
        comments: await count('comments'),
        redirects: await count('redirects'),
        authors: await count('authors'),
      };
      const again: ImportLine[] = [];
      await importAll(again);
      const stories = again.filter((l) => l.kind === 'story' && l.status !== 'skipped');
      assert.equal(stories.length, 7);
      assert.ok(
        stories.every((l) => l.status === 'unchanged'),
        JSON.stringify(stories.map((l) => l.status)),
      );
      assert.deepEqual(
        {
          articles: await count('articles'),
          images: await count('images'),
          comments: await count('comments'),
          redirects: await count('redirects'),
          authors: await count('authors'),
        },
        before,
      );
    });

    it('updates (never duplicates) a story whose export changed, and reuses its images', async () => {
      const images = await count('images');
      const changed = read('masthead-newsroom.xml').replace('seven to four', 'seven votes to four');
      const out: ImportLine[] = [];
      await importWordpressExport(site.deps, changed, { media, onLine: (l) => out.push(l) });
      const budgetLine = out.find((l) => l.kind === 'story' && l.headline?.startsWith('Council approves'));
      assert.equal(budgetLine?.status, 'updated');
      assert.equal(await count('articles'), 7);
      assert.equal(await count('images'), images, 'the same files are not stored twice');
      assert.match((await story('council-approves-harbour-budget')).body, /seven votes to four/);
    });

    it('refuses to overwrite a story the newsroom edited since the import, unless forced', async () => {
      const budget = await story('council-approves-harbour-budget');
      // A desk save bumps the revision past the one the import recorded.
      await site.deps.db
        .updateTable('articles')
        .set({ revision: budget.revision + 1 })
        .where('id', '=', budget.id)
        .execute();
      const changed = read('masthead-newsroom.xml').replace('seven to four', 'eight to three');
      const out: ImportLine[] = [];
      const summary = await importWordpressExport(site.deps, changed, { media, onLine: (l) => out.push(l) });
      assert.equal(summary.stories.rejected, 1);
      assert.match(out.find((l) => l.status === 'rejected')?.error ?? '', /edited in the newsroom since it was imported.*--force/);
      assert.doesNotMatch((await story('council-approves-harbour-budget')).body, /eight to three/);
      const forced: ImportLine[] = [];
      await importWordpressExport(site.deps, changed, { media, force: true, onLine: (l) => forced.push(l) });
      assert.match((await story('council-approves-harbour-budget')).body, /eight to three/);
      assert.equal(await count('articles'), 7);
    });
  });
}

for (const { dialect, skip } of await testDialects()) {
  describe(`WordPress import, a story that fails half-way (${dialect})`, { skip }, () => {
    let site: TestSite;
    before(async () => {
      site = await createTestSite(dialect);
    });
    after(async () => site?.close());

    it('leaves nothing of it behind (no story, section, author, tag, image row or file), and the other stories still come in', async () => {
      const folder = mediaFolder(path.join(FIXTURES, 'uploads'));
      // The second picture of the budget story cannot be read: by then its section, author,
      // tags and first picture (files included) have been written inside its transaction.
      const failing = {
        async read(ref: string) {
          if (ref.includes('council-chamber')) throw new ValidationError('the disk holding the uploads went away');
          return folder.read(ref);
        },
      };
      const lines: ImportLine[] = [];
      const summary = await importWordpressExport(site.deps, read('masthead-newsroom.xml'), {
        media: failing,
        onLine: (l) => lines.push(l),
      });
      assert.equal(summary.stories.rejected, 1);
      assert.equal(summary.stories.created, 2);
      const rejected = lines.find((l) => l.kind === 'story' && l.status === 'rejected');
      assert.match(rejected?.error ?? '', /went away/);
      assert.equal(rejected?.headline, 'Council approves harbour budget after late-night session');
      const db = site.deps.db;
      assert.equal(
        await db.selectFrom('articles').select('id').where('slug', '=', 'council-approves-harbour-budget').executeTakeFirst(),
        undefined,
      );
      assert.equal(await db.selectFrom('authors').select('id').where('slug', '=', 'mreyes').executeTakeFirst(), undefined);
      assert.equal(await db.selectFrom('tags').select('id').where('slug', '=', 'budget').executeTakeFirst(), undefined);
      assert.equal(await db.selectFrom('comments').select('id').executeTakeFirst(), undefined);
      assert.equal(await db.selectFrom('redirects').select('path').where('path', '=', '/?p=42').executeTakeFirst(), undefined);
      // Only the ferry story's picture is stored, and only its files are on disk.
      const images = await db.selectFrom('images').select(['storage_key', 'original_filename']).execute();
      assert.deepEqual(
        images.map((i) => i.original_filename),
        ['harbour.jpg'],
      );
      const files = fs
        .readdirSync(site.mediaDir, { recursive: true })
        .map(String)
        .filter((f) => /\.(jpg|webp|avif)$/.test(f));
      assert.ok(files.length > 0);
      assert.ok(
        files.every((f) => f.startsWith(`${images[0]!.storage_key}/`) || f.startsWith(`${images[0]!.storage_key}${path.sep}`)),
        `only the ferry picture's files remain: ${JSON.stringify(files.slice(0, 5))} (key ${images[0]!.storage_key})`,
      );
    });
  });
}
