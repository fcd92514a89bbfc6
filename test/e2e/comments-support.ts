import type { Browser, BrowserContext } from 'playwright-core';
import type { DialectName } from '../../src/db/database.ts';
import { cspViolations, launchChromium, startBrowserSite, watchPage, type BrowserSite } from '../support/browser.ts';

/*
 * Shared set-up of the comment browser tests: a real server on loopback (plain http, so
 * cookies are not Secure), Debian's Chromium, and a context that records CSP violations,
 * console errors, page errors and any dialog (an XSS payload calling alert()).
 */

export interface CommentsBrowserEnv extends BrowserSite {
  browser: Browser;
}

export async function startCommentsEnv(dialect: DialectName): Promise<CommentsBrowserEnv> {
  const site = await startBrowserSite(dialect);
  const browser = await launchChromium();
  return {
    ...site,
    browser,
    async close() {
      await browser.close();
      await site.close();
    },
  };
}

export interface Watched {
  context: BrowserContext;
  problems: string[];
  dialogs: string[];
  cspViolations(): Promise<string[]>;
}

/** A browser context that records what must never happen. */
export async function watchedContext(browser: Browser, options: { javaScriptEnabled?: boolean } = {}): Promise<Watched> {
  const context = await browser.newContext({
    viewport: { width: 1100, height: 900 },
    javaScriptEnabled: options.javaScriptEnabled ?? true,
  });
  const { problems } = await watchPage(context);
  const dialogs: string[] = [];
  context.on('page', (page) => {
    page.on('dialog', (d) => {
      dialogs.push(`${d.type()}: ${d.message()}`);
      void d.dismiss();
    });
  });
  return {
    context,
    problems,
    dialogs,
    async cspViolations() {
      const out: string[] = [];
      // A page without the recorder (JavaScript off) has nothing to report.
      for (const p of context.pages()) out.push(...(await cspViolations(p).catch(() => [])));
      return out;
    },
  };
}
