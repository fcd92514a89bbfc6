import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { User } from '../domain/accounts/user.ts';
import { listAuditEntries } from '../domain/audit/audit-log.ts';
import { seedStaff } from '../../test/support/account-factories.ts';
import { csrfFrom, NewsroomClient, signedInClient } from '../../test/support/newsroom-client.ts';
import { testDialects } from '../../test/support/test-db.ts';
import { createTestSite, type TestSite } from '../../test/support/test-site.ts';

const secretIn = (body: string) => /id="token-secret"[^>]* value="(mh_[A-Za-z0-9_-]{43})"/.exec(body)?.[1];

for (const { dialect, skip } of await testDialects()) {
  describe(`${dialect}: newsroom API tokens page`, { skip }, () => {
    let site: TestSite;
    let admin: User;
    let editor: User;

    before(async () => {
      site = await createTestSite(dialect);
      ({ admin, editor } = await seedStaff(site.deps, { admin: ['admin', 'Ada Admin'], editor: ['editor', 'Ed Editor'] }));
    });
    after(() => site?.close());

    it('is for administrators only', async () => {
      const c = await signedInClient(site, editor, '203.0.113.40');
      assert.equal((await c.get('/newsroom/tokens')).statusCode, 403);
      const anonymous = new NewsroomClient(site, '203.0.113.41');
      assert.equal((await anonymous.get('/newsroom/tokens')).statusCode, 303);
    });

    it('creates a token and shows its secret once; the secret works on the Admin API; revoking stops it', async () => {
      const c = await signedInClient(site, admin, '203.0.113.42');
      const empty = await c.get('/newsroom/tokens');
      assert.equal(empty.statusCode, 200);
      assert.match(empty.body, /No tokens yet/);
      assert.match(empty.body, /aria-current="page">API tokens/);

      const created = await c.submit('/newsroom/tokens', '/newsroom/tokens', { name: 'Wire <importer>', role: 'author', expiresOn: '' });
      assert.equal(created.statusCode, 201);
      assert.equal(created.headers['cache-control'], 'no-store');
      const secret = secretIn(created.body);
      assert.ok(secret, 'secret shown');
      assert.match(created.body, /will not be shown again/);
      assert.match(created.body, /Wire &lt;importer&gt;/);

      const list = await c.get('/newsroom/tokens');
      assert.ok(!list.body.includes(secret), 'the list never shows the secret');
      assert.ok(list.body.includes(secret.slice(0, 9)), 'only its hint');
      assert.match(list.body, /Never/); // last used

      const api = await site.app.inject({ method: 'GET', url: '/api/v1/admin/articles', headers: { authorization: `Bearer ${secret}` } });
      assert.equal(api.statusCode, 200);
      assert.doesNotMatch((await c.get('/newsroom/tokens')).body, /<td>Never<\/td>/, 'last used is shown after use');

      const id = /action="\/newsroom\/tokens\/([0-9a-f-]{36})\/revoke"/.exec(list.body)![1]!;
      // Without the CSRF token the revoke is refused.
      const forged = await c.request('POST', `/newsroom/tokens/${id}/revoke`, { _csrf: 'forged' });
      assert.equal(forged.statusCode, 403);
      assert.equal(
        (await site.app.inject({ method: 'GET', url: '/api/v1/admin/articles', headers: { authorization: `Bearer ${secret}` } }))
          .statusCode,
        200,
      );

      const revoked = await c.submit('/newsroom/tokens', `/newsroom/tokens/${id}/revoke`, {});
      assert.equal(revoked.statusCode, 303);
      assert.equal(revoked.headers.location, '/newsroom/tokens?revoked=1');
      const after = await c.get('/newsroom/tokens?revoked=1');
      assert.match(after.body, /has been revoked/);
      assert.match(after.body, /Revoked<\/span>/);
      assert.equal(
        (await site.app.inject({ method: 'GET', url: '/api/v1/admin/articles', headers: { authorization: `Bearer ${secret}` } }))
          .statusCode,
        401,
      );

      const audit = await listAuditEntries(site.deps.db, { subjectType: 'api_token', subjectId: id });
      assert.deepEqual(
        audit.map((e) => [e.action, e.actorUserId]),
        [
          ['api_token.revoked', admin.id],
          ['api_token.created', admin.id],
        ],
      );
    });

    it('refuses bad input with the form filled in again', async () => {
      const c = await signedInClient(site, admin, '203.0.113.43');
      const noName = await c.submit('/newsroom/tokens', '/newsroom/tokens', { name: ' ', role: 'editor' });
      assert.equal(noName.statusCode, 400);
      assert.match(noName.body, /Give the token a name/);
      assert.equal(secretIn(noName.body), undefined);
      const badRole = await c.submit('/newsroom/tokens', '/newsroom/tokens', { name: 'X', role: 'owner' });
      assert.equal(badRole.statusCode, 400);
      assert.match(badRole.body, /Role must be one of/);
      const past = await c.submit('/newsroom/tokens', '/newsroom/tokens', { name: 'Old', role: 'author', expiresOn: '2001-01-01' });
      assert.equal(past.statusCode, 400);
      assert.match(past.body, /in the future/);
      assert.match(past.body, /value="Old"/);
      const csrf = csrfFrom(past.body);
      assert.ok(csrf);
    });
  });
}
