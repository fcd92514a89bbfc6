import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';

/** Where an image appears: as a story's hero, in a story's body, or as an author's photo. */
export type ImageUsage =
  | { kind: 'hero' | 'figure'; articleId: string; headline: string; status: string }
  | { kind: 'author-photo'; authorId: string; name: string };

/** `%` and `_` are LIKE wildcards; `\` is the escape character we declare. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** True when a stored article body (JSON text) has a figure block showing `imageId`. */
export function bodyUsesImage(bodyJson: string, imageId: string): boolean {
  let doc: unknown;
  try {
    doc = JSON.parse(bodyJson);
  } catch {
    return false;
  }
  const blocks = (doc as { blocks?: unknown })?.blocks;
  if (!Array.isArray(blocks)) return false;
  return blocks.some(
    (b) =>
      b !== null &&
      typeof b === 'object' &&
      (b as { type?: unknown }).type === 'figure' &&
      (b as { imageId?: unknown }).imageId === imageId,
  );
}

/**
 * Every use of an image. Heroes and author photos are foreign keys; figures live inside the
 * JSON body, so bodies that mention the id anywhere are found with LIKE (portable, no JSON
 * functions needed) and then parsed: only a figure block whose `imageId` is exactly this id
 * counts, never the id quoted in text or a link. The scan of bodies is a full table read,
 * acceptable for a rare editorial action, never done on a public page.
 */
export async function findImageUsage(db: Db, imageId: string): Promise<ImageUsage[]> {
  const [heroes, candidates, authors] = await Promise.all([
    db.selectFrom('articles').select(['id', 'headline', 'status']).where('hero_image_id', '=', imageId).orderBy('id').execute(),
    db
      .selectFrom('articles')
      .select(['id', 'headline', 'status', 'body'])
      .where(sql<boolean>`${sql.ref('body')} like ${`%${escapeLike(imageId)}%`} escape '\\'`)
      .orderBy('id')
      .execute(),
    db.selectFrom('authors').select(['id', 'name']).where('photo_image_id', '=', imageId).orderBy('name').execute(),
  ]);
  const usage: ImageUsage[] = heroes.map((a) => ({ kind: 'hero', articleId: a.id, headline: a.headline, status: a.status }));
  for (const a of candidates) {
    if (bodyUsesImage(a.body, imageId)) usage.push({ kind: 'figure', articleId: a.id, headline: a.headline, status: a.status });
  }
  for (const a of authors) usage.push({ kind: 'author-photo', authorId: a.id, name: a.name });
  return usage;
}

/** "“Headline” (hero), “Other” and author Jane Doe's photo" for a refusal message. */
export function describeUsage(usage: readonly ImageUsage[], max = 5): string {
  const names: string[] = [];
  const seen = new Set<string>();
  for (const u of usage) {
    const label = u.kind === 'author-photo' ? `the author photo of ${u.name}` : `“${u.headline}”`;
    if (seen.has(label)) continue;
    seen.add(label);
    names.push(label);
  }
  const shown = names.slice(0, max);
  const more = names.length - shown.length;
  const list =
    more > 0
      ? `${shown.join(', ')} and ${more} more`
      : shown.length > 1
        ? `${shown.slice(0, -1).join(', ')} and ${shown.at(-1)}`
        : (shown[0] ?? '');
  return list;
}
