import type { Deps } from '../deps.ts';
import { versionedAsset } from '../http/assets.ts';
import type { Section } from '../domain/sections/section.ts';
import { sectionDirectory } from '../domain/sections/section-directory.ts';
import { findActiveAlert } from '../domain/alerts/breaking-alert.ts';
import type { SiteChrome } from './views/layout.ts';

/**
 * Builds the page chrome (site name, asset URLs, section navigation, the breaking-news alert). Sections come from
 * the shared in-memory section directory (refreshed every few seconds), not a query per page.
 */
export function createChromeLoader(deps: Deps): () => Promise<SiteChrome> {
  const assets = siteAssets();
  const directory = sectionDirectory(deps.db);
  let last: { list: Section[]; chrome: SiteChrome } | undefined;
  return async () => {
    const list = await directory.list();
    if (last?.list !== list) {
      last = {
        list,
        chrome: {
          siteName: deps.config.siteName,
          siteUrl: deps.config.siteUrl,
          sections: list.map((s) => ({ slug: s.slug, name: s.name })),
          assets,
        },
      };
    }
    // Read per page built (a cache miss): the banner must be right the moment its change purges pages.
    const alert = await findActiveAlert(deps.db, deps.clock().toISOString());
    return alert ? { ...last.chrome, alert } : last.chrome;
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
  const fallback: SiteChrome = { siteName: config.siteName, siteUrl: config.siteUrl, sections: [], assets: siteAssets() };
  return () => load().catch(() => fallback);
}
