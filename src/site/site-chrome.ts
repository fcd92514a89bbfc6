import type { Deps } from '../deps.ts';
import { versionedAsset } from '../http/assets.ts';
import { listSections } from '../domain/sections/section.ts';
import type { SiteChrome } from './views/layout.ts';

/**
 * How long the section navigation is reused. Sections change a few times a year; reading
 * them on every page view cost ~5% of a render. Every app node picks a change up within
 * this time without any coordination.
 */
export const CHROME_TTL_MS = 5_000;

/** Builds the page chrome (site name, asset URLs, section navigation). */
export function createChromeLoader(deps: Deps): () => Promise<SiteChrome> {
  const assets = { css: versionedAsset('site.css'), js: versionedAsset('site.js') };
  let cached: { chrome: SiteChrome; expires: number } | undefined;
  let pending: Promise<SiteChrome> | undefined;
  const load = async (): Promise<SiteChrome> => {
    const chrome: SiteChrome = {
      siteName: deps.config.siteName,
      siteUrl: deps.config.siteUrl,
      sections: (await listSections(deps.db)).map((s) => ({ slug: s.slug, name: s.name })),
      assets,
    };
    cached = { chrome, expires: Date.now() + CHROME_TTL_MS };
    return chrome;
  };
  return async () => {
    if (cached && cached.expires > Date.now()) return cached.chrome;
    // One refresh at a time, however many requests arrive while it runs.
    pending ??= load().finally(() => (pending = undefined));
    return pending;
  };
}
