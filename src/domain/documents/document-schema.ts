import { z } from 'zod';
import { ValidationError } from '../errors.ts';

/*
 * The article body is a typed tree of blocks, never an HTML string. Text is stored as
 * text; renderers escape it, so no stored value can become markup.
 */

const safeHref = z
  .string()
  .max(2048)
  .refine((href) => {
    if (href.startsWith('/') && !href.startsWith('//')) return true;
    if (href.startsWith('#')) return true;
    try {
      const u = new URL(href);
      return u.protocol === 'https:' || u.protocol === 'http:' || u.protocol === 'mailto:';
    } catch {
      return false;
    }
  }, 'link must be an http(s) or mailto URL, or a path starting with "/"');

const markSchema = z.enum(['bold', 'italic']);

export const textNodeSchema = z.strictObject({
  type: z.literal('text'),
  text: z.string().min(1, 'text must not be empty').max(20000),
  marks: z.array(markSchema).max(2).optional(),
});

export const linkNodeSchema = z.strictObject({
  type: z.literal('link'),
  href: safeHref,
  content: z.array(textNodeSchema).min(1, 'a link needs text'),
});

export const inlineSchema = z.discriminatedUnion('type', [textNodeSchema, linkNodeSchema]);
const inlines = z.array(inlineSchema).min(1, 'must contain some text');

export const paragraphSchema = z.strictObject({ type: z.literal('paragraph'), content: inlines });
export const headingSchema = z.strictObject({
  type: z.literal('heading'),
  level: z.union([z.literal(2), z.literal(3), z.literal(4)]),
  content: inlines,
});
export const listSchema = z.strictObject({
  type: z.literal('list'),
  ordered: z.boolean(),
  items: z.array(inlines).min(1, 'a list needs at least one item'),
});
export const blockquoteSchema = z.strictObject({
  type: z.literal('blockquote'),
  /** One entry per paragraph of the quotation. */
  content: z.array(inlines).min(1, 'a quotation needs text'),
  attribution: z.string().max(300).optional(),
});
export const pullquoteSchema = z.strictObject({
  type: z.literal('pullquote'),
  text: z.string().min(1).max(600),
  attribution: z.string().max(300).optional(),
});
export const figureSchema = z.strictObject({
  type: z.literal('figure'),
  imageId: z.string().min(1),
  /** Overrides for this use of the image; the image record supplies the defaults. */
  caption: z.string().max(2000).optional(),
  credit: z.string().max(300).optional(),
  alt: z.string().max(1000).optional(),
});
export const embedSchema = z.strictObject({
  type: z.literal('embed'),
  url: safeHref,
  provider: z.string().max(100).optional(),
  title: z.string().max(300).optional(),
});

export const blockSchema = z.discriminatedUnion('type', [
  paragraphSchema,
  headingSchema,
  listSchema,
  blockquoteSchema,
  pullquoteSchema,
  figureSchema,
  embedSchema,
]);

export const articleDocumentSchema = z.strictObject({
  version: z.literal(1),
  blocks: z.array(blockSchema).max(2000),
});

export type TextNode = z.infer<typeof textNodeSchema>;
export type LinkNode = z.infer<typeof linkNodeSchema>;
export type Inline = z.infer<typeof inlineSchema>;
export type Block = z.infer<typeof blockSchema>;
export type ArticleDocument = z.infer<typeof articleDocumentSchema>;

export const EMPTY_DOCUMENT: ArticleDocument = Object.freeze({ version: 1, blocks: [] }) as ArticleDocument;

/** Formats a zod path like `blocks[3].content[0].href`. */
function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const part of path) out += typeof part === 'number' ? `[${part}]` : `${out ? '.' : ''}${String(part)}`;
  return out || '(document)';
}

/**
 * Validates an unknown value as an article document. The error names the first bad node,
 * e.g. `Invalid document at blocks[2] (blockquote).content[0][1].href: link must be …`.
 */
export function parseArticleDocument(value: unknown): ArticleDocument {
  const result = articleDocumentSchema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => {
    const blockIndex = issue.path[0] === 'blocks' && typeof issue.path[1] === 'number' ? issue.path[1] : undefined;
    const blockType =
      blockIndex !== undefined && value && typeof value === 'object'
        ? (value as { blocks?: Array<{ type?: unknown }> }).blocks?.[blockIndex]?.type
        : undefined;
    let path = formatPath(issue.path);
    if (typeof blockType === 'string') path = path.replace(`blocks[${blockIndex}]`, `blocks[${blockIndex}] (${blockType})`);
    return { path, message: issue.message };
  });
  const first = issues[0]!;
  throw new ValidationError(`Invalid document at ${first.path}: ${first.message}`, issues);
}
