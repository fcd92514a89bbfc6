import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ValidationError } from '../errors.ts';
import { parseArticleDocument, type ArticleDocument } from './document-schema.ts';

const validDoc: ArticleDocument = {
  version: 1,
  blocks: [
    {
      type: 'paragraph',
      content: [
        { type: 'text', text: 'Hello ' },
        { type: 'text', text: 'world', marks: ['bold', 'italic'] },
      ],
    },
    { type: 'heading', level: 2, content: [{ type: 'text', text: 'What happened' }] },
    {
      type: 'list',
      ordered: false,
      items: [[{ type: 'text', text: 'one' }], [{ type: 'link', href: '/world/x', content: [{ type: 'text', text: 'two' }] }]],
    },
    { type: 'blockquote', content: [[{ type: 'text', text: 'It is barbaric.' }]], attribution: 'John Kirby' },
    { type: 'pullquote', text: 'A pull quote', attribution: 'Someone' },
    { type: 'figure', imageId: 'img-1', caption: 'A caption', alt: 'Alt text' },
    { type: 'embed', url: 'https://example.com/video', provider: 'Example', title: 'A video' },
    {
      type: 'paragraph',
      content: [
        { type: 'link', href: 'https://example.com/a?b=c', content: [{ type: 'text', text: 'https' }] },
        { type: 'link', href: 'mailto:desk@example.com', content: [{ type: 'text', text: 'mail' }] },
        { type: 'link', href: '#comments', content: [{ type: 'text', text: 'anchor' }] },
      ],
    },
  ],
};

/** Asserts that parsing fails with a ValidationError whose message names `path` and returns it. */
function rejects(doc: unknown, path: string | RegExp): ValidationError {
  let caught: unknown;
  try {
    parseArticleDocument(doc);
  } catch (err) {
    caught = err;
  }
  assert.ok(caught instanceof ValidationError, `expected a ValidationError, got ${String(caught)}`);
  assert.equal(caught.code, 'validation_failed');
  if (typeof path === 'string') assert.ok(caught.message.includes(path), `message ${JSON.stringify(caught.message)} should name ${path}`);
  else assert.match(caught.message, path);
  return caught;
}

function paragraphWith(inline: unknown): unknown {
  return {
    version: 1,
    blocks: [
      { type: 'paragraph', content: [{ type: 'text', text: 'ok' }] },
      { type: 'paragraph', content: [inline] },
    ],
  };
}

describe('parseArticleDocument', () => {
  it('accepts a document using every block type and returns it unchanged', () => {
    assert.deepEqual(parseArticleDocument(validDoc), validDoc);
  });

  it('accepts an empty document', () => {
    assert.deepEqual(parseArticleDocument({ version: 1, blocks: [] }), { version: 1, blocks: [] });
  });

  it('rejects a javascript: link and names the link node', () => {
    const err = rejects(
      paragraphWith({ type: 'link', href: 'javascript:alert(1)', content: [{ type: 'text', text: 'x' }] }),
      'blocks[1] (paragraph).content[0].href',
    );
    assert.match(err.message, /link must be/);
    assert.equal(err.issues[0]?.path, 'blocks[1] (paragraph).content[0].href');
  });

  it('rejects other script-capable and protocol-relative hrefs', () => {
    for (const href of [
      'JavaScript:alert(1)',
      ' javascript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'vbscript:msgbox',
      '//evil.example/x',
      'not a url',
    ]) {
      rejects(paragraphWith({ type: 'link', href, content: [{ type: 'text', text: 'x' }] }), 'content[0].href');
    }
  });

  it('rejects a javascript: embed url', () => {
    rejects({ version: 1, blocks: [{ type: 'embed', url: 'javascript:alert(1)' }] }, 'blocks[0] (embed).url');
  });

  it('rejects an unknown block type and names the block', () => {
    rejects(
      {
        version: 1,
        blocks: [
          { type: 'paragraph', content: [{ type: 'text', text: 'ok' }] },
          { type: 'script', src: 'x' },
        ],
      },
      'blocks[1] (script)',
    );
  });

  it('rejects empty text and names the text node', () => {
    const err = rejects(paragraphWith({ type: 'text', text: '' }), 'blocks[1] (paragraph).content[0].text');
    assert.match(err.message, /text must not be empty/);
  });

  it('rejects a paragraph with no content', () => {
    rejects({ version: 1, blocks: [{ type: 'paragraph', content: [] }] }, 'blocks[0] (paragraph).content');
  });

  it('rejects heading levels outside 2–4', () => {
    for (const level of [1, 5, '2']) {
      rejects({ version: 1, blocks: [{ type: 'heading', level, content: [{ type: 'text', text: 'H' }] }] }, 'blocks[0] (heading).level');
    }
  });

  it('rejects unknown properties (strict objects), e.g. an html field smuggled into a block', () => {
    rejects(
      { version: 1, blocks: [{ type: 'paragraph', content: [{ type: 'text', text: 'x' }], html: '<b>x</b>' }] },
      'blocks[0] (paragraph)',
    );
  });

  it('rejects unknown marks', () => {
    rejects(paragraphWith({ type: 'text', text: 'x', marks: ['script'] }), 'blocks[1] (paragraph).content[0].marks[0]');
  });

  it('rejects a wrong version and non-objects at the document level', () => {
    rejects({ version: 2, blocks: [] }, 'version');
    for (const bad of [null, 'text', 42, []]) assert.throws(() => parseArticleDocument(bad), ValidationError);
  });
});
