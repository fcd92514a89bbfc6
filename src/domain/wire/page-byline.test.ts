import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { Readability } from '@mozilla/readability';
import { fixturesSkip, READABILITY_DIR } from '../../../test/support/wire-test-support.ts';
import { extractPage } from './html-import.ts';
import { parseHtmlDom } from './html-to-document.ts';
import { bylineNames } from './ninjs-mapping.ts';
import { pageAuthors } from './page-byline.ts';

const fixtures = fixturesSkip(READABILITY_DIR);
const TEXT = `<p>${'The council met on Tuesday to debate the budget for schools, roads and parks across the city. '.repeat(12)}</p>`;
const page = (head: string, body: string) =>
  `<!doctype html><html lang="en"><head><title>Council approves budget</title>${head}</head><body>${body}</body></html>`;
const article = `<article><h1>Council approves budget</h1>${TEXT}${TEXT}</article>`;
const ld = (value: unknown) => `<script type="application/ld+json">${JSON.stringify(value)}</script>`;
const readabilityByline = (html: string) => new Readability(parseHtmlDom(html)).parse()?.byline?.trim() || null;

describe('byline fallbacks when Readability finds none', () => {
  it('reads JSON-LD authors Readability cannot: an array @type, name strings, @id references into the graph', () => {
    const cases: Array<[string, string, string[]]> = [
      [
        'array @type with two people',
        page(
          ld({
            '@context': 'https://schema.org',
            '@type': ['NewsArticle'],
            headline: 'Council approves budget',
            author: [
              { '@type': 'Person', name: 'Jane Doe' },
              { '@type': 'Person', name: ' John  Roe ' },
            ],
          }),
          article,
        ),
        ['Jane Doe', 'John Roe'],
      ],
      [
        'a plain name string',
        page(ld({ '@context': 'https://schema.org', '@type': 'NewsArticle', author: 'Jane Doe' }), article),
        ['Jane Doe'],
      ],
      [
        'a graph whose article points at a Person by @id (as SEO plugins write it)',
        page(
          ld({
            '@context': 'https://schema.org',
            '@graph': [
              { '@type': 'WebSite', '@id': 'https://example.org/#website', name: 'Example Gazette' },
              { '@type': 'Article', '@id': 'https://example.org/a#article', author: { '@id': 'https://example.org/#/person/1' } },
              { '@type': 'Person', '@id': 'https://example.org/#/person/1', name: 'Jane Doe' },
            ],
          }),
          article,
        ),
        ['Jane Doe'],
      ],
      [
        'a CDATA-wrapped block',
        page(
          `<script type="application/ld+json">//<![CDATA[\n${JSON.stringify({ '@context': 'http://schema.org', '@type': 'BlogPosting', author: ['Jane Doe'] })}\n//]]></script>`,
          article,
        ),
        ['Jane Doe'],
      ],
    ];
    for (const [name, html, expected] of cases) {
      assert.equal(readabilityByline(html), null, `${name}: Readability alone finds no byline`);
      const { metadata, authorNames } = extractPage(html);
      assert.deepEqual(authorNames, expected, name);
      assert.equal(metadata.bylineSource, 'json-ld', name);
      assert.equal(metadata.byline, expected.join(', '), name);
    }
  });

  it('takes people over organisations, and never a commenter or reviewer for the author', () => {
    const html = page(
      ld([
        { '@context': 'https://schema.org', '@type': 'Comment', author: { '@type': 'Person', name: 'A Reader' } },
        {
          '@context': 'https://schema.org',
          '@type': ['ReportageNewsArticle'],
          author: [
            { '@type': 'NewsMediaOrganization', name: 'Example Gazette' },
            { '@type': 'Person', name: 'Jane Doe' },
          ],
        },
      ]),
      article,
    );
    assert.deepEqual(extractPage(html).authorNames, ['Jane Doe']);
    const orgOnly = page(
      ld({ '@context': 'https://schema.org', '@type': ['NewsArticle'], author: { '@type': 'Organization', name: 'Example Gazette' } }),
      article,
    );
    assert.deepEqual(extractPage(orgOnly).authorNames, ['Example Gazette']);
  });

  it('falls back to <meta name="author"> when the page is not read as an article', () => {
    // No body text at all: Readability returns no article, and with it none of its metadata.
    const html = page('<meta name="Author" content="By Jane Doe and John Roe">', '');
    assert.equal(new Readability(parseHtmlDom(html)).parse(), null);
    const { metadata, authorNames } = extractPage(html);
    assert.deepEqual(authorNames, ['Jane Doe', 'John Roe']);
    assert.equal(metadata.bylineSource, 'meta');
  });

  it('falls back to rel="author" links Readability does not reach, preferring those inside the article', () => {
    // A byline bar class Readability strips as an unlikely candidate before it looks for bylines.
    const html = page(
      '',
      `<div class="sidebar"><a rel="author" href="/people/other">Someone Else</a></div>
       <article><div class="sidebar-meta"><a rel="nofollow author" href="/people/jane">By Jane Doe</a></div>
       <h1>Council approves budget</h1>${TEXT}${TEXT}</article>`,
    );
    assert.equal(readabilityByline(html), null);
    const { metadata, authorNames } = extractPage(html);
    assert.deepEqual(authorNames, ['Jane Doe']);
    assert.equal(metadata.bylineSource, 'rel-author');
  });

  it('orders the markers JSON-LD, then meta, then rel="author"; Readability’s own byline wins over all', () => {
    const all = page(
      `<meta name="author" content="Meta Person">${ld({ '@context': 'https://schema.org', '@type': ['Article'], author: 'Json Person' })}`,
      `<div class="sidebar"><a rel="author" href="/x">Link Person</a></div>`,
    );
    assert.deepEqual(pageAuthors(parseHtmlDom(all)), { names: ['Json Person'], source: 'json-ld' });
    const metaAndLink = page(
      '<meta name="author" content="Meta Person">',
      `<div class="sidebar"><a rel="author" href="/x">Link Person</a></div>`,
    );
    assert.deepEqual(pageAuthors(parseHtmlDom(metaAndLink)), { names: ['Meta Person'], source: 'meta' });
    const headOnly = page(
      `<meta name="author" content="Meta Person">${ld({ '@context': 'https://schema.org', '@type': ['Article'], author: 'Json Person' })}`,
      '',
    );
    assert.deepEqual(extractPage(headOnly).authorNames, ['Json Person']);
    const own = page(ld({ '@context': 'https://schema.org', '@type': 'NewsArticle', author: { name: 'Readability Reads This' } }), article);
    assert.deepEqual(extractPage(own).authorNames, ['Readability Reads This']);
    assert.equal(extractPage(own).metadata.bylineSource, 'page');
  });

  it('ignores profile links that name no one, and decodes entities some sites leave in JSON-LD', () => {
    const links = page(
      '',
      `<article><a rel="author" href="https://plus.google.com/+JaneDoe">Jane on Google+</a> <a rel="author" href="/a/jane">View all posts</a>
       <a rel="author" href="/people/jane">Jane Doe</a><h1>x</h1></article>`,
    );
    assert.deepEqual(pageAuthors(parseHtmlDom(links)), { names: ['Jane Doe'], source: 'rel-author' });
    const entities = page(
      ld({ '@context': 'https://schema.org', '@type': ['Article'], author: { name: 'Jos&#233; Mar&iacute;a &amp; Co' } }),
      '',
    );
    assert.deepEqual(pageAuthors(parseHtmlDom(entities))?.names, ['José María & Co']);
  });

  it('ignores URLs and empty values given as names', () => {
    const html = page(
      `<meta name="author" content="https://www.facebook.com/somebody">${ld({ '@context': 'https://schema.org', '@type': ['Article'], author: { '@type': 'Person', name: '' } })}`,
      '',
    );
    assert.deepEqual(extractPage(html).authorNames, []);
    assert.equal(extractPage(html).metadata.byline, null);
  });
});

describe('byline fallbacks on real pages', { skip: fixtures }, () => {
  // Each real page reduced to its <head> (as when the article body is missing or cannot be read):
  // Readability then returns nothing, and the head's own author markers must give the byline
  // the full page has. Which pages qualify is decided from their markup, not listed here.
  it('finds the byline of every real page whose head marks its author, once its body is gone', () => {
    let checked = 0;
    for (const name of fs.readdirSync(READABILITY_DIR).sort()) {
      const html = fs.readFileSync(path.join(READABILITY_DIR, name, 'source.html'), 'utf8');
      const meta = JSON.parse(fs.readFileSync(path.join(READABILITY_DIR, name, 'expected-metadata.json'), 'utf8')) as {
        byline: string | null;
      };
      const head = /<head[\s>][\s\S]*?<\/head>/i.exec(html)?.[0] ?? '';
      const marks = /<meta[^>]+name=["']author["']/i.test(head) || /<script[^>]*ld\+json[^>]*>[^<]*"author"/i.test(head);
      if (!meta.byline || !marks) continue;
      const headOnly = `<!doctype html><html>${head}<body></body></html>`;
      assert.equal(new Readability(parseHtmlDom(headOnly)).parse(), null, `${name}: no article left for Readability`);
      const { metadata, authorNames } = extractPage(headOnly);
      assert.deepEqual(authorNames, bylineNames(meta.byline), name);
      assert.notEqual(metadata.bylineSource, null, name);
      checked++;
    }
    assert.ok(checked >= 3, `${checked} real pages exercised the fallback`);
  });
});
