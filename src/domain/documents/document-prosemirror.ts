import { ValidationError } from '../errors.ts';
import { parseArticleDocument, type ArticleDocument, type Block, type Inline, type TextNode } from './document-schema.ts';

/*
 * The newsroom editor (TipTap/ProseMirror, src/newsroom/client/) edits a ProseMirror JSON
 * tree; the store keeps our ArticleDocument. This module converts between the two. The
 * incoming direction is a trust boundary: every node type, mark type and attribute must be
 * one the editor schema defines, or the save is refused with the path of the bad node.
 * Empty blocks (a trailing empty paragraph, a quote nobody typed into yet) are dropped.
 *
 * Editor schema (kept in step with src/newsroom/client/story-editor-schema.ts):
 *   doc            block+
 *   paragraph      inline*             heading {level: 2|3|4}  inline*
 *   bulletList / orderedList {start, type}   listItem+ ; listItem  paragraph
 *   quote          paragraph+ quoteAttribution
 *   pullquote      pullquoteText quoteAttribution   (both plain text, no marks)
 *   figure         atom {imageId, caption, credit, alt}
 *   embed          atom {url, provider, title}
 *   marks          bold, italic, link {href}
 */

export interface PmMark {
  type: string;
  attrs?: Record<string, unknown>;
}

export interface PmNode {
  type: string;
  attrs?: Record<string, unknown>;
  content?: PmNode[];
  text?: string;
  marks?: PmMark[];
}

/** Attributes each node type may carry (TipTap writes every declared attribute, often as null). */
const NODE_ATTRS: Record<string, readonly string[]> = {
  doc: [],
  paragraph: [],
  heading: ['level'],
  bulletList: [],
  orderedList: ['start', 'type'],
  listItem: [],
  quote: [],
  quoteAttribution: [],
  pullquote: [],
  pullquoteText: [],
  figure: ['imageId', 'caption', 'credit', 'alt'],
  embed: ['url', 'provider', 'title'],
  text: [],
};

const MARK_ATTRS: Record<string, readonly string[]> = { bold: [], italic: [], link: ['href'] };

const MAX_DEPTH = 8;

function fail(path: string, message: string): never {
  throw new ValidationError(`${path}: ${message}`, [{ path, message }]);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Checks the generic shape of a node (keys, type, attrs) and returns it typed. */
function checkNode(value: unknown, path: string): PmNode {
  if (!isObject(value)) fail(path, 'expected a node object');
  for (const key of Object.keys(value)) {
    if (!['type', 'attrs', 'content', 'text', 'marks'].includes(key)) fail(`${path}.${key}`, `unknown node property "${key}"`);
  }
  const type = value.type;
  if (typeof type !== 'string' || !Object.hasOwn(NODE_ATTRS, type)) fail(`${path}.type`, `unknown node type ${JSON.stringify(type)}`);
  if (value.attrs !== undefined && value.attrs !== null) {
    if (!isObject(value.attrs)) fail(`${path}.attrs`, 'expected an object');
    for (const key of Object.keys(value.attrs)) {
      if (!NODE_ATTRS[type]!.includes(key)) fail(`${path}.attrs.${key}`, `unknown attribute "${key}" on ${type}`);
    }
  }
  if (value.content !== undefined && !Array.isArray(value.content)) fail(`${path}.content`, 'expected a list of nodes');
  if (type !== 'text' && value.text !== undefined) fail(`${path}.text`, `a ${type} node has no text property`);
  if (type !== 'text' && value.marks !== undefined) fail(`${path}.marks`, `a ${type} node cannot have marks`);
  return value as unknown as PmNode;
}

function children(node: PmNode): PmNode[] {
  return node.content ?? [];
}

function expectType(node: PmNode, path: string, ...types: string[]): void {
  if (!types.includes(node.type)) fail(`${path}.type`, `expected ${types.join(' or ')} here, not ${node.type}`);
}

function optionalString(value: unknown, path: string, max: number): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') fail(path, 'expected text');
  if (value.length > max) fail(path, `at most ${max} characters`);
  const trimmed = value.trim();
  return trimmed ? trimmed : undefined;
}

/** http(s), mailto, a site path or an in-page anchor: what the document schema accepts. */
export function isAllowedHref(href: string): boolean {
  if (href.startsWith('/') && !href.startsWith('//')) return true;
  if (href.startsWith('#') && href.length > 1) return true;
  try {
    const u = new URL(href);
    return u.protocol === 'https:' || u.protocol === 'http:' || u.protocol === 'mailto:';
  } catch {
    return false;
  }
}

type Mark = 'bold' | 'italic';

interface InlineRun {
  text: string;
  marks: Mark[];
  href?: string;
}

/** Text nodes of a textblock, with their marks checked. `plain` textblocks take no marks. */
function inlineRuns(parent: PmNode, path: string, plain: boolean): InlineRun[] {
  const runs: InlineRun[] = [];
  children(parent).forEach((raw, i) => {
    const p = `${path}.content[${i}]`;
    const node = checkNode(raw, p);
    if (node.type !== 'text') fail(`${p}.type`, `expected text here, not ${node.type}`);
    if (typeof node.text !== 'string' || node.text === '') fail(`${p}.text`, 'a text node needs text');
    if (node.text.length > 20000) fail(`${p}.text`, 'at most 20000 characters');
    const run: InlineRun = { text: node.text, marks: [] };
    if (node.marks !== undefined) {
      if (!Array.isArray(node.marks)) fail(`${p}.marks`, 'expected a list of marks');
      if (plain && node.marks.length) fail(`${p}.marks`, 'this text cannot be formatted');
      node.marks.forEach((m, j) => {
        const mp = `${p}.marks[${j}]`;
        if (!isObject(m)) fail(mp, 'expected a mark object');
        for (const key of Object.keys(m)) if (key !== 'type' && key !== 'attrs') fail(`${mp}.${key}`, `unknown mark property "${key}"`);
        const type = m.type;
        if (typeof type !== 'string' || !Object.hasOwn(MARK_ATTRS, type)) fail(`${mp}.type`, `unknown mark type ${JSON.stringify(type)}`);
        const attrs = m.attrs ?? {};
        if (!isObject(attrs)) fail(`${mp}.attrs`, 'expected an object');
        for (const key of Object.keys(attrs))
          if (!MARK_ATTRS[type]!.includes(key)) fail(`${mp}.attrs.${key}`, `unknown attribute "${key}" on ${type}`);
        if (type === 'link') {
          const href = attrs.href;
          if (typeof href !== 'string' || href.length > 2048 || !isAllowedHref(href)) {
            fail(`${mp}.attrs.href`, 'link must be an http(s) or mailto URL, or a path starting with "/"');
          }
          run.href = href;
        } else if (!run.marks.includes(type as Mark)) {
          run.marks.push(type as Mark);
        }
      });
    }
    runs.push(run);
  });
  return runs;
}

function textNode(run: InlineRun): TextNode {
  const marks = (['bold', 'italic'] as const).filter((m) => run.marks.includes(m));
  return marks.length ? { type: 'text', text: run.text, marks } : { type: 'text', text: run.text };
}

/** Runs → our inlines: neighbouring runs with the same link become one link node. */
function runsToInlines(runs: InlineRun[]): Inline[] {
  const out: Inline[] = [];
  for (const run of runs) {
    const last = out[out.length - 1];
    if (run.href === undefined) out.push(textNode(run));
    else if (last?.type === 'link' && last.href === run.href) last.content.push(textNode(run));
    else out.push({ type: 'link', href: run.href, content: [textNode(run)] });
  }
  return out;
}

function inlinesOf(node: PmNode, path: string): Inline[] | null {
  const runs = inlineRuns(node, path, false);
  return runs.some((r) => r.text.trim() !== '') ? runsToInlines(runs) : null;
}

function plainTextOf(node: PmNode, path: string): string {
  return inlineRuns(node, path, true)
    .map((r) => r.text)
    .join('')
    .trim();
}

function depthGuard(path: string): void {
  if (path.split('.content[').length > MAX_DEPTH) fail(path, 'the document is nested too deeply');
}

function blockFromNode(node: PmNode, path: string): Block | null {
  depthGuard(path);
  switch (node.type) {
    case 'paragraph': {
      const content = inlinesOf(node, path);
      return content ? { type: 'paragraph', content } : null;
    }
    case 'heading': {
      const level = node.attrs?.level;
      if (level !== 2 && level !== 3 && level !== 4) fail(`${path}.attrs.level`, 'headings are level 2, 3 or 4');
      const content = inlinesOf(node, path);
      return content ? { type: 'heading', level, content } : null;
    }
    case 'bulletList':
    case 'orderedList': {
      const items: Inline[][] = [];
      children(node).forEach((raw, i) => {
        const ip = `${path}.content[${i}]`;
        const item = checkNode(raw, ip);
        expectType(item, ip, 'listItem');
        const paras = children(item);
        if (paras.length > 1) fail(`${ip}.content`, 'a list item holds one paragraph (nested lists are not supported)');
        paras.forEach((rawPara, j) => {
          const pp = `${ip}.content[${j}]`;
          const para = checkNode(rawPara, pp);
          expectType(para, pp, 'paragraph');
          const content = inlinesOf(para, pp);
          if (content) items.push(content);
        });
      });
      return items.length ? { type: 'list', ordered: node.type === 'orderedList', items } : null;
    }
    case 'quote': {
      const paragraphs: Inline[][] = [];
      let attribution: string | undefined;
      children(node).forEach((raw, i) => {
        const cp = `${path}.content[${i}]`;
        const child = checkNode(raw, cp);
        expectType(child, cp, 'paragraph', 'quoteAttribution');
        if (child.type === 'quoteAttribution') {
          const text = plainTextOf(child, cp);
          if (text.length > 300) fail(cp, 'an attribution has at most 300 characters');
          if (text) attribution = text;
        } else {
          const content = inlinesOf(child, cp);
          if (content) paragraphs.push(content);
        }
      });
      if (!paragraphs.length) return null;
      return attribution ? { type: 'blockquote', content: paragraphs, attribution } : { type: 'blockquote', content: paragraphs };
    }
    case 'pullquote': {
      let text = '';
      let attribution: string | undefined;
      children(node).forEach((raw, i) => {
        const cp = `${path}.content[${i}]`;
        const child = checkNode(raw, cp);
        expectType(child, cp, 'pullquoteText', 'quoteAttribution');
        const value = plainTextOf(child, cp);
        if (child.type === 'pullquoteText') text += value;
        else if (value) attribution = value;
      });
      if (text.length > 600) fail(path, 'a pull quote has at most 600 characters');
      if (attribution && attribution.length > 300) fail(path, 'an attribution has at most 300 characters');
      if (!text) return null;
      return attribution ? { type: 'pullquote', text, attribution } : { type: 'pullquote', text };
    }
    case 'figure': {
      const a = node.attrs ?? {};
      const imageId = a.imageId;
      if (typeof imageId !== 'string' || imageId.trim() === '') fail(`${path}.attrs.imageId`, 'a figure needs an image');
      const block: Block = { type: 'figure', imageId };
      const caption = optionalString(a.caption, `${path}.attrs.caption`, 2000);
      const credit = optionalString(a.credit, `${path}.attrs.credit`, 300);
      const alt = optionalString(a.alt, `${path}.attrs.alt`, 1000);
      if (caption !== undefined) block.caption = caption;
      if (credit !== undefined) block.credit = credit;
      if (alt !== undefined) block.alt = alt;
      if (children(node).length) fail(`${path}.content`, 'a figure has no content');
      return block;
    }
    case 'embed': {
      const a = node.attrs ?? {};
      const url = a.url;
      if (typeof url !== 'string' || url.length > 2048 || !isAllowedHref(url)) fail(`${path}.attrs.url`, 'an embed needs an http(s) URL');
      const block: Block = { type: 'embed', url };
      const provider = optionalString(a.provider, `${path}.attrs.provider`, 100);
      const title = optionalString(a.title, `${path}.attrs.title`, 300);
      if (provider !== undefined) block.provider = provider;
      if (title !== undefined) block.title = title;
      return block;
    }
    default:
      return fail(`${path}.type`, `${node.type} cannot stand on its own in the body`);
  }
}

/**
 * Validates an editor (ProseMirror JSON) document strictly and converts it to an
 * ArticleDocument. Errors are ValidationErrors whose path starts with `pathPrefix`, e.g.
 * `body.content[3].content[0].marks[0].type: unknown mark type "underline"`.
 */
export function proseMirrorToDocument(value: unknown, pathPrefix = 'body'): ArticleDocument {
  const root = checkNode(value, pathPrefix);
  expectType(root, pathPrefix, 'doc');
  const nodes = children(root);
  if (nodes.length > 4000) fail(`${pathPrefix}.content`, 'the document has too many blocks');
  const blocks: Block[] = [];
  nodes.forEach((raw, i) => {
    const p = `${pathPrefix}.content[${i}]`;
    const block = blockFromNode(checkNode(raw, p), p);
    if (block) blocks.push(block);
  });
  try {
    return parseArticleDocument({ version: 1, blocks });
  } catch (err) {
    if (err instanceof ValidationError) {
      const issues = err.issues.map((i) => ({ path: `${pathPrefix} ${i.path}`, message: i.message }));
      throw new ValidationError(`${pathPrefix}: ${err.message}`, issues);
    }
    throw err;
  }
}

function textToPm(node: TextNode, link?: string): PmNode {
  const marks: PmMark[] = (node.marks ?? []).map((m) => ({ type: m }));
  if (link !== undefined) marks.push({ type: 'link', attrs: { href: link } });
  return marks.length ? { type: 'text', text: node.text, marks } : { type: 'text', text: node.text };
}

function inlinesToPm(content: readonly Inline[]): PmNode[] {
  return content.flatMap((n) => (n.type === 'text' ? [textToPm(n)] : n.content.map((t) => textToPm(t, n.href))));
}

function textblock(type: string, content: PmNode[], attrs?: Record<string, unknown>): PmNode {
  const node: PmNode = { type };
  if (attrs) node.attrs = attrs;
  if (content.length) node.content = content;
  return node;
}

function plainText(text: string | undefined): PmNode[] {
  return text ? [{ type: 'text', text }] : [];
}

function blockToPm(block: Block): PmNode {
  switch (block.type) {
    case 'paragraph':
      return textblock('paragraph', inlinesToPm(block.content));
    case 'heading':
      return textblock('heading', inlinesToPm(block.content), { level: block.level });
    case 'list':
      return {
        type: block.ordered ? 'orderedList' : 'bulletList',
        content: block.items.map((item) => ({ type: 'listItem', content: [textblock('paragraph', inlinesToPm(item))] })),
      };
    case 'blockquote':
      return {
        type: 'quote',
        content: [
          ...block.content.map((p) => textblock('paragraph', inlinesToPm(p))),
          textblock('quoteAttribution', plainText(block.attribution)),
        ],
      };
    case 'pullquote':
      return {
        type: 'pullquote',
        content: [textblock('pullquoteText', plainText(block.text)), textblock('quoteAttribution', plainText(block.attribution))],
      };
    case 'figure':
      return {
        type: 'figure',
        attrs: { imageId: block.imageId, caption: block.caption ?? null, credit: block.credit ?? null, alt: block.alt ?? null },
      };
    case 'embed':
      return { type: 'embed', attrs: { url: block.url, provider: block.provider ?? null, title: block.title ?? null } };
    default: {
      const exhaustive: never = block;
      throw new Error(`unknown block ${JSON.stringify(exhaustive)}`);
    }
  }
}

/** An ArticleDocument as the editor's ProseMirror JSON (an empty story gets one empty paragraph). */
export function documentToProseMirror(doc: ArticleDocument): PmNode {
  const content = doc.blocks.map(blockToPm);
  return { type: 'doc', content: content.length ? content : [{ type: 'paragraph' }] };
}
