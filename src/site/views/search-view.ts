import type { SearchAnswer, SearchInput, SearchResult } from '../../domain/search/search-service.ts';
import type { SnippetPart } from '../../domain/search/search-snippet.ts';
import type { EditionScope } from '../../domain/editions/edition.ts';
import { html, type HtmlValue, type SafeHtml } from '../../http/html.ts';
import { picture } from '../../render/picture.ts';
import type { Messages } from '../../render/i18n/messages.ts';
import { languageDirection } from '../../render/i18n/locales.ts';
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

/**
 * The languages an edition's search page offers to filter by. Inside a one-language edition
 * every story is in its language, so none (the filter is not shown); elsewhere the indexed
 * languages no other edition claims, since those would always find nothing here.
 */
export function searchLanguages(scope: EditionScope): string[] {
  if (scope.language) return [];
  const claimed = new Set((scope.languagesNotIn ?? []).map((l) => l.toLowerCase().split('-')[0]));
  return LANGUAGE_OPTIONS.map(([code]) => code).filter((code) => !claimed.has(code));
}

/** The address of a search with some inputs changed (page 1 and relevance are left out), under the edition's `base` path. */
export function searchHref(base: string, input: Partial<SearchInput>, change: Partial<SearchInput> = {}): string {
  const merged = { ...input, ...change };
  const params = new URLSearchParams();
  for (const key of ['q', 'section', 'author', 'tag', 'language', 'from', 'to'] as const) {
    const v = merged[key];
    if (v) params.set(key, v);
  }
  if (merged.sort && merged.sort !== 'relevance') params.set('sort', merged.sort);
  if (merged.page && merged.page > 1) params.set('page', String(merged.page));
  return `${base}/search?${params.toString()}`;
}

function snippet(parts: readonly SnippetPart[]): SafeHtml {
  return html`${parts.map((p) => (p.mark ? html`<mark>${p.text}</mark>` : p.text))}`;
}

function option(value: string, label: string, selected: string | undefined): SafeHtml {
  return html`<option value="${value}"${selected === value ? html` selected` : ''}>${label}</option>`;
}

/** A language offered by its own name, marked as written in that language. */
function languageOption(code: string, name: string, selected: string | undefined): SafeHtml {
  return html`<option value="${code}" lang="${code}"${selected === code ? html` selected` : ''}>${name}</option>`;
}

/** The search form; `languages` are the language filter's choices (none: no language filter). */
function searchForm(chrome: SiteChrome, input: Partial<SearchInput>, languages: readonly string[]): SafeHtml {
  const { m } = chrome;
  return html`<form class="search-form" role="search" aria-label="${m.text('search.formLabel')}" action="${chrome.basePath ?? ''}/search" method="get">
<div class="search-form__main"><label for="search-q">${m.text('search.for')}</label><input type="search" id="search-q" name="q" value="${input.q ?? ''}" maxlength="200" autocomplete="off" spellcheck="true" dir="auto" aria-describedby="search-tips"><button type="submit">${m.text('search.button')}</button></div>
<p id="search-tips" class="search-form__tips">${m.text('search.tips')}</p>
<fieldset class="search-form__filters"><legend>${m.text('search.refine')}</legend>
<label for="search-section">${m.text('search.section')}</label><select id="search-section" name="section">${option('', m.text('search.allSections'), input.section ?? '')}${chrome.sections.map((s) => option(s.slug, s.name, input.section))}</select>
${
  languages.length
    ? html`<label for="search-language">${m.text('search.language')}</label><select id="search-language" name="language">${option('', m.text('search.anyLanguage'), input.language ?? '')}${LANGUAGE_OPTIONS.filter(([code]) => languages.includes(code)).map(([code, name]) => languageOption(code, name, input.language))}</select>
`
    : ''
}<label for="search-from">${m.text('search.from')}</label><input type="date" id="search-from" name="from" value="${input.from ?? ''}">
<label for="search-to">${m.text('search.to')}</label><input type="date" id="search-to" name="to" value="${input.to ?? ''}">
<label for="search-sort">${m.text('search.sortBy')}</label><select id="search-sort" name="sort">${option('relevance', m.text('search.bestMatch'), input.sort ?? 'relevance')}${option('newest', m.text('search.newestFirst'), input.sort)}</select>
${input.author ? html`<input type="hidden" name="author" value="${input.author}">` : ''}${input.tag ? html`<input type="hidden" name="tag" value="${input.tag}">` : ''}
</fieldset>
</form>`;
}

function result(m: Messages, base: string, r: SearchResult): SafeHtml {
  const t = r.teaser;
  const byline = r.bylines.length
    ? html`<span class="search-result__byline">${m.html('article.byline', { names: m.list(r.bylines.map((a) => html`<a href="${base}/authors/${a.slug}"><bdi>${a.name}</bdi></a>`)) })}</span>`
    : '';
  // The result is in its story's language and direction; its byline and date words are the page's.
  return html`<li class="search-result"><article class="teaser teaser--row" lang="${t.language}" dir="${languageDirection(t.language)}">${t.hero ? html`<div class="teaser__media">${picture(t.hero, { sizes: '(min-width: 40rem) 12rem, 33vw' })}</div>` : ''}<div class="teaser__body"><p class="teaser__kicker"><a href="${t.sectionPath ?? `/${t.sectionSlug}`}">${t.sectionName}</a></p><h2 class="teaser__title"><a href="${t.path}">${t.headline}</a></h2>${t.standfirst ? html`<p class="teaser__standfirst">${t.standfirst}</p>` : ''}${r.snippet.length ? html`<p class="search-result__snippet">${snippet(r.snippet)}</p>` : ''}<p class="teaser__meta">${byline}<time datetime="${t.publishedAt}">${m.date(t.publishedAt)}</time></p></div></article></li>`;
}

function countLine(m: Messages, a: SearchAnswer): string {
  if (a.total === 0) return m.text('search.none');
  if (a.total === 1) return m.text('search.one');
  const from = m.number((a.page - 1) * a.pageSize + 1);
  const to = m.number((a.page - 1) * a.pageSize + a.results.length);
  const total = m.number(a.total);
  return m.text(a.totalCapped ? 'search.rangeCapped' : 'search.range', { from, to, total });
}

function pagination(m: Messages, base: string, a: SearchAnswer): SafeHtml {
  if (a.page === 1 && !a.hasNextPage) return html``;
  return html`<nav class="pagination" aria-label="${m.text('search.pagesNav')}">${a.page > 1 ? html`<a href="${searchHref(base, a.input, { page: a.page - 1 })}" rel="prev">${m.text('search.previous')}</a>` : ''}<span class="pagination__current">${m.text('search.page', { page: m.number(a.page) })}</span>${a.hasNextPage ? html`<a href="${searchHref(base, a.input, { page: a.page + 1 })}" rel="next">${m.text('search.next')}</a>` : ''}</nav>`;
}

function activeFilters(m: Messages, base: string, a: SearchAnswer): SafeHtml {
  const chips: SafeHtml[] = [];
  const remove = m.text('search.remove');
  if (a.input.author)
    chips.push(
      html`<li>${m.html('search.authorFilter', { name: html`<bdi>${a.input.author}</bdi>` })} <a href="${searchHref(base, a.input, { author: undefined, page: 1 })}">${remove}</a></li>`,
    );
  if (a.input.tag)
    chips.push(
      html`<li>${m.html('search.topicFilter', { name: html`<bdi>${a.input.tag}</bdi>` })} <a href="${searchHref(base, a.input, { tag: undefined, page: 1 })}">${remove}</a></li>`,
    );
  return chips.length ? html`<ul class="search-filters">${chips}</ul>` : html``;
}

/** "Did you mean": the corrected query, linked with the same filters. */
function didYouMean(m: Messages, base: string, a: SearchAnswer): SafeHtml {
  if (!a.suggestion) return html``;
  const link = html`<a href="${searchHref(base, a.input, { q: a.suggestion, page: 1 })}" rel="nofollow">${a.suggestion}</a>`;
  return html`<p class="search-suggestion">${m.html('search.didYouMean', { suggestion: link })}</p>`;
}

/** A reader's query in the page's quotation marks, isolated (it may run the other way). */
function quotedQuery(m: Messages, text: string): SafeHtml {
  return text.includes('"') ? html`<bdi>${text}</bdi>` : m.html('search.quoted', { text: html`<bdi>${text}</bdi>` });
}

function noResults(m: Messages, base: string, a: SearchAnswer): SafeHtml {
  const filtered = a.input.section || a.input.author || a.input.tag || a.input.language || a.input.from || a.input.to;
  const heading = a.query ? m.html('search.nothingMatched', { query: quotedQuery(m, a.query.text) }) : m.text('search.nothingMatchedPlain');
  const all = (chunks: HtmlValue[]) => html`<a href="${searchHref(base, { q: a.input.q })}">${chunks}</a>`;
  return html`<section class="search-empty" aria-labelledby="search-empty-heading"><h2 id="search-empty-heading">${heading}</h2>
<ul><li>${m.text('search.spelling')}</li>${filtered ? html`<li>${m.html('search.withoutFilters', { link: all })}</li>` : ''}</ul>
${a.recent.length ? html`<h2 class="block-title">${m.text('search.latest')}</h2><div class="stream">${a.recent.map((t) => teaser(m, t, 'row', 3))}</div>` : ''}</section>`;
}

/** The search page for an answer (or the empty form). */
export function searchView(chrome: SiteChrome, a: SearchAnswer, languages: readonly string[]): SafeHtml {
  const { m } = chrome;
  const base = chrome.basePath ?? '';
  const heading = a.query ? m.html('search.heading', { query: quotedQuery(m, a.query.text) }) : m.text('search.title');
  const body = html`<header class="list-header"><h1>${heading}</h1></header>
${searchForm(chrome, a.input, languages)}
${
  a.query
    ? html`${activeFilters(m, base, a)}<p class="search-count" role="status">${countLine(m, a)}</p>${didYouMean(m, base, a)}
${a.results.length ? html`<ol class="search-results" start="${(a.page - 1) * a.pageSize + 1}">${a.results.map((r) => result(m, base, r))}</ol>${pagination(m, base, a)}` : noResults(m, base, a)}`
    : html`<p class="search-intro">${m.text('search.intro', { siteName: chrome.siteName })}</p>`
}`;
  return layout(chrome, {
    title: `${a.query ? m.text('search.queryTitle', { query: a.query.text }) : m.text('search.title')} | ${chrome.siteName}`,
    description: m.text('search.description', { siteName: chrome.siteName }),
    // Result pages are for readers, not for search engines' indexes.
    robots: 'noindex, follow',
    body,
  });
}

/** A refused search (too long, too many words, a bad filter), with the form to try again. */
export function searchRefusedView(
  chrome: SiteChrome,
  input: Partial<SearchInput>,
  messages: readonly string[],
  languages: readonly string[],
): SafeHtml {
  const { m } = chrome;
  const body = html`<header class="list-header"><h1>${m.text('search.refusedHeading')}</h1></header>
<div class="search-refused" role="alert"><ul>${messages.map((message) => html`<li>${message}</li>`)}</ul></div>
${searchForm(chrome, input, languages)}`;
  return layout(chrome, { title: `${m.text('search.refusedTitle')} | ${chrome.siteName}`, robots: 'noindex, follow', body });
}

/**
 * The OpenSearch description of an edition's search: browsers offer it from their address bar
 * under the edition's site name, in its language (`language`: the edition's BCP 47 tag).
 */
export function openSearchXml(chrome: SiteChrome, language: string): string {
  const origin = siteOrigin(chrome);
  const base = chrome.basePath ?? '';
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  return `<?xml version="1.0" encoding="UTF-8"?>
<OpenSearchDescription xmlns="http://a9.com/-/spec/opensearch/1.1/">
<ShortName>${esc(chrome.siteName.slice(0, 16))}</ShortName>
<Description>${esc(chrome.m.text('search.description', { siteName: chrome.siteName }))}</Description>
<Language>${esc(language)}</Language>
<InputEncoding>UTF-8</InputEncoding>
<OutputEncoding>UTF-8</OutputEncoding>
<Image width="16" height="16" type="image/svg+xml">${esc(`${origin}/static/favicon.svg`)}</Image>
<Url type="text/html" method="get" template="${esc(`${origin}${base}/search?q={searchTerms}`)}"/>
<Url type="application/opensearchdescription+xml" rel="self" template="${esc(`${origin}${base}/opensearch.xml`)}"/>
</OpenSearchDescription>
`;
}
