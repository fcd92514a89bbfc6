import type { SearchAnswer, SearchInput, SearchResult } from '../../domain/search/search-service.ts';
import type { SnippetPart } from '../../domain/search/search-snippet.ts';
import { html, type SafeHtml } from '../../http/html.ts';
import { picture } from '../../render/picture.ts';
import { formatDate } from './format.ts';
import { layout, siteOrigin, type SiteChrome } from './layout.ts';
import { teaser } from './partials/teaser.ts';

/*
 * The search page: the form (usable without JavaScript: a GET form whose fields are the query
 * string the page reads), the results and their pagination, or help when nothing matched.
 * Snippets arrive as plain-text parts; each is escaped here and only <mark> is added.
 */

/** Languages offered in the filter: the ones the index stems, by their own names. */
const LANGUAGE_OPTIONS: ReadonlyArray<[code: string, name: string]> = [
  ['en', 'English'],
  ['fr', 'Français'],
  ['de', 'Deutsch'],
  ['es', 'Español'],
  ['it', 'Italiano'],
  ['pt', 'Português'],
  ['ru', 'Русский'],
  ['tr', 'Türkçe'],
  ['ar', 'العربية'],
];

export const SEARCH_PAGE_SIZE = 10;

/** Languages written right to left: their results are laid out so. */
const RTL = /^(ar|he|fa|ur)(-|$)/i;

/** The query string of a search with some inputs changed (page 1 and relevance are left out). */
export function searchHref(input: Partial<SearchInput>, change: Partial<SearchInput> = {}): string {
  const merged = { ...input, ...change };
  const params = new URLSearchParams();
  for (const key of ['q', 'section', 'author', 'tag', 'language', 'from', 'to'] as const) {
    const v = merged[key];
    if (v) params.set(key, v);
  }
  if (merged.sort && merged.sort !== 'relevance') params.set('sort', merged.sort);
  if (merged.page && merged.page > 1) params.set('page', String(merged.page));
  return `/search?${params.toString()}`;
}

function snippet(parts: readonly SnippetPart[]): SafeHtml {
  return html`${parts.map((p) => (p.mark ? html`<mark>${p.text}</mark>` : p.text))}`;
}

function option(value: string, label: string, selected: string | undefined): SafeHtml {
  return html`<option value="${value}"${selected === value ? html` selected` : ''}>${label}</option>`;
}

function searchForm(chrome: SiteChrome, input: Partial<SearchInput>): SafeHtml {
  return html`<form class="search-form" role="search" aria-label="Search stories" action="/search" method="get">
<div class="search-form__main"><label for="search-q">Search for</label><input type="search" id="search-q" name="q" value="${input.q ?? ''}" maxlength="200" autocomplete="off" spellcheck="true" aria-describedby="search-tips"><button type="submit">Search</button></div>
<p id="search-tips" class="search-form__tips">Use "quotes" for a phrase, -word to leave a word out, OR for either word.</p>
<fieldset class="search-form__filters"><legend>Refine</legend>
<label for="search-section">Section</label><select id="search-section" name="section">${option('', 'All sections', input.section ?? '')}${chrome.sections.map((s) => option(s.slug, s.name, input.section))}</select>
<label for="search-language">Language</label><select id="search-language" name="language">${option('', 'Any language', input.language ?? '')}${LANGUAGE_OPTIONS.map(([code, name]) => option(code, name, input.language))}</select>
<label for="search-from">From</label><input type="date" id="search-from" name="from" value="${input.from ?? ''}">
<label for="search-to">To</label><input type="date" id="search-to" name="to" value="${input.to ?? ''}">
<label for="search-sort">Sort by</label><select id="search-sort" name="sort">${option('relevance', 'Best match', input.sort ?? 'relevance')}${option('newest', 'Newest first', input.sort)}</select>
${input.author ? html`<input type="hidden" name="author" value="${input.author}">` : ''}${input.tag ? html`<input type="hidden" name="tag" value="${input.tag}">` : ''}
</fieldset>
</form>`;
}

function result(r: SearchResult): SafeHtml {
  const t = r.teaser;
  const byline = r.bylines.length
    ? html`<span class="search-result__byline">By ${r.bylines.map((a, i) => html`${i ? (i === r.bylines.length - 1 ? ' and ' : ', ') : ''}<a href="/authors/${a.slug}">${a.name}</a>`)}</span>`
    : '';
  return html`<li class="search-result"><article class="teaser teaser--row" lang="${t.language}"${RTL.test(t.language) ? html` dir="rtl"` : ''}>${t.hero ? html`<div class="teaser__media">${picture(t.hero, { sizes: '(min-width: 40rem) 12rem, 33vw' })}</div>` : ''}<div class="teaser__body"><p class="teaser__kicker"><a href="/${t.sectionSlug}">${t.sectionName}</a></p><h2 class="teaser__title"><a href="${t.path}">${t.headline}</a></h2>${t.standfirst ? html`<p class="teaser__standfirst">${t.standfirst}</p>` : ''}${r.snippet.length ? html`<p class="search-result__snippet">${snippet(r.snippet)}</p>` : ''}<p class="teaser__meta">${byline}<time datetime="${t.publishedAt}">${formatDate(t.publishedAt)}</time></p></div></article></li>`;
}

function countLine(a: SearchAnswer): string {
  if (a.total === 0) return 'No stories found';
  const from = (a.page - 1) * a.pageSize + 1;
  const to = from + a.results.length - 1;
  // Capped: at least this many, and the search stopped looking further ("500+").
  const total = a.totalCapped ? `${a.total.toLocaleString('en')}+` : a.total.toLocaleString('en');
  return a.total === 1 ? '1 story found' : `Stories ${from}–${to} of ${total}`;
}

function pagination(a: SearchAnswer): SafeHtml {
  if (a.page === 1 && !a.hasNextPage) return html``;
  return html`<nav class="pagination" aria-label="Search result pages">${a.page > 1 ? html`<a href="${searchHref(a.input, { page: a.page - 1 })}" rel="prev">← Previous page</a>` : ''}<span class="pagination__current">Page ${a.page}</span>${a.hasNextPage ? html`<a href="${searchHref(a.input, { page: a.page + 1 })}" rel="next">Next page →</a>` : ''}</nav>`;
}

function activeFilters(a: SearchAnswer): SafeHtml {
  const chips: SafeHtml[] = [];
  if (a.input.author)
    chips.push(html`<li>Author: ${a.input.author} <a href="${searchHref(a.input, { author: undefined, page: 1 })}">remove</a></li>`);
  if (a.input.tag)
    chips.push(html`<li>Topic: ${a.input.tag} <a href="${searchHref(a.input, { tag: undefined, page: 1 })}">remove</a></li>`);
  return chips.length ? html`<ul class="search-filters">${chips}</ul>` : html``;
}

/** "Did you mean": the corrected query, linked with the same filters. */
function didYouMean(a: SearchAnswer): SafeHtml {
  if (!a.suggestion) return html``;
  return html`<p class="search-suggestion">Did you mean: <a href="${searchHref(a.input, { q: a.suggestion, page: 1 })}" rel="nofollow">${a.suggestion}</a>?</p>`;
}

function noResults(a: SearchAnswer): SafeHtml {
  const filtered = a.input.section || a.input.author || a.input.tag || a.input.language || a.input.from || a.input.to;
  return html`<section class="search-empty" aria-labelledby="search-empty-heading"><h2 id="search-empty-heading">Nothing matched ${a.query ? (a.query.text.includes('"') ? a.query.text : `“${a.query.text}”`) : ''}</h2>
<ul><li>Check the spelling, or try fewer or more general words.</li>${filtered ? html`<li><a href="${searchHref({ q: a.input.q })}">Search all stories</a> without the filters.</li>` : ''}</ul>
${a.recent.length ? html`<h2 class="block-title">Latest stories</h2><div class="stream">${a.recent.map((t) => teaser(t, 'row', 3))}</div>` : ''}</section>`;
}

/** The search page for an answer (or the empty form). */
export function searchView(chrome: SiteChrome, a: SearchAnswer): SafeHtml {
  const quoted = (text: string) => (text.includes('"') ? text : `“${text}”`);
  const heading = a.query ? `Search results for ${quoted(a.query.text)}` : 'Search';
  const body = html`<header class="list-header"><h1>${heading}</h1></header>
${searchForm(chrome, a.input)}
${
  a.query
    ? html`${activeFilters(a)}<p class="search-count" role="status">${countLine(a)}</p>${didYouMean(a)}
${a.results.length ? html`<ol class="search-results" start="${(a.page - 1) * a.pageSize + 1}">${a.results.map(result)}</ol>${pagination(a)}` : noResults(a)}`
    : html`<p class="search-intro">Search every story ${chrome.siteName} has published.</p>`
}`;
  return layout(chrome, {
    title: `${a.query ? `${a.query.text}: search` : 'Search'} | ${chrome.siteName}`,
    description: `Search ${chrome.siteName}.`,
    // Result pages are for readers, not for search engines' indexes.
    robots: 'noindex, follow',
    body,
  });
}

/** A refused search (too long, too many words, a bad filter), with the form to try again. */
export function searchRefusedView(chrome: SiteChrome, input: Partial<SearchInput>, messages: readonly string[]): SafeHtml {
  const body = html`<header class="list-header"><h1>That search could not be run</h1></header>
<div class="search-refused" role="alert"><ul>${messages.map((m) => html`<li>${m}</li>`)}</ul></div>
${searchForm(chrome, input)}`;
  return layout(chrome, { title: `Search could not be run | ${chrome.siteName}`, robots: 'noindex, follow', body });
}

/** The OpenSearch description: browsers offer the site's search from their address bar. */
export function openSearchXml(chrome: SiteChrome): string {
  const origin = siteOrigin(chrome);
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  return `<?xml version="1.0" encoding="UTF-8"?>
<OpenSearchDescription xmlns="http://a9.com/-/spec/opensearch/1.1/">
<ShortName>${esc(chrome.siteName.slice(0, 16))}</ShortName>
<Description>${esc(`Search ${chrome.siteName}`)}</Description>
<InputEncoding>UTF-8</InputEncoding>
<Image width="16" height="16" type="image/svg+xml">${esc(`${origin}/static/favicon.svg`)}</Image>
<Url type="text/html" method="get" template="${esc(`${origin}/search?q={searchTerms}`)}"/>
<Url type="application/opensearchdescription+xml" rel="self" template="${esc(`${origin}/opensearch.xml`)}"/>
</OpenSearchDescription>
`;
}
