import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildUserInput, seedUser, TEST_PASSWORD } from '../../../test/support/account-factories.ts';
import { FIXED_NOW } from '../../../test/support/factories.ts';
import { createTestDatabase, testDialects, type TestDatabase } from '../../../test/support/test-db.ts';
import { listAuditEntries } from '../audit/audit-log.ts';
import { ConflictError, DomainError, ForbiddenError, ValidationError } from '../errors.ts';
import { hashPassword } from './password-hash.ts';
import { csrfTokenFor } from '../sessions/session-service.ts';
import { createSession, endSession, resolveSession, SESSION_TOUCH_INTERVAL_MS, SESSION_TTL_MS, USER_SESSIONS } from './user-sessions.ts';
import { authenticate, changePassword, createUser, listUsers, setUserDisabled } from './user-service.ts';

for (const { dialect, skip } of await testDialects()) {
  describe(`${dialect}: accounts`, { skip }, () => {
    let t: TestDatabase;
    let now = FIXED_NOW;
    const deps = () => ({ db: t.handle.db, clock: () => now });

    before(async () => {
      t = await createTestDatabase(dialect);
    });
    after(() => t?.destroy());

    describe('creating users', () => {
      it('lower-cases and trims the email, never returns or stores the password in clear', async () => {
        const user = await createUser(
          deps(),
          buildUserInput({ email: '  Jane.Doe@Example.COM ', name: ' Jane Doe ', role: 'editor' }),
          null,
        );
        assert.equal(user.email, 'jane.doe@example.com');
        assert.equal(user.name, 'Jane Doe');
        assert.equal(user.role, 'editor');
        assert.equal(user.disabled, false);
        assert.ok(!('passwordHash' in user));
        const row = await t.handle.db.selectFrom('users').selectAll().where('id', '=', user.id).executeTakeFirstOrThrow();
        assert.match(row.password_hash, /^scrypt\$/);
        const audit = await listAuditEntries(t.handle.db, { subjectType: 'user', subjectId: user.id });
        assert.equal(audit[0]?.action, 'user.created');
        assert.equal(audit[0]?.actorUserId, null);
        assert.ok(!JSON.stringify(audit).includes(TEST_PASSWORD));
      });

      it('refuses a duplicate email whatever its case', async () => {
        await createUser(deps(), buildUserInput({ email: 'dup@example.test' }), null);
        await assert.rejects(createUser(deps(), buildUserInput({ email: 'DUP@example.test' }), null), ConflictError);
      });

      it('explains bad input in plain sentences', async () => {
        await assert.rejects(createUser(deps(), buildUserInput({ password: 'short' }), null), (err: unknown) => {
          assert.ok(err instanceof ValidationError);
          assert.equal(err.message, 'Password must be at least 12 characters long.');
          return true;
        });
        await assert.rejects(createUser(deps(), buildUserInput({ email: 'nope' }), null), /valid email address/);
        await assert.rejects(
          createUser(deps(), buildUserInput({ role: 'owner' as never }), null),
          /Role must be one of: contributor, author, editor, admin\./,
        );
        await assert.rejects(createUser(deps(), buildUserInput({ name: '   ' }), null), /Enter a name\./);
      });

      it('only an admin may create users from the newsroom', async () => {
        const editor = await seedUser(deps(), 'editor');
        await assert.rejects(createUser(deps(), buildUserInput(), { userId: editor.id, role: 'editor' }), ForbiddenError);
        const admin = await seedUser(deps(), 'admin');
        const created = await createUser(deps(), buildUserInput(), { userId: admin.id, role: 'admin' });
        const audit = await listAuditEntries(t.handle.db, { subjectType: 'user', subjectId: created.id });
        assert.equal(audit[0]?.actorUserId, admin.id);
      });
    });

    describe('authenticating', () => {
      it('accepts the right password (any email case) and records the login', async () => {
        const user = await seedUser(deps(), 'author', { email: 'login@example.test' });
        const result = await authenticate(deps(), { email: ' LOGIN@example.test', password: TEST_PASSWORD }, { ip: '192.0.2.1' });
        assert.ok(result.ok);
        assert.equal(result.user.id, user.id);
        assert.equal(result.user.lastLoginAt, now.toISOString());
        const audit = await listAuditEntries(t.handle.db, { subjectType: 'user', subjectId: user.id });
        assert.equal(audit[0]?.action, 'auth.login');
      });

      it('refuses wrong passwords and unknown emails alike, and records the failures', async () => {
        const user = await seedUser(deps(), 'author');
        assert.deepEqual(await authenticate(deps(), { email: user.email, password: 'wrong password!' }), {
          ok: false,
          reason: 'invalid_credentials',
        });
        assert.deepEqual(await authenticate(deps(), { email: 'nobody@example.test', password: TEST_PASSWORD }), {
          ok: false,
          reason: 'invalid_credentials',
        });
        assert.deepEqual(await authenticate(deps(), { email: 'not an email', password: '' }), { ok: false, reason: 'invalid_credentials' });
        const failed = await listAuditEntries(t.handle.db, { subjectType: 'user', subjectId: user.id });
        assert.equal(failed[0]?.action, 'auth.login_failed');
        assert.equal(failed[0]?.details.reason, 'wrong_password');
        const unknown = await listAuditEntries(t.handle.db, { subjectType: 'email', subjectId: 'nobody@example.test' });
        assert.equal(unknown[0]?.details.reason, 'unknown_email');
      });

      it('upgrades a hash made with old parameters on a successful login', async () => {
        const user = await seedUser(deps(), 'author');
        const weak = await hashPassword(TEST_PASSWORD, { N: 2 ** 10, r: 8, p: 1 });
        await t.handle.db.updateTable('users').set({ password_hash: weak }).where('id', '=', user.id).execute();
        assert.ok((await authenticate(deps(), { email: user.email, password: TEST_PASSWORD })).ok);
        const row = await t.handle.db.selectFrom('users').select('password_hash').where('id', '=', user.id).executeTakeFirstOrThrow();
        assert.match(row.password_hash, /^scrypt\$N=32768,r=8,p=1\$/);
        assert.ok((await authenticate(deps(), { email: user.email, password: TEST_PASSWORD })).ok, 'the new hash verifies');
      });
    });

    describe('sessions', () => {
      it('stores only the SHA-256 of the token and resolves the user with a per-session CSRF token', async () => {
        const user = await seedUser(deps(), 'editor');
        const { token, sessionId } = await createSession(deps(), { userId: user.id, userAgent: 'Test/1.0', ip: '192.0.2.7' });
        assert.match(token, /^[A-Za-z0-9_-]{43}$/, '32 random bytes, base64url');
        const row = await t.handle.db.selectFrom('sessions').selectAll().where('user_id', '=', user.id).executeTakeFirstOrThrow();
        assert.equal(row.id, sessionId);
        assert.notEqual(row.id, token);
        assert.match(row.id, /^[0-9a-f]{64}$/);
        assert.equal(row.expires_at, new Date(now.getTime() + SESSION_TTL_MS).toISOString());
        const s = await resolveSession(deps(), token);
        assert.equal(s?.user.id, user.id);
        assert.equal(s?.csrfToken, csrfTokenFor(USER_SESSIONS, token));
        assert.equal(await resolveSession(deps(), token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A')), null);
        assert.equal(await resolveSession(deps(), 'garbage'), null);
        assert.equal(await resolveSession(deps(), undefined), null);
      });

      it('slides the 14-day expiry with use and expires after 14 idle days', async () => {
        const user = await seedUser(deps(), 'editor');
        const start = now;
        const { token } = await createSession(deps(), { userId: user.id });
        try {
          now = new Date(start.getTime() + SESSION_TOUCH_INTERVAL_MS - 1);
          assert.equal((await resolveSession(deps(), token))?.renewed, false, 'no write on every request');
          now = new Date(start.getTime() + 10 * 24 * 3600_000);
          const renewed = await resolveSession(deps(), token);
          assert.equal(renewed?.renewed, true);
          assert.equal(renewed?.expiresAt.toISOString(), new Date(now.getTime() + SESSION_TTL_MS).toISOString());
          now = new Date(now.getTime() + SESSION_TTL_MS - 1000);
          assert.ok(await resolveSession(deps(), token), 'still alive 20 days after creation thanks to use');
          now = new Date(now.getTime() + SESSION_TTL_MS + 1000);
          assert.equal(await resolveSession(deps(), token), null, 'idle for more than 14 days');
          const left = await t.handle.db.selectFrom('sessions').select('id').where('user_id', '=', user.id).execute();
          assert.equal(left.length, 0, 'the expired row is removed');
        } finally {
          now = FIXED_NOW;
        }
      });

      it('ends a session on logout', async () => {
        const user = await seedUser(deps(), 'author');
        const { token } = await createSession(deps(), { userId: user.id });
        await endSession(deps(), token);
        assert.equal(await resolveSession(deps(), token), null);
        const audit = await listAuditEntries(t.handle.db, { subjectType: 'user', subjectId: user.id });
        assert.equal(audit[0]?.action, 'auth.logout');
      });
    });

    describe('changing passwords', () => {
      it('requires the current password, ends other sessions and keeps this one', async () => {
        const user = await seedUser(deps(), 'author');
        const actor = { userId: user.id, role: user.role };
        const mine = await createSession(deps(), { userId: user.id });
        const other = await createSession(deps(), { userId: user.id });
        await assert.rejects(
          changePassword(deps(), actor, { currentPassword: 'not my password', newPassword: 'another good passphrase' }),
          /current password is incorrect/,
        );
        await assert.rejects(
          changePassword(deps(), actor, { currentPassword: TEST_PASSWORD, newPassword: 'short' }),
          /at least 12 characters/,
        );
        await assert.rejects(
          changePassword(deps(), actor, { currentPassword: TEST_PASSWORD, newPassword: TEST_PASSWORD }),
          /must be different/,
        );
        await changePassword(
          deps(),
          actor,
          { currentPassword: TEST_PASSWORD, newPassword: 'another good passphrase' },
          { keepSessionId: mine.sessionId },
        );
        assert.ok(await resolveSession(deps(), mine.token));
        assert.equal(await resolveSession(deps(), other.token), null);
        assert.equal((await authenticate(deps(), { email: user.email, password: TEST_PASSWORD })).ok, false);
        assert.equal((await authenticate(deps(), { email: user.email, password: 'another good passphrase' })).ok, true);
        const audit = await listAuditEntries(t.handle.db, { subjectType: 'user', subjectId: user.id, limit: 5 });
        assert.ok(audit.some((e) => e.action === 'user.password_changed' && e.details.otherSessionsEnded === 1));
      });
    });

    describe('disabling users', () => {
      it('an admin disables a user: their sessions stop at once and they cannot sign in; enabling restores sign-in', async () => {
        const admin = await seedUser(deps(), 'admin');
        const user = await seedUser(deps(), 'contributor');
        const { token } = await createSession(deps(), { userId: user.id });
        const disabled = await setUserDisabled(deps(), { userId: admin.id, role: 'admin' }, user.id, true);
        assert.equal(disabled.disabled, true);
        assert.equal(await resolveSession(deps(), token), null);
        assert.deepEqual(await authenticate(deps(), { email: user.email, password: TEST_PASSWORD }), { ok: false, reason: 'disabled' });
        await setUserDisabled(deps(), { userId: admin.id, role: 'admin' }, user.id, false);
        assert.equal((await authenticate(deps(), { email: user.email, password: TEST_PASSWORD })).ok, true);
        const actions = (await listAuditEntries(t.handle.db, { subjectType: 'user', subjectId: user.id })).map((e) => e.action);
        assert.ok(actions.includes('user.disabled') && actions.includes('user.enabled'));
      });

      it("a disabled flag stops a session even if it was set behind the service's back", async () => {
        const user = await seedUser(deps(), 'contributor');
        const { token } = await createSession(deps(), { userId: user.id });
        await t.handle.db.updateTable('users').set({ disabled: 1 }).where('id', '=', user.id).execute();
        assert.equal(await resolveSession(deps(), token), null);
      });

      it('only admins may disable, nobody may disable themselves, unknown ids are not found', async () => {
        const admin = await seedUser(deps(), 'admin');
        const editor = await seedUser(deps(), 'editor');
        await assert.rejects(setUserDisabled(deps(), { userId: editor.id, role: 'editor' }, admin.id, true), ForbiddenError);
        await assert.rejects(
          setUserDisabled(deps(), { userId: admin.id, role: 'admin' }, admin.id, true),
          /cannot disable your own account/,
        );
        await assert.rejects(
          setUserDisabled(deps(), { userId: admin.id, role: 'admin' }, '0190a000-0000-7000-8000-000000000000', true),
          (e: unknown) => e instanceof DomainError && e.code === 'not_found',
        );
        await assert.rejects(listUsers(deps(), { userId: editor.id, role: 'editor' }), ForbiddenError);
        const all = await listUsers(deps(), { userId: admin.id, role: 'admin' });
        assert.ok(all.some((u) => u.id === editor.id));
      });
    });
  });
}
