import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FIXED_NOW } from '../../../test/support/factories.ts';
import { createTestDatabase, testDialects, type TestDatabase } from '../../../test/support/test-db.ts';
import { createDemoAdminIfNoUsers, DEMO_ADMIN_EMAIL, demoAdminNotice } from './demo-admin.ts';
import { authenticate } from './user-service.ts';

for (const { dialect, skip } of await testDialects()) {
  describe(`${dialect}: demo administrator`, { skip }, () => {
    let t: TestDatabase;
    before(async () => {
      t = await createTestDatabase(dialect);
    });
    after(() => t?.destroy());

    it('is created once, with a random password that signs in, and printed with the login address', async () => {
      const deps = { db: t.handle.db, clock: () => FIXED_NOW };
      const login = await createDemoAdminIfNoUsers(deps);
      assert.ok(login);
      assert.equal(login.email, DEMO_ADMIN_EMAIL);
      assert.ok(login.password.length >= 20);
      const result = await authenticate(deps, login);
      assert.ok(result.ok && result.user.role === 'admin');
      assert.equal(await createDemoAdminIfNoUsers(deps), null, 'never a second time');
      const notice = demoAdminNotice(login, 'http://127.0.0.1:3000');
      assert.ok(notice.includes('http://127.0.0.1:3000/newsroom/login') && notice.includes(login.password));
    });

    it('passwords differ between installs', async () => {
      const other = await createTestDatabase(dialect);
      try {
        const login = await createDemoAdminIfNoUsers({ db: other.handle.db, clock: () => FIXED_NOW });
        const first = await t.handle.db.selectFrom('users').select('password_hash').executeTakeFirstOrThrow();
        assert.ok(
          login && !(await authenticate({ db: t.handle.db, clock: () => FIXED_NOW }, login)).ok,
          "one install's password does not open another",
        );
        assert.ok(first.password_hash);
      } finally {
        await other.destroy();
      }
    });
  });
}
