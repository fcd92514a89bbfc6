import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { seedUser } from '../../test/support/account-factories.ts';
import { FIXED_NOW } from '../../test/support/factories.ts';
import { createTestDatabase, testDialects, type TestDatabase } from '../../test/support/test-db.ts';
import { createSession, SESSION_TTL_MS } from '../domain/accounts/user-sessions.ts';
import { signUpReader } from '../domain/readers/reader-service.ts';
import { createReaderSession, READER_SESSION_TTL_MS } from '../domain/readers/reader-sessions.ts';
import { createSessionSweeper } from './session-sweeper.ts';

for (const { dialect, skip } of await testDialects()) {
  describe(`${dialect}: expired sessions are swept`, { skip }, () => {
    let t: TestDatabase;
    let now = FIXED_NOW;
    const deps = () => ({ db: t.handle.db, clock: () => now });
    before(async () => {
      t = await createTestDatabase(dialect);
    });
    after(() => t?.destroy());

    it('deletes expired newsroom and reader sessions nobody came back to, and keeps live ones', async () => {
      const user = await seedUser(deps(), 'author');
      const { reader } = await signUpReader(
        deps(),
        { displayName: 'Rita Reader', email: 'rita@example.test', password: 'reader password 123' },
        { siteUrl: 'https://news.example.test', siteName: 'News' },
      );
      now = new Date(FIXED_NOW.getTime() - SESSION_TTL_MS - 1000);
      const oldUser = await createSession(deps(), { userId: user.id });
      now = new Date(FIXED_NOW.getTime() - READER_SESSION_TTL_MS - 1000);
      const oldReader = await createReaderSession(deps(), reader.id);
      now = FIXED_NOW;
      const liveUser = await createSession(deps(), { userId: user.id });
      const liveReader = await createReaderSession(deps(), reader.id);

      const sweeper = createSessionSweeper(deps());
      await sweeper.start();
      await sweeper.stop();

      const userRows = await t.handle.db.selectFrom('sessions').select('id').where('user_id', '=', user.id).execute();
      assert.deepEqual(
        userRows.map((r) => r.id),
        [liveUser.sessionId],
        `expired ${oldUser.sessionId} removed, live kept`,
      );
      const readerRows = await t.handle.db.selectFrom('reader_sessions').select('id').where('reader_id', '=', reader.id).execute();
      assert.deepEqual(
        readerRows.map((r) => r.id),
        [liveReader.sessionId],
        `expired ${oldReader.sessionId} removed, live kept`,
      );
      assert.equal(await sweeper.sweep(), 0, 'nothing left to sweep');
    });
  });
}
