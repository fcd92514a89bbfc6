import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';
import { buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { createDeps, type Deps } from '../../src/deps.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';
import type { DialectName } from '../../src/db/database.ts';

/*
 * Shared set-up of the comment browser tests: a real server on loopback (plain http, so
 * cookies are not Secure), Debian's Chromium, and a context that records CSP violations,
 * console errors, page errors and any dialog (an XSS payload calling alert()).
 */

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOT_DIR = path.resolve('test-output/screenshots');

export function browserSkipReason(): string | false {
  if (fs.existsSync(CHROMIUM)) return false;
  const reason = `Chromium not found at ${CHROMIUM} (set CHROMIUM_PATH)`;
  if (process.env.CI === 'true') throw new Error(`${reason}; CI must run the browser tests`);
  return reason;
}

export interface CommentsBrowserEnv {
  deps: Deps;
  app: FastifyInstance;
  browser: Browser;
  origin: string;
  close(): Promise<void>;
}

export async function startCommentsEnv(dialect: DialectName): Promise<CommentsBrowserEnv> {
  const db: TestDatabase = await createTestDatabase(dialect);
  const mediaDir = fs.mkdtempSync(path.join(os.tmpdir(), 'masthead-media-'));
  const deps = await createDeps(loadConfig({ MASTHEAD_MEDIA_DIR: mediaDir, MASTHEAD_SITE_URL: 'http://127.0.0.1', LOG_LEVEL: 'silent' }), { handle: db.handle });
  const app = await buildApp(deps);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const origin = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  return {
    deps,
    app,
    browser,
    origin,
    async close() {
      await browser.close();
      await app.close();
      await db.destroy();
      fs.rmSync(mediaDir, { recursive: true, force: true });
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
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 }, javaScriptEnabled: options.javaScriptEnabled ?? true });
  const problems: string[] = [];
  const dialogs: string[] = [];
  await context.addInitScript(() => {
    const w = window as unknown as { __csp: string[] };
    w.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => w.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  context.on('page', (page) => {
    page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    page.on('pageerror', (e) => problems.push(e.message));
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
      for (const p of context.pages()) out.push(...(await p.evaluate(() => (window as unknown as { __csp?: string[] }).__csp ?? []).catch(() => [])));
      return out;
    },
  };
}
