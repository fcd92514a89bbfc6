import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { createTestDatabase, testDialects, type TestDatabase } from '../../test/support/test-db.ts';
import { buildApp } from '../app.ts';
import { loadConfig } from '../config.ts';
import { createDeps } from '../deps.ts';
import { ForbiddenError } from '../domain/errors.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

for (const { dialect, skip } of await testDialects()) {
  describe(`${dialect}: request ids`, { skip }, () => {
    let t: TestDatabase;
    let app: FastifyInstance;
    let mediaDir: string;
    const lines: Array<Record<string, unknown>> = [];

    before(async () => {
      t = await createTestDatabase(dialect);
      mediaDir = fs.mkdtempSync(path.join(os.tmpdir(), 'masthead-reqid-'));
      const config = loadConfig({ MASTHEAD_MEDIA_DIR: mediaDir, LOG_LEVEL: 'info', MASTHEAD_PAGE_CACHE_MB: '0' });
      const deps = await createDeps(config, { handle: t.handle });
      // The logs as an operator reads them: pino's JSON lines.
      const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
      app = await buildApp(deps, { logger });
      // Two failures the site's one HTML error handler renders: an unexpected one and a refusal.
      app.get('/test/boom', async () => {
        throw new Error('the disk caught fire');
      });
      app.get('/test/forbidden', async () => {
        throw new ForbiddenError('Not for you.');
      });
      await app.ready();
    });
    after(async () => {
      await app?.close();
      await t?.destroy();
      fs.rmSync(mediaDir, { recursive: true, force: true });
    });

    it('returns a sane incoming X-Request-Id and logs the request under it', async () => {
      const res = await app.inject({ url: '/', headers: { 'x-request-id': 'lb-7f3a.2c:91' } });
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers['x-request-id'], 'lb-7f3a.2c:91');
      const line = lines.find((l) => l.reqId === 'lb-7f3a.2c:91' && l.msg === 'request');
      assert.ok(line, 'one structured line for the request');
      assert.equal(line.status, 200);
      assert.equal(line.route, '/');
    });

    it('replaces an absent, overlong or unsafe id with a fresh UUID', async () => {
      const ids = new Set<string>();
      for (const sent of [undefined, 'x'.repeat(101), 'has space', '<script>', 'a\u00e9b', '-leading-dash']) {
        const res = await app.inject({ url: '/', headers: sent === undefined ? {} : { 'x-request-id': sent } });
        const id = String(res.headers['x-request-id']);
        assert.match(id, UUID, `sent ${String(sent)}`);
        ids.add(id);
      }
      assert.equal(ids.size, 6, 'each request its own id');
    });

    it('shows the id on the HTML error page and logs the failure under it', async () => {
      const res = await app.inject({ url: '/test/boom', headers: { 'x-request-id': 'reader-report-42' } });
      assert.equal(res.statusCode, 500);
      assert.equal(res.headers['x-request-id'], 'reader-report-42');
      assert.match(res.body, /<p class="error-reference">Reference: <code>reader-report-42<\/code><\/p>\n<\/main>/);
      assert.ok(!res.body.includes('the disk caught fire'));
      const failure = lines.find((l) => l.reqId === 'reader-report-42' && l.msg === 'request failed');
      assert.ok(failure, 'the error is logged with the same id');
      assert.match(JSON.stringify(failure.err), /the disk caught fire/);

      const refused = await app.inject('/test/forbidden');
      assert.equal(refused.statusCode, 403);
      assert.match(refused.body, new RegExp(`Reference: <code>${String(refused.headers['x-request-id'])}</code>`));
    });

    it('carries the id in the API error envelope and on answers Fastify refuses before routing', async () => {
      const api = await app.inject({ url: '/api/v1/nothing-here', headers: { 'x-request-id': 'client-abc' } });
      assert.equal(api.statusCode, 404);
      assert.equal(api.headers['x-request-id'], 'client-abc');
      assert.equal((JSON.parse(api.body) as { error: { requestId: string } }).error.requestId, 'client-abc');
      const malformed = await app.inject({ url: '/world/%E0%A4%A', headers: { 'x-request-id': 'bad-url-1' } });
      assert.equal(malformed.statusCode, 404);
      assert.equal(malformed.headers['x-request-id'], 'bad-url-1');
      const apiMalformed = await app.inject({ url: '/api/v1/articles/%E0%A4%A', headers: { 'x-request-id': 'bad-url-2' } });
      assert.equal(apiMalformed.headers['x-request-id'], 'bad-url-2');
    });
  });
}
