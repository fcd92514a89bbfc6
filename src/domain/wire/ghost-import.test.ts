import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { mediaFolder } from '../../cli/commands/import-media-folder.ts';
import { testDialects } from '../../../test/support/test-db.ts';
import { createTestSite, type TestSite } from '../../../test/support/test-site.ts';
import type { ArticleDocument } from '../documents/document-schema.ts';
import { parseGhostExport, importGhostExport } from './ghost-import.ts';
import { lexicalToHtml } from './ghost-lexical.ts';
import { mobiledocToHtml } from './ghost-mobiledoc.ts';
import { htmlToDocument } from './html-to-document.ts';
import type { ImportLine } from './site-story.ts';

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../test/fixtures/ghost');
const EXPORTS = ['masthead-ghost-5.json', 'import-data-1.json'];
const read = (name: string) => fs.readFileSync(path.join(FIXTURES, name), 'utf8');

describe('Ghost bodies (Lexical and mobiledoc → HTML)', () => {
  it('renders the common Lexical nodes and keeps the text of unknown ones', () => {
    const html = lexicalToHtml({
      root: {
        type: 'root',
        children: [
          { type: 'paragraph', children: [{ type: 'text', text: 'a < b', format: 3 }] },
          { type: 'mystery', children: [{ type: 'text', text: 'inside' }] },
          { type: 'mystery-card', text: 'card text' },
          { type: 'mystery-without-text', payload: 1 },
          { type: 'markdown', markdown: '**strong** words' },
        ],
      },
    });
    assert.equal(html, '<p><strong><em>a &lt; b</em></strong></p><p>inside</p><p>card text</p><p><strong>strong</strong> words</p>');
  });
  it('never throws on broken input', () => {
    assert.equal(lexicalToHtml('{not json'), null);
    assert.equal(lexicalToHtml({ root: 'nope' }), null);
    assert.equal(mobiledocToHtml('[]'), null);
    assert.equal(
      mobiledocToHtml({ sections: [[1, 'p', [[0, [7], 3, 'text with a markup that does not exist']]], [10, 9], ['x']] }),
      '<p>text with a markup that does not exist</p>\n',
    );
    const deep: Record<string, unknown> = { type: 'text', text: 'deep' };
    let node = deep;
    for (let i = 0; i < 200; i++) node = { type: 'paragraph', children: [node] };
    assert.doesNotThrow(() => lexicalToHtml({ root: { type: 'root', children: [node] } }));
  });
  it('refuses something that is not a Ghost export with a clear message', () => {
    assert.throws(() => parseGhostExport('{"db": []}'), /Not a Ghost export/);
    assert.throws(() => parseGhostExport('<html>'), /not JSON/);
  });
  it('turns mobiledoc markups, lists and cards into HTML the converter keeps', () => {
    const ghost = JSON.parse(read('masthead-ghost-5.json')) as { db: Array<{ data: { posts: Array<{ mobiledoc: string | null }> } }> };
    const html = mobiledocToHtml(ghost.db[0]!.data.posts[1]!.mobiledoc)!;
    const doc = htmlToDocument(html).document;
    assert.deepEqual(
      doc.blocks.map((b) => b.type),
      ['paragraph', 'heading', 'list', 'blockquote', 'paragraph'],
      'the image card needs its file (not resolved here), the iframe is dropped',
    );
    assert.match(JSON.stringify(doc), /"href":"https:\/\/town.example.org\/market"/);
  });
});

for (const { dialect, skip } of await testDialects()) {
  describe(`Ghost import (${dialect})`, { skip }, () => {
    let site: TestSite;
    const lines: ImportLine[] = [];
    const media = mediaFolder(FIXTURES);
    const importAll = async (into: ImportLine[]) => {
      for (const name of EXPORTS) await importGhostExport(site.deps, read(name), { media, onLine: (l) => into.push(l) });
    };
    const count = async (table: 'articles' | 'authors' | 'sections' | 'tags' | 'images' | 'redirects') =>
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

    it('imports posts and pages with their authors and public tags', async () => {
      assert.equal(await count('articles'), 6);
      assert.deepEqual(
        (await site.deps.db.selectFrom('authors').select('name').orderBy('name').execute()).map((a) => a.name),
        ['Lena Fischer', 'Omar Haddad'],
      );
      assert.deepEqual(
        (await site.deps.db.selectFrom('tags').select('name').orderBy('name').execute()).map((t) => t.name),
        ['Climate', 'Getting Started', 'Rivers', 'Town life'],
      );
      assert.equal(await count('sections'), 1, 'Ghost has no sections: a fresh site gets "news"');
      const river = await story('river-levels-rise');
      const bylines = await site.deps.db
        .selectFrom('article_authors as aa')
        .innerJoin('authors as a', 'a.id', 'aa.author_id')
        .select('a.name')
        .where('aa.article_id', '=', river.id)
        .orderBy('aa.position')
        .execute();
      assert.deepEqual(
        bylines.map((b) => b.name),
        ['Lena Fischer', 'Omar Haddad'],
      );
    });

    it('keeps a Lexical body: marks, links, headings, lists, quotes, figures, HTML and Markdown cards; scripts and frames go', async () => {
      const river = await story('river-levels-rise');
      const body = JSON.parse(river.body) as ArticleDocument;
      assert.deepEqual(
        body.blocks.map((b) => b.type),
        [
          'paragraph',
          'heading',
          'list',
          'blockquote',
          'figure',
          'paragraph',
          'heading',
          'paragraph',
          'paragraph',
          'paragraph',
          'paragraph',
        ],
      );
      const text = river.body;
      assert.match(text, /"bold"/);
      assert.match(text, /"italic"/);
      assert.match(text, /https:\/\/water.example.gov\/gauges/);
      assert.match(text, /The bank at 7 a.m./);
      assert.match(text, /Chart note: levels in cm./);
      assert.match(text, /Method/);
      assert.match(text, /Drone footage of the river/);
      assert.match(text, /Kept text of an unknown card/);
      assert.doesNotMatch(text, /tracker|charts\.example\.com|youtube\.com\/embed/);
      const hero = await site.deps.db.selectFrom('images').selectAll().where('id', '=', river.hero_image_id!).executeTakeFirstOrThrow();
      assert.equal(hero.alt_text, 'Market stalls under a grey sky');
      assert.equal(hero.caption, 'The square before the rain. Photo: L. Fischer');
      assert.equal(hero.original_filename, 'market.jpg');
    });

    it('keeps publication times and statuses: drafts and scheduled posts are drafts', async () => {
      assert.equal((await story('river-levels-rise')).published_at, '2023-02-14T09:30:00.000Z');
      assert.equal((await story('market-reopens')).published_at, '2022-11-03T18:00:00.000Z');
      assert.equal((await story('welcome-to-ghost')).published_at, '2013-12-29T11:58:30.783Z', 'epoch milliseconds of Ghost 0.x');
      assert.equal((await story('budget-notes')).status, 'draft');
      const scheduled = await story('embargoed-preview');
      assert.equal(scheduled.status, 'draft');
      const line = lines.find((l) => l.kind === 'story' && l.headline === 'Embargoed preview');
      assert.match(line?.notes?.join(' ') ?? '', /Scheduled in Ghost/);
    });

    it('reads the old Markdown-era post with its pictures from the media folder', async () => {
      const welcome = await story('welcome-to-ghost');
      const body = JSON.parse(welcome.body) as ArticleDocument;
      assert.equal(body.blocks.filter((b) => b.type === 'figure').length, 3);
      assert.ok(welcome.hero_image_id);
    });

    it('answers each old /slug/ with a 301 to a page that answers 200; a draft stays 404', async () => {
      for (const url of ['/river-levels-rise/', '/market-reopens/', '/about/', '/welcome-to-ghost/', '/river-levels-rise']) {
        const res = await site.app.inject({ method: 'GET', url });
        assert.equal(res.statusCode, 301, url);
        assert.match(res.headers['cache-control'] as string, /public/, 'the redirect is cacheable');
        const page = await site.app.inject({ method: 'GET', url: res.headers.location as string });
        assert.equal(page.statusCode, 200, `${url} → ${res.headers.location}`);
      }
      assert.equal((await site.app.inject({ method: 'GET', url: '/budget-notes/' })).statusCode, 404);
      assert.equal((await site.app.inject({ method: 'GET', url: '/embargoed-preview/' })).statusCode, 404);
    });

    it('importing again changes nothing and duplicates nothing', async () => {
      const before = { articles: await count('articles'), images: await count('images'), redirects: await count('redirects') };
      const again: ImportLine[] = [];
      await importAll(again);
      const stories = again.filter((l) => l.kind === 'story');
      assert.equal(stories.length, 6);
      assert.ok(stories.every((l) => l.status === 'unchanged'));
      assert.deepEqual({ articles: await count('articles'), images: await count('images'), redirects: await count('redirects') }, before);
    });
  });
}
