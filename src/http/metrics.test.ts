import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createApiTestSite, type ApiTestSite } from '../../test/support/api-test-support.ts';
import { FIXED_NOW, paragraphs } from '../../test/support/factories.ts';
import { NewsroomClient } from '../../test/support/newsroom-client.ts';
import { parseExposition, sampleValue, type Exposition } from '../../test/support/prometheus-test-support.ts';
import { testDialects } from '../../test/support/test-db.ts';
import { newId } from '../domain/ids.ts';
import { startMetricsServer } from './metrics-server.ts';

const TOKEN = 'metrics-token-for-the-tests-0123456789';
const DASHBOARD = path.resolve(import.meta.dirname, '../../deploy/grafana/masthead-dashboard.json');
const minutesAgo = (n: number) => new Date(FIXED_NOW.getTime() - n * 60_000).toISOString();

for (const { dialect, skip } of await testDialects()) {
  describe(`${dialect}: /metrics`, { skip }, () => {
    let site: ApiTestSite;
    const scrape = async (): Promise<Exposition> => {
      const res = await site.app.inject({ url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } });
      assert.equal(res.statusCode, 200, res.body);
      assert.match(String(res.headers['content-type']), /^text\/plain; version=0\.0\.4/);
      return parseExposition(res.body);
    };

    before(async () => {
      site = await createApiTestSite(dialect, {
        MASTHEAD_METRICS_TOKEN: TOKEN,
        MASTHEAD_PAGE_CACHE_MB: '8',
        MASTHEAD_API_RATE_LIMIT_CONTENT: '3',
      });
    });
    after(() => site?.close());

    it('answers only the configured bearer token', async () => {
      for (const authorization of [undefined, 'Bearer wrong-token-of-some-length', `Basic ${TOKEN}`, `Bearer ${TOKEN}x`]) {
        const res = await site.app.inject({ url: '/metrics', headers: authorization ? { authorization } : {} });
        assert.equal(res.statusCode, 401, String(authorization));
        assert.ok(!res.body.includes('masthead_'), 'no metrics without the token');
      }
    });

    it('counts requests by route pattern and status class, never by raw URL', async () => {
      const before = await scrape();
      const key = { method: 'GET', route: '/:section', status_class: '2xx' };
      const missing = { method: 'GET', route: '/:section/:slug', status_class: '4xx' };
      for (let i = 0; i < 3; i++) assert.equal((await site.app.inject('/world?page=' + i)).statusCode, 200);
      assert.equal((await site.app.inject('/world/no-such-story-here')).statusCode, 404);
      const now = await scrape();
      const name = 'masthead_http_request_duration_seconds_count';
      assert.equal(sampleValue(now, name, key) - sampleValue(before, name, key), 3);
      assert.equal(sampleValue(now, name, missing) - sampleValue(before, name, missing), 1);
      assert.equal(now.types.get('masthead_http_request_duration_seconds'), 'HISTOGRAM');
      const routes = new Set((now.samples.get(name) ?? []).map((s) => s.labels.route));
      assert.ok(!routes.has('/world/no-such-story-here') && !routes.has('/world'), `only patterns: ${[...routes].join(', ')}`);
    });

    it('exposes process memory, event-loop lag and database query time', async () => {
      const e = await scrape();
      assert.ok(sampleValue(e, 'process_resident_memory_bytes') > 0);
      assert.ok(e.samples.has('nodejs_eventloop_lag_seconds'));
      const queries = sampleValue(e, 'masthead_db_query_duration_seconds_count', { outcome: 'ok' });
      await site.app.inject('/world?another');
      assert.ok(
        sampleValue(await scrape(), 'masthead_db_query_duration_seconds_count', { outcome: 'ok' }) > queries,
        'a page adds queries',
      );
      if (dialect === 'postgres') {
        assert.equal(sampleValue(e, 'masthead_db_pool_max_connections'), 10);
        assert.ok(sampleValue(e, 'masthead_db_pool_connections', { state: 'idle' }) >= 1);
      } else {
        assert.ok(!e.samples.has('masthead_db_pool_connections'), 'SQLite has no pool');
      }
    });

    it('counts a refused sign-in and a refused Content API call in the one limiter', async () => {
      const before = await scrape();
      const client = new NewsroomClient(site, '198.51.100.23');
      let last;
      for (let i = 0; i < 6; i++) last = await client.login(site.admin.email, 'not the password');
      assert.equal(last!.statusCode, 429, 'the sixth attempt is refused');
      for (let i = 0; i < 4; i++) await site.app.inject({ url: '/api/v1/articles', remoteAddress: '198.51.100.24' });
      const now = await scrape();
      const refusals = (limit: string, e: Exposition) => sampleValue(e, 'masthead_rate_limit_refusals_total', { limit });
      assert.ok(refusals('login', now) - refusals('login', before) >= 1, 'the refused sign-in is counted');
      assert.equal(refusals('api-content', now) - refusals('api-content', before), 1, 'the fourth API call was refused');
    });

    it('reads the page cache’s own counters: misses, hits, purges and bytes', async () => {
      const before = await scrape();
      await site.app.inject('/');
      await site.app.inject('/');
      const now = await scrape();
      assert.equal(sampleValue(now, 'masthead_page_cache_misses_total') - sampleValue(before, 'masthead_page_cache_misses_total'), 1);
      assert.equal(sampleValue(now, 'masthead_page_cache_hits_total') - sampleValue(before, 'masthead_page_cache_hits_total'), 1);
      assert.ok(sampleValue(now, 'masthead_page_cache_bytes') > 0);
      // A story published through the API purges the pages listing it.
      const token = await site.token('editor');
      const created = await site.call('POST', '/api/v1/admin/articles', {
        token,
        json: { headline: 'Purge me', sectionId: site.taxonomy.world.id, body: paragraphs('Text.'), status: 'published' },
      });
      assert.equal(created.statusCode, 201, created.body);
      const purged = await scrape();
      assert.ok(sampleValue(purged, 'masthead_page_cache_purges_total') > sampleValue(now, 'masthead_page_cache_purges_total'));
    });

    it('reports scheduler lag and the webhook outbox from the database', async () => {
      const e0 = await scrape();
      assert.equal(sampleValue(e0, 'masthead_scheduler_lag_seconds'), 0);
      assert.equal(sampleValue(e0, 'masthead_webhook_outbox_depth'), 0);
      const token = await site.token('editor');
      const draft = await site.call('POST', '/api/v1/admin/articles', {
        token,
        json: { headline: 'Scheduled', sectionId: site.taxonomy.world.id, body: paragraphs('Soon.') },
      });
      assert.equal(draft.statusCode, 201, draft.body);
      const articleId = (JSON.parse(draft.body) as { data: { id: string } }).data.id;
      const db = site.deps.db;
      await db
        .insertInto('scheduled_jobs')
        .values({
          id: newId(),
          article_id: articleId,
          action: 'publish',
          run_at: minutesAgo(10),
          status: 'pending',
          attempts: 0,
          last_error: null,
          created_by: null,
          created_at: minutesAgo(20),
          finished_at: null,
        })
        .execute();
      await db
        .insertInto('webhooks')
        .values({
          id: 'hook-1',
          url: 'https://hooks.example.test/in',
          description: '',
          events: '["article.published"]',
          secret: 's',
          enabled: 1,
          disabled_reason: null,
          created_by: null,
          created_at: minutesAgo(90),
          updated_at: minutesAgo(90),
          secret_rotated_at: null,
        })
        .execute();
      for (const [id, status, age] of [
        ['d-1', 'pending', 60],
        ['d-2', 'delivering', 30],
        ['d-3', 'succeeded', 80],
      ] as const) {
        await db
          .insertInto('webhook_deliveries')
          .values({
            id,
            webhook_id: 'hook-1',
            event: 'article.published',
            event_id: id,
            status,
            attempts: 0,
            next_attempt_at: minutesAgo(1),
            last_status_code: null,
            last_error: null,
            response_excerpt: null,
            created_at: minutesAgo(age),
            last_attempt_at: null,
            delivered_at: null,
            payload: '{}',
          })
          .execute();
      }
      const e = await scrape();
      assert.equal(sampleValue(e, 'masthead_scheduler_lag_seconds'), 600);
      assert.equal(sampleValue(e, 'masthead_scheduler_overdue_jobs'), 1);
      assert.equal(sampleValue(e, 'masthead_webhook_outbox_depth'), 2, 'pending and in flight, not the delivered one');
      assert.equal(sampleValue(e, 'masthead_webhook_outbox_oldest_age_seconds'), 3600);
    });

    it('serves the same text on a separate metrics port, still asking for the token', async () => {
      assert.ok(site.app.metrics);
      const server = await startMetricsServer({ host: '127.0.0.1', port: 0, metrics: site.app.metrics, token: TOKEN });
      try {
        const url = `http://127.0.0.1:${server.port}`;
        assert.equal((await fetch(`${url}/metrics`)).status, 401);
        assert.equal((await fetch(`${url}/`, { headers: { authorization: `Bearer ${TOKEN}` } })).status, 404);
        const res = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
        assert.equal(res.status, 200);
        assert.ok(parseExposition(await res.text()).samples.has('masthead_http_request_duration_seconds_count'));
      } finally {
        await server.close();
      }
    });

    it('charts only metric names it exports (deploy/grafana/masthead-dashboard.json)', async () => {
      const dashboard = JSON.parse(fs.readFileSync(DASHBOARD, 'utf8')) as {
        panels: Array<{ title: string; targets?: Array<{ expr: string }> }>;
      };
      const exported = await scrape();
      const names = new Set<string>();
      for (const panel of dashboard.panels)
        for (const t of panel.targets ?? []) for (const m of t.expr.matchAll(/\b(?:masthead|process|nodejs)_[a-z0-9_]+/g)) names.add(m[0]);
      assert.ok(names.size >= 12, `the dashboard charts the metrics (${names.size})`);
      const missing = [...names].filter((n) => !exported.samples.has(n));
      // The pool exists only on PostgreSQL.
      const expectedMissing = dialect === 'sqlite' ? missing.filter((n) => !n.startsWith('masthead_db_pool_')) : missing;
      assert.deepEqual(expectedMissing, [], 'every charted name is exported');
    });
  });
}

describe('/metrics without a token or port', () => {
  it('is off: 404, and no request hook', async () => {
    const dialect = (await testDialects()).find((d) => !d.skip)?.dialect ?? 'sqlite';
    const site = await createApiTestSite(dialect);
    try {
      assert.equal(site.app.metrics, null);
      assert.equal((await site.app.inject({ url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } })).statusCode, 404);
    } finally {
      await site.close();
    }
  });
});
