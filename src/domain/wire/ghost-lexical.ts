import { markdownToDocument } from '../documents/document-markdown.ts';
import { documentToHtml, escapeHtml } from './document-html.ts';

/*
 * Ghost's post bodies (Lexical JSON since Ghost 5, mobiledoc before) → plain HTML for the
 * allowlist converter. Not Ghost's renderer: only the common nodes and cards, written out as
 * the simple elements the converter understands (paragraphs, headings, lists, quotes,
 * figures, links, bold and italic). Embeds and bookmarks become links, the HTML card passes
 * its markup on to be sanitized like any foreign HTML, the Markdown card goes through our own
 * Markdown import. A node we do not know keeps its text (or its children's); nothing here
 * throws on odd input, since an export is whatever the old site held.
 */

type Json = Record<string, unknown>;

const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
const attr = (v: unknown): string => escapeHtml(str(v)).replace(/"/g, '&quot;');
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const obj = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});

/** A link paragraph for cards we cannot show (embeds, bookmarks, files). */
export function linkParagraph(url: string, title: string): string {
  if (!url) return title ? `<p>${escapeHtml(title)}</p>` : '';
  return `<p><a href="${attr(url)}">${escapeHtml(title || url)}</a></p>`;
}

/** A figure for an image card; the caption is Ghost's own HTML (links, emphasis). */
export function figureHtml(src: string, alt: string, captionHtml: string): string {
  if (!src) return '';
  return `<figure><img src="${attr(src)}" alt="${attr(alt)}">${captionHtml ? `<figcaption>${captionHtml}</figcaption>` : ''}</figure>`;
}

/** Markdown through our Markdown import, then back to HTML for the one converter. */
export function markdownHtml(markdown: string): string {
  try {
    return documentToHtml(markdownToDocument(markdown));
  } catch {
    return `<p>${escapeHtml(markdown)}</p>`;
  }
}

// Lexical text format bits: 1 bold, 2 italic, 4 strikethrough, 8 underline, 16 code.
function textHtml(node: Json): string {
  let html = escapeHtml(str(node.text));
  const format = typeof node.format === 'number' ? node.format : 0;
  if (format & 16) html = `<code>${html}</code>`;
  if (format & 2) html = `<em>${html}</em>`;
  if (format & 1) html = `<strong>${html}</strong>`;
  return html;
}

function childrenHtml(node: Json, depth: number): string {
  return list(node.children)
    .map((c) => lexicalNodeHtml(obj(c), depth + 1))
    .join('');
}

/** One Lexical node (and its children) as HTML. */
function lexicalNodeHtml(node: Json, depth: number): string {
  if (depth > 50) return '';
  const type = str(node.type);
  switch (type) {
    case 'root':
      return childrenHtml(node, depth);
    case 'paragraph':
      return `<p>${childrenHtml(node, depth)}</p>`;
    case 'heading':
    case 'extended-heading': {
      const tag = /^h[1-6]$/.test(str(node.tag)) ? str(node.tag) : 'h2';
      return `<${tag}>${childrenHtml(node, depth)}</${tag}>`;
    }
    case 'quote':
    case 'extended-quote':
    case 'aside':
      return `<blockquote><p>${childrenHtml(node, depth)}</p></blockquote>`;
    case 'list': {
      const tag = str(node.listType) === 'number' || str(node.tag) === 'ol' ? 'ol' : 'ul';
      return `<${tag}>${childrenHtml(node, depth)}</${tag}>`;
    }
    case 'listitem':
      return `<li>${childrenHtml(node, depth)}</li>`;
    case 'text':
    case 'extended-text':
      return textHtml(node);
    case 'linebreak':
      return '<br>';
    case 'tab':
      return ' ';
    case 'link':
    case 'autolink':
      return `<a href="${attr(node.url)}">${childrenHtml(node, depth)}</a>`;
    case 'horizontalrule':
      return '<hr>';
    case 'image':
      return figureHtml(str(node.src), str(node.alt), str(node.caption));
    case 'gallery':
      return list(node.images)
        .map((i) => obj(i))
        .map((i) => figureHtml(str(i.src), str(i.alt), str(i.caption)))
        .join('');
    case 'html':
      return str(node.html);
    case 'markdown':
      return markdownHtml(str(node.markdown));
    case 'codeblock':
      return `<pre><code>${escapeHtml(str(node.code))}</code></pre>`;
    case 'embed':
      return linkParagraph(str(node.url), str(obj(node.metadata).title));
    case 'bookmark':
      return linkParagraph(str(node.url), str(obj(node.metadata).title));
    case 'video':
    case 'audio':
    case 'file':
      return linkParagraph(str(node.src), str(node.title) || str(node.fileName));
    case 'button':
      return linkParagraph(str(node.buttonUrl), str(node.buttonText));
    case 'callout':
      return `<p>${str(node.calloutText)}</p>`;
    case 'toggle':
      return `<h3>${str(node.heading)}</h3>${str(node.content)}`;
    case 'header':
      return `${str(node.header) ? `<h2>${str(node.header)}</h2>` : ''}${str(node.subheader) ? `<p>${str(node.subheader)}</p>` : ''}`;
    case 'paywall':
    case 'email':
    case 'email-cta':
    case 'signup':
      return '';
    default:
      // Unknown: keep what it says.
      if (Array.isArray(node.children)) return `<p>${childrenHtml(node, depth)}</p>`;
      if (typeof node.text === 'string') return `<p>${escapeHtml(node.text)}</p>`;
      return '';
  }
}

/** A post's `lexical` field (JSON text or object) as HTML; null when it is not Lexical at all. */
export function lexicalToHtml(value: unknown): string | null {
  let parsed: unknown = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch {
      return null;
    }
  }
  const root = obj(obj(parsed).root);
  if (str(root.type) !== 'root' && !Array.isArray(root.children)) return null;
  return lexicalNodeHtml({ ...root, type: 'root' }, 0);
}
