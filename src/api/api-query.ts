import { z } from 'zod';
import { languageSchema } from '../domain/articles/article-schemas.ts';
import { decodeCursor, type PageCursor } from '../domain/articles/cursor.ts';
import { SLUG_RE } from '../domain/slug.ts';
import { ARTICLE_FIELDS, type ArticleJson } from './api-json.ts';
import { editionQuerySchema } from './api-editions.ts';

/* Query and path parameter schemas shared by the API's routes. */

export const idParams = z.strictObject({
  id: z.uuid({ error: 'must be an id such as 0193a1c2-…' }).meta({ description: 'The resource id (UUID)' }),
});

const slug = z.string().regex(SLUG_RE, 'must be a slug such as "world"');

export const cursorSchema = z
  .string()
  .meta({ description: 'Opaque cursor from a previous page’s `nextCursor`' })
  .transform((value, ctx): PageCursor => {
    const cursor = decodeCursor(value);
    if (!cursor) {
      ctx.issues.push({ code: 'custom', message: 'is not a cursor from this API; use nextCursor from a previous page', input: value });
      return z.NEVER;
    }
    return cursor;
  });

export const limitSchema = z.coerce
  .number({ error: 'must be a number' })
  .int('must be a whole number')
  .min(1, 'must be at least 1')
  .max(100, 'must be at most 100')
  .default(20)
  .meta({ description: 'Items per page (1–100, default 20)' });

export const fieldsSchema = z
  .string()
  .meta({ description: `Comma-separated fields to return; any of: ${ARTICLE_FIELDS.join(', ')}` })
  .transform((value, ctx): Array<keyof ArticleJson> => {
    const names = value
      .split(',')
      .map((f) => f.trim())
      .filter(Boolean);
    const unknown = names.filter((n) => !(ARTICLE_FIELDS as string[]).includes(n));
    if (!names.length || unknown.length) {
      ctx.issues.push({
        code: 'custom',
        message: names.length
          ? `unknown field${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}; choose from ${ARTICLE_FIELDS.join(', ')}`
          : 'name at least one field',
        input: value,
      });
      return z.NEVER;
    }
    return [...new Set(names)] as Array<keyof ArticleJson>;
  });

export const listArticlesQuery = z.strictObject({
  section: slug.optional().meta({ description: 'Only stories in this section (slug)' }),
  tag: slug.optional().meta({ description: 'Only stories with this tag (slug)' }),
  author: slug.optional().meta({ description: 'Only stories by this author (slug)' }),
  language: languageSchema.optional().meta({ description: 'Only stories in this language (BCP 47)' }),
  edition: editionQuerySchema.optional(),
  updatedSince: z.iso
    .datetime({ offset: true, error: 'must be a date and time such as 2026-11-25T12:00:00Z' })
    .optional()
    .meta({ description: 'Only stories changed (or made public) at or after this time' }),
  cursor: cursorSchema.optional(),
  limit: limitSchema,
  fields: fieldsSchema.optional(),
});

export const getArticleQuery = z.strictObject({ fields: fieldsSchema.optional() });

export const listTagsQuery = z.strictObject({
  cursor: slug.optional().meta({ description: 'The last tag slug of the previous page (`nextCursor`)' }),
  limit: limitSchema,
});
