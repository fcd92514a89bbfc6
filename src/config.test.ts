import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig, parseDatabaseUrl } from './config.ts';

function configError(env: NodeJS.ProcessEnv): ConfigError {
  try {
    loadConfig(env);
  } catch (err) {
    assert.ok(err instanceof ConfigError, `expected ConfigError, got ${String(err)}`);
    return err;
  }
  assert.fail('loadConfig should have thrown');
}

describe('loadConfig', () => {
  it('applies documented defaults to an empty environment', () => {
    const c = loadConfig({});
    assert.equal(c.port, 3000);
    assert.equal(c.host, '127.0.0.1');
    // The default database is the one a first start may create and fill with demo content.
    assert.deepEqual(c.database, { kind: 'sqlite', file: path.resolve('./data/masthead.sqlite'), create: true });
    assert.equal(c.mediaDir, path.resolve('./data/media'));
    assert.equal(c.siteUrl, 'http://127.0.0.1:3000');
    assert.equal(c.siteName, 'Masthead News');
    assert.equal(c.demoContent, true);
    assert.equal(c.logLevel, 'info');
  });

  it('never creates a configured SQLite file nor fills a configured database with demo content unless told to', () => {
    const configured = loadConfig({ MASTHEAD_DATABASE_URL: 'sqlite:./site.sqlite' });
    assert.deepEqual(configured.database, { kind: 'sqlite', file: path.resolve('./site.sqlite'), create: false });
    assert.equal(configured.demoContent, false);
    // Naming the default path is still a configured database: it must exist.
    assert.deepEqual(loadConfig({ MASTHEAD_DATABASE_URL: 'sqlite:./data/masthead.sqlite' }).database, {
      kind: 'sqlite',
      file: path.resolve('./data/masthead.sqlite'),
      create: false,
    });
    assert.equal(loadConfig({ MASTHEAD_DATABASE_URL: 'postgres://db/news' }).demoContent, false);
    const opted = loadConfig({
      MASTHEAD_DATABASE_URL: 'sqlite:./site.sqlite',
      MASTHEAD_DATABASE_CREATE: 'true',
      MASTHEAD_DEMO_CONTENT: 'true',
    });
    assert.deepEqual(opted.database, { kind: 'sqlite', file: path.resolve('./site.sqlite'), create: true });
    assert.equal(opted.demoContent, true);
    assert.equal(loadConfig({ MASTHEAD_DEMO_CONTENT: 'false' }).demoContent, false);
    assert.match(configError({ MASTHEAD_DATABASE_CREATE: 'yes' }).problems[0]!, /^MASTHEAD_DATABASE_CREATE: /);
  });

  it('returns a frozen object', () => {
    const c = loadConfig({});
    assert.ok(Object.isFrozen(c));
    assert.throws(() => {
      (c as { port: number }).port = 1;
    }, TypeError);
  });

  it('reads values and normalises the site URL', () => {
    const c = loadConfig({
      PORT: '8080',
      MASTHEAD_DATABASE_URL: 'postgres://user@db:5432/news',
      MASTHEAD_SITE_URL: 'https://news.example.com///',
      MASTHEAD_DEMO_CONTENT: 'false',
      LOG_LEVEL: 'warn',
    });
    assert.equal(c.port, 8080);
    assert.deepEqual(c.database, { kind: 'postgres', url: 'postgres://user@db:5432/news' });
    assert.equal(c.siteUrl, 'https://news.example.com');
    assert.equal(c.demoContent, false);
    assert.equal(c.logLevel, 'warn');
  });

  it('reports every problem at once in one ConfigError', () => {
    const err = configError({
      PORT: 'eighty',
      MASTHEAD_DATABASE_URL: 'mysql://root@localhost/db',
      MASTHEAD_SITE_URL: 'news.example.com',
      LOG_LEVEL: 'loud',
      MASTHEAD_DEMO_CONTENT: 'yes',
    });
    const fields = err.problems.map((p) => p.split(':')[0]);
    assert.deepEqual(
      new Set(fields),
      new Set(['PORT', 'MASTHEAD_DATABASE_URL', 'MASTHEAD_SITE_URL', 'LOG_LEVEL', 'MASTHEAD_DEMO_CONTENT']),
    );
    for (const name of fields) assert.ok(err.message.includes(name!), `message lists ${name}`);
  });

  it('rejects a bad database URL, naming the variable and the value', () => {
    const err = configError({ MASTHEAD_DATABASE_URL: 'mysql://root@localhost/db' });
    assert.equal(err.problems.length, 1);
    assert.match(err.problems[0]!, /^MASTHEAD_DATABASE_URL: .*sqlite:.*postgres:\/\//);
    assert.ok(err.problems[0]!.includes('mysql://root@localhost/db'));
  });

  it('rejects a site URL that is not absolute http(s)', () => {
    for (const bad of ['news.example.com', 'ftp://news.example.com', 'javascript:alert(1)', '/relative']) {
      const err = configError({ MASTHEAD_SITE_URL: bad });
      assert.equal(err.problems.length, 1, bad);
      assert.match(err.problems[0]!, /^MASTHEAD_SITE_URL: must be an absolute http\(s\) URL/);
    }
  });

  it('parses MASTHEAD_TRUST_PROXY as off, on or a list of proxies', () => {
    assert.equal(loadConfig({}).trustProxy, false);
    assert.equal(loadConfig({ MASTHEAD_TRUST_PROXY: 'true' }).trustProxy, true);
    assert.match(configError({ MASTHEAD_TRUST_PROXY: '1' }).problems[0]!, /^MASTHEAD_TRUST_PROXY:/, 'hop counts are spoofable');
    assert.deepEqual(loadConfig({ MASTHEAD_TRUST_PROXY: '10.0.0.0/8, 127.0.0.1' }).trustProxy, ['10.0.0.0/8', '127.0.0.1']);
    assert.match(configError({ MASTHEAD_TRUST_PROXY: 'yes please' }).problems[0]!, /^MASTHEAD_TRUST_PROXY:/);
  });

  it('parses MASTHEAD_CDN_PURGE_URL as a list of URLs, with an optional token', () => {
    assert.deepEqual(loadConfig({}).cdnPurge, { urls: [], token: undefined });
    assert.deepEqual(
      loadConfig({ MASTHEAD_CDN_PURGE_URL: 'http://127.0.0.1:6081/, https://edge.example/purge', MASTHEAD_CDN_PURGE_TOKEN: 's3cret' })
        .cdnPurge,
      { urls: ['http://127.0.0.1:6081/', 'https://edge.example/purge'], token: 's3cret' },
    );
    assert.match(configError({ MASTHEAD_CDN_PURGE_URL: 'varnish:6081' }).problems[0]!, /^MASTHEAD_CDN_PURGE_URL:/);
  });

  it('parses the operations settings: metrics token and port, webhook retention, API rate limits', () => {
    const d = loadConfig({});
    assert.deepEqual(d.metrics, { token: undefined, port: undefined });
    assert.equal(d.webhookRetentionDays, 30);
    assert.deepEqual(d.apiRateLimits, { contentPerMinute: 600, adminPerMinute: 300 });
    const c = loadConfig({
      MASTHEAD_METRICS_TOKEN: 'a-long-enough-metrics-token',
      MASTHEAD_METRICS_PORT: '9464',
      MASTHEAD_WEBHOOK_RETENTION_DAYS: '7',
      MASTHEAD_API_RATE_LIMIT_CONTENT: '0',
      MASTHEAD_API_RATE_LIMIT_ADMIN: '60',
    });
    assert.deepEqual(c.metrics, { token: 'a-long-enough-metrics-token', port: 9464 });
    assert.equal(c.webhookRetentionDays, 7);
    assert.deepEqual(c.apiRateLimits, { contentPerMinute: 0, adminPerMinute: 60 });
    const fields = configError({
      MASTHEAD_METRICS_TOKEN: 'short',
      MASTHEAD_METRICS_PORT: '0',
      MASTHEAD_WEBHOOK_RETENTION_DAYS: '0',
    }).problems.map((p) => p.split(':')[0]);
    assert.deepEqual(fields.sort(), ['MASTHEAD_METRICS_PORT', 'MASTHEAD_METRICS_TOKEN', 'MASTHEAD_WEBHOOK_RETENTION_DAYS']);
  });

  it('rejects an out-of-range port', () => {
    assert.match(configError({ PORT: '70000' }).problems[0]!, /^PORT:/);
  });
});

describe('parseDatabaseUrl', () => {
  it('parses sqlite paths, :memory: and postgres URLs', () => {
    assert.deepEqual(parseDatabaseUrl('sqlite::memory:'), { kind: 'sqlite', file: ':memory:' });
    assert.deepEqual(parseDatabaseUrl('sqlite:./x.db'), { kind: 'sqlite', file: path.resolve('./x.db') });
    assert.deepEqual(parseDatabaseUrl('postgresql://a@b/c'), { kind: 'postgres', url: 'postgresql://a@b/c' });
  });
});

describe('loadConfig: media store', () => {
  it('keeps media on local disk by default and reads the S3 store settings', () => {
    const local = loadConfig({});
    assert.deepEqual(local.mediaStore, { kind: 'local' });
    assert.equal(local.mediaPublicUrl, undefined);
    const s3 = loadConfig({
      MASTHEAD_MEDIA_STORE: 's3',
      MASTHEAD_S3_BUCKET: 'news-media',
      MASTHEAD_S3_REGION: 'auto',
      MASTHEAD_S3_ENDPOINT: 'https://acct.r2.cloudflarestorage.com',
      MASTHEAD_S3_ACCESS_KEY_ID: 'AKID',
      MASTHEAD_S3_SECRET_ACCESS_KEY: 'secret',
      MASTHEAD_S3_FORCE_PATH_STYLE: 'true',
      MASTHEAD_S3_PREFIX: '/sites/daily',
      MASTHEAD_MEDIA_PUBLIC_URL: 'https://media.example.com/',
    });
    assert.deepEqual(s3.mediaStore, {
      kind: 's3',
      bucket: 'news-media',
      region: 'auto',
      endpoint: 'https://acct.r2.cloudflarestorage.com',
      forcePathStyle: true,
      prefix: 'sites/daily/',
      credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' },
    });
    assert.ok(Object.isFrozen(s3.mediaStore));
    assert.equal(s3.mediaPublicUrl, 'https://media.example.com');
    // No key pair: the SDK's default credential chain (instance role, AWS_* variables).
    const chain = loadConfig({ MASTHEAD_MEDIA_STORE: 's3', MASTHEAD_S3_BUCKET: 'news-media', MASTHEAD_S3_REGION: 'eu-west-1' });
    assert.deepEqual(chain.mediaStore, {
      kind: 's3',
      bucket: 'news-media',
      region: 'eu-west-1',
      endpoint: undefined,
      forcePathStyle: false,
      prefix: '',
      credentials: undefined,
    });
    // A CDN in front of the app's own /media/ works with the local store too.
    assert.equal(
      loadConfig({ MASTHEAD_MEDIA_PUBLIC_URL: 'https://cdn.example.com/media' }).mediaPublicUrl,
      'https://cdn.example.com/media',
    );
  });

  it('reports every media store problem at once, with the other problems', () => {
    const problems = configError({
      PORT: 'eighty',
      MASTHEAD_MEDIA_STORE: 's3',
      MASTHEAD_S3_ENDPOINT: 'minio:9000',
      MASTHEAD_S3_ACCESS_KEY_ID: 'AKID',
      MASTHEAD_S3_FORCE_PATH_STYLE: 'yes',
      MASTHEAD_S3_PREFIX: '../other-site',
      MASTHEAD_MEDIA_PUBLIC_URL: 'media.example.com',
    }).problems;
    const named = (name: string) => problems.filter((p) => p.startsWith(`${name}: `) || p.startsWith(`${name}, `));
    for (const name of [
      'PORT',
      'MASTHEAD_S3_ENDPOINT',
      'MASTHEAD_S3_FORCE_PATH_STYLE',
      'MASTHEAD_S3_PREFIX',
      'MASTHEAD_MEDIA_PUBLIC_URL',
      'MASTHEAD_S3_BUCKET',
      'MASTHEAD_S3_REGION',
      'MASTHEAD_S3_ACCESS_KEY_ID',
    ]) {
      assert.equal(named(name).length, 1, `one problem for ${name} in ${JSON.stringify(problems)}`);
    }
    assert.match(named('MASTHEAD_S3_BUCKET')[0]!, /required when MASTHEAD_MEDIA_STORE=s3/);
    assert.match(named('MASTHEAD_S3_ACCESS_KEY_ID')[0]!, /set both, or neither/);
    assert.match(configError({ MASTHEAD_MEDIA_STORE: 'gcs' }).problems[0]!, /^MASTHEAD_MEDIA_STORE: /);
    assert.match(
      configError({ MASTHEAD_MEDIA_STORE: 's3', MASTHEAD_S3_BUCKET: 'Not_A_Bucket', MASTHEAD_S3_REGION: 'auto' }).problems[0]!,
      /^MASTHEAD_S3_BUCKET: must be a bucket name/,
    );
    // A bucket configured on a node left on local disk would split the site's uploads.
    assert.deepEqual(configError({ MASTHEAD_S3_BUCKET: 'news-media' }).problems, [
      'MASTHEAD_S3_BUCKET: set, but MASTHEAD_MEDIA_STORE is not s3 (set MASTHEAD_MEDIA_STORE=s3 to use the bucket)',
    ]);
  });
});
