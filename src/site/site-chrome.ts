import type { Deps } from '../deps.ts';
import { versionedAsset } from '../http/assets.ts';
import { listSections } from '../domain/sections/section.ts';
import type { SiteChrome } from './views/layout.ts';

/** Builds the per-request page chrome (navigation needs the current sections). */
export function createChromeLoader(deps: Deps): () => Promise<SiteChrome> {
  const assets = { css: versionedAsset('site.css'), js: versionedAsset('site.js') };
  return async () => ({
    siteName: deps.config.siteName,
    siteUrl: deps.config.siteUrl,
    sections: (await listSections(deps.db)).map((s) => ({ slug: s.slug, name: s.name })),
    assets,
  });
}
