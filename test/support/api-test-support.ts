import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { createDeps, type Deps } from '../../src/deps.ts';
import { createApiToken } from '../../src/domain/api-tokens/api-token-service.ts';
import type { Role } from '../../src/domain/accounts/role.ts';
import type { User } from '../../src/domain/accounts/user.ts';
import { seedUser } from './account-factories.ts';
import { FIXED_NOW, seedTaxonomy, type Taxonomy } from './factories.ts';
import { createTestDatabase, drainBeforeDestroy } from './test-db.ts';

/*
 * Test-only (imported by *.test.ts, never by application code): an in-process site with a
 * fixed clock, an administrator, sections/authors/tags, and a small client for /api calls.
 */

export const SITE_URL = 'https://news.example.test';

export interface ApiTestSite {
  app: FastifyInstance;
  deps: Deps;
  admin: User;
  taxonomy: Taxonomy;
  /** Sets "now" for the app and the domain. */
  setNow(date: Date): void;
  /** A fresh token of this role, created by `owner` (default: the administrator). */
  token(role: Role, owner?: User): Promise<string>;
  call(
    method: string,
    url: string,
    options?: { token?: string; json?: unknown; headers?: Record<string, string>; payload?: string | Buffer },
  ): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

export async function createApiTestSite(dialect: Deps['dialect'], env: Record<string, string> = {}): Promise<ApiTestSite> {
  const testDb = await createTestDatabase(dialect);
  const mediaDir = fs.mkdtempSync(path.join(os.tmpdir(), 'masthead-api-media-'));
  const config = loadConfig({ MASTHEAD_MEDIA_DIR: mediaDir, MASTHEAD_SITE_URL: SITE_URL, LOG_LEVEL: 'silent', ...env });
  let now = FIXED_NOW;
  const deps = await createDeps(config, { handle: testDb.handle, clock: () => now });
  // Related lists still being recomputed are waited for before the database goes.
  drainBeforeDestroy(testDb.handle, deps.deferredWork);
  const admin = await seedUser(deps, 'admin', { name: 'Ada Admin' });
  const taxonomy = await seedTaxonomy(deps);
  const app = await buildApp(deps);
  await app.ready();
  return {
    app,
    deps,
    admin,
    taxonomy,
    setNow(date) {
      now = date;
    },
    async token(role, owner = admin) {
      return (await createApiToken(deps, { userId: owner.id, role: owner.role }, { name: `${role} token`, role })).secret;
    },
    call(method, url, options = {}) {
      const headers: Record<string, string> = {
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        ...options.headers,
      };
      let payload = options.payload;
      if (options.json !== undefined) {
        headers['content-type'] ??= 'application/json';
        payload = JSON.stringify(options.json);
      }
      return app.inject({ method: method as 'GET', url, headers, ...(payload !== undefined ? { payload } : {}) });
    },
    async close() {
      await app.close();
      await testDb.destroy();
      fs.rmSync(mediaDir, { recursive: true, force: true });
    },
  };
}

/** The `error` object of an API error response. */
export function apiError(res: LightMyRequestResponse): {
  code: string;
  message: string;
  field?: string;
  details?: Array<{ field: string; message: string }>;
} {
  const body = JSON.parse(res.body) as { error?: { code: string; message: string; field?: string } };
  if (!body.error) throw new Error(`not an API error: ${res.statusCode} ${res.body.slice(0, 200)}`);
  return body.error;
}
