import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { sql, type Kysely } from 'kysely';
import { redisSkip, TEST_REDIS_URL } from '../../test/support/redis-test-support.ts';
import { openTcpRelay, type TcpRelay } from '../../test/support/tcp-relay.ts';
import { createTestDatabase, POSTGRES_ADMIN_URL, testDialects, type TestDatabase } from '../../test/support/test-db.ts';
import { buildApp } from '../app.ts';
import { loadConfig } from '../config.ts';
import { openDatabase, type DatabaseHandle } from '../db/database.ts';
import { createDeps } from '../deps.ts';
import { createScheduler } from '../jobs/scheduler.ts';
import { createWebhookWorker } from '../jobs/webhook-worker.ts';

/*
 * /health/ready under real failures: the database goes away and comes back (PostgreSQL behind
 * a TCP relay the test closes and reopens on the same port; SQLite's file moved away and put
 * back, as in database-outage.test.ts), a migration not yet run, Redis unreachable, and a
 * background loop stopped.
 */

interface Ready {
  status: string;
  reason?: string;
  checks: Record<string, { ok: boolean; reason?: string }>;
}

interface ReadySite {
  app: FastifyInstance;
  loops: { scheduler: ReturnType<typeof createScheduler>; webhookWorker: ReturnType<typeof createWebhookWorker> };
  close(): Promise<void>;
}

async function readySite(handle: DatabaseHandle, env: Record<string, string> = {}): Promise<ReadySite> {
  const mediaDir = fs.mkdtempSync(path.join(os.tmpdir(), 'masthead-ready-'));
  const config = loadConfig({ MASTHEAD_MEDIA_DIR: mediaDir, LOG_LEVEL: 'silent', MASTHEAD_PAGE_CACHE_MB: '0', ...env });
  const deps = await createDeps(config, { handle });
  const loops = {
    scheduler: createScheduler(deps, { maxSleepMs: 200 }),
    webhookWorker: createWebhookWorker(deps, { allowPrivate: false, maxSleepMs: 200 }),
  };
  const app = await buildApp(deps, { loops });
  await loops.scheduler.start();
  await loops.webhookWorker.start();
  return {
    app,
    loops,
    async close() {
      await loops.scheduler.stop();
      await loops.webhookWorker.stop();
      await app.close();
      fs.rmSync(mediaDir, { recursive: true, force: true });
    },
  };
}

async function ready(app: FastifyInstance): Promise<{ status: number; body: Ready }> {
  const res = await app.inject('/health/ready');
  assert.equal(res.headers['cache-control'], 'no-store');
  assert.match(String(res.headers['content-type']), /^application\/json/);
  return { status: res.statusCode, body: JSON.parse(res.body) as Ready };
}

for (const { dialect, skip } of await testDialects()) {
  describe(`${dialect}: /health/live and /health/ready`, { skip }, () => {
    let t: TestDatabase;
    let site: ReadySite;
    before(async () => {
      t = await createTestDatabase(dialect);
      site = await readySite(t.handle);
    });
    after(async () => {
      await site?.close();
      await t?.destroy();
    });

    it('live answers while the process does; ready is 200 with every check passing', async () => {
      const live = await site.app.inject('/health/live');
      assert.equal(live.statusCode, 200);
      assert.deepEqual(JSON.parse(live.body), { status: 'ok' });
      const r = await ready(site.app);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.status, 'ready');
      assert.deepEqual(Object.keys(r.body.checks).sort(), ['database', 'media', 'migrations', 'scheduler', 'webhookWorker']);
      // The old probe still answers as before.
      assert.equal((await site.app.inject('/health')).statusCode, 200);
    });

    it('is 503 naming a migration that has not run', async () => {
      // Kysely's own table, outside the app's typed schema.
      const db = t.handle.db as unknown as Kysely<any>;
      const last = await db.selectFrom('kysely_migration').selectAll().orderBy('name', 'desc').limit(1).executeTakeFirstOrThrow();
      await db.deleteFrom('kysely_migration').where('name', '=', last.name).execute();
      try {
        const r = await ready(site.app);
        assert.equal(r.status, 503);
        assert.equal(r.body.checks.migrations!.ok, false);
        assert.ok(r.body.checks.migrations!.reason!.includes(last.name), r.body.checks.migrations!.reason);
        assert.equal(r.body.checks.database!.ok, true);
      } finally {
        await db.insertInto('kysely_migration').values(last).execute();
      }
      assert.equal((await ready(site.app)).status, 200);
    });

    it('is 503 naming the loop that stopped, and 200 once it runs again', async () => {
      await site.loops.webhookWorker.stop();
      const r = await ready(site.app);
      assert.equal(r.status, 503);
      assert.equal(r.body.status, 'unavailable');
      assert.deepEqual(r.body.checks.webhookWorker, { ok: false, reason: 'The webhook delivery worker is not running.' });
      assert.equal(r.body.checks.scheduler!.ok, true);
      assert.match(r.body.reason!, /^webhookWorker: The webhook delivery worker is not running\.$/);
      await site.loops.webhookWorker.start();
      await site.loops.scheduler.stop();
      const s = await ready(site.app);
      assert.equal(s.status, 503);
      assert.match(s.body.reason!, /scheduler: The publishing scheduler is not running/);
      await site.loops.scheduler.start();
      assert.equal((await ready(site.app)).status, 200);
    });

    it('checks Redis when one is configured', async (ctx) => {
      const down = await readySite(t.handle, { MASTHEAD_REDIS_URL: 'redis://127.0.0.1:1' });
      try {
        const r = await ready(down.app);
        assert.equal(r.status, 503);
        assert.deepEqual(r.body.checks.redis, { ok: false, reason: 'Redis (MASTHEAD_REDIS_URL) does not answer.' });
      } finally {
        await down.close();
      }
      const skipRedis = await redisSkip();
      if (skipRedis) return ctx.skip(skipRedis);
      const up = await readySite(t.handle, { MASTHEAD_REDIS_URL: TEST_REDIS_URL });
      try {
        const r = await ready(up.app);
        assert.equal(r.status, 200, JSON.stringify(r.body));
        assert.deepEqual(r.body.checks.redis, { ok: true });
      } finally {
        await up.close();
      }
    });
  });
}

for (const { dialect, skip } of (await testDialects()).filter((d) => d.dialect === 'postgres')) {
  describe(`${dialect}: readiness follows the database server going away and coming back`, { skip }, () => {
    let t: TestDatabase;
    let handle: DatabaseHandle;
    let site: ReadySite;
    let relay: TcpRelay;
    before(async () => {
      t = await createTestDatabase(dialect);
      const target = new URL(POSTGRES_ADMIN_URL);
      relay = await openTcpRelay(target.hostname, Number(target.port || 5432));
      const url = new URL(POSTGRES_ADMIN_URL);
      url.host = `127.0.0.1:${relay.port}`;
      url.pathname = `/${(await sql<{ name: string }>`select current_database() as name`.execute(t.handle.db)).rows[0]!.name}`;
      handle = await openDatabase({ kind: 'postgres', url: url.toString() });
      site = await readySite(handle);
    });
    after(async () => {
      await site?.close();
      await handle?.close();
      await relay?.close();
      await t?.destroy();
    });

    it('turns 503 with the reason while the server is away, and 200 when it is back', async () => {
      assert.equal((await ready(site.app)).status, 200);
      await relay.close();
      const down = await ready(site.app);
      assert.equal(down.status, 503);
      assert.equal(down.body.checks.database!.ok, false);
      assert.match(down.body.checks.database!.reason!, /temporarily unavailable/);
      assert.ok(!JSON.stringify(down.body).includes('ECONNREFUSED'), 'no driver words');
      assert.equal((await site.app.inject('/health/live')).statusCode, 200, 'the process itself is alive');
      await relay.reopen();
      const back = await ready(site.app);
      assert.equal(back.status, 200, JSON.stringify(back.body));
    });
  });
}

for (const { dialect, skip } of (await testDialects()).filter((d) => d.dialect === 'sqlite')) {
  describe(`${dialect}: readiness follows the database file going away and coming back`, { skip }, () => {
    let t: TestDatabase;
    let site: ReadySite;
    let file: string;
    before(async () => {
      t = await createTestDatabase(dialect);
      file = (await sql<{ file: string }>`select file from pragma_database_list where name = 'main'`.execute(t.handle.db)).rows[0]!.file;
      site = await readySite(t.handle);
    });
    after(async () => {
      await site?.close();
      await t?.destroy();
    });

    it('turns 503 with the reason while the file is away, and 200 when it is back', async () => {
      assert.equal((await ready(site.app)).status, 200);
      fs.renameSync(file, `${file}.moved`);
      try {
        const down = await ready(site.app);
        assert.equal(down.status, 503);
        assert.match(down.body.checks.database!.reason!, /database file was moved or deleted/);
        assert.ok(!JSON.stringify(down.body).includes(file), 'the reason does not name the file');
      } finally {
        fs.renameSync(`${file}.moved`, file);
      }
      assert.equal((await ready(site.app)).status, 200);
    });
  });
}
