import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../app.ts';
import { loadConfig } from '../config.ts';
import { createDeps, type Deps } from '../deps.ts';
import { seedStaff } from '../../test/support/account-factories.ts';
import { buildArticleInput, paragraphs } from '../../test/support/factories.ts';
import { openStream } from '../../test/support/live-test-support.ts';
import { createTestDatabase, testDialects, type TestDatabase } from '../../test/support/test-db.ts';
import type { Actor } from '../domain/accounts/role.ts';
import { createArticle } from '../domain/articles/article-service.ts';
import { setLiveCoverage } from '../domain/live/live-coverage.ts';
import { createLiveEntry } from '../domain/live/live-entry-service.ts';
import { createSection } from '../domain/sections/section.ts';

/*
 * Live entries reach readers on every node: two apps over one PostgreSQL database, their
 * change buses joined by Redis pub/sub (the bus the page cache already uses), and a reader
 * connected to node B hearing an entry posted through node A. Also: one node refuses streams
 * past its bound with a clear 503.
 */

const REDIS_URL = process.env.MASTHEAD_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

async function redisReachable(): Promise<boolean> {
  const { hostname, port } = new URL(REDIS_URL);
  return new Promise((resolve) => {
    const socket = net.connect({ host: hostname, port: Number(port || 6379) });
    socket.setTimeout(1000);
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
  });
}

interface Node {
  deps: Deps;
  app: FastifyInstance;
  port: number;
  close(): Promise<void>;
}

async function startNode(env: Record<string, string>, options: Parameters<typeof createDeps>[1]): Promise<Node> {
  const mediaDir = fs.mkdtempSync(path.join(os.tmpdir(), 'masthead-live-node-'));
  const config = loadConfig({ MASTHEAD_MEDIA_DIR: mediaDir, LOG_LEVEL: 'silent', MASTHEAD_PAGE_CACHE_MB: '16', ...env });
  const deps = await createDeps(config, options);
  const app = await buildApp(deps);
  await app.listen({ port: 0, host: '127.0.0.1' });
  await deps.changes.start();
  return {
    deps,
    app,
    port: (app.server.address() as AddressInfo).port,
    async close() {
      await app.close();
      await deps.deferredWork.drain();
      await deps.changes.close();
      fs.rmSync(mediaDir, { recursive: true, force: true });
    },
  };
}

const postgres = (await testDialects()).find((d) => d.dialect === 'postgres')!;
const redisUp = await redisReachable();
if (!redisUp && process.env.CI === 'true') throw new Error(`Redis not reachable at ${REDIS_URL}; CI must test the Redis fan-out`);

describe(
  'live entries fanned out to a second node through Redis',
  { skip: postgres.skip || (redisUp ? false : `Redis not reachable at ${REDIS_URL}`) },
  () => {
    let db: TestDatabase;
    let a: Node;
    let b: Node;
    before(async () => {
      db = await createTestDatabase('postgres');
      const channel = `masthead_live_test_${crypto.randomBytes(4).toString('hex')}`;
      const env = { MASTHEAD_DATABASE_URL: db.location, MASTHEAD_REDIS_URL: REDIS_URL };
      a = await startNode(env, { handle: db.handle, changeChannel: channel, nodeId: 'live-a' });
      b = await startNode(env, { changeChannel: channel, nodeId: 'live-b' });
    });
    after(async () => {
      await b?.close();
      await b?.deps.close();
      await a?.close();
      await db?.destroy();
    });

    it('a reader on node B receives an entry posted on node A, and B purges its cached page', async () => {
      const section = await createSection(a.deps.db, { name: 'World' }, new Date());
      const { editor } = await seedStaff(a.deps, { editor: ['editor', 'Eda Editor'] });
      const actor: Actor = { userId: editor.id, role: 'editor' };
      const story = await createArticle(
        a.deps,
        buildArticleInput({ sectionId: section.id, publishedAt: new Date(Date.now() - 60_000).toISOString() }),
        { actor },
      );
      await setLiveCoverage(a.deps, actor, story.id, { live: true }, story.revision);
      const pageOnB = () => b.app.inject({ method: 'GET', url: `/world/${story.slug}` });
      // A's earlier changes may still be arriving at B (each purges its copy): wait for a stored page.
      for (let attempt = 0; (await pageOnB()).headers['x-page-cache'] !== 'hit'; attempt++) {
        assert.ok(attempt < 50, 'B caches the live page');
        await new Promise((r) => setTimeout(r, 50));
      }

      const stream = await openStream(b.port, `/world/${story.slug}/live`);
      assert.equal(stream.status, 200);
      const entry = await createLiveEntry(a.deps, actor, story.id, { body: paragraphs('Posted on node A'), publish: true });
      const [event] = await stream.waitFor((events) => events.length >= 1);
      assert.equal((JSON.parse(event!.data) as { id: string }).id, entry.id);
      stream.close();
      const page = await pageOnB();
      assert.notEqual(page.headers['x-page-cache'], 'hit', 'the change reached B before the event did, so its copy is gone');
      assert.match(page.body, /Posted on node A/);
    });
  },
);

for (const { dialect, skip } of await testDialects()) {
  describe(`${dialect}: live streams per node are bounded`, { skip }, () => {
    let db: TestDatabase;
    let node: Node;
    before(async () => {
      db = await createTestDatabase(dialect);
      node = await startNode({ MASTHEAD_LIVE_MAX_STREAMS: '1' }, { handle: db.handle });
    });
    after(async () => {
      await node?.close();
      await db?.destroy();
    });

    it('past the bound a reader is refused with 503 and words; a freed place is taken again', async () => {
      const section = await createSection(node.deps.db, { name: 'World' }, new Date());
      const story = await createArticle(
        node.deps,
        buildArticleInput({ sectionId: section.id, publishedAt: new Date(Date.now() - 60_000).toISOString() }),
      );
      await setLiveCoverage(node.deps, null, story.id, { live: true });
      const first = await openStream(node.port, `/world/${story.slug}/live`);
      assert.equal(first.status, 200);
      const second = await openStream(node.port, `/world/${story.slug}/live`);
      assert.equal(second.status, 503);
      assert.ok(second.headers['retry-after']);
      second.close();
      first.close();
      await first.ended;
      // The server sees the close a moment later: retry until the place is free.
      for (let attempt = 0; ; attempt++) {
        const again = await openStream(node.port, `/world/${story.slug}/live`);
        again.close();
        if (again.status === 200) break;
        assert.ok(attempt < 50, 'the freed place is taken again');
        await new Promise((r) => setTimeout(r, 50));
      }
    });
  });
}
