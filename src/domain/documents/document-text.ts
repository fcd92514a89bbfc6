import type { ArticleDocument, Inline } from './document-schema.ts';

export function inlineText(content: readonly Inline[]): string {
  let out = '';
  for (const node of content) out += node.type === 'text' ? node.text : node.content.map((t) => t.text).join('');
  return out;
}

/** Plain text of a document, one block per line, for search, similarity and excerpts. */
export function documentText(doc: ArticleDocument): string {
  const lines: string[] = [];
  for (const block of doc.blocks) {
    switch (block.type) {
      case 'paragraph':
      case 'heading':
        lines.push(inlineText(block.content));
        break;
      case 'list':
        for (const item of block.items) lines.push(inlineText(item));
        break;
      case 'blockquote':
        for (const para of block.content) lines.push(inlineText(para));
        if (block.attribution) lines.push(block.attribution);
        break;
      case 'pullquote':
        lines.push(block.text);
        break;
      case 'figure':
        if (block.caption) lines.push(block.caption);
        break;
      case 'embed':
        if (block.title) lines.push(block.title);
        break;
      default: {
        const exhaustive: never = block;
        throw new Error(`unknown block ${JSON.stringify(exhaustive)}`);
      }
    }
  }
  return lines.join('\n');
}

/** Word count of a document's reading text. */
export function wordCount(text: string): number {
  const m = text.match(/[\p{L}\p{N}’'-]+/gu);
  return m ? m.length : 0;
}
