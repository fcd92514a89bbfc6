import type { ArticlePage } from '../../domain/published/article-page.ts';
import { html, join, type SafeHtml } from '../../http/html.ts';
import { closedMessage } from '../../domain/comments/comment-policy.ts';
import { commentCountLabel } from './comments-partials.ts';
import { renderDocument, renderFigure } from '../../render/document-view.ts';
import { formatDateTime } from './format.ts';
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

const RTL_LANGS = /^(ar|fa|he|ur|ps|yi|dv|ckb)(-|$)/;

function byline(page: ArticlePage, base: string): SafeHtml {
  if (!page.authors.length) return html``;
  const names = page.authors.map((a) => html`<a class="byline__author" rel="author" href="${base}/authors/${a.slug}">${a.name}</a>`);
  const joined: SafeHtml[] = [];
  names.forEach((n, i) => {
    if (i > 0) joined.push(html`${i === names.length - 1 ? ' and ' : ', '}`);
    joined.push(n);
  });
  return html`<p class="byline">By ${join(joined)}</p>`;
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
function otherEditions(articleId: string, translations: readonly TranslationLink[]): SafeHtml | '' {
  const others = translations.filter((t) => t.id !== articleId && t.hreflang !== 'x-default');
  if (!others.length) return '';
  return html`<nav class="article__editions" aria-labelledby="editions-heading"><h2 id="editions-heading">This story in other editions</h2><ul>${others.map(
    (t) =>
      html`<li><a href="${t.href}" hreflang="${t.hreflang}" lang="${t.hreflang}"><span>${t.editionName}</span>: <bdi>${t.headline}</bdi></a></li>`,
  )}</ul></nav>`;
}

function times(page: ArticlePage): SafeHtml {
  const { publishedAt, updatedAt } = page.article;
  if (!publishedAt) return html``;
  const showUpdated = updatedAt && updatedAt > publishedAt;
  return html`<p class="article__times"><span>Published <time datetime="${publishedAt}" data-localize>${formatDateTime(publishedAt)}</time></span>${showUpdated ? html`<span class="article__updated">Updated <time datetime="${updatedAt}" data-localize>${formatDateTime(updatedAt)}</time></span>` : ''}${articleNotesLink(page.notes)}</p>`;
}

/**
 * The comments block: count and a link to the story's discussion page. The thread itself is
 * served at `<path>/comments`, so this page stays one query-free block, the same for everyone.
 */
function comments(page: ArticlePage): SafeHtml {
  const count = page.comments?.count ?? 0;
  const state = page.comments?.state;
  const open = state?.kind === 'open';
  const note = !state
    ? ''
    : state.kind === 'closed'
      ? closedMessage(state.reason)
      : state.moderated
        ? 'Comments on this story are reviewed by our editors before they appear.'
        : count === 0
          ? 'No comments yet. Start the discussion.'
          : '';
  const label =
    count === 0
      ? open
        ? 'Write a comment'
        : ''
      : open
        ? `Read ${commentCountLabel(count)} and join the discussion`
        : `Read ${commentCountLabel(count)}`;
  return html`<section class="comments" id="comments" aria-labelledby="comments-heading"><h2 id="comments-heading">Comments <span class="comments__count">(${count})</span></h2>${note ? html`<p class="comments__note">${note}</p>` : ''}${label ? html`<p class="comments__more"><a class="comments-button" href="${page.path}/comments">${label}</a></p>` : ''}</section>`;
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
  const share = shareLinks(url, a.headline);
  const description = a.seoDescription ?? a.standfirst;
  const body = html`<article class="article" lang="${a.language}">
<header class="article__header">
<p class="article__kicker"><a href="${base}/${page.section.slug}">${page.section.name}</a></p>
<h1 class="article__headline">${a.headline}</h1>
${a.standfirst ? html`<p class="article__standfirst">${a.standfirst}</p>` : ''}
</header>
${page.hero ? renderFigure(page.hero, {}, { sizes: '(min-width: 64rem) 60rem, 100vw', eager: true, className: 'article__hero' }) : ''}
<div class="article__meta">
${byline(page, base)}
${times(page)}
</div>
${shareBar({ url, title: a.headline, commentCount: page.comments?.count ?? 0, position: 'top', id: 'share-top', links: share })}
<div class="article__body">
${renderDocument(a.body, page.images)}
</div>
${live && a.live ? liveBlogSection(page.path, a.live, live.entries, live.nowIso) : ''}
${articleNotes(page.notes)}
${otherEditions(a.id, translations)}
${page.tags.length ? html`<nav class="article__tags" aria-label="Tags"><h2 class="visually-hidden">Tags</h2><ul>${page.tags.map((t) => html`<li><a href="${base}/tags/${t.slug}">${t.name}</a></li>`)}</ul></nav>` : ''}
${shareBar({ url, title: a.headline, commentCount: page.comments?.count ?? 0, position: 'bottom', id: 'share-bottom', links: share })}
${comments(page)}
</article>
${page.related.length ? html`<section class="related" aria-labelledby="related-heading"><h2 id="related-heading">You might also like</h2><div class="related__list">${page.related.map((t) => teaser(t, 'card', 3))}</div></section>` : ''}`;
  return layout(chrome, {
    title: `${a.seoTitle ?? a.headline} | ${chrome.siteName}`,
    description,
    canonicalPath: page.path,
    alternates: translations.map((t) => ({ hreflang: t.hreflang, href: t.href })),
    lang: a.language,
    dir: RTL_LANGS.test(a.language) ? 'rtl' : 'ltr',
    currentSection: page.section.slug,
    // Lets search engines show the hero large (Google Discover needs it); snippets stay unlimited.
    robots: 'max-image-preview:large',
    meta: articleMeta(chrome, page, logo, description, live),
    body,
  });
}
