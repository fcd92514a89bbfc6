import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../config.ts';
import type { User } from '../domain/accounts/user.ts';
import { listAuditEntries } from '../domain/audit/audit-log.ts';
import { deliverDue } from '../domain/webhooks/webhook-delivery.ts';
import { verifySignature } from '../domain/webhooks/webhook-signature.ts';
import { startTestReceiver } from '../../test/support/webhook-test-support.ts';
import { seedStaff } from '../../test/support/account-factories.ts';
import { csrfFrom, NewsroomClient, signedInClient, TEST_ORIGIN } from '../../test/support/newsroom-client.ts';
import { testDialects } from '../../test/support/test-db.ts';
import { createTestSite, type TestSite } from '../../test/support/test-site.ts';

const secretIn = (body: string) => /id="webhook-secret"[^>]* value="(whsec_[A-Za-z0-9_-]{43})"/.exec(body)?.[1];
const hookIdIn = (body: string) => /href="\/newsroom\/webhooks\/([0-9a-f-]{36})"/.exec(body)?.[1];

/** Posts a form whose `events` checkboxes repeat, as a browser does. */
async function postForm(
  c: NewsroomClient,
  pageUrl: string,
  action: string,
  fields: Record<string, string>,
  events: string[] = [],
  headers: Record<string, string> = {},
) {
  const page = await c.get(pageUrl);
  const body = new URLSearchParams({ _csrf: csrfFrom(page.body), ...fields });
  for (const e of events) body.append('events', e);
  return c.send('POST', action, { 'content-type': 'application/x-www-form-urlencoded', origin: TEST_ORIGIN, ...headers }, body.toString());
}

describe('MASTHEAD_WEBHOOKS_ALLOW_PRIVATE', () => {
  it('is off unless set to true, and a typo stops the start', () => {
    assert.equal(loadConfig({}).webhooksAllowPrivate, false);
    assert.equal(loadConfig({ MASTHEAD_WEBHOOKS_ALLOW_PRIVATE: 'true' }).webhooksAllowPrivate, true);
    assert.throws(
      () => loadConfig({ MASTHEAD_WEBHOOKS_ALLOW_PRIVATE: 'yes' }),
      (e: unknown) => e instanceof ConfigError && /MASTHEAD_WEBHOOKS_ALLOW_PRIVATE/.test(e.message),
    );
  });
});

for (const { dialect, skip } of await testDialects()) {
  describe(`${dialect}: newsroom webhooks`, { skip }, () => {
    let site: TestSite;
    let admin: User;
    let editor: User;

    before(async () => {
      site = await createTestSite(dialect);
      ({ admin, editor } = await seedStaff(site.deps, { admin: ['admin', 'Ada Admin'], editor: ['editor', 'Ed Editor'] }));
    });
    after(() => site?.close());

    it('is for administrators only: an editor gets 403 on the pages and on every action', async () => {
      const a = await signedInClient(site, admin, '203.0.113.60');
      const created = await postForm(a, '/newsroom/webhooks', '/newsroom/webhooks', { url: 'https://hooks.example.com/one' }, [
        'article.published',
      ]);
      const id = hookIdIn(created.body)!;
      const c = await signedInClient(site, editor, '203.0.113.61');
      assert.equal((await c.get('/newsroom/webhooks')).statusCode, 403);
      assert.equal((await c.get(`/newsroom/webhooks/${id}`)).statusCode, 403);
      const token = await c.csrfToken();
      for (const action of ['', '/rotate', '/delete', '/ping']) {
        const res = await c.request('POST', `/newsroom/webhooks${action ? `/${id}${action}` : ''}`, {
          _csrf: token,
          url: 'https://evil.example.com/',
          events: 'article.published',
        });
        assert.equal(res.statusCode, 403, action || 'create');
      }
      assert.ok(!(await c.get('/newsroom')).body.includes('/newsroom/webhooks'), 'no Webhooks link for an editor');
      assert.equal((await new NewsroomClient(site, '203.0.113.62').get('/newsroom/webhooks')).statusCode, 303, 'anonymous → login');
    });

    it('creates a hook and shows its secret once; the list never shows it again; audited without the secret', async () => {
      const c = await signedInClient(site, admin, '203.0.113.63');
      const page = await c.get('/newsroom/webhooks');
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /aria-current="page">Webhooks/);
      assert.match(page.body, /name="events" value="comment.posted"/, 'comment.posted can be chosen');
      for (const e of ['live_entry.published', 'live_entry.updated', 'live_entry.deleted'])
        assert.match(page.body, new RegExp(`name="events" value="${e.replace('.', '\\.')}"`), `${e} can be chosen`);
      const created = await postForm(
        c,
        '/newsroom/webhooks',
        '/newsroom/webhooks',
        { url: 'https://hooks.example.com/masthead', description: 'Newsletter <builder>' },
        ['article.published', 'article.deleted'],
      );
      assert.equal(created.statusCode, 201);
      assert.equal(created.headers['cache-control'], 'no-store');
      const secret = secretIn(created.body);
      assert.ok(secret, 'secret shown');
      assert.match(created.body, /will not be shown again/);
      assert.match(created.body, /Newsletter &lt;builder&gt;/, 'escaped');
      const id = /href="\/newsroom\/webhooks\/([0-9a-f-]{36})"[^>]*>https:\/\/hooks.example.com\/masthead</.exec(created.body)?.[1];
      assert.ok(id);
      const list = await c.get('/newsroom/webhooks');
      const detail = await c.get(`/newsroom/webhooks/${id}`);
      for (const body of [list.body, detail.body]) assert.ok(!body.includes(secret), 'secret not shown again');
      assert.match(detail.body, /value="article.published" checked/);
      assert.match(detail.body, /value="article.deleted" checked/);
      assert.doesNotMatch(detail.body, /value="article.updated" checked/);
      const audit = await listAuditEntries(site.deps.db, { subjectType: 'webhook', subjectId: id });
      assert.ok(audit.some((e) => e.action === 'webhook.created' && e.actorUserId === admin.id));
      assert.ok(!JSON.stringify(audit).includes(secret), 'the audit log never holds the secret');

      const rotated = await postForm(c, `/newsroom/webhooks/${id}`, `/newsroom/webhooks/${id}/rotate`, {});
      assert.equal(rotated.statusCode, 200);
      const fresh = secretIn(rotated.body);
      assert.ok(fresh && fresh !== secret, 'a new secret, shown once');
      assert.ok(!(await c.get(`/newsroom/webhooks/${id}`)).body.includes(fresh));
      assert.ok(
        (await listAuditEntries(site.deps.db, { subjectType: 'webhook', subjectId: id })).some(
          (e) => e.action === 'webhook.secret_rotated',
        ),
      );
    });

    it('refuses bad input with 400 and a message naming the field, keeping what was typed; nothing is saved', async () => {
      const c = await signedInClient(site, admin, '203.0.113.64');
      const before = (await site.deps.db.selectFrom('webhooks').select('id').execute()).length;
      const cases: Array<[Record<string, string>, string[], RegExp]> = [
        [{ url: 'not a url' }, ['article.published'], /url: enter a full address/],
        [{ url: 'ftp://files.example.com/' }, ['article.published'], /url: use an http/],
        [{ url: 'http://127.0.0.1:9000/hook' }, ['article.published'], /url: 127\.0\.0\.1 is a local or private address/],
        [{ url: 'http://169.254.169.254/latest/meta-data' }, ['article.published'], /local or private address/],
        [{ url: 'https://hooks.example.com/x' }, [], /events: choose at least one event/],
        [{ url: 'https://hooks.example.com/x' }, ['article.exploded'], /events\.0: choose from/],
      ];
      for (const [fields, events, message] of cases) {
        const res = await postForm(c, '/newsroom/webhooks', '/newsroom/webhooks', fields, events);
        assert.equal(res.statusCode, 400, fields.url);
        assert.match(res.body, message);
        assert.ok(res.body.includes(`value="${fields.url}"`), 'the typed URL is kept');
      }
      assert.equal((await site.deps.db.selectFrom('webhooks').select('id').execute()).length, before);
    });

    it('refuses forms without the CSRF token or from another origin', async () => {
      const c = await signedInClient(site, admin, '203.0.113.65');
      const before = (await site.deps.db.selectFrom('webhooks').select('id').execute()).length;
      const missing = await c.request('POST', '/newsroom/webhooks', { url: 'https://hooks.example.com/csrf', events: 'article.published' });
      assert.equal(missing.statusCode, 403);
      const crossSite = await postForm(
        c,
        '/newsroom/webhooks',
        '/newsroom/webhooks',
        { url: 'https://hooks.example.com/csrf' },
        ['article.published'],
        { origin: 'https://evil.example' },
      );
      assert.equal(crossSite.statusCode, 403);
      assert.equal((await site.deps.db.selectFrom('webhooks').select('id').execute()).length, before);
    });

    it('edits events and disables; sends a test ping; shows the delivery log with status, attempts, answer and payload; retries; deletes', async () => {
      const receiver = await startTestReceiver();
      try {
        const c = await signedInClient(site, admin, '203.0.113.66');
        const created = await postForm(c, '/newsroom/webhooks', '/newsroom/webhooks', { url: 'https://hooks.example.com/log' }, [
          'article.published',
        ]);
        const secret = secretIn(created.body)!;
        const id = /href="\/newsroom\/webhooks\/([0-9a-f-]{36})"[^>]*>https:\/\/hooks.example.com\/log</.exec(created.body)![1]!;
        // Point it at the local receiver (as an intranet install would, with private addresses allowed).
        await site.deps.db.updateTable('webhooks').set({ url: receiver.url }).where('id', '=', id).execute();

        const pinged = await postForm(c, `/newsroom/webhooks/${id}`, `/newsroom/webhooks/${id}/ping`, {});
        assert.equal(pinged.statusCode, 303);
        assert.equal(pinged.headers.location, `/newsroom/webhooks/${id}?done=pinged`);
        receiver.respondWith(500);
        await deliverDue(site.deps, { allowPrivate: true, retrySchedule: [60_000], jitter: 0 });
        const log = await c.get(`/newsroom/webhooks/${id}?done=pinged`);
        assert.match(log.body, /test ping is queued/);
        assert.match(log.body, /webhook\.ping/);
        assert.match(log.body, /Waiting/);
        assert.match(log.body, /<td>500<br><span class="nr-hint">HTTP 500<\/span><\/td>/);
        const deliveryId = /\/deliveries\/([0-9a-f-]{36})"/.exec(log.body)![1]!;
        const one = await c.get(`/newsroom/webhooks/${id}/deliveries/${deliveryId}`);
        assert.equal(one.statusCode, 200);
        assert.match(one.body, /&quot;type&quot;: &quot;webhook.ping&quot;/, 'payload shown, escaped');
        assert.match(one.body, /receiver says 500/);

        const retried = await postForm(c, `/newsroom/webhooks/${id}`, `/newsroom/webhooks/${id}/deliveries/${deliveryId}/retry`, {});
        assert.equal(retried.statusCode, 303);
        await deliverDue(site.deps, { allowPrivate: true, retrySchedule: [60_000], jitter: 0 });
        const after = await c.get(`/newsroom/webhooks/${id}`);
        assert.match(after.body, /Delivered/);
        const last = receiver.received[receiver.received.length - 1]!;
        assert.ok(
          verifySignature(
            secret,
            { timestamp: last.headers['x-masthead-timestamp'] as string, signature: last.headers['x-masthead-signature'] as string },
            last.body,
          ),
        );

        const saved = await postForm(
          c,
          `/newsroom/webhooks/${id}`,
          `/newsroom/webhooks/${id}`,
          { url: 'https://hooks.example.com/log2', description: '' },
          ['article.updated', 'comment.posted'],
        );
        assert.equal(saved.statusCode, 303);
        const edited = await c.get(saved.headers.location as string);
        assert.match(edited.body, /has been saved/);
        assert.match(edited.body, /value="comment.posted" checked/);
        assert.doesNotMatch(edited.body, /value="article.published" checked/);
        assert.match(edited.body, /nr-badge--off">Disabled/, 'the enabled box was left unticked');
        assert.doesNotMatch(edited.body, /Send test ping/);
        assert.equal(
          (await postForm(c, `/newsroom/webhooks/${id}`, `/newsroom/webhooks/${id}/ping`, {})).statusCode,
          409,
          'no ping to a disabled hook',
        );

        const unconfirmed = await postForm(c, `/newsroom/webhooks/${id}`, `/newsroom/webhooks/${id}/delete`, {});
        assert.equal(unconfirmed.statusCode, 400);
        assert.match(unconfirmed.body, /confirm: tick the box/);
        const deleted = await postForm(c, `/newsroom/webhooks/${id}`, `/newsroom/webhooks/${id}/delete`, { confirm: '1' });
        assert.equal(deleted.statusCode, 303);
        assert.equal((await c.get(`/newsroom/webhooks/${id}`)).statusCode, 404);
        assert.equal((await site.deps.db.selectFrom('webhook_deliveries').select('id').where('webhook_id', '=', id).execute()).length, 0);
        const audit = await listAuditEntries(site.deps.db, { subjectType: 'webhook', subjectId: id });
        for (const action of ['webhook.ping_sent', 'webhook.delivery_retried', 'webhook.updated', 'webhook.deleted'])
          assert.ok(
            audit.some((e) => e.action === action),
            action,
          );
      } finally {
        await receiver.close();
      }
    });

    it('answers unknown hooks and deliveries with 404', async () => {
      const c = await signedInClient(site, admin, '203.0.113.67');
      assert.equal((await c.get('/newsroom/webhooks/not-an-id')).statusCode, 404);
      assert.equal((await c.get('/newsroom/webhooks/0190a000-0000-7000-8000-000000000000')).statusCode, 404);
      assert.equal(
        (await postForm(c, '/newsroom/webhooks', '/newsroom/webhooks/0190a000-0000-7000-8000-000000000000/delete', { confirm: '1' }))
          .statusCode,
        404,
      );
    });
  });
}
