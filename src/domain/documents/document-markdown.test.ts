import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ValidationError } from '../errors.ts';
import { markdownToDocument } from './document-markdown.ts';
import { documentText } from './document-text.ts';

describe('markdownToDocument', () => {
  it('turns paragraphs, emphasis, links and headings into typed blocks', () => {
    const doc = markdownToDocument('Some **bold** and *italic* with a [link](https://example.com).\n\n## A heading\n\n# Top heading');
    assert.deepEqual(doc.blocks, [
      {
        type: 'paragraph',
        content: [
          { type: 'text', text: 'Some ' },
          { type: 'text', text: 'bold', marks: ['bold'] },
          { type: 'text', text: ' and ' },
          { type: 'text', text: 'italic', marks: ['italic'] },
          { type: 'text', text: ' with a ' },
          { type: 'link', href: 'https://example.com', content: [{ type: 'text', text: 'link' }] },
          { type: 'text', text: '.' },
        ],
      },
      { type: 'heading', level: 2, content: [{ type: 'text', text: 'A heading' }] },
      // An h1 inside a body would compete with the page headline; it is clamped to h2.
      { type: 'heading', level: 2, content: [{ type: 'text', text: 'Top heading' }] },
    ]);
  });

  it('turns a quote whose last line starts with an em dash into a blockquote with attribution', () => {
    const doc = markdownToDocument('> “It’s barbaric,” he said.\n>\n> Second paragraph.\n>\n> — John Kirby, White House spokesman');
    assert.deepEqual(doc.blocks, [
      {
        type: 'blockquote',
        content: [[{ type: 'text', text: '“It’s barbaric,” he said.' }], [{ type: 'text', text: 'Second paragraph.' }]],
        attribution: 'John Kirby, White House spokesman',
      },
    ]);
  });

  it('accepts en dash and double hyphen attributions too', () => {
    for (const dash of ['–', '--']) {
      const doc = markdownToDocument(`> Words.\n>\n> ${dash} Speaker Name`);
      const block = doc.blocks[0];
      assert.equal(block?.type, 'blockquote');
      assert.equal(block.type === 'blockquote' ? block.attribution : undefined, 'Speaker Name');
    }
  });

  it('keeps a quote without attribution as a plain blockquote', () => {
    const doc = markdownToDocument('> Just words.');
    assert.deepEqual(doc.blocks, [{ type: 'blockquote', content: [[{ type: 'text', text: 'Just words.' }]] }]);
  });

  it('turns [!pullquote] quotes into pull quotes, with and without attribution', () => {
    assert.deepEqual(markdownToDocument('> [!pullquote] Nothing will be the same.\n> — Maria Lindqvist').blocks, [
      { type: 'pullquote', text: 'Nothing will be the same.', attribution: 'Maria Lindqvist' },
    ]);
    assert.deepEqual(markdownToDocument('> [!PULLQUOTE] Only words').blocks, [{ type: 'pullquote', text: 'Only words' }]);
  });

  it('turns a lone image:<id> image into a figure with alt and caption', () => {
    const doc = markdownToDocument('![Conscripts in Moscow](image:abc-123 "Conscripts line up, 2010.")');
    assert.deepEqual(doc.blocks, [
      { type: 'figure', imageId: 'abc-123', alt: 'Conscripts in Moscow', caption: 'Conscripts line up, 2010.' },
    ]);
  });

  it('does not turn an ordinary web image into a figure', () => {
    const doc = markdownToDocument('![alt](https://example.com/x.jpg)');
    assert.ok(doc.blocks.every((b) => b.type !== 'figure'));
  });

  it('keeps raw HTML as literal text instead of markup', () => {
    const doc = markdownToDocument('<script>alert(1)</script>\n\nText with <b onclick="x()">inline</b> html.');
    const text = documentText(doc);
    assert.ok(text.includes('<script>alert(1)</script>'), text);
    assert.ok(text.includes('<b onclick="x()">inline</b>'), text);
    for (const block of doc.blocks) assert.equal(block.type, 'paragraph');
  });

  it('decodes the entities marked adds, so text is stored as plain text', () => {
    const doc = markdownToDocument('Tom & Jerry say "hi" and it\'s 5 > 3');
    assert.equal(documentText(doc), 'Tom & Jerry say "hi" and it\'s 5 > 3');
  });

  it('builds ordered and unordered lists', () => {
    const doc = markdownToDocument('1. one\n2. two\n\n- a\n- b');
    assert.deepEqual(doc.blocks, [
      { type: 'list', ordered: true, items: [[{ type: 'text', text: 'one' }], [{ type: 'text', text: 'two' }]] },
      { type: 'list', ordered: false, items: [[{ type: 'text', text: 'a' }], [{ type: 'text', text: 'b' }]] },
    ]);
  });

  it('rejects a javascript: link through document validation', () => {
    assert.throws(
      () => markdownToDocument('[click](javascript:alert(1))'),
      (err: unknown) => {
        assert.ok(err instanceof ValidationError);
        assert.match(err.message, /blocks\[0\] \(paragraph\)\.content\[0\]\.href/);
        return true;
      },
    );
  });
});
