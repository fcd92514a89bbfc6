import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { serviceDepsFor, type TestServiceDeps } from '../../../test/support/factories.ts';
import { seedUser } from '../../../test/support/account-factories.ts';
import { createTestDatabase, testDialects, type TestDatabase } from '../../../test/support/test-db.ts';
import { createWebhookWorker } from '../../jobs/webhook-worker.ts';
import type { Actor } from '../accounts/role.ts';
import { listAuditEntries } from '../audit/audit-log.ts';
import { withTransaction } from '../../db/transaction.ts';
import { deliverDue, type DeliveryOptions } from './webhook-delivery.ts';
import { getDelivery, listDeliveries, retryDeliveryNow, sendTestPing } from './webhook-deliveries.ts';
import { enqueueWebhookEvent } from './webhook-outbox.ts';
import { createWebhook, getWebhook } from './webhook-service.ts';
import { verifySignature } from './webhook-signature.ts';
import { startTestReceiver, type TestReceiver } from '../../../test/support/webhook-test-support.ts';

const ALLOW = { allowPrivate: true };
const FAST: DeliveryOptions = { allowPrivate: true, retrySchedule: [60_000, 300_000], jitter: 0, timeoutMs: 2000 };

for (const { dialect, skip } of await testDialects()) {
  describe(`${dialect}: webhook deliveries`, { skip }, () => {
    let t: TestDatabase;
    let deps: TestServiceDeps;
    let now: Date;
    let admin: Actor;
    let receiver: TestReceiver;
    const advance = (ms: number) => (now = new Date(now.getTime() + ms));

    before(async () => {
      t = await createTestDatabase(dialect);
      now = new Date('2026-11-25T12:00:00.000Z');
      deps = { ...serviceDepsFor(t.handle, { clock: () => now }), siteUrl: 'https://news.example.test' };
      const user = await seedUser(deps, 'admin');
      admin = { userId: user.id, role: 'admin' };
    });
    beforeEach(async () => {
      receiver = await startTestReceiver();
      await deps.db.deleteFrom('webhook_deliveries').execute();
      await deps.db.deleteFrom('webhooks').execute();
    });
    afterEach(() => receiver?.close());
    after(async () => {
      await t?.destroy();
      deps?.cleanup();
    });

    const event = (headline = 'Breaking') =>
      withTransaction(deps.db, (trx) =>
        enqueueWebhookEvent(trx, { type: 'article.published', createdAt: now.toISOString(), data: { article: { id: 'a1', headline } } }),
      );

    it('POSTs the JSON body with the documented headers; the HMAC signature verifies with the secret', async () => {
      const { webhook, secret } = await createWebhook(deps, admin, { url: receiver.url, events: ['article.published'] }, ALLOW);
      const { eventId, deliveries } = await event();
      assert.equal(deliveries, 1);
      const outcomes = await deliverDue(deps, FAST);
      assert.deepEqual(
        outcomes.map((o) => o.outcome),
        ['succeeded'],
      );
      assert.equal(receiver.received.length, 1);
      const req = receiver.received[0]!;
      assert.equal(req.method, 'POST');
      assert.equal(req.url, '/hooks/masthead');
      assert.equal(req.headers['content-type'], 'application/json');
      assert.equal(req.headers['user-agent'], 'Masthead-Webhooks/1');
      assert.equal(req.headers['x-masthead-event'], 'article.published');
      const [delivery] = await listDeliveries(deps, admin, webhook.id);
      assert.equal(req.headers['x-masthead-delivery'], delivery!.id);
      assert.equal(req.headers['x-masthead-timestamp'], String(Math.floor(now.getTime() / 1000)));
      assert.ok(
        verifySignature(
          secret,
          { timestamp: req.headers['x-masthead-timestamp'] as string, signature: req.headers['x-masthead-signature'] as string },
          req.body,
          { now },
        ),
      );
      assert.ok(
        !verifySignature(
          'whsec_wrong',
          { timestamp: req.headers['x-masthead-timestamp'] as string, signature: req.headers['x-masthead-signature'] as string },
          req.body,
          { now },
        ),
      );
      const body = JSON.parse(req.body) as { id: string; type: string; createdAt: string; data: { article: { headline: string } } };
      assert.deepEqual(body, {
        id: eventId,
        type: 'article.published',
        createdAt: now.toISOString(),
        data: { article: { id: 'a1', headline: 'Breaking' } },
      });
      assert.equal(delivery!.status, 'succeeded');
      assert.equal(delivery!.attempts, 1);
      assert.equal(delivery!.lastStatusCode, 200);
      assert.equal(delivery!.responseExcerpt, 'thanks');
      assert.equal(delivery!.deliveredAt, now.toISOString());
    });

    it('retries a 500 with backoff, then succeeds; attempts and errors are recorded', async () => {
      const { webhook } = await createWebhook(deps, admin, { url: receiver.url, events: ['article.published'] }, ALLOW);
      receiver.respondWith(500, 503);
      await event();
      const start = now.getTime();
      assert.deepEqual(
        (await deliverDue(deps, FAST)).map((o) => o.outcome),
        ['retry'],
      );
      let [d] = await listDeliveries(deps, admin, webhook.id);
      assert.equal(d!.status, 'pending');
      assert.equal(d!.attempts, 1);
      assert.equal(d!.lastStatusCode, 500);
      assert.equal(d!.lastError, 'HTTP 500');
      assert.equal(d!.responseExcerpt, 'receiver says 500');
      assert.equal(d!.nextAttemptAt, new Date(start + 60_000).toISOString(), 'first retry after 1 minute');
      advance(59_000);
      assert.deepEqual(await deliverDue(deps, FAST), [], 'not due before its time');
      advance(1_000);
      assert.deepEqual(
        (await deliverDue(deps, FAST)).map((o) => o.outcome),
        ['retry'],
      );
      [d] = await listDeliveries(deps, admin, webhook.id);
      assert.equal(d!.attempts, 2);
      assert.equal(d!.nextAttemptAt, new Date(now.getTime() + 300_000).toISOString(), 'second retry after 5 minutes');
      advance(300_000);
      assert.deepEqual(
        (await deliverDue(deps, FAST)).map((o) => o.outcome),
        ['succeeded'],
      );
      [d] = await listDeliveries(deps, admin, webhook.id);
      assert.equal(d!.status, 'succeeded');
      assert.equal(d!.attempts, 3);
      assert.equal(d!.lastError, null);
      assert.equal(receiver.received.length, 3);
      assert.equal(new Set(receiver.received.map((r) => r.headers['x-masthead-delivery'])).size, 1, 'same delivery id on every attempt');
    });

    it('gives up after the last scheduled attempt; "retry now" allows one more', async () => {
      const { webhook } = await createWebhook(deps, admin, { url: receiver.url, events: ['article.published'] }, ALLOW);
      receiver.respondWith(500, 500, 500, 500);
      await event();
      await deliverDue(deps, FAST);
      advance(60_000);
      await deliverDue(deps, FAST);
      advance(300_000);
      assert.deepEqual(
        (await deliverDue(deps, FAST)).map((o) => o.outcome),
        ['failed'],
      );
      let [d] = await listDeliveries(deps, admin, webhook.id);
      assert.equal(d!.status, 'failed');
      assert.equal(d!.attempts, 3);
      assert.match(d!.lastError ?? '', /gave up after 3 attempts/);
      advance(24 * 3_600_000);
      assert.deepEqual(await deliverDue(deps, FAST), [], 'a failed delivery stays failed');
      await retryDeliveryNow(deps, admin, webhook.id, d!.id);
      assert.deepEqual(
        (await deliverDue(deps, FAST)).map((o) => o.outcome),
        ['failed'],
        'the 4th answer is a 500 too',
      );
      await retryDeliveryNow(deps, admin, webhook.id, d!.id);
      assert.deepEqual(
        (await deliverDue(deps, FAST)).map((o) => o.outcome),
        ['succeeded'],
      );
      d = await getDelivery(deps, admin, webhook.id, d!.id);
      assert.equal(d.attempts, 5);
      assert.ok(
        (await listAuditEntries(deps.db, { subjectType: 'webhook', subjectId: webhook.id })).some(
          (e) => e.action === 'webhook.delivery_retried',
        ),
      );
      await assert.rejects(retryDeliveryNow(deps, admin, webhook.id, d.id), { code: 'conflict' });
    });

    it('a 410 Gone disables the hook (audited); later events are not queued for it', async () => {
      const { webhook } = await createWebhook(deps, admin, { url: receiver.url, events: ['article.published'] }, ALLOW);
      receiver.respondWith(410);
      await event();
      assert.deepEqual(
        (await deliverDue(deps, FAST)).map((o) => o.outcome),
        ['disabled'],
      );
      const hook = await getWebhook(deps, admin, webhook.id);
      assert.equal(hook.enabled, false);
      assert.match(hook.disabledReason ?? '', /410 Gone/);
      const [d] = await listDeliveries(deps, admin, webhook.id);
      assert.equal(d!.status, 'failed');
      assert.equal(d!.lastStatusCode, 410);
      assert.equal((await event()).deliveries, 0);
      const audit = await listAuditEntries(deps.db, { subjectType: 'webhook', subjectId: webhook.id });
      assert.ok(audit.some((e) => e.action === 'webhook.disabled' && e.actorUserId === null));
    });

    it('two workers running at once never send the same delivery twice', async () => {
      await createWebhook(deps, admin, { url: receiver.url, events: ['article.published'] }, ALLOW);
      await createWebhook(deps, admin, { url: `${receiver.url}?second`, events: ['article.published'] }, ALLOW);
      for (let i = 0; i < 15; i++) await event(`Story ${i}`);
      const a = createWebhookWorker(deps, { ...FAST, batch: 4, concurrency: 3 });
      const b = createWebhookWorker(deps, { ...FAST, batch: 4, concurrency: 3 });
      await Promise.all([a.tick(), b.tick(), a.tick(), b.tick()]);
      await Promise.all([a.tick(), b.tick()]);
      assert.equal(receiver.received.length, 30, 'every delivery sent');
      const ids = receiver.received.map((r) => r.headers['x-masthead-delivery']);
      assert.equal(new Set(ids).size, 30, 'none sent twice');
      const rows = await deps.db.selectFrom('webhook_deliveries').select(['status', 'attempts']).execute();
      assert.ok(rows.every((r) => r.status === 'succeeded' && r.attempts === 1));
    });

    it('a new worker (after a restart) sends pending rows and retries one stuck in delivering past its lease', async () => {
      const { webhook } = await createWebhook(deps, admin, { url: receiver.url, events: ['article.published'] }, ALLOW);
      await event('Queued before the restart');
      await event('Was being sent when the process died');
      // Simulate a crash mid-send: the row was claimed (delivering, lease 60 s) but never recorded.
      const stuck = await deps.db.selectFrom('webhook_deliveries').select('id').orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
      await deps.db
        .updateTable('webhook_deliveries')
        .set({ status: 'delivering', attempts: 1, next_attempt_at: new Date(now.getTime() + 60_000).toISOString() })
        .where('id', '=', stuck.id)
        .execute();
      const worker = createWebhookWorker(deps, FAST);
      await worker.tick();
      assert.equal(receiver.received.length, 1, 'the pending row is sent; the leased one waits');
      advance(61_000);
      await worker.tick();
      assert.equal(receiver.received.length, 2);
      assert.equal(receiver.received[1]!.headers['x-masthead-delivery'], stuck.id);
      const d = await getDelivery(deps, admin, webhook.id, stuck.id);
      assert.equal(d.status, 'succeeded');
      assert.equal(d.attempts, 2);
    });

    it('the running worker loop delivers within its poll interval and stops cleanly', async () => {
      await createWebhook(deps, admin, { url: receiver.url, events: ['article.published'] }, ALLOW);
      const worker = createWebhookWorker(deps, { ...FAST, maxSleepMs: 50 });
      await worker.start();
      try {
        await event();
        const until = Date.now() + 3000;
        while (receiver.received.length === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
        assert.equal(receiver.received.length, 1);
      } finally {
        await worker.stop();
      }
    });

    it('refuses private addresses when not allowed: at registration, and at delivery time after DNS resolution', async () => {
      for (const url of [
        'http://127.0.0.1/x',
        'http://10.0.0.5/x',
        'http://169.254.169.254/latest',
        'http://[::1]/x',
        'http://localhost/x',
      ]) {
        await assert.rejects(
          createWebhook(deps, admin, { url, events: ['article.published'] }, { allowPrivate: false }),
          (e: Error & { code?: string }) => {
            assert.equal(e.code, 'validation_failed');
            assert.match(e.message, /^url: .*local or private address/);
            return true;
          },
        );
      }
      assert.equal((await deps.db.selectFrom('webhooks').select('id').execute()).length, 0, 'nothing half-written');
      // Registered while private addresses were allowed, delivered by a worker that does not allow them.
      await createWebhook(deps, admin, { url: receiver.url, events: ['article.published'] }, ALLOW);
      await createWebhook(deps, admin, { url: `http://localhost:${receiver.port}/by-name`, events: ['article.published'] }, ALLOW);
      await event();
      const outcomes = await deliverDue(deps, { ...FAST, allowPrivate: false });
      assert.deepEqual(
        outcomes.map((o) => o.outcome),
        ['retry', 'retry'],
      );
      assert.ok(
        outcomes.some((o) => /127\.0\.0\.1 is a local or private address; delivery refused/.test(o.error ?? '')),
        outcomes.map((o) => o.error).join(),
      );
      assert.ok(
        outcomes.some((o) => /localhost resolves to .*, a local or private address; delivery refused/.test(o.error ?? '')),
        outcomes.map((o) => o.error).join(),
      );
      assert.equal(receiver.received.length, 0, 'no request reached the receiver');
    });

    it('an event enqueued in a transaction that rolls back leaves no delivery', async () => {
      await createWebhook(deps, admin, { url: receiver.url, events: ['article.published'] }, ALLOW);
      await assert.rejects(
        withTransaction(deps.db, async (trx) => {
          await enqueueWebhookEvent(trx, { type: 'article.published', createdAt: now.toISOString(), data: {} });
          throw new Error('the state change failed');
        }),
        /state change failed/,
      );
      assert.equal((await deps.db.selectFrom('webhook_deliveries').select('id').execute()).length, 0);
    });

    it('only subscribed, enabled hooks get an event; a test ping goes to one hook whatever it subscribes to', async () => {
      const pub = await createWebhook(deps, admin, { url: receiver.url, events: ['article.published'] }, ALLOW);
      const del = await createWebhook(deps, admin, { url: receiver.url, events: ['article.deleted'] }, ALLOW);
      await createWebhook(deps, admin, { url: receiver.url, events: ['article.published'], enabled: false }, ALLOW);
      assert.equal((await event()).deliveries, 1);
      assert.equal((await listDeliveries(deps, admin, pub.webhook.id)).length, 1);
      const pingId = await sendTestPing(deps, admin, del.webhook.id);
      await deliverDue(deps, FAST);
      const ping = receiver.received.find((r) => r.headers['x-masthead-delivery'] === pingId);
      assert.ok(ping);
      assert.equal(ping.headers['x-masthead-event'], 'webhook.ping');
      assert.ok(
        verifySignature(
          del.secret,
          { timestamp: ping.headers['x-masthead-timestamp'] as string, signature: ping.headers['x-masthead-signature'] as string },
          ping.body,
          { now },
        ),
      );
    });

    it('only admins manage hooks and see deliveries', async () => {
      const editor: Actor = { userId: admin.userId, role: 'editor' };
      await assert.rejects(createWebhook(deps, editor, { url: receiver.url, events: ['article.published'] }, ALLOW), { code: 'forbidden' });
      const { webhook } = await createWebhook(deps, admin, { url: receiver.url, events: ['article.published'] }, ALLOW);
      await assert.rejects(listDeliveries(deps, editor, webhook.id), { code: 'forbidden' });
      await assert.rejects(sendTestPing(deps, editor, webhook.id), { code: 'forbidden' });
    });
  });
}
