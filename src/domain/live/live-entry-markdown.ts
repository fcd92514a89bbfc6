import type { ArticleDocument, Inline } from '../documents/document-schema.ts';

/*
 * An entry's body back to the Markdown the desk types (documents/document-markdown.ts reads it
 * again), so an edit starts from what was published. Embeds have no Markdown form: they are
 * kept as a note line the writer sees, and a save without them drops them.
 */

function inlines(content: readonly Inline[]): string {
  return content
    .map((node) => {
      if (node.type === 'link') return `[${inlines(node.content)}](${node.href})`;
      let text = node.text.replace(/([\\*_[\]`])/g, '\\$1');
      if (node.marks?.includes('italic')) text = `_${text}_`;
      if (node.marks?.includes('bold')) text = `**${text}**`;
      return text;
    })
    .join('');
}

export function entryBodyToMarkdown(doc: ArticleDocument): string {
  return doc.blocks
    .map((b) => {
      switch (b.type) {
        case 'paragraph':
          return inlines(b.content);
        case 'heading':
          return `${'#'.repeat(b.level)} ${inlines(b.content)}`;
        case 'list':
          return b.items.map((item, i) => `${b.ordered ? `${i + 1}.` : '-'} ${inlines(item)}`).join('\n');
        case 'blockquote':
          return [...b.content.map((p) => `> ${inlines(p)}`), ...(b.attribution ? [`> — ${b.attribution}`] : [])].join('\n>\n');
        case 'pullquote':
          return `> [!pullquote] ${b.text}`;
        case 'figure':
          return `![${b.alt ?? ''}](image:${b.imageId}${b.caption ? ` "${b.caption.replaceAll('"', '')}"` : ''})`;
        default:
          return `(An embedded ${b.type} is not shown here: saving this text removes it.)`;
      }
    })
    .join('\n\n');
}
