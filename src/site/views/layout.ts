import { html, type SafeHtml } from '../../http/html.ts';
import type { Messages } from '../../render/i18n/messages.ts';
import type { ActiveAlert } from '../../domain/alerts/breaking-alert.ts';
import { breakingAlertRegion } from './breaking-alert-view.ts';

export interface SiteChrome {
  siteName: string;
  siteUrl: string;
  sections: ReadonlyArray<{ slug: string; name: string }>;
  /** Versioned URLs of the static assets (content hash in the query string). */
  assets: { css: string; js: string };
  /** The reader interface's words, dates and direction for this page (see site/reader-locale.ts). */
  m: Messages;
  /** The language edition's path prefix (`/fr`), '' or absent for the default edition. */
  basePath?: string;
  /** The breaking-news alert up when the page was built (pages carry the chrome tag: a change purges them). */
  alert?: ActiveAlert | null;
}

export interface LayoutProps {
  title: string;
  description?: string;
  /** Site-relative canonical path. */
  canonicalPath?: string;
  head?: SafeHtml;
  currentSection?: string;
  robots?: string;
  /** Alternate language versions (hreflang), absolute URLs, x-default included. */
  alternates?: ReadonlyArray<{ hreflang: string; href: string }>;
  /** Link-preview, structured-data and feed-discovery tags, placed early in `<head>` where crawlers look. */
  meta?: SafeHtml;
  body: SafeHtml;
}

/** The public origin without a trailing slash, for absolute URLs. */
export function siteOrigin(chrome: SiteChrome): string {
  return chrome.siteUrl.endsWith('/') ? chrome.siteUrl.replace(/\/+$/, '') : chrome.siteUrl;
}

/** The page shell: skip link, masthead with section navigation, main landmark, footer. */
export function layout(chrome: SiteChrome, p: LayoutProps): SafeHtml {
  const { m } = chrome;
  const year = m.plainNumber(new Date().getUTCFullYear());
  // The page's language and direction are the interface's; a story in another language says so on its own element.
  return html`<!doctype html>
<html lang="${m.locale}" dir="${m.dir}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${p.title}</title>
${p.description ? html`<meta name="description" content="${p.description}">` : ''}
${p.canonicalPath ? html`<link rel="canonical" href="${siteOrigin(chrome)}${p.canonicalPath}">` : ''}
${p.robots ? html`<meta name="robots" content="${p.robots}">` : ''}
${(p.alternates ?? []).map((a) => html`<link rel="alternate" hreflang="${a.hreflang}" href="${a.href}">`)}
${p.meta ?? ''}
<meta name="color-scheme" content="light dark">
<meta name="theme-color" content="#ffffff" media="(prefers-color-scheme: light)">
<meta name="theme-color" content="#121417" media="(prefers-color-scheme: dark)">
<link rel="stylesheet" href="${chrome.assets.css}">
<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">
<link rel="search" type="application/opensearchdescription+xml" href="${chrome.basePath ?? ''}/opensearch.xml" title="${chrome.siteName}">
${p.head ?? ''}
</head>
<body>
<a class="skip-link" href="#main">${m.text('layout.skipLink')}</a>
${breakingAlertRegion(chrome.alert, chrome.m, chrome.basePath ?? '')}
<header class="masthead">
<div class="masthead__inner">
<a class="masthead__brand" href="${chrome.basePath ?? ''}/">${chrome.siteName}</a>
<form class="masthead__search" role="search" aria-label="${m.text('layout.searchLandmark')}" action="${chrome.basePath ?? ''}/search" method="get"><label class="visually-hidden" for="masthead-q">${m.text('layout.searchLabel')}</label><input type="search" id="masthead-q" name="q" maxlength="200" placeholder="${m.text('layout.searchPlaceholder')}" autocomplete="off" dir="auto"><button type="submit">${m.text('layout.searchButton')}</button></form>
<nav class="masthead__nav" aria-label="${m.text('layout.sectionsNav')}"><ul>${chrome.sections.map((s) => html`<li><a href="${chrome.basePath ?? ''}/${s.slug}"${p.currentSection === s.slug ? html` aria-current="page"` : ''}>${s.name}</a></li>`)}</ul></nav>
</div>
</header>
<main id="main" tabindex="-1">
${p.body}
</main>
<footer class="site-footer">
<div class="site-footer__inner">
<p class="site-footer__brand">${chrome.siteName}</p>
<nav aria-label="${m.text('layout.footerNav')}"><ul>${chrome.sections.map((s) => html`<li><a href="${chrome.basePath ?? ''}/${s.slug}">${s.name}</a></li>`)}</ul></nav>
<p class="site-footer__small">${m.text('layout.copyright', { year, siteName: chrome.siteName })}</p>
</div>
</footer>
<script src="${chrome.assets.js}" defer></script>
</body>
</html>`;
}
