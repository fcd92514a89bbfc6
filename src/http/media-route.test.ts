import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import sharp from 'sharp';
import { seedUser } from '../../test/support/account-factories.ts';
import { buildArticleInput, seedTaxonomy } from '../../test/support/factories.ts';
import { startS3Server, type RunningS3 } from '../../test/support/s3-server.ts';
import { openTcpRelay, type TcpRelay } from '../../test/support/tcp-relay.ts';
import { createTestDatabase, testDialects, type TestDatabase } from '../../test/support/test-db.ts';
import { buildApp } from '../app.ts';
import { loadConfig } from '../config.ts';
import { openDatabase } from '../db/database.ts';
import { createDeps, type Deps } from '../deps.ts';
import { createApiToken } from '../domain/api-tokens/api-token-service.ts';
import { createArticle } from '../domain/articles/article-service.ts';
import { uploadLibraryImage } from '../domain/media/media-library.ts';

/*
 * Media on a shared bucket (a real S3-compatible server on loopback): what one app node
 * uploads, another node serves; and with a public media URL, pages link the bucket directly.
 */

const SITE_URL = 'https://news.example.test';

interface Node {
  app: FastifyInstance;
  deps: Deps;
  mediaDir: string;
  close(): Promise<void>;
}

/** One app node on its own connection to the shared database, with the given environment. */
async function startNode(testDb: TestDatabase, dialect: Deps['dialect'], env: Record<string, string>): Promise<Node> {
  const mediaDir = fs.mkdtempSync(path.join(os.tmpdir(), 'masthead-s3-node-'));
  const config = loadConfig({ MASTHEAD_MEDIA_DIR: mediaDir, MASTHEAD_SITE_URL: SITE_URL, LOG_LEVEL: 'silent', ...env });
  const handle = await openDatabase(
    dialect === 'sqlite' ? { kind: 'sqlite', file: testDb.location } : { kind: 'postgres', url: testDb.location },
  );
  const deps = await createDeps(config, { handle, clock: () => new Date() });
  const app = await buildApp(deps);
  await app.ready();
  return {
    app,
    deps,
    mediaDir,
    async close() {
      await app.close();
      // This node's S3 client and database connection.
      await deps.close();
      fs.rmSync(mediaDir, { recursive: true, force: true });
    },
  };
}

const jpeg = (colour: string, width = 1400) =>
  sharp({ create: { width, height: Math.round(width * 0.6), channels: 3, background: colour } })
    .jpeg()
    .toBuffer();

let s3: RunningS3;
before(async () => {
  s3 = await startS3Server();
});
after(async () => {
  await s3?.stop();
});

for (const { dialect, skip } of await testDialects()) {
  describe(`${dialect}: two app nodes sharing one database and one bucket`, { skip }, () => {
    let testDb: TestDatabase;
    let a: Node;
    let b: Node;
    let token: string;
    before(async () => {
      testDb = await createTestDatabase(dialect);
      const env = { ...s3.env, MASTHEAD_S3_PREFIX: `${dialect}-nodes` };
      a = await startNode(testDb, dialect, env);
      b = await startNode(testDb, dialect, env);
      const admin = await seedUser(a.deps, 'admin', { name: 'Ada Admin' });
      token = (await createApiToken(a.deps, { userId: admin.id, role: admin.role }, { name: 'uploader', role: 'contributor' })).secret;
    });
    after(async () => {
      await b?.close();
      await a?.close();
      await testDb?.destroy();
    });

    it('serves on node B an image uploaded through the Admin API on node A, as the static route would', async () => {
      const upload = await a.app.inject({
        method: 'POST',
        url: '/api/v1/admin/images?altText=Harbour',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'image/jpeg' },
        payload: await jpeg('#336699'),
      });
      assert.equal(upload.statusCode, 201, upload.body);
      const image = (JSON.parse(upload.body) as { data: { id: string; renditions: Array<{ format: string; url: string }> } }).data;
      const webp = image.renditions.find((r) => r.format === 'webp')!;
      assert.ok(webp.url.startsWith(`${SITE_URL}/media/`), webp.url);
      const mediaPath = webp.url.slice(SITE_URL.length);
      const [, , key, file] = mediaPath.split('/') as [string, string, string, string];
      // Nothing went to either node's disk: the bucket holds it.
      assert.deepEqual(fs.readdirSync(a.mediaDir), []);
      assert.ok((await a.deps.mediaStore.listFiles(key)).includes(file));

      const res = await b.app.inject({ method: 'GET', url: mediaPath });
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers['content-type'], 'image/webp');
      assert.equal(res.headers['cache-control'], 'public, max-age=31536000, immutable');
      assert.deepEqual(res.rawPayload, await a.deps.mediaStore.read(key, file));
      assert.equal((await sharp(res.rawPayload).metadata()).format, 'webp');
      const etag = String(res.headers.etag);
      assert.match(etag, /^"[A-Za-z0-9_-]{27}"$/);

      const head = await b.app.inject({ method: 'HEAD', url: mediaPath });
      assert.equal(head.statusCode, 200);
      assert.equal(head.headers['content-type'], 'image/webp');
      assert.equal(head.headers.etag, etag);
      assert.equal(head.rawPayload.length, 0);

      // Either node validates the other's copy: the ETag comes from the bytes, not the node.
      const again = await a.app.inject({ method: 'GET', url: mediaPath, headers: { 'if-none-match': etag } });
      assert.equal(again.statusCode, 304);
      assert.equal(again.rawPayload.length, 0);
      const changed = await b.app.inject({ method: 'GET', url: mediaPath, headers: { 'if-none-match': '"something-else"' } });
      assert.equal(changed.statusCode, 200);

      // The image record is shared too: node B's API answers for it.
      const record = await b.app.inject({ method: 'GET', url: `/api/v1/images/${image.id}` });
      assert.equal(record.statusCode, 200, record.body);
    });

    it('answers 404 for unknown keys and files, originals, and names that would leave the key', async () => {
      const key = '0190a5c4-0000-7000-8000-00000000beef';
      await a.deps.mediaStore.put(key, 'original.jpg', await jpeg('#000000', 200));
      await a.deps.mediaStore.put(key, 'w320.jpg', await jpeg('#000000', 200));
      assert.equal((await b.app.inject({ method: 'GET', url: `/media/${key}/w320.jpg` })).statusCode, 200);
      for (const url of [
        `/media/${key}/original.jpg`,
        `/media/${key}/w640.jpg`,
        '/media/0190a5c4-0000-7000-8000-0000000000ff/w320.jpg',
        `/media/${key}/..%2F..%2Fprivate%2F${key}%2Foriginal.jpg`,
        `/media/..%2Fprivate/${key}`,
        `/media/${key}`,
        `/media/${key}/w320.jpg/extra`,
      ]) {
        const res = await b.app.inject({ method: 'GET', url });
        assert.equal(res.statusCode, 404, url);
        assert.match(String(res.headers['content-type']), /^text\/html/, url);
        const head = await b.app.inject({ method: 'HEAD', url });
        assert.equal(head.statusCode, 404, `HEAD ${url}`);
      }
    });
  });
}

describe('sqlite: a public media URL (bucket or CDN)', () => {
  let testDb: TestDatabase;
  let node: Node;
  before(async () => {
    testDb = await createTestDatabase('sqlite');
    node = await startNode(testDb, 'sqlite', {
      ...s3.env,
      MASTHEAD_S3_PREFIX: 'public-url',
      MASTHEAD_MEDIA_PUBLIC_URL: 'https://media.example.test/news/',
    });
  });
  after(async () => {
    await node?.close();
    await testDb?.destroy();
  });

  it('makes article pages, their metadata and the feed link media absolutely, at the public URL', async () => {
    const tax = await seedTaxonomy(node.deps);
    const actor = { userId: '00000000-0000-7000-8000-0000000000aa', role: 'admin' as const };
    const image = await uploadLibraryImage(node.deps, actor, await jpeg('#884466'), { filename: 'harbour.jpg', maxUploadMb: 25 });
    const story = await createArticle(
      node.deps,
      buildArticleInput({
        sectionId: tax.world.id,
        headline: 'Harbour at dusk',
        heroImageId: image.id,
        publishedAt: new Date(Date.now() - 3_600_000).toISOString(),
      }),
    );
    const page = await node.app.inject({ method: 'GET', url: `/${tax.world.slug}/${story.slug}` });
    assert.equal(page.statusCode, 200);
    const base = `https://media.example.test/news/${image.storageKey}/`;
    const srcs = [...page.body.matchAll(/(?:src|srcset)="([^"]+)"/g)].flatMap((m) => m[1]!.split(', ').map((s) => s.split(' ')[0]!));
    const mediaSrcs = srcs.filter((s) => s.includes(image.storageKey));
    assert.ok(mediaSrcs.length >= 3, `picture sources: ${JSON.stringify(srcs)}`);
    for (const s of mediaSrcs) assert.ok(s.startsWith(base), s);
    assert.ok(!page.body.includes('"/media/'), 'no picture is linked through the app');
    // The page's own policy lets the browser load them from there.
    assert.match(String(page.headers['content-security-policy']), /(^|; )img-src 'self' data: https:\/\/media\.example\.test(;|$)/);
    assert.match(page.body, new RegExp(`<meta property="og:image" content="${base.replace(/[.]/g, '\\.')}w\\d+\\.jpg"`));

    const feed = await node.app.inject({ method: 'GET', url: '/feed.xml' });
    assert.equal(feed.statusCode, 200);
    assert.ok(feed.body.includes(base), 'the feed links the public URL');
    assert.ok(!feed.body.includes(`${SITE_URL}/media/`));

    // The app still answers old /media/ links (pages cached before the switch).
    assert.equal((await node.app.inject({ method: 'GET', url: `/media/${image.storageKey}/w320.jpg` })).statusCode, 200);
  });
});

describe('sqlite: the bucket goes away and comes back', () => {
  let testDb: TestDatabase;
  let node: Node;
  let relay: TcpRelay;
  let token: string;
  const key = '0190a5c4-0000-7000-8000-00000000cafe';
  before(async () => {
    testDb = await createTestDatabase('sqlite');
    const upstream = new URL(s3.endpoint);
    relay = await openTcpRelay(upstream.hostname, Number(upstream.port));
    node = await startNode(testDb, 'sqlite', {
      ...s3.env,
      MASTHEAD_S3_ENDPOINT: `http://127.0.0.1:${relay.port}`,
      MASTHEAD_S3_PREFIX: 'outage',
    });
    const admin = await seedUser(node.deps, 'admin', { name: 'Ada Admin' });
    token = (await createApiToken(node.deps, { userId: admin.id, role: admin.role }, { name: 'uploader', role: 'contributor' })).secret;
    await node.deps.mediaStore.put(key, 'w320.jpg', await jpeg('#123456', 200));
  });
  after(async () => {
    await node?.close();
    await relay?.close();
    await testDb?.destroy();
  });

  it('answers 503 in our words (media, uploads, readiness), stores nothing half-way, and recovers', async () => {
    assert.equal((await node.app.inject(`/media/${key}/w320.jpg`)).statusCode, 200);
    const readyBefore = JSON.parse((await node.app.inject('/health/ready')).body) as { checks: Record<string, { ok: boolean }> };
    assert.deepEqual(readyBefore.checks.media, { ok: true });

    await relay.close();
    const image = await node.app.inject(`/media/${key}/w320.jpg`);
    assert.equal(image.statusCode, 503);
    assert.equal(image.headers['retry-after'], '30');
    assert.match(image.body, /Images and uploads are temporarily unavailable/);
    assert.ok(!/ECONNREFUSED|masthead-media|127\.0\.0\.1/.test(image.body), 'no store words in the page');

    const upload = await node.app.inject({
      method: 'POST',
      url: '/api/v1/admin/images?altText=Harbour',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'image/jpeg' },
      payload: await jpeg('#336699'),
    });
    assert.equal(upload.statusCode, 503, upload.body);
    assert.match(upload.body, /temporarily unavailable/);
    const rows = await node.deps.db.selectFrom('images').select('id').execute();
    assert.equal(rows.length, 0, 'no image row without its files');

    const ready = await node.app.inject('/health/ready');
    assert.equal(ready.statusCode, 503);
    const body = JSON.parse(ready.body) as { checks: Record<string, { ok: boolean; reason?: string }> };
    assert.equal(body.checks.media!.ok, false);
    assert.match(body.checks.media!.reason!, /temporarily unavailable/);
    assert.equal(body.checks.database!.ok, true);

    await relay.reopen();
    assert.equal((await node.app.inject(`/media/${key}/w320.jpg`)).statusCode, 200);
    assert.equal((await node.app.inject('/health/ready')).statusCode, 200);
  });
});
