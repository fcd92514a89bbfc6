import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ArticleDocument } from '../domain/documents/document-schema.ts';
import type { Image } from '../domain/media/image.ts';
import { renderDocument, renderInlines } from './document-view.ts';

const XSS = '<script>alert(1)</script>';
const ATTR = '" onerror="alert(1)';

const image: Image = {
  id: 'img-1',
  storageKey: 'key-1',
  mimeType: 'image/jpeg',
  width: 1600,
  height: 900,
  renditionWidths: [320, 640, 960, 1280, 1600],
  altText: 'Default alt',
  caption: 'Default caption',
  credit: 'Mikhail Metzel/AP',
  copyrightNotice: 'Copyright 2010 The Associated Press. All rights reserved.',
  creator: 'Mikhail Metzel',
};

function render(blocks: ArticleDocument['blocks'], images: ReadonlyMap<string, Image> = new Map()): string {
  return renderDocument({ version: 1, blocks }, images).value;
}

/** No hostile payload survives as markup: no tag, no attribute break-out, no script URL. */
function assertInert(out: string): void {
  assert.ok(!out.includes('<script'), `raw <script> in ${out}`);
  // Breaking out of an attribute needs a raw quote; escaped text reads `&quot; onerror=`.
  assert.ok(!/["']\s+on\w+\s*=/i.test(out), `event-handler attribute in ${out}`);
  assert.ok(!/href="\s*(javascript|data|vbscript):/i.test(out), `script URL in ${out}`);
}

describe('renderDocument', () => {
  it('renders each block type to the expected markup', () => {
    const out = render([
      {
        type: 'paragraph',
        content: [
          { type: 'text', text: 'Hello ' },
          { type: 'text', text: 'bold', marks: ['bold'] },
          { type: 'text', text: 'both', marks: ['italic', 'bold'] },
        ],
      },
      { type: 'heading', level: 3, content: [{ type: 'text', text: 'Sub' }] },
      { type: 'list', ordered: true, items: [[{ type: 'text', text: 'one' }]] },
      { type: 'blockquote', content: [[{ type: 'text', text: 'Quoted' }]], attribution: 'John Kirby' },
      { type: 'pullquote', text: 'Pulled', attribution: 'Someone' },
    ]);
    assert.ok(out.includes('<p>Hello <strong>bold</strong><strong><em>both</em></strong></p>'), out);
    assert.ok(out.includes('<h3>Sub</h3>'), out);
    assert.ok(out.includes('<ol><li>one</li></ol>'), out);
    assert.ok(
      out.includes('<blockquote><p>Quoted</p></blockquote><figcaption class="quote__by">— <cite>John Kirby</cite></figcaption>'),
      out,
    );
    assert.ok(
      out.includes('<aside class="pullquote"><blockquote><p>Pulled</p></blockquote><p class="pullquote__by">— Someone</p></aside>'),
      out,
    );
  });

  it('escapes hostile text in every text-bearing block', () => {
    const out = render([
      { type: 'paragraph', content: [{ type: 'text', text: XSS }] },
      { type: 'heading', level: 2, content: [{ type: 'text', text: XSS, marks: ['bold'] }] },
      { type: 'list', ordered: false, items: [[{ type: 'text', text: XSS }]] },
      { type: 'blockquote', content: [[{ type: 'text', text: XSS }]], attribution: XSS },
      { type: 'pullquote', text: XSS, attribution: XSS },
      { type: 'embed', url: 'https://example.com/v', title: XSS, provider: XSS },
    ]);
    assertInert(out);
    assert.equal(out.split('&lt;script&gt;alert(1)&lt;/script&gt;').length - 1, 9);
  });

  it('escapes hostile link hrefs and link text so they cannot break out of the attribute', () => {
    const out = renderInlines([{ type: 'link', href: `https://example.com/${ATTR}`, content: [{ type: 'text', text: XSS }] }]).value;
    assertInert(out);
    assert.ok(out.includes('href="https://example.com/&quot; onerror=&quot;alert(1)"'), out);
    assert.ok(out.includes('rel="noopener"'), out);
  });

  it('drops the link (keeping its text) when an unvalidated document carries a javascript: href', () => {
    for (const href of ['javascript:alert(1)', 'JAVASCRIPT:alert(1)', 'data:text/html,x', '//evil.example/']) {
      const out = renderInlines([{ type: 'link', href, content: [{ type: 'text', text: 'click' }] }]).value;
      assert.equal(out, 'click', `href ${href} rendered as ${out}`);
    }
    const embed = render([{ type: 'embed', url: 'javascript:alert(1)', title: 'Video' }]);
    assertInert(embed);
    assert.ok(embed.includes('href="#"'), embed);
  });

  it('keeps internal and mailto links', () => {
    assert.equal(
      renderInlines([{ type: 'link', href: '/world/story', content: [{ type: 'text', text: 'x' }] }]).value,
      '<a href="/world/story">x</a>',
    );
    assert.equal(
      renderInlines([{ type: 'link', href: 'mailto:a@b.c', content: [{ type: 'text', text: 'x' }] }]).value,
      '<a href="mailto:a@b.c">x</a>',
    );
  });

  it('renders a figure with the image record’s caption and credit line, and escapes overrides', () => {
    const images = new Map([[image.id, image]]);
    const out = render([{ type: 'figure', imageId: image.id }], images);
    assert.ok(out.includes('<span class="caption" dir="auto">Default caption</span>'), out);
    assert.ok(out.includes('<span class="credit" dir="auto">Copyright Mikhail Metzel/AP2010</span>'), out);
    assert.ok(out.includes('alt="Default alt"'), out);
    assert.ok(out.includes('/media/key-1/w960.jpg'), out);

    const hostile = render([{ type: 'figure', imageId: image.id, caption: XSS, alt: ATTR, credit: XSS }], images);
    assertInert(hostile);
    assert.ok(hostile.includes('alt="&quot; onerror=&quot;alert(1)"'), hostile);
  });

  it('renders nothing for a figure whose image no longer exists', () => {
    assert.equal(render([{ type: 'figure', imageId: 'gone' }]), '');
  });
});
