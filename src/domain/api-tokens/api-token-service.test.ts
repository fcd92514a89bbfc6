import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { seedUser } from '../../../test/support/account-factories.ts';
import { serviceDepsFor, type TestServiceDeps } from '../../../test/support/factories.ts';
import { createTestDatabase, testDialects, type TestDatabase } from '../../../test/support/test-db.ts';
import type { User } from '../accounts/user.ts';
import { setUserDisabled } from '../accounts/user-service.ts';
import { listAuditEntries } from '../audit/audit-log.ts';
import { DomainError } from '../errors.ts';
import { authenticateApiToken, createApiToken, listApiTokens, revokeApiToken } from './api-token-service.ts';

for (const { dialect, skip } of await testDialects()) {
  describe(`${dialect}: API tokens`, { skip }, () => {
    let testDb: TestDatabase;
    let deps: TestServiceDeps;
    let now = new Date('2026-11-25T12:00:00.000Z');
    let admin: User;
    let editor: User;

    before(async () => {
      testDb = await createTestDatabase(dialect);
      deps = serviceDepsFor(testDb.handle, { clock: () => now });
      admin = await seedUser(deps, 'admin');
      editor = await seedUser(deps, 'editor');
    });
    after(async () => {
      deps?.cleanup();
      await testDb?.destroy();
    });

    const asAdmin = () => ({ userId: admin.id, role: admin.role });

    it('returns the secret once and stores only its SHA-256 and a short hint', async () => {
      const { token, secret } = await createApiToken(deps, asAdmin(), { name: 'Mobile app', role: 'editor' });
      assert.match(secret, /^mh_[A-Za-z0-9_-]{43}$/);
      assert.equal(token.hint, secret.slice(0, 9));
      const rows = await deps.db.selectFrom('api_tokens').selectAll().execute();
      const dump = JSON.stringify(rows);
      assert.ok(!dump.includes(secret.slice(3)), 'the secret is nowhere in the table');
      assert.equal(rows.length, 1);
      assert.match(rows[0]!.token_hash, /^[0-9a-f]{64}$/);
      const principal = await authenticateApiToken(deps, secret);
      assert.deepEqual(principal, { tokenId: token.id, tokenName: 'Mobile app', actor: { userId: admin.id, role: 'editor' } });
      const audit = await listAuditEntries(deps.db, { subjectType: 'api_token', subjectId: token.id });
      assert.deepEqual(
        audit.map((e) => e.action),
        ['api_token.created'],
      );
      assert.ok(!JSON.stringify(audit).includes(secret));
    });

    it('is managed by administrators only, and a token never outranks its creator', async () => {
      const asEditor = { userId: editor.id, role: editor.role };
      await assert.rejects(
        createApiToken(deps, asEditor, { name: 'x', role: 'contributor' }),
        (e: unknown) => e instanceof DomainError && e.code === 'forbidden',
      );
      await assert.rejects(listApiTokens(deps, asEditor), (e: unknown) => e instanceof DomainError && e.code === 'forbidden');
      await assert.rejects(createApiToken(deps, asAdmin(), { name: '', role: 'editor' }), /Give the token a name/);
      await assert.rejects(createApiToken(deps, asAdmin(), { name: 'x', role: 'owner' as 'admin' }), /Role must be one of/);
      await assert.rejects(
        createApiToken(deps, asAdmin(), { name: 'x', role: 'author', expiresAt: '2020-01-01T00:00:00Z' }),
        /in the future/,
      );
    });

    it('stops working when revoked, expired, or when the creator is disabled; role follows a demotion', async () => {
      const revoked = await createApiToken(deps, asAdmin(), { name: 'Revoked', role: 'author' });
      const revokedToken = await revokeApiToken(deps, asAdmin(), revoked.token.id);
      assert.ok(revokedToken.revokedAt);
      assert.equal(await authenticateApiToken(deps, revoked.secret), null);
      const audit = await listAuditEntries(deps.db, { subjectType: 'api_token', subjectId: revoked.token.id });
      assert.deepEqual(
        audit.map((e) => e.action),
        ['api_token.revoked', 'api_token.created'],
      );

      const expiring = await createApiToken(deps, asAdmin(), { name: 'Short', role: 'author', expiresAt: '2026-11-25T13:00:00Z' });
      assert.ok(await authenticateApiToken(deps, expiring.secret));
      now = new Date('2026-11-25T13:00:01.000Z');
      assert.equal(await authenticateApiToken(deps, expiring.secret), null);

      const other = await seedUser(deps, 'admin');
      const made = await createApiToken(deps, { userId: other.id, role: 'admin' }, { name: 'Theirs', role: 'admin' });
      await deps.db.updateTable('users').set({ role: 'author' }).where('id', '=', other.id).execute();
      assert.equal((await authenticateApiToken(deps, made.secret))?.actor.role, 'author');
      await setUserDisabled(deps, asAdmin(), other.id, true);
      assert.equal(await authenticateApiToken(deps, made.secret), null);

      assert.equal(await authenticateApiToken(deps, 'mh_not-a-real-token'), null);
      assert.equal(await authenticateApiToken(deps, `mh_${'A'.repeat(43)}`), null);
    });

    it('records when a token was last used, at most once a minute', async () => {
      const { token, secret } = await createApiToken(deps, asAdmin(), { name: 'Usage', role: 'contributor' });
      assert.equal(token.lastUsedAt, null);
      await authenticateApiToken(deps, secret);
      const first = (await listApiTokens(deps, asAdmin())).find((t) => t.id === token.id)!.lastUsedAt;
      assert.equal(first, now.toISOString());
      now = new Date(now.getTime() + 30_000);
      await authenticateApiToken(deps, secret);
      assert.equal((await listApiTokens(deps, asAdmin())).find((t) => t.id === token.id)!.lastUsedAt, first);
      now = new Date(now.getTime() + 60_000);
      await authenticateApiToken(deps, secret);
      assert.equal((await listApiTokens(deps, asAdmin())).find((t) => t.id === token.id)!.lastUsedAt, now.toISOString());
    });
  });
}
