import { html, type SafeHtml } from '../../../http/html.ts';

/** A feed family: the site's, a section's, a tag's or an author's. */
export interface FeedSource {
  /** Human name, e.g. "Masthead News" or "Masthead News: World". */
  title: string;
  /** Path of the page the feeds belong to: `/` for the site, `/world`, `/tags/russia`, `/authors/jane-doe`. */
  basePath: string;
}

/** The three formats every feed family is published in, beside its page: `<base>/feed.xml` etc. */
export const FEED_FORMATS = [
  { file: 'feed.xml', type: 'application/rss+xml', label: 'RSS' },
  { file: 'feed.atom', type: 'application/atom+xml', label: 'Atom' },
  { file: 'feed.json', type: 'application/feed+json', label: 'JSON Feed' },
] as const;

/** Absolute URL of one feed, e.g. `https://news.example.com/tags/russia/feed.atom`. */
export function feedUrl(origin: string, basePath: string, file: string): string {
  return `${origin}${basePath === '/' ? '' : basePath}/${file}`;
}

/** `<link rel="alternate">` for each source in each format, for feed-reader autodiscovery. */
export function feedLinks(origin: string, sources: readonly FeedSource[]): SafeHtml {
  return html`${sources.map((s) =>
    FEED_FORMATS.map(
      (f) => html`<link rel="alternate" type="${f.type}" title="${s.title} (${f.label})" href="${feedUrl(origin, s.basePath, f.file)}">\n`,
    ),
  )}`;
}
