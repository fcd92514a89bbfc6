import slugify from '@sindresorhus/slugify';

/** Lower-case ASCII words joined by single hyphens, at most 120 characters. */
export const SLUG_RE = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** Builds a URL slug from any headline or name, transliterating non-Latin scripts. */
export function toSlug(text: string): string {
  const slug = slugify(text, { decamelize: false }).slice(0, 120).replace(/-+$/, '');
  return slug || 'untitled';
}

export function isSlug(value: string): boolean {
  return value.length <= 120 && SLUG_RE.test(value);
}
