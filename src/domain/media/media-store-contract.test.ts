import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { GetObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { startS3Server, type RunningS3 } from '../../../test/support/s3-server.ts';
import { createLocalMediaStore, MediaStoreUnavailableError, type MediaStore } from './media-store.ts';
import { createS3Client, createS3MediaStore } from './s3-media-store.ts';

/*
 * What every media store promises, run against the local disk store and the S3 store (a real
 * S3-compatible server on loopback). Keys are new per test, so the tests share one store.
 */

interface StoreUnderTest {
  store: MediaStore;
  close(): Promise<void>;
}

let s3: RunningS3;
const s3Client = () =>
  createS3Client({
    region: 'us-east-1',
    endpoint: s3.endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: s3.env.MASTHEAD_S3_ACCESS_KEY_ID!, secretAccessKey: s3.env.MASTHEAD_S3_SECRET_ACCESS_KEY! },
  });

const kinds: Array<{ name: string; open(): StoreUnderTest }> = [
  {
    name: 'local disk',
    open() {
      const root = fs.mkdtempSync(path.join(os.tmpdir(), 'masthead-contract-'));
      return { store: createLocalMediaStore(root), close: async () => fs.rmSync(root, { recursive: true, force: true }) };
    },
  },
  {
    name: 'S3',
    open() {
      const client = s3Client();
      return { store: createS3MediaStore({ client, bucket: s3.bucket, prefix: 'site-a/' }), close: async () => client.destroy() };
    },
  },
];

let n = 0;
const newKey = () => `0190a5c4-${String(++n).padStart(4, '0')}-7000-8000-${Date.now().toString(16).padStart(12, '0')}`;

before(async () => {
  s3 = await startS3Server();
});
after(async () => {
  await s3.stop();
});

for (const kind of kinds) {
  describe(`media store contract: ${kind.name}`, () => {
    let t: StoreUnderTest;
    before(() => {
      t = kind.open();
    });
    after(async () => t.close());

    it('answers its readiness probe', async () => {
      await t.store.probe();
    });

    it('reads back exactly what was put, and null for a file or key never written', async () => {
      const key = newKey();
      const data = Buffer.from(Array.from({ length: 70_000 }, (_, i) => i % 251));
      await t.store.put(key, 'w320.jpg', data);
      assert.deepEqual(await t.store.read(key, 'w320.jpg'), data);
      assert.equal(await t.store.read(key, 'w640.jpg'), null);
      assert.equal(await t.store.read(newKey(), 'w320.jpg'), null);
    });

    it('overwrites a file whole', async () => {
      const key = newKey();
      await t.store.put(key, 'crop-1x1.jpg', Buffer.from('first, longer version'));
      await t.store.put(key, 'crop-1x1.jpg', Buffer.from('second'));
      assert.equal((await t.store.read(key, 'crop-1x1.jpg'))?.toString(), 'second');
    });

    it('lists the files of a key (original included) and the keys with a recent modified time', async () => {
      const key = newKey();
      const startedAt = Date.now();
      for (const f of ['original.jpg', 'w320.avif', 'w320.jpg', 'w320.webp']) await t.store.put(key, f, Buffer.from(f));
      assert.deepEqual(await t.store.listFiles(key), ['original.jpg', 'w320.avif', 'w320.jpg', 'w320.webp']);
      assert.deepEqual(await t.store.listFiles(newKey()), []);
      const listed = (await t.store.listKeys()).find((k) => k.key === key);
      assert.ok(listed, 'the key is listed');
      // Servers keep whole seconds; a clock a little apart from ours is fine, an epoch default is not.
      assert.ok(Math.abs(listed.modifiedAt.getTime() - startedAt) < 60_000, `modified ${listed.modifiedAt.toISOString()}`);
    });

    it('removes every file of a key and nothing of another key', async () => {
      const gone = newKey();
      const kept = newKey();
      for (const f of ['original.png', 'w320.jpg', 'crop-16x9.jpg']) await t.store.put(gone, f, Buffer.from(f));
      await t.store.put(kept, 'w320.jpg', Buffer.from('kept'));
      await t.store.removeAll(gone);
      assert.deepEqual(await t.store.listFiles(gone), []);
      assert.equal(await t.store.read(gone, 'original.png'), null);
      assert.ok(!(await t.store.listKeys()).some((k) => k.key === gone));
      assert.equal((await t.store.read(kept, 'w320.jpg'))?.toString(), 'kept');
      await t.store.removeAll(newKey()); // removing a key that is not there is not an error
    });

    it("gives a rendition's URL under /media/ (served through the app) when no public URL is set", () => {
      assert.equal(t.store.url('k1', 'w320.jpg'), '/media/k1/w320.jpg');
    });

    it('refuses keys and file names that could leave the key (path safety)', async () => {
      for (const [key, file] of [
        ['..', 'w320.jpg'],
        ['k1', '../x.jpg'],
        ['k1/sub', 'w320.jpg'],
        ['k1', '.hidden'],
      ] as const) {
        await assert.rejects(t.store.put(key, file, Buffer.from('x')), /unsafe media path/);
        await assert.rejects(t.store.read(key, file), /unsafe media path/);
      }
    });
  });
}

describe('S3 media store: objects as the bucket holds them', () => {
  it('sets Content-Type and an immutable Cache-Control on renditions, keeps originals under private/, and links a public URL', async () => {
    const client = s3Client();
    try {
      const store = createS3MediaStore({ client, bucket: s3.bucket, prefix: 'site-b/', publicUrl: 'https://cdn.example.test/media/' });
      const key = newKey();
      await store.put(key, 'w320.avif', Buffer.from('avif bytes'));
      await store.put(key, 'original.jpg', Buffer.from('jpeg bytes with GPS'));
      const head = await client.send(new HeadObjectCommand({ Bucket: s3.bucket, Key: `site-b/public/${key}/w320.avif` }));
      assert.equal(head.ContentType, 'image/avif');
      assert.equal(head.CacheControl, 'public, max-age=31536000, immutable');
      const original = await client.send(new GetObjectCommand({ Bucket: s3.bucket, Key: `site-b/private/${key}/original.jpg` }));
      assert.equal(original.ContentType, 'image/jpeg');
      assert.equal(await original.Body?.transformToString(), 'jpeg bytes with GPS');
      await assert.rejects(
        client.send(new HeadObjectCommand({ Bucket: s3.bucket, Key: `site-b/public/${key}/original.jpg` })),
        'the original is not under the public prefix',
      );
      assert.equal(store.url(key, 'w320.avif'), `https://cdn.example.test/media/${key}/w320.avif`);
      // Another site's prefix in the same bucket is invisible to this store.
      assert.deepEqual(
        (await store.listKeys()).map((k) => k.key),
        [key],
      );
      assert.equal(await store.removeStaleTempFiles(new Date()), 0);
    } finally {
      client.destroy();
    }
  });
});

describe('S3 media store: a bucket that is not there', () => {
  it('is unavailable (probe, read, write), not an empty store', async () => {
    const client = s3Client();
    try {
      const store = createS3MediaStore({ client, bucket: 'no-such-bucket' });
      await assert.rejects(store.probe(), MediaStoreUnavailableError);
      // NoSuchBucket is a 404 too: a missing bucket must not read as a missing file.
      await assert.rejects(store.read('k1', 'w320.jpg'), MediaStoreUnavailableError);
      await assert.rejects(store.put('k1', 'w320.jpg', Buffer.from('x')), MediaStoreUnavailableError);
    } finally {
      client.destroy();
    }
  });
});

describe('local media store: a folder that cannot be written', () => {
  it('fails its probe', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'masthead-probe-')), 'not-a-folder');
    fs.writeFileSync(file, 'x');
    await assert.rejects(createLocalMediaStore(file).probe(), MediaStoreUnavailableError);
  });
});

describe('S3 media store: a stalled bucket', () => {
  it('fails a read and a write instead of waiting forever', async () => {
    // Accepts connections and never answers, like a bucket behind a hung proxy.
    const sockets: net.Socket[] = [];
    const stalled = net.createServer((s) => void sockets.push(s));
    await new Promise<void>((resolve) => stalled.listen(0, '127.0.0.1', resolve));
    const client = createS3Client({
      region: 'us-east-1',
      endpoint: `http://127.0.0.1:${(stalled.address() as net.AddressInfo).port}`,
      forcePathStyle: true,
      credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
      requestTimeoutMs: 200,
    });
    try {
      const store = createS3MediaStore({ client, bucket: 'stalled' });
      // Unavailable (a 503 for readers), with the timeout kept as the cause for the logs.
      const timedOut = (err: unknown) =>
        err instanceof MediaStoreUnavailableError && (err.cause as Error | undefined)?.name === 'TimeoutError';
      await assert.rejects(store.read('k1', 'w320.jpg'), timedOut);
      await assert.rejects(store.put('k1', 'w320.jpg', Buffer.from('x')), timedOut);
      await assert.rejects(store.probe(), MediaStoreUnavailableError);
    } finally {
      client.destroy();
      for (const s of sockets) s.destroy();
      stalled.close();
    }
  });
});
