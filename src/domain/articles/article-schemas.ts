import { z } from 'zod';
import { parseArticleDocument } from '../documents/document-schema.ts';
import { SLUG_RE } from '../slug.ts';
import { ARTICLE_STATUSES, COMMENTS_POLICIES } from './article.ts';

const isoTime = z.iso.datetime({ offset: true }).transform((v) => new Date(v).toISOString());

/** BCP 47 language tag, e.g. `en`, `pt-BR`, `zh-Hant-TW`. */
export const languageSchema = z
  .string()
  .regex(/^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$/, 'must be a BCP 47 language tag such as "en" or "pt-BR"');

/** Input for creating or replacing an article; shared by the newsroom, the API and seeding. */
export const articleInputSchema = z.object({
  headline: z.string().trim().min(1, 'a headline is required').max(300),
  standfirst: z.string().trim().max(600).default(''),
  slug: z.string().regex(SLUG_RE, 'use lower-case letters, digits and single hyphens').max(120).optional(),
  sectionId: z.string().min(1, 'choose a section'),
  authorIds: z.array(z.string().min(1)).max(10).default([]),
  tagIds: z.array(z.string().min(1)).max(30).default([]),
  heroImageId: z.string().min(1).nullable().default(null),
  body: z.unknown().transform((v) => parseArticleDocument(v)),
  language: languageSchema.default('en'),
  translationGroupId: z.string().min(1).optional(),
  /**
   * Creating: draft (default), in_review or published. Updating: omitted keeps the current
   * status; newsroom users change it only through workflow actions (article-workflow.ts).
   */
  status: z.enum(ARTICLE_STATUSES).optional(),
  commentsPolicy: z.enum(COMMENTS_POLICIES).default('open'),
  seoTitle: z.string().trim().max(300).nullable().default(null),
  seoDescription: z.string().trim().max(600).nullable().default(null),
  /** Set by imports and seeding; otherwise publishing stamps the current time. */
  publishedAt: isoTime.nullable().optional(),
  updatedAt: isoTime.nullable().optional(),
  /** Not public before this time; omitted on update keeps the current embargo, null lifts it. */
  embargoUntil: isoTime.nullable().optional(),
});

export type ArticleInput = z.input<typeof articleInputSchema>;
export type ParsedArticleInput = z.output<typeof articleInputSchema>;
