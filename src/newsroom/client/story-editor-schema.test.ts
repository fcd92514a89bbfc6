import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { getSchema } from '@tiptap/core';
import { markdownToDocument } from '../../domain/documents/document-markdown.ts';
import { documentToProseMirror, proseMirrorToDocument } from '../../domain/documents/document-prosemirror.ts';
import { DEMO_CONTENT_DIR } from '../../paths.ts';
import { isAllowedHref, storyEditorExtensions } from './story-editor-schema.ts';

/*
 * The browser editor's schema and the server converter must describe the same documents:
 * what the converter writes must load in the editor unchanged, and what the editor writes
 * back must convert to the same article document.
 */
describe('story editor schema matches the server converter', () => {
  const schema = getSchema(storyEditorExtensions());

  it('defines exactly the node and mark types the converter knows', () => {
    assert.deepEqual(Object.keys(schema.marks).sort(), ['bold', 'italic', 'link']);
    for (const n of [
      'doc',
      'paragraph',
      'heading',
      'bulletList',
      'orderedList',
      'listItem',
      'quote',
      'quoteAttribution',
      'pullquote',
      'pullquoteText',
      'figure',
      'embed',
      'text',
    ]) {
      assert.ok(schema.nodes[n], `editor schema has ${n}`);
    }
    for (const n of ['blockquote', 'codeBlock', 'hardBreak', 'horizontalRule', 'image'])
      assert.equal(schema.nodes[n], undefined, `no ${n} node`);
  });

  it('loads the seed article as written by the converter, and writes back the same document', () => {
    const original = markdownToDocument(fs.readFileSync(path.join(DEMO_CONTENT_DIR, 'seed-article.md'), 'utf8'));
    const json = documentToProseMirror({
      ...original,
      blocks: [
        ...original.blocks,
        { type: 'pullquote', text: 'Pulled', attribution: 'Kirby' },
        { type: 'figure', imageId: 'img-1', caption: 'Caption' },
        { type: 'embed', url: 'https://example.com/v' },
      ],
    });
    const node = schema.nodeFromJSON(json);
    node.check(); // throws when the content breaks the schema
    const back = proseMirrorToDocument(node.toJSON());
    assert.deepEqual(back.blocks.slice(0, original.blocks.length), original.blocks);
    assert.deepEqual(back.blocks.slice(original.blocks.length), [
      { type: 'pullquote', text: 'Pulled', attribution: 'Kirby' },
      { type: 'figure', imageId: 'img-1', caption: 'Caption' },
      { type: 'embed', url: 'https://example.com/v' },
    ]);
  });

  it('fills a new quotation with an empty attribution line (what the editor inserts)', () => {
    const quote = schema.nodes.quote!.createAndFill()!;
    assert.deepEqual(quote.toJSON(), { type: 'quote', content: [{ type: 'paragraph' }, { type: 'quoteAttribution' }] });
  });

  it('allows only the link schemes the server accepts', () => {
    for (const ok of ['https://example.com', 'http://x.example/a', 'mailto:a@b.example', '/world/x', '#top'])
      assert.ok(isAllowedHref(ok), ok);
    for (const bad of ['javascript:alert(1)', 'data:text/html,x', '//evil.example', 'ftp://x', '#', ''])
      assert.ok(!isAllowedHref(bad), bad);
  });
});
