import path from 'node:path';
import { z } from 'zod';

/**
 * Every setting Masthead reads from the environment. This is the only module that
 * touches `process.env`; everything else receives the frozen `Config`.
 */
const envSchema = z.object({
  /** TCP port the HTTP server listens on. */
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Interface to bind; 127.0.0.1 keeps a laptop install private. */
  HOST: z.string().min(1).default('127.0.0.1'),
  /**
   * `sqlite:<path>` or `postgres://user@host:port/db`. Unset: the embedded default,
   * `sqlite:./data/masthead.sqlite`, created with demo content on the first start.
   */
  MASTHEAD_DATABASE_URL: z
    .string()
    .optional()
    .refine((v) => v === undefined || v.startsWith('sqlite:') || /^postgres(ql)?:\/\//.test(v), {
      message: 'must start with "sqlite:" or "postgres://"',
    }),
  /**
   * Create the configured SQLite file when it does not exist (a new site at a path of your
   * choice). Off, a configured file that is missing stops the start: it was moved or lost,
   * and an empty database in its place would silently take its role.
   */
  MASTHEAD_DATABASE_CREATE: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  /** Folder for uploaded originals and generated image renditions. */
  MASTHEAD_MEDIA_DIR: z.string().min(1).default('./data/media'),
  /**
   * Where uploads and renditions are kept: `local` (MASTHEAD_MEDIA_DIR, one node) or `s3` (an
   * S3-compatible bucket every app node shares: AWS S3, Cloudflare R2, MinIO, Ceph).
   */
  MASTHEAD_MEDIA_STORE: z.enum(['local', 's3']).default('local'),
  /** The bucket (MASTHEAD_MEDIA_STORE=s3). */
  MASTHEAD_S3_BUCKET: z
    .string()
    .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be a bucket name: 3-63 lower-case letters, digits, dots and hyphens')
    .optional(),
  /** Endpoint of an S3-compatible service (MinIO, R2, Ceph), e.g. `http://127.0.0.1:9000`; unset: AWS S3. */
  MASTHEAD_S3_ENDPOINT: z
    .string()
    .optional()
    .refine((v) => v === undefined || isHttpUrl(v), { message: 'must be an absolute http(s) URL such as http://127.0.0.1:9000' }),
  /** The bucket's region (`auto` for R2; MinIO takes any, usually `us-east-1`). */
  MASTHEAD_S3_REGION: z.string().min(1).optional(),
  /** Access key pair; both unset: the SDK's default chain (AWS_* variables, shared profile, instance or task role). */
  MASTHEAD_S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  MASTHEAD_S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  /** Path-style URLs (`endpoint/bucket/key`), which MinIO and most self-hosted servers need. */
  MASTHEAD_S3_FORCE_PATH_STYLE: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  /** Key prefix inside the bucket (e.g. `news/`), so one bucket can hold several sites. */
  MASTHEAD_S3_PREFIX: z
    .string()
    .regex(/^(?!.*\.\.)[A-Za-z0-9._/-]*$/, 'may hold only letters, digits, ".", "_", "-" and "/" (no "..")')
    .default('')
    .transform((v) => {
      const trimmed = v.replace(/^\/+|\/+$/g, '');
      return trimmed ? `${trimmed}/` : '';
    }),
  /**
   * Base URL that serves media directly (a public bucket's `<prefix>public/` or a CDN in front
   * of it or of the app's /media/), e.g. `https://media.example.com`: pages, feeds and the APIs
   * link images there. Unset: media are served through the app under /media/.
   */
  MASTHEAD_MEDIA_PUBLIC_URL: z
    .string()
    .optional()
    .refine((v) => v === undefined || isHttpUrl(v), { message: 'must be an absolute http(s) URL such as https://media.example.com' })
    .transform((v) => v?.replace(/\/+$/, '')),
  /** Largest image upload accepted, in megabytes; larger files are refused before anything is stored. */
  MASTHEAD_MAX_UPLOAD_MB: z.coerce.number().positive().max(1024).default(25),
  /** Canonical public origin used for absolute links (share URLs, canonical tags); defaults to http://HOST:PORT. */
  MASTHEAD_SITE_URL: z
    .string()
    .optional()
    .refine((v) => v === undefined || isHttpUrl(v), {
      message: 'must be an absolute http(s) URL such as https://news.example.com',
    })
    .transform((v) => v?.replace(/\/+$/, '')),
  /** Name of the publication, shown in the masthead and page titles. */
  MASTHEAD_SITE_NAME: z.string().min(1).default('Masthead News'),
  /**
   * Load demo content (the seed article and generated stories, a demo administrator) into an
   * empty database. Unset: only with the default database (MASTHEAD_DATABASE_URL unset), so a
   * first `npm start` shows a site, and a configured database never fills with demo stories.
   */
  MASTHEAD_DEMO_CONTENT: z.enum(['true', 'false']).optional(),
  /**
   * Redis shared by every app node (login throttling now, more later), e.g.
   * `redis://127.0.0.1:6379`. Unset: each node keeps its own counters in memory.
   */
  MASTHEAD_REDIS_URL: z
    .string()
    .optional()
    .refine((v) => v === undefined || /^rediss?:\/\/./.test(v), { message: 'must start with "redis://" or "rediss://"' }),
  /**
   * Whether newsroom cookies carry `Secure` (sent over HTTPS only). `auto` follows the site
   * URL: Secure when MASTHEAD_SITE_URL is https. Use `true` behind a TLS-terminating proxy
   * with an http site URL; `false` only for plain-http testing.
   */
  MASTHEAD_SESSION_SECURE: z.enum(['auto', 'true', 'false']).default('auto'),
  /**
   * Which reverse proxies to believe about the client address (X-Forwarded-For), so rate
   * limits count readers and editors, not the proxy: `false` (default, direct connections),
   * `true` (any), or comma-separated proxy addresses/CIDRs (safest: a bare hop count would
   * let direct clients spoof the header, so it is not offered).
   */
  MASTHEAD_TRUST_PROXY: z
    .string()
    .default('false')
    .refine((v) => /^(true|false|[0-9a-fA-F.:/]*[.:][0-9a-fA-F.:/]*(\s*,\s*[0-9a-fA-F.:/]*[.:][0-9a-fA-F.:/]*)*)$/.test(v.trim()), {
      message: 'must be true, false, or a comma-separated list of proxy addresses/CIDRs such as 10.0.0.0/8',
    })
    .transform((v): boolean | string[] => {
      const t = v.trim();
      if (t === 'true' || t === 'false') return t === 'true';
      return t.split(',').map((x) => x.trim());
    }),
  /** Comments close this many days after publication (0: never close automatically). */
  MASTHEAD_COMMENTS_CLOSE_AFTER_DAYS: z.coerce.number().int().min(0).max(3650).default(14),
  /** Comma-separated words or phrases that send a comment to the moderation queue instead of publishing it. */
  MASTHEAD_COMMENTS_BLOCKED_WORDS: z.string().default(''),
  /** A comment with more links than this waits for an editor. */
  MASTHEAD_COMMENTS_MAX_LINKS: z.coerce.number().int().min(0).max(100).default(2),
  /** SMTP server for reader emails, e.g. `smtps://user:pass@mail.example.com:465`. Set: sign-up sends a verification link. */
  MASTHEAD_SMTP_URL: z
    .string()
    .optional()
    .refine((v) => v === undefined || /^smtps?:\/\/./.test(v), { message: 'must start with "smtp://" or "smtps://"' }),
  /** Sender of reader emails, e.g. `News <no-reply@news.example.com>`; defaults to no-reply@ the site's host. */
  MASTHEAD_MAIL_FROM: z.string().min(3).optional(),
  /**
   * Let webhooks reach loopback, private and link-local addresses (an intranet receiver, or
   * tests). Off by default: a webhook URL must not become a way into the internal network.
   */
  MASTHEAD_WEBHOOKS_ALLOW_PRIVATE: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  /**
   * Authors' edits to their own live stories wait for an editor as pending changes (`true`,
   * the default), or go public when saved (`false`). Editors may always publish at once.
   */
  MASTHEAD_STAGE_AUTHOR_EDITS: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
  /** Content API (/api/v1) reads: `public` (anyone) or `token` (any valid API token, any role). */
  MASTHEAD_CONTENT_API: z.enum(['public', 'token']).default('public'),
  /**
   * Where to send tag purges after each change this node commits: comma-separated URLs of
   * Varnish servers running deploy/varnish/masthead.vcl (e.g. `http://127.0.0.1:6081/`), or
   * of a purge endpoint speaking the same protocol. Unset: no CDN purges.
   */
  MASTHEAD_CDN_PURGE_URL: z
    .string()
    .optional()
    .transform((v) =>
      (v ?? '')
        .split(',')
        .map((u) => u.trim())
        .filter(Boolean),
    )
    .refine((urls) => urls.every(isHttpUrl), { message: 'must be comma-separated absolute http(s) URLs such as http://127.0.0.1:6081/' }),
  /** Sent as `Authorization: Bearer <token>` with every purge (a purge proxy or hosted CDN that wants one). */
  MASTHEAD_CDN_PURGE_TOKEN: z.string().min(1).optional(),
  /**
   * Memory for this node's page cache of public responses, in megabytes (compressed variants
   * included); 0 turns it off (every request renders, the CDN headers stay).
   */
  MASTHEAD_PAGE_CACHE_MB: z.coerce.number().min(0).max(65536).default(256),
  /**
   * `/metrics` (Prometheus) on the main port, for `Authorization: Bearer <token>` only. At least
   * 16 characters. Unset (and no MASTHEAD_METRICS_PORT): metrics are off (404).
   */
  MASTHEAD_METRICS_TOKEN: z.string().min(16, { message: 'must be at least 16 characters' }).optional(),
  /**
   * Serve `/metrics` on this separate port instead (bind it where only Prometheus reaches it);
   * it still asks for MASTHEAD_METRICS_TOKEN when that is set.
   */
  MASTHEAD_METRICS_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  /** Webhook deliveries (sent or failed for good) older than this many days are deleted. */
  MASTHEAD_WEBHOOK_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  /** Content API requests allowed per client IP per minute (0: no limit). */
  MASTHEAD_API_RATE_LIMIT_CONTENT: z.coerce.number().int().min(0).max(1_000_000).default(600),
  /** Admin API requests allowed per API token per minute (0: no limit). */
  MASTHEAD_API_RATE_LIMIT_ADMIN: z.coerce.number().int().min(0).max(1_000_000).default(300),
  /** Open live-blog streams (Server-Sent Events) this node holds at most; more are refused with 503. */
  MASTHEAD_LIVE_MAX_STREAMS: z.coerce.number().int().min(0).max(1_000_000).default(10_000),
  /** pino log level. */
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

/** `create`: a missing SQLite file may be created (the default database, or MASTHEAD_DATABASE_CREATE=true); otherwise it must exist. */
export type DatabaseTarget = { kind: 'sqlite'; file: string; create?: boolean } | { kind: 'postgres'; url: string };

export interface Config {
  readonly port: number;
  readonly host: string;
  readonly database: DatabaseTarget;
  readonly mediaDir: string;
  /** Which media store (MASTHEAD_MEDIA_STORE and the MASTHEAD_S3_* settings). */
  readonly mediaStore: MediaStoreConfig;
  /** Base URL media are linked from (MASTHEAD_MEDIA_PUBLIC_URL), or undefined: served through the app. */
  readonly mediaPublicUrl: string | undefined;
  /** Image upload size limit in megabytes (MASTHEAD_MAX_UPLOAD_MB). */
  readonly maxUploadMb: number;
  readonly siteUrl: string;
  readonly siteName: string;
  readonly demoContent: boolean;
  readonly logLevel: string;
  /** Redis URL, or undefined for in-memory, per-node state. */
  readonly redisUrl: string | undefined;
  /** Newsroom cookies are marked Secure. */
  readonly sessionCookieSecure: boolean;
  /** Fastify `trustProxy`: which proxies may report the client address. */
  readonly trustProxy: boolean | string[];
  /** Who may read the Content API: anyone, or holders of an API token. */
  readonly contentApi: 'public' | 'token';
  /** Page cache bound in bytes (MASTHEAD_PAGE_CACHE_MB); 0 when the cache is off. */
  readonly pageCacheBytes: number;
  /** Live-blog streams one node holds at most (MASTHEAD_LIVE_MAX_STREAMS). */
  readonly liveMaxStreams: number;
  /** Webhooks may target private/loopback/link-local addresses (MASTHEAD_WEBHOOKS_ALLOW_PRIVATE). */
  readonly webhooksAllowPrivate: boolean;
  /** Authors' edits to live stories wait for review (MASTHEAD_STAGE_AUTHOR_EDITS). */
  readonly stageAuthorEdits: boolean;
  /** Reader comments: auto-close age in days (0 = never), blocked words (lower-cased), link limit. */
  readonly comments: { readonly closeAfterDays: number; readonly blockedWords: readonly string[]; readonly maxLinks: number };
  /** SMTP URL for reader emails, or undefined (no verification emails). */
  readonly smtpUrl: string | undefined;
  readonly mailFrom: string;
  /** CDN purges (MASTHEAD_CDN_PURGE_URL, MASTHEAD_CDN_PURGE_TOKEN): no URLs, no purges. */
  readonly cdnPurge: CdnPurgeConfig;
  /** Prometheus metrics: bearer token for /metrics and/or a separate port; neither: off. */
  readonly metrics: { readonly token: string | undefined; readonly port: number | undefined };
  /** Days a finished webhook delivery is kept (MASTHEAD_WEBHOOK_RETENTION_DAYS). */
  readonly webhookRetentionDays: number;
  /** API requests per minute: Content API per client IP, Admin API per token; 0 = unlimited. */
  readonly apiRateLimits: { readonly contentPerMinute: number; readonly adminPerMinute: number };
}

export type MediaStoreConfig =
  | { readonly kind: 'local' }
  | {
      readonly kind: 's3';
      readonly bucket: string;
      readonly region: string;
      readonly endpoint: string | undefined;
      readonly forcePathStyle: boolean;
      /** '' or ending in '/'. */
      readonly prefix: string;
      /** Undefined: the SDK's default credential chain. */
      readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string } | undefined;
    };

export interface CdnPurgeConfig {
  readonly urls: readonly string[];
  readonly token: string | undefined;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

function isHttpUrl(v: string): boolean {
  try {
    const u = new URL(v);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}

/** What MASTHEAD_MEDIA_STORE=s3 needs, and S3 settings a local store would silently ignore. */
function mediaStoreProblems(env: NodeJS.ProcessEnv): string[] {
  const problems: string[] = [];
  const set = (name: string) => env[name] !== undefined && env[name] !== '';
  if (env.MASTHEAD_MEDIA_STORE === 's3') {
    if (!set('MASTHEAD_S3_BUCKET')) problems.push('MASTHEAD_S3_BUCKET: required when MASTHEAD_MEDIA_STORE=s3');
    if (!set('MASTHEAD_S3_REGION'))
      problems.push('MASTHEAD_S3_REGION: required when MASTHEAD_MEDIA_STORE=s3 (e.g. eu-west-1, auto for R2)');
    if (set('MASTHEAD_S3_ACCESS_KEY_ID') !== set('MASTHEAD_S3_SECRET_ACCESS_KEY')) {
      problems.push('MASTHEAD_S3_ACCESS_KEY_ID, MASTHEAD_S3_SECRET_ACCESS_KEY: set both, or neither to use the default credential chain');
    }
  } else if (set('MASTHEAD_S3_BUCKET')) {
    // A node that writes to its own disk while the others share a bucket loses uploads quietly.
    problems.push('MASTHEAD_S3_BUCKET: set, but MASTHEAD_MEDIA_STORE is not s3 (set MASTHEAD_MEDIA_STORE=s3 to use the bucket)');
  }
  return problems;
}

const DEFAULT_DATABASE_URL = 'sqlite:./data/masthead.sqlite';

/** Parses a database URL into a target; `sqlite::memory:` is accepted for tests. */
export function parseDatabaseUrl(url: string): DatabaseTarget {
  if (url.startsWith('sqlite:')) {
    const file = url.slice('sqlite:'.length).replace(/^\/\//, '');
    return { kind: 'sqlite', file: file === ':memory:' ? file : path.resolve(file) };
  }
  return { kind: 'postgres', url };
}

/** Validates the environment and returns a frozen Config, reporting every problem at once. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  // Rules across variables are checked on the raw values too, so they are reported with the rest.
  const problems = [
    ...(parsed.success
      ? []
      : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message} (got ${JSON.stringify(env[String(i.path[0])] ?? null)})`)),
    ...mediaStoreProblems(env),
  ];
  if (!parsed.success || problems.length) throw new ConfigError(problems);
  const e = parsed.data;
  // Nothing set: the embedded default, which a first start creates and fills with demo content.
  const defaultDatabase = e.MASTHEAD_DATABASE_URL === undefined;
  const database = parseDatabaseUrl(e.MASTHEAD_DATABASE_URL ?? DEFAULT_DATABASE_URL);
  const siteUrl = e.MASTHEAD_SITE_URL ?? `http://${e.HOST.includes(':') ? `[${e.HOST}]` : e.HOST}:${e.PORT}`;
  return Object.freeze({
    port: e.PORT,
    host: e.HOST,
    database: database.kind === 'sqlite' ? { ...database, create: defaultDatabase || e.MASTHEAD_DATABASE_CREATE } : database,
    mediaDir: path.resolve(e.MASTHEAD_MEDIA_DIR),
    mediaStore: Object.freeze(
      e.MASTHEAD_MEDIA_STORE === 's3'
        ? {
            kind: 's3' as const,
            bucket: e.MASTHEAD_S3_BUCKET!,
            region: e.MASTHEAD_S3_REGION!,
            endpoint: e.MASTHEAD_S3_ENDPOINT,
            forcePathStyle: e.MASTHEAD_S3_FORCE_PATH_STYLE,
            prefix: e.MASTHEAD_S3_PREFIX,
            credentials:
              e.MASTHEAD_S3_ACCESS_KEY_ID && e.MASTHEAD_S3_SECRET_ACCESS_KEY
                ? Object.freeze({ accessKeyId: e.MASTHEAD_S3_ACCESS_KEY_ID, secretAccessKey: e.MASTHEAD_S3_SECRET_ACCESS_KEY })
                : undefined,
          }
        : { kind: 'local' as const },
    ),
    mediaPublicUrl: e.MASTHEAD_MEDIA_PUBLIC_URL,
    maxUploadMb: e.MASTHEAD_MAX_UPLOAD_MB,
    // Without an explicit public origin, links point at the address the server listens on.
    siteUrl,
    siteName: e.MASTHEAD_SITE_NAME,
    demoContent: e.MASTHEAD_DEMO_CONTENT === undefined ? defaultDatabase : e.MASTHEAD_DEMO_CONTENT === 'true',
    logLevel: e.LOG_LEVEL,
    redisUrl: e.MASTHEAD_REDIS_URL,
    sessionCookieSecure: e.MASTHEAD_SESSION_SECURE === 'auto' ? siteUrl.startsWith('https:') : e.MASTHEAD_SESSION_SECURE === 'true',
    trustProxy: e.MASTHEAD_TRUST_PROXY,
    contentApi: e.MASTHEAD_CONTENT_API,
    pageCacheBytes: Math.floor(e.MASTHEAD_PAGE_CACHE_MB * 1024 * 1024),
    liveMaxStreams: e.MASTHEAD_LIVE_MAX_STREAMS,
    webhooksAllowPrivate: e.MASTHEAD_WEBHOOKS_ALLOW_PRIVATE,
    stageAuthorEdits: e.MASTHEAD_STAGE_AUTHOR_EDITS,
    comments: Object.freeze({
      closeAfterDays: e.MASTHEAD_COMMENTS_CLOSE_AFTER_DAYS,
      blockedWords: Object.freeze(
        e.MASTHEAD_COMMENTS_BLOCKED_WORDS.split(',')
          .map((w) => w.trim().toLowerCase())
          .filter(Boolean),
      ),
      maxLinks: e.MASTHEAD_COMMENTS_MAX_LINKS,
    }),
    smtpUrl: e.MASTHEAD_SMTP_URL,
    mailFrom: e.MASTHEAD_MAIL_FROM ?? `no-reply@${new URL(siteUrl).hostname}`,
    cdnPurge: Object.freeze({ urls: Object.freeze(e.MASTHEAD_CDN_PURGE_URL), token: e.MASTHEAD_CDN_PURGE_TOKEN }),
    metrics: Object.freeze({ token: e.MASTHEAD_METRICS_TOKEN, port: e.MASTHEAD_METRICS_PORT }),
    webhookRetentionDays: e.MASTHEAD_WEBHOOK_RETENTION_DAYS,
    apiRateLimits: Object.freeze({ contentPerMinute: e.MASTHEAD_API_RATE_LIMIT_CONTENT, adminPerMinute: e.MASTHEAD_API_RATE_LIMIT_ADMIN }),
  });
}
