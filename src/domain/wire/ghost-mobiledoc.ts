import { escapeHtml } from './document-html.ts';
import { figureHtml, linkParagraph, markdownHtml } from './ghost-lexical.ts';

/*
 * Mobiledoc 0.3 (Ghost 1–4's body format) → plain HTML, like ghost-lexical.ts for Lexical:
 * markup sections (p, h1–h6, blockquote, aside), lists, image sections and the common cards
 * (image, gallery, html, markdown, embed, bookmark, code, hr). Markers open and close markups
 * (a, strong, em…); an unknown card or atom keeps whatever text it has.
 */

type Json = Record<string, unknown>;
const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const obj = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});

const SECTION_TAGS = new Set(['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'aside', 'pull-quote']);
const MARKUP_TAGS = new Set(['a', 'b', 'strong', 'em', 'i', 'code', 'u', 's', 'sub', 'sup']);

function cardHtml(name: string, payload: Json): string {
  switch (name) {
    case 'image':
      return figureHtml(str(payload.src), str(payload.alt), str(payload.caption));
    case 'gallery':
      return arr(payload.images)
        .map((i) => obj(i))
        .map((i) => figureHtml(str(i.src), str(i.alt), str(i.caption)))
        .join('');
    case 'html':
      return str(payload.html);
    case 'markdown':
    case 'card-markdown':
      return markdownHtml(str(payload.markdown));
    case 'embed':
      return linkParagraph(str(payload.url), str(obj(payload.metadata).title));
    case 'bookmark':
      return linkParagraph(str(payload.url), str(obj(payload.metadata).title));
    case 'code':
      return `<pre><code>${escapeHtml(str(payload.code))}</code></pre>`;
    case 'hr':
      return '<hr>';
    case 'video':
    case 'audio':
    case 'file':
      return linkParagraph(str(payload.src), str(payload.title) || str(payload.fileName));
    case 'button':
      return linkParagraph(str(payload.buttonUrl), str(payload.buttonText));
    case 'callout':
      return `<p>${str(payload.calloutText)}</p>`;
    default:
      return typeof payload.text === 'string' ? `<p>${escapeHtml(payload.text)}</p>` : '';
  }
}

/** Markers → inline HTML: each opens its markups, writes its text, then closes the last n opened. */
function markersHtml(markers: unknown[], markups: unknown[], atoms: unknown[]): string {
  let html = '';
  const open: string[] = [];
  for (const m of markers) {
    const [type, openIdx, closeCount, value] = arr(m);
    for (const i of arr(openIdx)) {
      const [tag, attrs] = arr(markups[Number(i)]);
      const name = str(tag).toLowerCase();
      if (!MARKUP_TAGS.has(name)) {
        open.push('');
        continue;
      }
      const attrList = arr(attrs);
      const hrefAt = attrList.findIndex((a) => a === 'href');
      const href = name === 'a' && hrefAt >= 0 ? ` href="${escapeHtml(str(attrList[hrefAt + 1]))}"` : '';
      html += `<${name}${href}>`;
      open.push(name);
    }
    if (type === 1) {
      const [atomName, atomText] = arr(atoms[Number(value)]);
      html += str(atomName) === 'soft-return' ? '<br>' : escapeHtml(str(atomText));
    } else html += escapeHtml(str(value));
    for (let n = Number(closeCount) || 0; n > 0 && open.length; n--) {
      const name = open.pop();
      if (name) html += `</${name}>`;
    }
  }
  while (open.length) {
    const name = open.pop();
    if (name) html += `</${name}>`;
  }
  return html;
}

/** A post's `mobiledoc` field (JSON text or object) as HTML; null when it is not mobiledoc. */
export function mobiledocToHtml(value: unknown): string | null {
  let doc: unknown = value;
  if (typeof value === 'string') {
    try {
      doc = JSON.parse(value);
    } catch {
      return null;
    }
  }
  const d = obj(doc);
  if (!Array.isArray(d.sections)) return null;
  const markups = arr(d.markups);
  const atoms = arr(d.atoms);
  const cards = arr(d.cards);
  const parts: string[] = [];
  for (const section of d.sections) {
    const [kind, a, b] = arr(section);
    switch (kind) {
      case 1: {
        const tag = str(a).toLowerCase();
        const inner = markersHtml(arr(b), markups, atoms);
        if (tag === 'blockquote' || tag === 'aside' || tag === 'pull-quote') parts.push(`<blockquote><p>${inner}</p></blockquote>`);
        else parts.push(SECTION_TAGS.has(tag) ? `<${tag}>${inner}</${tag}>` : `<p>${inner}</p>`);
        break;
      }
      case 2:
        parts.push(figureHtml(str(a), '', ''));
        break;
      case 3: {
        const tag = str(a).toLowerCase() === 'ol' ? 'ol' : 'ul';
        parts.push(
          `<${tag}>${arr(b)
            .map((item) => `<li>${markersHtml(arr(item), markups, atoms)}</li>`)
            .join('')}</${tag}>`,
        );
        break;
      }
      case 10: {
        const [name, payload] = arr(cards[Number(a)]);
        parts.push(cardHtml(str(name), obj(payload)));
        break;
      }
      default:
        break;
    }
  }
  return parts.join('\n');
}
