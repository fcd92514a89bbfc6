import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { DEMO_CONTENT_DIR } from '../../paths.ts';
import { ValidationError } from '../errors.ts';
import { markdownToDocument } from './document-markdown.ts';
import { documentToProseMirror, proseMirrorToDocument, type PmNode } from './document-prosemirror.ts';
import type { ArticleDocument } from './document-schema.ts';

const everyBlock: ArticleDocument = {
  version: 1,
  blocks: [
    {
      type: 'paragraph',
      content: [
        { type: 'text', text: 'Hello ' },
        { type: 'text', text: 'world', marks: ['bold', 'italic'] },
        { type: 'text', text: '.' },
      ],
    },
    { type: 'heading', level: 3, content: [{ type: 'text', text: 'What happened' }] },
    {
      type: 'list',
      ordered: true,
      items: [
        [{ type: 'text', text: 'one' }],
        [
          {
            type: 'link',
            href: '/world/x',
            content: [
              { type: 'text', text: 'two' },
              { type: 'text', text: ' bold', marks: ['bold'] },
            ],
          },
        ],
      ],
    },
    { type: 'list', ordered: false, items: [[{ type: 'text', text: 'bullet' }]] },
    {
      type: 'blockquote',
      content: [[{ type: 'text', text: 'It is barbaric.' }], [{ type: 'text', text: 'Second.', marks: ['italic'] }]],
      attribution: 'John Kirby',
    },
    { type: 'blockquote', content: [[{ type: 'text', text: 'Unattributed.' }]] },
    { type: 'pullquote', text: 'A pull quote', attribution: 'Someone' },
    { type: 'pullquote', text: 'Alone' },
    { type: 'figure', imageId: 'img-1', caption: 'A caption', credit: 'AP', alt: 'Alt text' },
    { type: 'figure', imageId: 'img-2' },
    { type: 'embed', url: 'https://example.com/video', provider: 'Example', title: 'A video' },
    {
      type: 'paragraph',
      content: [
        { type: 'link', href: 'https://example.com/a?b=c', content: [{ type: 'text', text: 'https' }] },
        { type: 'text', text: ' and ' },
        { type: 'link', href: 'mailto:desk@example.com', content: [{ type: 'text', text: 'mail' }] },
      ],
    },
  ],
};

function refused(value: unknown, pathPart: string, messagePart?: RegExp): ValidationError {
  let caught: unknown;
  try {
    proseMirrorToDocument(value);
  } catch (err) {
    caught = err;
  }
  assert.ok(caught instanceof ValidationError, `expected a ValidationError, got ${String(caught)}`);
  assert.ok(caught.message.includes(pathPart), `message ${JSON.stringify(caught.message)} should name ${pathPart}`);
  if (messagePart) assert.match(caught.message, messagePart);
  return caught;
}

const doc = (...content: unknown[]) => ({ type: 'doc', content });
const para = (...content: unknown[]) => ({ type: 'paragraph', content });
const text = (t: string, marks?: unknown[]) => (marks ? { type: 'text', text: t, marks } : { type: 'text', text: t });

describe('ProseMirror ⇄ ArticleDocument', () => {
  it('round-trips every block type unchanged', () => {
    assert.deepEqual(proseMirrorToDocument(documentToProseMirror(everyBlock)), everyBlock);
  });

  it('round-trips the seed article and its related stories (demo content)', () => {
    const files = fs.readdirSync(DEMO_CONTENT_DIR).filter((f) => f.endsWith('.md'));
    assert.ok(files.includes('seed-article.md'));
    for (const file of files) {
      const original = markdownToDocument(fs.readFileSync(path.join(DEMO_CONTENT_DIR, file), 'utf8'));
      const pm = documentToProseMirror(original);
      // JSON in between, as the browser sends it.
      const back = proseMirrorToDocument(JSON.parse(JSON.stringify(pm)));
      assert.deepEqual(back, original, file);
      if (file === 'seed-article.md') {
        const quotes = back.blocks.filter((b) => b.type === 'blockquote');
        assert.ok(quotes.length >= 3, 'the seed article has its quotations');
        assert.ok(quotes.some((q) => q.type === 'blockquote' && q.attribution?.startsWith('John Kirby')));
      }
    }
  });

  it('writes quotations as quote > paragraphs + attribution, and marks in the editor shape', () => {
    const pm = documentToProseMirror(everyBlock);
    const quote = pm.content![4]!;
    assert.equal(quote.type, 'quote');
    assert.deepEqual(
      quote.content!.map((n) => n.type),
      ['paragraph', 'paragraph', 'quoteAttribution'],
    );
    assert.deepEqual(quote.content![2], { type: 'quoteAttribution', content: [{ type: 'text', text: 'John Kirby' }] });
    assert.deepEqual(pm.content![0]!.content![1], { type: 'text', text: 'world', marks: [{ type: 'bold' }, { type: 'italic' }] });
    const linked = pm.content![2]!.content![1]!.content![0]!.content!;
    assert.deepEqual(linked[1], { type: 'text', text: ' bold', marks: [{ type: 'bold' }, { type: 'link', attrs: { href: '/world/x' } }] });
    assert.deepEqual(documentToProseMirror({ version: 1, blocks: [] }), { type: 'doc', content: [{ type: 'paragraph' }] });
  });

  it('drops empty blocks the editor leaves behind and merges neighbouring runs of one link', () => {
    const result = proseMirrorToDocument(
      doc(
        { type: 'paragraph' },
        para(
          text('Linked', [{ type: 'link', attrs: { href: 'https://a.example' } }]),
          text(' words', [{ type: 'italic' }, { type: 'link', attrs: { href: 'https://a.example' } }]),
        ),
        { type: 'quote', content: [{ type: 'paragraph' }, { type: 'quoteAttribution', content: [text('Nobody')] }] },
        { type: 'pullquote', content: [{ type: 'pullquoteText' }, { type: 'quoteAttribution' }] },
        { type: 'bulletList', content: [{ type: 'listItem', content: [{ type: 'paragraph' }] }] },
        { type: 'heading', attrs: { level: 2 } },
        para(text('   ')),
        { type: 'orderedList', attrs: { start: 1, type: null }, content: [{ type: 'listItem', content: [para(text('kept'))] }] },
      ),
    );
    assert.deepEqual(result.blocks, [
      {
        type: 'paragraph',
        content: [
          {
            type: 'link',
            href: 'https://a.example',
            content: [
              { type: 'text', text: 'Linked' },
              { type: 'text', text: ' words', marks: ['italic'] },
            ],
          },
        ],
      },
      { type: 'list', ordered: true, items: [[{ type: 'text', text: 'kept' }]] },
    ]);
  });

  it('treats blank caption, credit and alt as "use the image\'s own"', () => {
    const result = proseMirrorToDocument(doc({ type: 'figure', attrs: { imageId: 'img', caption: '  ', credit: null, alt: '' } }));
    assert.deepEqual(result.blocks, [{ type: 'figure', imageId: 'img' }]);
  });

  it('refuses unknown node types, naming the path', () => {
    refused(doc(para(text('ok')), { type: 'table', content: [] }), 'body.content[1].type', /unknown node type "table"/);
    refused(doc(para(text('a'), { type: 'hardBreak' })), 'body.content[0].content[1].type', /unknown node type "hardBreak"/);
    refused(doc(para(text('a'), { type: 'image', attrs: { src: 'x' } })), 'body.content[0].content[1].type');
    refused({ type: 'paragraph' }, 'body.type', /expected doc/);
    refused(doc({ type: 'listItem', content: [para(text('x'))] }), 'body.content[0].type', /cannot stand on its own/);
    refused(
      doc({ type: 'quote', content: [{ type: 'heading', attrs: { level: 2 }, content: [text('x')] }] }),
      'body.content[0].content[0].type',
    );
    refused(null, 'body');
    refused('<p>html</p>', 'body');
  });

  it('refuses unknown marks and attributes, naming the path', () => {
    refused(doc(para(text('u', [{ type: 'underline' }]))), 'body.content[0].content[0].marks[0].type', /unknown mark type "underline"/);
    refused(doc(para(text('c', [{ type: 'bold', attrs: { color: 'red' } }]))), 'body.content[0].content[0].marks[0].attrs.color');
    refused(
      doc({ type: 'paragraph', attrs: { style: 'color:red' }, content: [text('x')] }),
      'body.content[0].attrs.style',
      /unknown attribute/,
    );
    refused(doc({ type: 'figure', attrs: { imageId: 'i', src: 'https://evil.example/x.png' } }), 'body.content[0].attrs.src');
    refused(doc({ type: 'paragraph', content: [text('x')], html: '<b>' }), 'body.content[0].html', /unknown node property/);
    refused(doc({ type: 'heading', attrs: { level: 1 }, content: [text('x')] }), 'body.content[0].attrs.level');
    refused(doc({ type: 'figure', attrs: { imageId: '' } }), 'body.content[0].attrs.imageId', /needs an image/);
    refused(
      doc({
        type: 'pullquote',
        content: [{ type: 'pullquoteText', content: [text('x', [{ type: 'bold' }])] }, { type: 'quoteAttribution' }],
      }),
      'body.content[0].content[0].content[0].marks',
      /cannot be formatted/,
    );
  });

  it('accepts only http(s), mailto and site links; script and data URLs are refused', () => {
    for (const href of [
      'javascript:alert(1)',
      'JAVASCRIPT:alert(1)',
      'data:text/html,<script>',
      'vbscript:x',
      '//evil.example/x',
      'ftp://x.example',
      '',
    ]) {
      refused(
        doc(para(text('x', [{ type: 'link', attrs: { href } }]))),
        'body.content[0].content[0].marks[0].attrs.href',
        /http\(s\) or mailto/,
      );
    }
    refused(doc({ type: 'embed', attrs: { url: 'javascript:alert(1)' } }), 'body.content[0].attrs.url');
    const ok = proseMirrorToDocument(doc(para(text('x', [{ type: 'link', attrs: { href: 'HTTPS://Example.com/A' } }]))));
    assert.equal(ok.blocks[0]!.type, 'paragraph');
  });

  it('refuses nested lists and over-long text with a readable message', () => {
    const nested = {
      type: 'listItem',
      content: [para(text('a')), { type: 'bulletList', content: [{ type: 'listItem', content: [para(text('b'))] }] }],
    };
    refused(doc({ type: 'bulletList', content: [nested] }), 'body.content[0].content[0].content', /nested lists/);
    refused(doc(para(text('x'.repeat(20001)))), 'body.content[0].content[0].text', /20000/);
    refused(
      doc({ type: 'pullquote', content: [{ type: 'pullquoteText', content: [text('x'.repeat(601))] }, { type: 'quoteAttribution' }] }),
      'body.content[0]',
      /600/,
    );
  });

  it('never lets text become markup: angle brackets stay text', () => {
    const result = proseMirrorToDocument(doc(para(text('<script>alert(1)</script>'))));
    assert.deepEqual(result.blocks[0], { type: 'paragraph', content: [{ type: 'text', text: '<script>alert(1)</script>' }] });
    const pm: PmNode = documentToProseMirror(result);
    assert.equal(pm.content![0]!.content![0]!.text, '<script>alert(1)</script>');
  });
});
