import type { Deps } from '../deps.ts';
import { versionedAsset } from '../http/assets.ts';
import type { Section } from '../domain/sections/section.ts';
import { sectionDirectory } from '../domain/sections/section-directory.ts';
import type { EditionView } from '../domain/editions/edition-view.ts';
import { activeAlertMemo } from '../domain/alerts/breaking-alert.ts';
import type { SiteChrome } from './views/layout.ts';
import { messagesFor } from '../render/i18n/messages.ts';
import type { Locale } from '../render/i18n/locales.ts';
import { readerLocale } from './reader-locale.ts';

/**
 * Builds the page chrome (site name, asset URLs, section navigation, the breaking-news alert)
 * of an edition (the default one when none is given). Sections come from the shared in-memory
 * section directory (refreshed every few seconds), not a query per page.
 */
export function createChromeLoader(deps: Deps): (view?: EditionView) => Promise<SiteChrome> {
  const assets = siteAssets();
  const directory = sectionDirectory(deps.db);
  const alerts = activeAlertMemo(deps.db);
  const last = new Map<string, { list: Section[]; view: EditionView | undefined; chrome: SiteChrome }>();
  return async (view) => {
    const list = await directory.list();
    const key = view?.edition.id ?? '';
    let hit = last.get(key);
    if (hit?.list !== list || hit.view?.edition !== view?.edition) {
      hit = {
        list,
        view,
        chrome: {
          siteName: view?.edition.siteName ?? deps.config.siteName,
          siteUrl: view?.origin ?? deps.config.siteUrl,
          sections: list.map((s) => (view ? view.section(s) : { slug: s.slug, name: s.name })),
          assets,
          m: messagesFor(readerLocale(view ? { edition: view.edition } : {})),
          ...(view ? { basePath: view.basePath } : {}),
        },
      };
      last.set(key, hit);
    }
    // Read for many pages built, dropped by every change before it purges pages (deps.ts): the
    // banner is right the moment its change purges them.
    const alert = await alerts.find(deps.clock().toISOString());
    return alert ? { ...hit.chrome, alert } : hit.chrome;
  };
}

function siteAssets(): SiteChrome['assets'] {
  return { css: versionedAsset('site.css'), js: versionedAsset('site.js') };
}

/**
 * The chrome for an error page: the site's own, or, when it cannot be read (the database is
 * what failed), a static one with the site's name and styles but no section navigation, so
 * the reader still gets a page of the site rather than a driver's message.
 */
export function chromeForErrors(load: () => Promise<SiteChrome>, config: Deps['config']): () => Promise<SiteChrome> {
  const fallback: SiteChrome = {
    siteName: config.siteName,
    siteUrl: config.siteUrl,
    sections: [],
    assets: siteAssets(),
    m: messagesFor(readerLocale({})),
  };
  return () => load().catch(() => fallback);
}

/** The chrome speaking another interface language (a story's page; see reader-locale.ts). */
export function chromeIn(chrome: SiteChrome, locale: Locale): SiteChrome {
  return chrome.m.locale === locale ? chrome : { ...chrome, m: messagesFor(locale) };
}
