/** Keyset cursor over (published_at, id), opaque to readers: `?before=<cursor>`. */
export interface PageCursor {
  publishedAt: string;
  id: string;
}

export function encodeCursor(c: PageCursor): string {
  return Buffer.from(`${c.publishedAt}~${c.id}`, 'utf8').toString('base64url');
}

/** Returns null for anything that is not a cursor we issued. */
export function decodeCursor(value: string): PageCursor | null {
  if (!/^[A-Za-z0-9_-]{10,200}$/.test(value)) return null;
  const [publishedAt, id, extra] = Buffer.from(value, 'base64url').toString('utf8').split('~');
  if (extra !== undefined || !publishedAt || !id) return null;
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/.test(publishedAt) || !/^[0-9a-f-]{36}$/.test(id)) return null;
  return { publishedAt, id };
}
