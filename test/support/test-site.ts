import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import type { DialectName } from '../../src/db/database.ts';
import { createDeps, type Deps } from '../../src/deps.ts';
import { loadDemoContentIfEmpty } from '../../src/demo/demo-content.ts';
import { createTestDatabase, drainBeforeDestroy } from './test-db.ts';

/** The public URL a test site is configured with unless told otherwise. */
export const TEST_SITE_URL = 'https://news.example.test';

export interface TestSiteOptions {
  demo?: boolean;
  generated?: number;
  clock?: () => Date;
  siteUrl?: string;
  /**
   * This node's page cache in MB (MASTHEAD_PAGE_CACHE_MB); off (0) unless a test asks for it,
   * because many tests change the database by hand, which no change event announces.
   */
  pageCacheMb?: number;
  /** Runs on the fresh database before the app is built (data that exists at start-up). */
  seed?: (deps: Deps) => Promise<unknown>;
}

export interface TestSite {
  app: FastifyInstance;
  deps: Deps;
  mediaDir: string;
  close(): Promise<void>;
}

/**
 * A complete in-process site on a fresh database of the given dialect, optionally with the
 * demo content (seed article, related stories, `generated` extra stories).
 */
export async function createTestSite(dialect: DialectName, options: TestSiteOptions = {}): Promise<TestSite> {
  const testDb = await createTestDatabase(dialect);
  const mediaDir = fs.mkdtempSync(path.join(os.tmpdir(), 'masthead-media-'));
  const config = loadConfig({
    MASTHEAD_MEDIA_DIR: mediaDir,
    MASTHEAD_SITE_URL: options.siteUrl ?? TEST_SITE_URL,
    LOG_LEVEL: 'silent',
    MASTHEAD_PAGE_CACHE_MB: String(options.pageCacheMb ?? 0),
  });
  const deps = await createDeps(config, { handle: testDb.handle, clock: options.clock });
  // Related lists still being recomputed are waited for before the database goes.
  drainBeforeDestroy(testDb.handle, deps.deferredWork);
  if (options.demo) await loadDemoContentIfEmpty(deps, options.generated ?? 12);
  await options.seed?.(deps);
  const app = await buildApp(deps);
  await app.ready();
  return {
    app,
    deps,
    mediaDir,
    async close() {
      await app.close();
      await testDb.destroy();
      fs.rmSync(mediaDir, { recursive: true, force: true });
    },
  };
}
