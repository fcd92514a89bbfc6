import {
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadBucketCommand,
  ListObjectsV2Command,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { isSafeMediaPart, MediaStoreUnavailableError, type MediaStore } from './media-store.ts';
import { isOriginalFile, MEDIA_CACHE_CONTROL, mediaContentType, mediaFileUrl } from './media-url.ts';

/*
 * Media in an S3-compatible object store (AWS S3, Cloudflare R2, MinIO, Ceph), shared by every
 * app node. Objects are laid out as
 *
 *   <prefix>public/<key>/<file>     renditions and crops: what pages link
 *   <prefix>private/<key>/original.<ext>   the upload as received
 *
 * Originals keep the photo's embedded metadata (GPS too) and their name is derivable from any
 * rendition URL, so they live under a prefix of their own that a public bucket policy or a CDN
 * simply leaves out: only `<prefix>public/` is ever meant to be readable by the world.
 */

export interface S3MediaStoreOptions {
  client: S3Client;
  bucket: string;
  /** Key prefix inside the bucket ('' or ending in '/'), so one bucket can hold several sites. */
  prefix?: string;
  /** Base URL that serves `<prefix>public/` (public bucket or CDN); unset: served through the app. */
  publicUrl?: string;
}

/**
 * The S3 client for a store: explicit credentials when given, else the SDK's default chain
 * (environment, shared profile, instance or task role). Checksums only where the operation
 * requires one: the SDK's newer default adds CRC headers that some S3-compatible servers refuse.
 */
export function createS3Client(options: {
  region: string;
  endpoint?: string;
  forcePathStyle: boolean;
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** Bound on one request once connected (a minute by default: the largest originals). */
  requestTimeoutMs?: number;
}): S3Client {
  const config: S3ClientConfig = {
    region: options.region,
    forcePathStyle: options.forcePathStyle,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    // Without bounds a stalled bucket would hold a media request or an upload forever.
    requestHandler: { connectionTimeout: 5_000, requestTimeout: options.requestTimeoutMs ?? 60_000, throwOnRequestTimeout: true },
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    // A copy: the SDK marks the object it is given (and the config's is frozen).
    ...(options.credentials ? { credentials: { ...options.credentials } } : {}),
  };
  return new S3Client(config);
}

/** How long readiness waits for the bucket before calling it unavailable. */
const PROBE_TIMEOUT_MS = 3_000;

/** S3's answer that an object is not there (GetObject: NoSuchKey; HEAD requests: NotFound), as opposed to a missing bucket. */
function isMissingObject(err: unknown): boolean {
  return err instanceof NoSuchKey || (err instanceof S3ServiceException && (err.name === 'NoSuchKey' || err.name === 'NotFound'));
}

/** S3 accepts at most 1,000 keys per DeleteObjects request. */
const DELETE_BATCH = 1000;

export function createS3MediaStore(options: S3MediaStoreOptions): MediaStore {
  const { client, bucket } = options;
  const prefix = options.prefix ?? '';
  const publicRoot = `${prefix}public/`;
  const privateRoot = `${prefix}private/`;
  const publicUrl = options.publicUrl?.replace(/\/+$/, '');

  const check = (key: string, file?: string) => {
    if (!isSafeMediaPart(key) || (file !== undefined && !isSafeMediaPart(file))) throw new Error(`unsafe media path ${key}/${file ?? ''}`);
  };
  /**
   * Every request goes through here: any failure other than "no such object" (the bucket
   * unreachable or timing out, a 5xx, a missing bucket, refused credentials) means the store
   * cannot be used now, which callers and the error mapping treat as a 503, never a 500.
   */
  const unavailable = (err: unknown) => {
    const what = err instanceof S3ServiceException ? `${err.name} (HTTP ${err.$metadata.httpStatusCode ?? '?'})` : (err as Error).message;
    return new MediaStoreUnavailableError(`The media bucket "${bucket}" cannot be used: ${what}`, { cause: err });
  };
  async function guarded<T>(request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (err) {
      if (isMissingObject(err)) throw err;
      throw unavailable(err);
    }
  }
  const objectKey = (key: string, file: string) => `${isOriginalFile(file) ? privateRoot : publicRoot}${key}/${file}`;

  /** Every object under a prefix, page by page (1,000 a page). */
  async function* listObjects(under: string): AsyncGenerator<{ Key: string; LastModified: Date }> {
    let token: string | undefined;
    do {
      const page = await guarded(() => client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: under, ContinuationToken: token })));
      for (const o of page.Contents ?? []) if (o.Key) yield { Key: o.Key, LastModified: o.LastModified ?? new Date(0) };
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  /** The objects of one key, under both roots. */
  async function objectsOf(key: string): Promise<Array<{ Key: string; file: string }>> {
    const out: Array<{ Key: string; file: string }> = [];
    for (const root of [publicRoot, privateRoot]) {
      for await (const o of listObjects(`${root}${key}/`)) out.push({ Key: o.Key, file: o.Key.slice(root.length + key.length + 1) });
    }
    return out;
  }

  return {
    async put(key, file, data) {
      check(key, file);
      // A PUT is atomic: readers see the whole previous object or the whole new one, never a
      // part, so nothing is written under a temporary name first.
      await guarded(() =>
        client.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: objectKey(key, file),
            Body: data,
            ContentLength: data.length,
            ContentType: mediaContentType(file),
            // What a public bucket or CDN sends browsers; originals are never served publicly.
            CacheControl: isOriginalFile(file) ? 'private, no-store' : MEDIA_CACHE_CONTROL,
          }),
        ),
      );
    },
    async read(key, file) {
      check(key, file);
      try {
        // The body streams after the headers: a connection lost mid-body is the store failing too.
        return await guarded(async () => {
          const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: objectKey(key, file) }));
          return out.Body ? Buffer.from(await out.Body.transformToByteArray()) : null;
        });
      } catch (err) {
        if (isMissingObject(err)) return null;
        throw err;
      }
    },
    async removeAll(key) {
      check(key);
      const keys = (await objectsOf(key)).map((o) => o.Key);
      for (let i = 0; i < keys.length; i += DELETE_BATCH) {
        const batch = keys.slice(i, i + DELETE_BATCH);
        const out = await guarded(() =>
          client.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true } })),
        );
        // DeleteObjects answers 200 even when some keys failed; a partial removal must not pass silently.
        const failed = out.Errors ?? [];
        if (failed.length) throw new Error(`could not remove ${failed.length} media object(s) of ${key}: ${failed[0]?.Code ?? 'unknown'}`);
      }
    },
    url(key, file) {
      return mediaFileUrl(publicUrl, key, file);
    },
    async listKeys() {
      // A key's time is its newest object's: an upload still writing keeps it young for the sweep.
      const newest = new Map<string, Date>();
      for (const root of [publicRoot, privateRoot]) {
        for await (const o of listObjects(root)) {
          const key = o.Key.slice(root.length).split('/')[0] ?? '';
          if (!isSafeMediaPart(key)) continue;
          const seen = newest.get(key);
          if (!seen || o.LastModified > seen) newest.set(key, o.LastModified);
        }
      }
      return [...newest].map(([key, modifiedAt]) => ({ key, modifiedAt }));
    },
    async listFiles(key) {
      check(key);
      return (await objectsOf(key))
        .map((o) => o.file)
        .filter(isSafeMediaPart)
        .sort();
    },
    async probe() {
      try {
        await client.send(new HeadBucketCommand({ Bucket: bucket }), { abortSignal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
      } catch (err) {
        // HEAD answers carry no body: a missing bucket is a bare NotFound, which must not pass for a missing object.
        throw unavailable(err);
      }
    },
    async removeStaleTempFiles() {
      // Nothing temporary is ever written: a PUT creates the object whole or not at all (an
      // interrupted upload leaves no object), so there is nothing to sweep. Whole keys that an
      // interrupted ingest left behind are still found by listKeys and removed by the sweep.
      return 0;
    },
  };
}
