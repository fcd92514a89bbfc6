import type { ArticlePage } from '../../domain/published/article-page.ts';
import { html, join, type SafeHtml } from '../../http/html.ts';
import { closedMessage } from './comments-partials.ts';
import { renderDocument, renderFigure } from '../../render/document-view.ts';
import type { Messages } from '../../render/i18n/messages.ts';
import { languageDirection } from '../../render/i18n/locales.ts';
import { layout, type SiteChrome } from './layout.ts';
import { feedLinks } from './meta/feed-links.ts';
import { jsonLdScript, siteIdentity, type PublisherLogo } from './meta/json-ld.ts';
import { authorUrl, modifiedTime, newsArticleNode, type ArticlePageView } from './meta/news-article.ts';
import { openGraphTags } from './meta/open-graph.ts';
import { shareImage } from './meta/share-image.ts';
import { articleNotes, articleNotesLink } from './partials/article-notes.ts';
import { shareBar, shareLinks } from './partials/share-bar.ts';
import { teaser } from './partials/teaser.ts';
import type { LiveEntriesPage } from '../../domain/live/live-entries-read.ts';
import { liveBlogSection } from './live-blog-view.ts';
import { liveBlogPostingNode } from './meta/live-blog-posting.ts';

/** A live blog's entries on its page (the site's route reads them; the newsroom preview shows none). */
export interface LiveBlogView {
  entries: LiveEntriesPage;
  nowIso: string;
}

/** "By A, B and C": names isolated with <bdi> so a Latin name in an Arabic byline keeps its order. */
export function bylineNames(m: Messages, authors: ReadonlyArray<{ slug: string; name: string }>, className?: string, base = ''): SafeHtml {
  return m.list(
    authors.map(
      (a) => html`<a${className ? html` class="${className}" rel="author"` : ''} href="${base}/authors/${a.slug}"><bdi>${a.name}</bdi></a>`,
    ),
  );
}

function byline(m: Messages, page: ArticlePage, base: string): SafeHtml {
  if (!page.authors.length) return html``;
  return html`<p class="byline">${m.html('article.byline', { names: bylineNames(m, page.authors, 'byline__author', base) })}</p>`;
}

/** A `<time>` that site.js re-renders in the reader's time zone (in the page's language). */
export function localizedTime(m: Messages, iso: string): SafeHtml {
  return html`<time datetime="${iso}" data-localize>${m.dateTime(iso)}</time>`;
}

/** A published translation of the story: its language (or x-default) and absolute address. */
export interface TranslationLink {
  id: string;
  hreflang: string;
  href: string;
  headline: string;
  editionName: string;
}

/** "This story in other editions": each other published version, in its own language. */
function otherEditions(m: Messages, articleId: string, translations: readonly TranslationLink[]): SafeHtml | '' {
  const others = translations.filter((t) => t.id !== articleId && t.hreflang !== 'x-default');
  if (!others.length) return '';
  return html`<nav class="article__editions" aria-labelledby="editions-heading"><h2 id="editions-heading">${m.text('article.otherEditions')}</h2><ul>${others.map(
    (t) =>
      // Each link reads in its own language's direction (an English title on an Arabic page keeps its colon where English puts it).
      html`<li><a href="${t.href}" hreflang="${t.hreflang}" lang="${t.hreflang}" dir="${languageDirection(t.hreflang)}"><span>${t.editionName}</span>: <bdi>${t.headline}</bdi></a></li>`,
  )}</ul></nav>`;
}

function times(m: Messages, page: ArticlePage): SafeHtml {
  const { publishedAt, updatedAt } = page.article;
  if (!publishedAt) return html``;
  const showUpdated = updatedAt && updatedAt > publishedAt;
  return html`<p class="article__times"><span>${m.html('article.published', { time: localizedTime(m, publishedAt) })}</span>${showUpdated ? html`<span class="article__updated">${m.html('article.updated', { time: localizedTime(m, updatedAt) })}</span>` : ''}${articleNotesLink(m, page.notes)}</p>`;
}

/**
 * The comments block: count and a link to the story's discussion page. The thread itself is
 * served at `<path>/comments`, so this page stays one query-free block, the same for everyone.
 */
function comments(m: Messages, page: ArticlePage): SafeHtml {
  const count = page.comments?.count ?? 0;
  const state = page.comments?.state;
  const open = state?.kind === 'open';
  const note = !state
    ? ''
    : state.kind === 'closed'
      ? closedMessage(m, state.reason)
      : state.moderated
        ? m.text('comments.moderated')
        : count === 0
          ? m.text('comments.noneYetStart')
          : '';
  const label =
    count === 0
      ? open
        ? m.text('comments.write')
        : ''
      : open
        ? m.text('comments.readAndJoin', { count })
        : m.text('comments.read', { count });
  return html`<section class="comments" id="comments" aria-labelledby="comments-heading"><h2 id="comments-heading">${m.text('comments.heading')} <span class="comments__count">(${m.number(count)})</span></h2>${note ? html`<p class="comments__note">${note}</p>` : ''}${label ? html`<p class="comments__more"><a class="comments-button" href="${page.path}/comments">${label}</a></p>` : ''}</section>`;
}

/** Link previews, NewsArticle JSON-LD and the site and section feeds. */
function articleMeta(chrome: SiteChrome, page: ArticlePageView, logo: PublisherLogo, description: string, live?: LiveBlogView): SafeHtml {
  const site = siteIdentity(chrome, logo);
  const a = page.article;
  const url = `${site.origin}${page.path}`;
  const og = openGraphTags({
    type: 'article',
    title: a.seoTitle ?? a.headline,
    description,
    url,
    siteName: chrome.siteName,
    language: a.language,
    // Open Graph needs an image; a story without a photo previews with the publisher logo.
    image: page.hero ? shareImage(site.origin, page.hero) : { ...site.logo, alt: chrome.siteName },
    card: page.hero ? 'summary_large_image' : 'summary',
    article: a.publishedAt
      ? {
          publishedTime: a.publishedAt,
          modifiedTime: modifiedTime(page) ?? a.publishedAt,
          section: page.section.name,
          tags: page.tags.map((t) => t.name),
          authorUrls: page.authors.map((p) => authorUrl(site.origin, p.slug)),
        }
      : undefined,
  });
  const feeds = feedLinks(site.origin, [
    { title: chrome.siteName, basePath: chrome.basePath || '/' },
    { title: `${chrome.siteName}: ${page.section.name}`, basePath: `${chrome.basePath ?? ''}/${page.section.slug}` },
    // A live blog's own feed of entries, beside its page.
    ...(live && a.live ? [{ title: `${a.headline}: live updates`, basePath: page.path }] : []),
  ]);
  const liveNode =
    live && a.live && a.publishedAt
      ? jsonLdScript(
          liveBlogPostingNode(
            site,
            { path: page.path, headline: a.headline, description, publishedAt: a.publishedAt, language: a.language },
            a.live,
            live.entries,
          ),
        )
      : '';
  return html`${og}
${feeds}${jsonLdScript(newsArticleNode(site, page, description))}${liveNode}`;
}

/** The public article page; `logo` is the publisher logo its structured data names. */
export function articleView(
  chrome: SiteChrome,
  page: ArticlePageView,
  logo: PublisherLogo,
  live?: LiveBlogView,
  translations: readonly TranslationLink[] = [],
): SafeHtml {
  const a = page.article;
  const base = chrome.basePath ?? '';
  const url = `${chrome.siteUrl}${page.path}`;
  const { m } = chrome;
  const share = shareLinks(m, url, a.headline);
  const description = a.seoDescription ?? a.standfirst;
  const body = html`<article class="article" lang="${a.language}" dir="${languageDirection(a.language)}">
<header class="article__header">
<p class="article__kicker"><a href="${base}/${page.section.slug}">${page.section.name}</a></p>
<h1 class="article__headline">${a.headline}</h1>
${a.standfirst ? html`<p class="article__standfirst">${a.standfirst}</p>` : ''}
</header>
${page.hero ? renderFigure(page.hero, {}, { sizes: '(min-width: 64rem) 60rem, 100vw', eager: true, className: 'article__hero' }) : ''}
<div class="article__meta">
${byline(m, page, base)}
${times(m, page)}
</div>
${shareBar(m, { url, title: a.headline, commentCount: page.comments?.count ?? 0, position: 'top', id: 'share-top', links: share })}
<div class="article__body">
${renderDocument(a.body, page.images)}
</div>
${live && a.live ? liveBlogSection(m, page.path, a.live, live.entries, live.nowIso) : ''}
${articleNotes(m, page.notes)}
${otherEditions(m, a.id, translations)}
${page.tags.length ? html`<nav class="article__tags" aria-label="${m.text('article.tags')}"><h2 class="visually-hidden">${m.text('article.tags')}</h2><ul>${page.tags.map((t) => html`<li><a href="${base}/tags/${t.slug}">${t.name}</a></li>`)}</ul></nav>` : ''}
${shareBar(m, { url, title: a.headline, commentCount: page.comments?.count ?? 0, position: 'bottom', id: 'share-bottom', links: share })}
${comments(m, page)}
</article>
${page.related.length ? html`<section class="related" aria-labelledby="related-heading"><h2 id="related-heading">${m.text('article.related')}</h2><div class="related__list">${page.related.map((t) => teaser(m, t, 'card', 3))}</div></section>` : ''}`;
  return layout(chrome, {
    title: `${a.seoTitle ?? a.headline} | ${chrome.siteName}`,
    description,
    canonicalPath: page.path,
    alternates: translations.map((t) => ({ hreflang: t.hreflang, href: t.href })),
    currentSection: page.section.slug,
    // Lets search engines show the hero large (Google Discover needs it); snippets stay unlimited.
    robots: 'max-image-preview:large',
    meta: articleMeta(chrome, page, logo, description, live),
    body,
  });
}
