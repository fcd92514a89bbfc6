import { Lexer, type Token, type Tokens } from 'marked';
import { parseArticleDocument, type ArticleDocument, type Block, type Inline, type TextNode } from './document-schema.ts';

/*
 * Markdown → ArticleDocument, for seeding and convenience. Conventions beyond CommonMark:
 *   > quoted words
 *   > — Speaker Name            (a last line starting with a dash becomes the attribution)
 *   > [!pullquote] words        (a pull quote)
 *   ![alt](image:<id> "caption") alone in a paragraph becomes a figure
 * Raw HTML is never interpreted: it is kept as literal text.
 */

type Mark = 'bold' | 'italic';

const ATTRIBUTION_RE = /^\s*(?:—|–|--|―)\s*(.+)$/s;

export function markdownToDocument(markdown: string): ArticleDocument {
  const tokens = new Lexer({ gfm: true }).lex(markdown);
  const blocks: Block[] = [];
  for (const token of tokens) blocks.push(...blockFromToken(token));
  return parseArticleDocument({ version: 1, blocks });
}

function blockFromToken(token: Token): Block[] {
  switch (token.type) {
    case 'paragraph': {
      const t = token as Tokens.Paragraph;
      const figure = figureFromParagraph(t);
      if (figure) return [figure];
      const content = inlinesFrom(t.tokens ?? []);
      return content.length ? [{ type: 'paragraph', content }] : [];
    }
    case 'heading': {
      const t = token as Tokens.Heading;
      const level = Math.min(4, Math.max(2, t.depth)) as 2 | 3 | 4;
      const content = inlinesFrom(t.tokens ?? []);
      return content.length ? [{ type: 'heading', level, content }] : [];
    }
    case 'list': {
      const t = token as Tokens.List;
      const items = t.items
        .map((item) => inlinesFrom(item.tokens.flatMap((child) => ('tokens' in child && child.tokens ? child.tokens : [child]))))
        .filter((item) => item.length > 0);
      return items.length ? [{ type: 'list', ordered: t.ordered, items }] : [];
    }
    case 'blockquote':
      return quoteFrom(token as Tokens.Blockquote);
    case 'code':
      return textParagraph((token as Tokens.Code).text);
    case 'html':
      return textParagraph((token as Tokens.HTML).text.trim());
    case 'text':
      return textParagraph((token as Tokens.Text).text);
    default:
      return []; // space, hr, tables… carry no article text we keep
  }
}

function textParagraph(text: string): Block[] {
  return text.trim() ? [{ type: 'paragraph', content: [{ type: 'text', text: text.trim() }] }] : [];
}

function quoteFrom(token: Tokens.Blockquote): Block[] {
  const paragraphs = token.tokens.filter((t): t is Tokens.Paragraph => t.type === 'paragraph');
  const first = paragraphs[0];
  if (first && /^\s*\[!pullquote\]/i.test(first.text)) {
    const text = paragraphs
      .map((p) => p.text)
      .join('\n')
      .replace(/^\s*\[!pullquote\]\s*/i, '');
    const [body, attribution] = splitAttribution(text);
    return [{ type: 'pullquote', text: body.trim(), ...(attribution ? { attribution } : {}) }];
  }
  const content = paragraphs.map((p) => inlinesFrom(p.tokens ?? [])).filter((c) => c.length > 0);
  let attribution: string | undefined;
  const last = content[content.length - 1];
  if (last && last.length === 1 && last[0]!.type === 'text') {
    const match = ATTRIBUTION_RE.exec(last[0]!.text);
    if (match) {
      attribution = match[1]!.trim();
      content.pop();
    }
  }
  if (!content.length) return [];
  return [{ type: 'blockquote', content, ...(attribution ? { attribution } : {}) }];
}

function splitAttribution(text: string): [string, string | undefined] {
  const lines = text.split('\n');
  const match = ATTRIBUTION_RE.exec(lines[lines.length - 1] ?? '');
  if (match && lines.length > 1) return [lines.slice(0, -1).join(' '), match[1]!.trim()];
  return [text.replace(/\n/g, ' '), undefined];
}

function figureFromParagraph(token: Tokens.Paragraph): Block | null {
  const children = (token.tokens ?? []).filter((t) => !(t.type === 'text' && !t.raw.trim()));
  if (children.length !== 1 || children[0]!.type !== 'image') return null;
  const image = children[0] as Tokens.Image;
  if (!image.href.startsWith('image:')) return null;
  return {
    type: 'figure',
    imageId: image.href.slice('image:'.length),
    ...(image.text ? { alt: image.text } : {}),
    ...(image.title ? { caption: image.title } : {}),
  };
}

function inlinesFrom(tokens: Token[], marks: Mark[] = []): Inline[] {
  const out: Inline[] = [];
  const pushText = (text: string, m: Mark[]) => {
    if (!text) return;
    const prev = out[out.length - 1];
    const sameMarks = (a?: Mark[], b?: Mark[]) => (a ?? []).join() === (b ?? []).join();
    if (prev && prev.type === 'text' && sameMarks(prev.marks, m)) {
      prev.text += text;
      return;
    }
    const node: TextNode = { type: 'text', text };
    if (m.length) node.marks = [...m];
    out.push(node);
  };
  for (const token of tokens) {
    switch (token.type) {
      case 'strong':
        for (const n of inlinesFrom((token as Tokens.Strong).tokens, withMark(marks, 'bold'))) out.push(n);
        break;
      case 'em':
        for (const n of inlinesFrom((token as Tokens.Em).tokens, withMark(marks, 'italic'))) out.push(n);
        break;
      case 'link': {
        const t = token as Tokens.Link;
        const content = inlinesFrom(t.tokens, marks).flatMap((n) => (n.type === 'text' ? [n] : n.content));
        if (content.length) out.push({ type: 'link', href: t.href, content });
        break;
      }
      case 'text': {
        const t = token as Tokens.Text;
        if (t.tokens?.length) for (const n of inlinesFrom(t.tokens, marks)) out.push(n);
        else pushText(decodeEntities(t.text), marks);
        break;
      }
      case 'escape':
        pushText((token as Tokens.Escape).text, marks);
        break;
      case 'codespan':
        pushText(decodeEntities((token as Tokens.Codespan).text), marks);
        break;
      case 'br':
        pushText(' ', marks);
        break;
      case 'image':
        pushText((token as Tokens.Image).text, marks);
        break;
      default:
        pushText(decodeEntities('text' in token && typeof token.text === 'string' ? token.text : token.raw), marks);
    }
  }
  return out;
}

function withMark(marks: Mark[], mark: Mark): Mark[] {
  return marks.includes(mark) ? marks : [...marks, mark];
}

// marked escapes & < > " ' in text tokens; we store plain text, so undo that.
function decodeEntities(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|#39);/g, (_, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[e]!);
}
