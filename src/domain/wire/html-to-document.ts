import { parseHTML } from 'linkedom';
import { parseArticleDocument, type ArticleDocument, type Block, type Inline, type TextNode } from '../documents/document-schema.ts';

/*
 * Foreign HTML (ninjs body_html/bodies, web pages) → our block document, by walking the DOM
 * with an allowlist. Nothing from the input survives as markup: text becomes text nodes,
 * a few elements become blocks and marks, everything else is unwrapped (its text kept) or
 * dropped whole (scripts, styles, frames, forms, media players…). Attributes are never
 * copied except a link's href (http/https/mailto only) and an image's src/alt, which only
 * choose an already imported image.
 */

type Mark = 'bold' | 'italic';

/** An <img> met in the HTML, with what its <figure> says about it. */
export interface HtmlImageRef {
  src: string;
  alt: string;
  caption?: string;
  credit?: string;
}

export interface HtmlToDocumentOptions {
  /** Absolute URL of the page, to resolve relative links; without it relative links become plain text. */
  baseUrl?: string;
  /**
   * Returns the id of an image already in the library for this reference, or null when its
   * bytes are not available: the figure is then left out and a note says so.
   */
  resolveImage?: (ref: HtmlImageRef) => string | null;
}

export interface HtmlConversion {
  document: ArticleDocument;
  /** Things a person should know: dropped images, truncated text. */
  notes: string[];
}

/** Elements removed with everything inside them. */
const DROP = new Set([
  'script',
  'style',
  'noscript',
  'template',
  'iframe',
  'frame',
  'frameset',
  'object',
  'embed',
  'applet',
  'svg',
  'math',
  'canvas',
  'video',
  'audio',
  'source',
  'track',
  'picture',
  'form',
  'input',
  'button',
  'select',
  'textarea',
  'option',
  'head',
  'title',
  'meta',
  'link',
  'base',
  'nav',
  'dialog',
  'map',
  'area',
]);
const HEADING_LEVEL: Record<string, 2 | 3 | 4> = { h1: 2, h2: 2, h3: 3, h4: 4, h5: 4, h6: 4 };
const INLINE = new Set([
  'a',
  'strong',
  'b',
  'em',
  'i',
  'span',
  'u',
  'small',
  'sub',
  'sup',
  'abbr',
  'cite',
  'q',
  'code',
  'kbd',
  'mark',
  'time',
  'font',
  'br',
  'wbr',
  's',
  'del',
  'ins',
  'label',
  'data',
  'var',
  'dfn',
  'bdi',
  'bdo',
]);
const MAX_TEXT = 20000;
const MAX_BLOCKS = 2000;
const ATTRIBUTION_RE = /^\s*(?:—|–|--|―)\s*(.+)$/s;

/** Parses an HTML fragment or page into a DOM without running anything in it. */
export function parseHtmlDom(html: string): Document {
  const looksWhole = /<html[\s>]/i.test(html.slice(0, 2000));
  return parseHTML(looksWhole ? html : `<!doctype html><html><head></head><body>${html}</body></html>`).document as unknown as Document;
}

/** Converts an HTML fragment (or a page's body) into a validated article document. */
export function htmlToDocument(html: string, options: HtmlToDocumentOptions = {}): HtmlConversion {
  const doc = parseHtmlDom(html);
  return elementToDocument(doc.body ?? doc.documentElement, options);
}

/** Converts the children of an already parsed element (e.g. Readability's article node). */
export function elementToDocument(root: Element, options: HtmlToDocumentOptions = {}): HtmlConversion {
  const walker = new Walker(options);
  walker.blocksOf(root);
  walker.flush();
  const dropped = walker.droppedImages;
  if (dropped.length) {
    const list = dropped
      .slice(0, 5)
      .map((src) => clip(src, 200))
      .join(', ');
    walker.notes.push(
      `${dropped.length === 1 ? 'Image' : `${dropped.length} images`} left out (not imported, remote images are never fetched): ${list}${dropped.length > 5 ? ', …' : ''}`,
    );
  }
  let blocks = walker.blocks;
  if (blocks.length > MAX_BLOCKS) {
    walker.notes.push(`The text had ${blocks.length} blocks; only the first ${MAX_BLOCKS} were kept.`);
    blocks = blocks.slice(0, MAX_BLOCKS);
  }
  return { document: parseArticleDocument({ version: 1, blocks }), notes: walker.notes };
}

/** Plain text (e.g. ninjs body_text) → paragraphs: blank lines (or single newlines) separate them. */
export function plainTextToDocument(text: string): ArticleDocument {
  const parts = text
    .split(/\r?\n\s*\r?\n|\r?\n/)
    .map((p) => p.replace(/\s+/g, ' ').trim())
    .filter(Boolean);
  const blocks: Block[] = parts.slice(0, MAX_BLOCKS).map((p) => ({ type: 'paragraph', content: splitLong(p, []) }));
  return parseArticleDocument({ version: 1, blocks });
}

function splitLong(text: string, marks: Mark[]): TextNode[] {
  const out: TextNode[] = [];
  for (let i = 0; i < text.length; i += MAX_TEXT) {
    const node: TextNode = { type: 'text', text: text.slice(i, i + MAX_TEXT) };
    if (marks.length) node.marks = [...marks];
    out.push(node);
  }
  return out;
}

function tagOf(node: Node): string {
  return node.nodeType === 1 ? (node as Element).tagName.toLowerCase() : '';
}

function clip(text: string, max: number): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

class Walker {
  blocks: Block[] = [];
  notes: string[] = [];
  droppedImages: string[] = [];
  /** Inline content met directly inside a container (text in a <div>), waiting for a block boundary. */
  private pending: Inline[] = [];
  private pendingFigures: Block[] = [];

  constructor(private readonly options: HtmlToDocumentOptions) {}

  flush(): void {
    const content = tidy(this.pending);
    this.pending = [];
    if (content.length) this.blocks.push({ type: 'paragraph', content });
    this.blocks.push(...this.pendingFigures);
    this.pendingFigures = [];
  }

  blocksOf(parent: Node): void {
    for (const node of Array.from(parent.childNodes)) this.block(node);
  }

  private block(node: Node): void {
    if (node.nodeType === 3) {
      this.inline(node, [], this.pending);
      return;
    }
    if (node.nodeType !== 1) return; // comments, processing instructions
    const el = node as Element;
    const tag = tagOf(el);
    if (DROP.has(tag)) return;
    if (INLINE.has(tag) && !containsBlock(el)) {
      if (tag === 'br') {
        this.flush();
        return;
      }
      this.inline(el, [], this.pending);
      return;
    }
    this.flush();
    switch (tag) {
      case 'p':
      case 'pre':
      case 'address':
      case 'dt':
      case 'dd':
      case 'summary':
      case 'caption': {
        if (containsBlock(el)) {
          this.blocksOf(el);
          break;
        }
        const content: Inline[] = [];
        this.inline(el, [], content);
        this.pushParagraph(content);
        break;
      }
      case 'h1':
      case 'h2':
      case 'h3':
      case 'h4':
      case 'h5':
      case 'h6': {
        const content = tidy(this.inlineOf(el));
        if (content.length) this.blocks.push({ type: 'heading', level: HEADING_LEVEL[tag]!, content });
        break;
      }
      case 'ul':
      case 'ol': {
        const items: Inline[][] = [];
        this.listItems(el, items);
        if (items.length) this.blocks.push({ type: 'list', ordered: tag === 'ol', items });
        break;
      }
      case 'blockquote':
        this.quote(el);
        break;
      case 'figure':
        this.figure(el);
        break;
      case 'img':
        this.image(el as HTMLImageElement, undefined);
        break;
      case 'tr': {
        const cells = Array.from(el.children)
          .map((c) => tidy(this.inlineOf(c)))
          .filter((c) => c.length);
        const content: Inline[] = [];
        cells.forEach((c, i) => content.push(...(i ? [{ type: 'text' as const, text: ' · ' }] : []), ...c));
        this.pushParagraph(content);
        break;
      }
      case 'hr':
        break;
      default:
        // div, section, article, main, header, footer, table, aside, details…: unwrap.
        this.blocksOf(el);
    }
    this.flush();
  }

  private pushParagraph(content: Inline[]): void {
    const tidied = tidy(content);
    if (tidied.length) this.blocks.push({ type: 'paragraph', content: tidied });
    this.blocks.push(...this.pendingFigures);
    this.pendingFigures = [];
  }

  private inlineOf(el: Element): Inline[] {
    const out: Inline[] = [];
    this.inline(el, [], out);
    return out;
  }

  private listItems(list: Element, items: Inline[][]): void {
    for (const child of Array.from(list.children)) {
      if (tagOf(child) !== 'li') {
        if (tagOf(child) === 'ul' || tagOf(child) === 'ol') this.listItems(child, items);
        continue;
      }
      const content: Inline[] = [];
      const nested: Element[] = [];
      for (const n of Array.from(child.childNodes)) {
        const t = tagOf(n);
        if (t === 'ul' || t === 'ol') nested.push(n as Element);
        else this.inline(n, [], content);
      }
      const tidied = tidy(content);
      if (tidied.length) items.push(tidied);
      // Our lists are flat: nested items follow their parent item.
      for (const n of nested) this.listItems(n, items);
    }
  }

  private quote(el: Element): void {
    let attribution: string | undefined;
    const paragraphs: Inline[][] = [];
    let loose: Inline[] = [];
    const endLoose = () => {
      const t = tidy(loose);
      if (t.length) paragraphs.push(t);
      loose = [];
    };
    const visit = (parent: Element) => {
      for (const n of Array.from(parent.childNodes)) {
        const t = tagOf(n);
        if (t === 'footer' || (t === 'cite' && parent === el)) {
          attribution = clip(n.textContent ?? '', 300).replace(/^(?:—|–|--|―)\s*/, '') || undefined;
        } else if (t === 'p' || t === 'div') {
          endLoose();
          if (containsBlock(n as Element)) visit(n as Element);
          else {
            const t2 = tidy(this.inlineOf(n as Element));
            if (t2.length) paragraphs.push(t2);
          }
        } else if (t === 'br') endLoose();
        else if (n.nodeType === 1 && !INLINE.has(t)) {
          endLoose();
          if (!DROP.has(t)) visit(n as Element);
        } else this.inline(n, [], loose);
      }
      endLoose();
    };
    visit(el);
    const last = paragraphs[paragraphs.length - 1];
    if (!attribution && last && paragraphs.length > 1 && last.length === 1 && last[0]!.type === 'text') {
      const match = ATTRIBUTION_RE.exec(last[0]!.text);
      if (match) {
        attribution = clip(match[1]!, 300);
        paragraphs.pop();
      }
    }
    if (paragraphs.length) this.blocks.push({ type: 'blockquote', content: paragraphs, ...(attribution ? { attribution } : {}) });
    this.blocks.push(...this.pendingFigures);
    this.pendingFigures = [];
  }

  private figure(el: Element): void {
    const img = el.querySelector('img');
    const captionEl = el.querySelector('figcaption');
    const caption = captionEl ? clip(captionEl.textContent ?? '', 2000) : '';
    if (img) this.image(img as HTMLImageElement, caption || undefined);
    else if (caption) this.pushParagraph([{ type: 'text', text: caption }]);
  }

  /** An image becomes a figure only when its bytes were imported; otherwise it is noted and left out. */
  private image(img: HTMLImageElement, caption: string | undefined, into: Block[] = this.blocks): void {
    const src = img.getAttribute('src') ?? img.getAttribute('data-src') ?? '';
    const alt = clip(img.getAttribute('alt') ?? '', 1000);
    const ref: HtmlImageRef = { src, alt, ...(caption ? { caption } : {}) };
    const imageId = src ? (this.options.resolveImage?.(ref) ?? null) : null;
    if (!imageId) {
      if (src) this.droppedImages.push(src);
      return;
    }
    into.push({ type: 'figure', imageId, ...(caption ? { caption: clip(caption, 2000) } : {}), ...(alt ? { alt } : {}) });
  }

  private inline(node: Node, marks: Mark[], out: Inline[]): void {
    if (node.nodeType === 3) {
      pushText(out, node.textContent ?? '', marks);
      return;
    }
    if (node.nodeType !== 1) return;
    const el = node as Element;
    const tag = tagOf(el);
    if (DROP.has(tag)) return;
    switch (tag) {
      case 'br':
        pushText(out, ' ', marks);
        return;
      case 'strong':
      case 'b':
        for (const c of Array.from(el.childNodes)) this.inline(c, withMark(marks, 'bold'), out);
        return;
      case 'em':
      case 'i':
        for (const c of Array.from(el.childNodes)) this.inline(c, withMark(marks, 'italic'), out);
        return;
      case 'img':
        this.image(el as HTMLImageElement, undefined, this.pendingFigures);
        return;
      case 'a': {
        const href = safeHref(el.getAttribute('href'), this.options.baseUrl);
        const inner: Inline[] = [];
        for (const c of Array.from(el.childNodes)) this.inline(c, marks, inner);
        const texts = inner.flatMap((n) => (n.type === 'text' ? [n] : n.content));
        if (!href) {
          for (const t of texts) pushText(out, t.text, t.marks ?? []);
          return;
        }
        if (texts.some((t) => t.text.trim())) out.push({ type: 'link', href, content: texts });
        return;
      }
      default:
        for (const c of Array.from(el.childNodes)) this.inline(c, marks, out);
    }
  }
}

function containsBlock(el: Element): boolean {
  return el.querySelector('p,div,h1,h2,h3,h4,h5,h6,ul,ol,blockquote,figure,table,section,article,pre') !== null;
}

function withMark(marks: Mark[], mark: Mark): Mark[] {
  return marks.includes(mark) ? marks : [...marks, mark];
}

function pushText(out: Inline[], raw: string, marks: Mark[]): void {
  const text = raw.replace(/[\s\u00a0]+/g, (ws) => (ws.includes('\u00a0') && ws.length === 1 ? '\u00a0' : ' '));
  if (!text) return;
  const prev = out[out.length - 1];
  if (prev && prev.type === 'text' && (prev.marks ?? []).join() === marks.join()) {
    prev.text = (prev.text + text).replace(/ {2,}/g, ' ');
    return;
  }
  const node: TextNode = { type: 'text', text };
  if (marks.length) node.marks = [...marks];
  out.push(node);
}

/** http(s)/mailto links only; relative ones are resolved against the page or dropped. */
export function safeHref(href: string | null, baseUrl?: string): string | null {
  if (!href) return null;
  const trimmed = href.trim();
  if (!trimmed || trimmed.startsWith('#')) return null;
  try {
    const url = baseUrl ? new URL(trimmed, baseUrl) : new URL(trimmed);
    if (url.protocol !== 'http:' && url.protocol !== 'https:' && url.protocol !== 'mailto:') return null;
    const out = url.href;
    return out.length <= 2048 ? out : null;
  } catch {
    return null;
  }
}

/**
 * Collapses spaces across node boundaries, trims the ends, drops empty nodes and splits
 * text nodes longer than the document allows.
 */
function tidy(content: Inline[]): Inline[] {
  const out: Inline[] = [];
  let lastEndsWithSpace = true;
  const clean = (t: TextNode): TextNode | null => {
    let text = t.text;
    if (lastEndsWithSpace) text = text.replace(/^ +/, '');
    if (!text) return null;
    lastEndsWithSpace = text.endsWith(' ');
    return { ...t, text };
  };
  for (const node of content) {
    if (node.type === 'text') {
      const c = clean(node);
      if (c) out.push(...splitLong(c.text, c.marks ?? []));
    } else {
      const inner = node.content.map(clean).filter((t): t is TextNode => t !== null);
      if (inner.length) out.push({ type: 'link', href: node.href, content: inner.flatMap((t) => splitLong(t.text, t.marks ?? [])) });
    }
  }
  // Trim the trailing space of the last text.
  for (let i = out.length - 1; i >= 0; i--) {
    const n = out[i]!;
    const last = n.type === 'text' ? n : n.content[n.content.length - 1]!;
    last.text = last.text.replace(/ +$/, '');
    if (last.text) break;
    if (n.type === 'text') out.splice(i, 1);
    else {
      n.content.pop();
      if (!n.content.length) out.splice(i, 1);
      else break;
    }
  }
  return out.filter((n) => (n.type === 'text' ? n.text.length > 0 : n.content.length > 0));
}
