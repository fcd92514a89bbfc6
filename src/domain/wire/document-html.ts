import type { ArticleDocument, Inline } from '../documents/document-schema.ts';

/*
 * Our block document → an HTML fragment, for exports (ninjs bodies). Every text and
 * attribute is escaped; only the element names below are ever produced.
 */

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function inlineHtml(content: readonly Inline[]): string {
  let out = '';
  for (const node of content) {
    if (node.type === 'link') out += `<a href="${escapeHtml(node.href)}">${inlineHtml(node.content)}</a>`;
    else {
      let t = escapeHtml(node.text);
      if (node.marks?.includes('italic')) t = `<em>${t}</em>`;
      if (node.marks?.includes('bold')) t = `<strong>${t}</strong>`;
      out += t;
    }
  }
  return out;
}

/** `imageSrc` turns a figure's image id into a URL, or null to leave the figure out. */
export function documentToHtml(
  doc: ArticleDocument,
  imageSrc: (imageId: string) => { src: string; alt: string } | null = () => null,
): string {
  const parts: string[] = [];
  for (const block of doc.blocks) {
    switch (block.type) {
      case 'paragraph':
        parts.push(`<p>${inlineHtml(block.content)}</p>`);
        break;
      case 'heading':
        parts.push(`<h${block.level}>${inlineHtml(block.content)}</h${block.level}>`);
        break;
      case 'list': {
        const tag = block.ordered ? 'ol' : 'ul';
        parts.push(`<${tag}>${block.items.map((i) => `<li>${inlineHtml(i)}</li>`).join('')}</${tag}>`);
        break;
      }
      case 'blockquote':
        parts.push(
          `<blockquote>${block.content.map((p) => `<p>${inlineHtml(p)}</p>`).join('')}${block.attribution ? `<footer>${escapeHtml(block.attribution)}</footer>` : ''}</blockquote>`,
        );
        break;
      case 'pullquote':
        parts.push(
          `<blockquote><p>${escapeHtml(block.text)}</p>${block.attribution ? `<footer>${escapeHtml(block.attribution)}</footer>` : ''}</blockquote>`,
        );
        break;
      case 'figure': {
        const img = imageSrc(block.imageId);
        if (!img) break;
        const caption = [block.caption, block.credit].filter(Boolean).join(' ');
        parts.push(
          `<figure><img src="${escapeHtml(img.src)}" alt="${escapeHtml(block.alt ?? img.alt)}">${caption ? `<figcaption>${escapeHtml(caption)}</figcaption>` : ''}</figure>`,
        );
        break;
      }
      case 'embed':
        parts.push(`<p><a href="${escapeHtml(block.url)}">${escapeHtml(block.title ?? block.url)}</a></p>`);
        break;
    }
  }
  return parts.join('\n');
}
