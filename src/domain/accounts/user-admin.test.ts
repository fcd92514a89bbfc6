import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { seedUser } from '../../../test/support/account-factories.ts';
import { FIXED_NOW } from '../../../test/support/factories.ts';
import { createTestDatabase, testDialects, type TestDatabase } from '../../../test/support/test-db.ts';
import { listAuditEntries } from '../audit/audit-log.ts';
import { ConflictError, ForbiddenError, ValidationError } from '../errors.ts';
import { createSession, resolveSession } from './user-sessions.ts';
import { changeUserRole, createUserWithTemporaryPassword, generateTemporaryPassword, resetUserPassword } from './user-admin.ts';
import { authenticate, changePassword, createUser, setUserDisabled } from './user-service.ts';

for (const { dialect, skip } of await testDialects()) {
  describe(`${dialect}: user administration`, { skip }, () => {
    let t: TestDatabase;
    const deps = () => ({ db: t.handle.db, clock: () => FIXED_NOW });
    const asActor = (u: { id: string; role: 'admin' | 'editor' | 'author' | 'contributor' }) => ({ userId: u.id, role: u.role });

    before(async () => {
      t = await createTestDatabase(dialect);
    });
    after(() => t?.destroy());

    it('generates distinct 20-character base64url temporary passwords', () => {
      const seen = new Set(Array.from({ length: 50 }, generateTemporaryPassword));
      assert.equal(seen.size, 50);
      for (const p of seen) assert.match(p, /^[A-Za-z0-9_-]{20}$/);
    });

    it('an admin creates a user with a temporary password: only its hash is stored, never in the audit log; first sign-in must change it', async () => {
      const admin = await seedUser(deps(), 'admin');
      const { user, temporaryPassword } = await createUserWithTemporaryPassword(deps(), asActor(admin), {
        email: ' New.Reporter@Example.TEST ',
        name: 'New Reporter',
        role: 'author',
      });
      assert.equal(user.email, 'new.reporter@example.test');
      assert.equal(user.role, 'author');
      assert.equal(user.mustChangePassword, true);
      const row = await t.handle.db.selectFrom('users').selectAll().where('id', '=', user.id).executeTakeFirstOrThrow();
      assert.match(row.password_hash, /^scrypt\$/);
      assert.ok(!JSON.stringify(row).includes(temporaryPassword));
      assert.equal(Number(row.must_change_password), 1);
      const audit = await listAuditEntries(t.handle.db, { subjectType: 'user', subjectId: user.id });
      const created = audit.find((e) => e.action === 'user.created');
      assert.equal(created?.actorUserId, admin.id);
      assert.equal(created?.details.temporaryPassword, true);
      assert.ok(!JSON.stringify(audit).includes(temporaryPassword));

      const signIn = await authenticate(deps(), { email: user.email, password: temporaryPassword });
      assert.ok(signIn.ok && signIn.user.mustChangePassword);
      await changePassword(deps(), asActor(user), { currentPassword: temporaryPassword, newPassword: 'my own long passphrase' });
      const after = await authenticate(deps(), { email: user.email, password: 'my own long passphrase' });
      assert.ok(after.ok && !after.user.mustChangePassword);
    });

    it('refuses a duplicate email with a ConflictError and bad input with a ValidationError naming the problem', async () => {
      const admin = await seedUser(deps(), 'admin');
      const existing = await seedUser(deps(), 'contributor');
      await assert.rejects(
        createUserWithTemporaryPassword(deps(), asActor(admin), { email: existing.email.toUpperCase(), name: 'Twin', role: 'author' }),
        (e: unknown) => e instanceof ConflictError && /already exists/.test(e.message),
      );
      await assert.rejects(
        createUserWithTemporaryPassword(deps(), asActor(admin), { email: 'nope', name: '', role: 'boss' }),
        (e: unknown) =>
          e instanceof ValidationError &&
          /valid email/.test(e.message) &&
          /Enter a name/.test(e.message) &&
          /Role must be one of/.test(e.message),
      );
    });

    it('the command line still sets a real password without forcing a change', async () => {
      const user = await createUser(
        deps(),
        { email: 'cli@example.test', name: 'Cli', role: 'editor', password: 'a real chosen passphrase' },
        null,
      );
      assert.equal(user.mustChangePassword, false);
    });

    it('only admins may create, change roles or reset passwords', async () => {
      const editor = await seedUser(deps(), 'editor');
      const other = await seedUser(deps(), 'contributor');
      await assert.rejects(
        createUserWithTemporaryPassword(deps(), asActor(editor), { email: 'x@example.test', name: 'X', role: 'admin' }),
        ForbiddenError,
      );
      await assert.rejects(changeUserRole(deps(), asActor(editor), other.id, 'editor'), ForbiddenError);
      await assert.rejects(resetUserPassword(deps(), asActor(editor), other.id), ForbiddenError);
    });

    it('changes a role (audited), takes effect on the next session lookup; nobody changes their own role', async () => {
      const admin = await seedUser(deps(), 'admin');
      const user = await seedUser(deps(), 'contributor');
      const { token } = await createSession(deps(), { userId: user.id });
      assert.equal((await resolveSession(deps(), token))?.user.role, 'contributor');
      const changed = await changeUserRole(deps(), asActor(admin), user.id, 'editor');
      assert.equal(changed.role, 'editor');
      assert.equal((await resolveSession(deps(), token))?.user.role, 'editor');
      const audit = await listAuditEntries(t.handle.db, { subjectType: 'user', subjectId: user.id, action: 'user.role_changed' });
      assert.deepEqual(audit[0]?.details, { from: 'contributor', to: 'editor' });
      assert.equal(audit[0]?.actorUserId, admin.id);
      await assert.rejects(changeUserRole(deps(), asActor(admin), admin.id, 'editor'), /cannot change your own role/);
      await assert.rejects(changeUserRole(deps(), asActor(admin), user.id, 'overlord'), ValidationError);
      await assert.rejects(changeUserRole(deps(), asActor(admin), '0190a000-0000-7000-8000-000000000000', 'author'), /No such user/);
    });

    it('refuses to demote the last enabled administrator, even for an admin acting on a stale role', async () => {
      const fresh = await createTestDatabase(dialect);
      try {
        const d = { db: fresh.handle.db, clock: () => FIXED_NOW };
        const a = await seedUser(d, 'admin', { name: 'Admin A' });
        const b = await seedUser(d, 'admin', { name: 'Admin B' });
        await changeUserRole(d, asActor(a), b.id, 'editor');
        // B's request was already past the access check as an admin when A demoted B.
        await assert.rejects(
          changeUserRole(d, asActor(b), a.id, 'editor'),
          (e: unknown) => e instanceof ConflictError && /last enabled administrator/.test(e.message),
        );
        const roles = await fresh.handle.db.selectFrom('users').select('role').where('role', '=', 'admin').execute();
        assert.equal(roles.length, 1);
      } finally {
        await fresh.destroy();
      }
    });

    it('two admins demoting each other at the same moment leave one administrator', async () => {
      const fresh = await createTestDatabase(dialect);
      try {
        const d = { db: fresh.handle.db, clock: () => FIXED_NOW };
        const a = await seedUser(d, 'admin');
        const b = await seedUser(d, 'admin');
        const results = await Promise.allSettled([
          changeUserRole(d, asActor(a), b.id, 'author'),
          changeUserRole(d, asActor(b), a.id, 'author'),
        ]);
        assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
        const admins = await fresh.handle.db
          .selectFrom('users')
          .select('id')
          .where('role', '=', 'admin')
          .where('disabled', '=', 0)
          .execute();
        assert.equal(admins.length, 1);
      } finally {
        await fresh.destroy();
      }
    });

    it('two admins disabling each other at the same moment leave one enabled administrator', async () => {
      const fresh = await createTestDatabase(dialect);
      try {
        const d = { db: fresh.handle.db, clock: () => FIXED_NOW };
        const a = await seedUser(d, 'admin');
        const b = await seedUser(d, 'admin');
        const results = await Promise.allSettled([setUserDisabled(d, asActor(a), b.id, true), setUserDisabled(d, asActor(b), a.id, true)]);
        assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
        const refused = results.find((r) => r.status === 'rejected');
        assert.ok(refused?.status === 'rejected' && refused.reason instanceof ConflictError);
        const admins = await fresh.handle.db
          .selectFrom('users')
          .select('id')
          .where('role', '=', 'admin')
          .where('disabled', '=', 0)
          .execute();
        assert.equal(admins.length, 1);
      } finally {
        await fresh.destroy();
      }
    });

    it('resets a password: new temporary password, old one and every session stop working, audited without the password', async () => {
      const admin = await seedUser(deps(), 'admin');
      const user = await seedUser(deps(), 'author');
      const s1 = await createSession(deps(), { userId: user.id });
      const s2 = await createSession(deps(), { userId: user.id });
      const { temporaryPassword, user: reset } = await resetUserPassword(deps(), asActor(admin), user.id);
      assert.equal(reset.mustChangePassword, true);
      assert.equal(await resolveSession(deps(), s1.token), null);
      assert.equal(await resolveSession(deps(), s2.token), null);
      assert.equal((await authenticate(deps(), { email: user.email, password: 'correct horse battery staple' })).ok, false);
      const signIn = await authenticate(deps(), { email: user.email, password: temporaryPassword });
      assert.ok(signIn.ok && signIn.user.mustChangePassword);
      const audit = await listAuditEntries(t.handle.db, { subjectType: 'user', subjectId: user.id, action: 'user.password_reset' });
      assert.equal(audit[0]?.details.sessionsEnded, 2);
      assert.ok(!JSON.stringify(audit).includes(temporaryPassword));
      await assert.rejects(resetUserPassword(deps(), asActor(admin), admin.id), /your own password/);
    });
  });
}
