import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import { after, before, describe, it } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import pg from 'pg';
import { sql } from 'kysely';
import { apiError, createApiTestSite, type ApiTestSite } from '../../test/support/api-test-support.ts';
import { paragraphs, seedTaxonomy, serviceDepsFor } from '../../test/support/factories.ts';
import { createTestDatabase, POSTGRES_ADMIN_URL, testDialects, type TestDatabase } from '../../test/support/test-db.ts';
import { buildApp } from '../app.ts';
import { loadConfig } from '../config.ts';
import { openDatabase, type DatabaseHandle } from '../db/database.ts';
import { createDeps } from '../deps.ts';

/*
 * The database goes away under a running server, for real: PostgreSQL's database is dropped
 * (every connection cut, new ones refused: 3D000) or its port closes (ECONNREFUSED), SQLite's
 * file is moved away. Every answer must
 * still come from Masthead's one error mapping (the site's HTML page, the API's JSON shape,
 * /health's JSON), never Fastify's default JSON 500 with the driver's words.
 */

const UNAVAILABLE = /temporarily unavailable/i;
/** Shaped like a session token, so it is looked up in the database (an unknown one). */
const WELL_FORMED_TOKEN = 'a'.repeat(43);

/** Nothing a reader or client sees may carry the driver's words, the database's name or its file. */
function assertNoDatabaseWords(res: LightMyRequestResponse, secrets: readonly string[]): void {
  for (const word of ['does not exist', 'terminating connection', 'SQLITE_', '3D000', 'statusCode', ...secrets]) {
    assert.ok(!res.body.includes(word), `${res.statusCode} body leaks "${word}": ${res.body.slice(0, 300)}`);
  }
}

function assertHtmlPage(res: LightMyRequestResponse, secrets: readonly string[]): void {
  assert.equal(res.statusCode, 503, res.body.slice(0, 300));
  assert.match(String(res.headers['content-type']), /^text\/html/);
  assert.equal(res.headers['cache-control'], 'no-store');
  assert.ok(res.headers['retry-after'], 'a 503 says when to come back');
  assert.match(res.body, /^<!doctype html>/i);
  assert.match(res.body, UNAVAILABLE);
  assertNoDatabaseWords(res, secrets);
}

const dialects = await testDialects();

// PostgreSQL: a server that can go away. (SQLite's way of going away is its file, below.)
for (const { dialect, skip } of dialects.filter((d) => d.dialect === 'postgres')) {
  describe(`${dialect}: the database goes away under a running server`, { skip }, () => {
    let site: ApiTestSite;
    let token: string;
    let dbName: string;
    const get = (url: string, headers: Record<string, string> = {}) => site.app.inject({ method: 'GET', url, headers });

    before(async () => {
      site = await createApiTestSite(dialect);
      token = await site.token('editor');
      dbName = (await sql<{ name: string }>`select current_database() as name`.execute(site.deps.db)).rows[0]!.name;
      assert.equal((await get('/health')).statusCode, 200);
      // Drop it for real: PostgreSQL cuts every open connection and refuses new ones (3D000).
      const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
      await admin.connect();
      await admin.query(`drop database "${dbName}" with (force)`);
      await admin.end();
    });
    after(() => site?.close());

    it('answers public pages, feeds and sitemaps with the site’s HTML error page: 503, our words, no database text', async () => {
      for (const url of [
        '/',
        '/world',
        '/world/some-story',
        '/world/some-story/comments',
        '/feed.xml',
        '/world/feed.json',
        '/sitemap.xml',
        '/sitemaps/tags.xml',
        '/sitemap-news.xml',
      ]) {
        const res = await get(url);
        assertHtmlPage(res, [dbName]);
        // Drawn without the database: the site's name and styles, no navigation it could not read.
        assert.match(res.body, /Masthead News/, url);
      }
    });

    it('answers /health with JSON 503 and a generic reason', async () => {
      const res = await get('/health');
      assert.equal(res.statusCode, 503);
      assert.equal(res.headers['cache-control'], 'no-store');
      const body = JSON.parse(res.body) as { status: string; database: string; reason: string };
      assert.equal(body.status, 'unavailable');
      assert.equal(body.database, dialect);
      assert.match(body.reason, UNAVAILABLE);
      assertNoDatabaseWords(res, [dbName]);
    });

    it('answers the API in its own JSON error shape', async () => {
      for (const res of [
        await get('/api/v1/articles'),
        await site.call('POST', '/api/v1/admin/articles', {
          token,
          json: { headline: 'Lost', sectionId: site.taxonomy.world.id, body: paragraphs('x') },
        }),
      ]) {
        assert.equal(res.statusCode, 503, res.body);
        assert.match(String(res.headers['content-type']), /^application\/json/);
        assert.equal(apiError(res).code, 'service_unavailable');
        assert.match(apiError(res).message, UNAVAILABLE);
        assertNoDatabaseWords(res, [dbName]);
      }
    });

    it('answers the newsroom and a reader’s requests with their own pages', async () => {
      const newsroom = await get('/newsroom/stories', { cookie: `masthead_session=${WELL_FORMED_TOKEN}` });
      assert.equal(newsroom.statusCode, 503);
      assert.match(String(newsroom.headers['content-type']), /^text\/html/);
      assert.match(newsroom.body, /<h1>Temporarily unavailable<\/h1>/);
      assertNoDatabaseWords(newsroom, [dbName]);
      const reader = await get('/comments/account', { cookie: `masthead_reader=${WELL_FORMED_TOKEN}` });
      assert.equal(reader.statusCode, 503);
      assert.match(reader.body, /Temporarily unavailable/);
      assertNoDatabaseWords(reader, [dbName]);
    });
  });
}

for (const { dialect, skip } of dialects.filter((d) => d.dialect === 'postgres')) {
  describe(`${dialect}: the server stops answering on its port`, { skip }, () => {
    let testDb: TestDatabase;
    let handle: DatabaseHandle;
    let site: Awaited<ReturnType<typeof buildApp>>;
    let proxy: net.Server;
    const sockets = new Set<net.Socket>();

    before(async () => {
      testDb = await createTestDatabase(dialect);
      await seedTaxonomy(serviceDepsFor(testDb.handle));
      // The app reaches PostgreSQL through a TCP relay that the test can close, like a server
      // that went down: open connections are cut, new ones refused (ECONNREFUSED).
      const target = new URL(POSTGRES_ADMIN_URL);
      proxy = net.createServer((client) => {
        const upstream = net.connect(Number(target.port || 5432), target.hostname);
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on('error', () => {});
          s.on('close', () => sockets.delete(s));
        }
        client.pipe(upstream).pipe(client);
      });
      await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
      const url = new URL(POSTGRES_ADMIN_URL);
      url.host = `127.0.0.1:${(proxy.address() as net.AddressInfo).port}`;
      url.pathname = `/${(await sql<{ name: string }>`select current_database() as name`.execute(testDb.handle.db)).rows[0]!.name}`;
      handle = await openDatabase({ kind: 'postgres', url: url.toString() });
      const config = loadConfig({
        MASTHEAD_SITE_URL: 'https://news.example.test',
        MASTHEAD_MEDIA_DIR: os.tmpdir(),
        LOG_LEVEL: 'silent',
        MASTHEAD_PAGE_CACHE_MB: '0',
      });
      site = await buildApp(await createDeps(config, { handle }));
      assert.equal((await site.inject('/world')).statusCode, 200);
      await new Promise<void>((resolve) => {
        proxy.close(() => resolve());
        for (const s of sockets) s.destroy();
      });
    });
    after(async () => {
      await site?.close();
      await handle?.close();
      await testDb?.destroy();
    });

    it('answers pages, feeds, /health and the API through the one mapping with 503', async () => {
      for (const url of ['/', '/world', '/feed.xml', '/sitemap.xml']) assertHtmlPage(await site.inject(url), ['ECONNREFUSED', '127.0.0.1']);
      const health = await site.inject('/health');
      assert.equal(health.statusCode, 503);
      assert.match((JSON.parse(health.body) as { reason: string }).reason, UNAVAILABLE);
      const api = await site.inject('/api/v1/articles');
      assert.equal(api.statusCode, 503);
      assert.equal(apiError(api).code, 'service_unavailable');
      assertNoDatabaseWords(api, ['ECONNREFUSED', '127.0.0.1']);
    });
  });
}

for (const { dialect, skip } of dialects.filter((d) => d.dialect === 'sqlite')) {
  describe(`${dialect}: the SQLite file is moved or deleted under a running server`, { skip }, () => {
    let site: ApiTestSite;
    let token: string;
    let file: string;
    const create = (headline: string) =>
      site.call('POST', '/api/v1/admin/articles', {
        token,
        json: { headline, sectionId: site.taxonomy.world.id, body: paragraphs('Written while the file was away.') },
      });

    before(async () => {
      site = await createApiTestSite(dialect);
      token = await site.token('editor');
      file = (await sql<{ file: string }>`select file from pragma_database_list where name = 'main'`.execute(site.deps.db)).rows[0]!.file;
      assert.equal((await site.app.inject('/health')).statusCode, 200);
      assert.equal((await create('Before the move')).statusCode, 201);
    });
    after(async () => {
      await site?.close();
    });

    it('turns /health to 503 with the reason, refuses writes with 503 instead of acknowledging them into the lost file, and recovers when the file is back', async () => {
      fs.renameSync(file, `${file}.moved`);
      const health = await site.app.inject('/health');
      assert.equal(health.statusCode, 503);
      const body = JSON.parse(health.body) as { status: string; reason: string };
      assert.equal(body.status, 'unavailable');
      assert.match(body.reason, /database file was moved or deleted/);
      assert.ok(!health.body.includes(file), 'the reason does not name the file');

      const refused = await create('Acknowledged into nothing');
      assert.equal(refused.statusCode, 503, refused.body);
      assert.equal(apiError(refused).code, 'service_unavailable');
      assert.match(apiError(refused).message, /Nothing was saved/);
      // A different file at the path (a copy put back) is not the one the server has open either.
      fs.copyFileSync(`${file}.moved`, file);
      assert.equal((await site.app.inject('/health')).statusCode, 503);
      assert.equal((await create('Into a copy')).statusCode, 503);

      // The very file put back: healthy and writable again.
      fs.renameSync(`${file}.moved`, file);
      assert.equal((await site.app.inject('/health')).statusCode, 200);
      assert.equal((await create('After the file came back')).statusCode, 201);
      // The refused writes were rolled back, not kept in the open handle for later.
      const headlines = await site.deps.db.selectFrom('articles').select('headline').orderBy('headline').execute();
      assert.deepEqual(
        headlines.map((a) => a.headline),
        ['After the file came back', 'Before the move'],
      );
    });
  });
}
