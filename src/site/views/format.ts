/** Date formatting for readers. Server output is UTC, labelled; site.js localizes it when JS runs. */
const dateTime = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  timeZone: 'UTC',
  hour12: false,
});
const dateOnly = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });

const cache = new Map<string, string>();

export function formatDateTime(iso: string): string {
  let out = cache.get(iso);
  if (out === undefined) {
    out = `${dateTime.format(new Date(iso)).replace(' at ', ', ')} UTC`;
    if (cache.size > 5000) cache.clear();
    cache.set(iso, out);
  }
  return out;
}

const dateCache = new Map<string, string>();

export function formatDate(iso: string): string {
  let out = dateCache.get(iso);
  if (out === undefined) {
    out = dateOnly.format(new Date(iso));
    if (dateCache.size > 5000) dateCache.clear();
    dateCache.set(iso, out);
  }
  return out;
}
