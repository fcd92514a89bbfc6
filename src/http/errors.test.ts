import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestDatabase, testDialects, type TestDatabase } from '../../test/support/test-db.ts';
import { NotFoundError } from '../domain/errors.ts';
import { isUniqueViolation, publicMessage, statusFor } from './errors.ts';

/*
 * Two people saving the same slug at the same instant get past the services' own checks and
 * hit the unique index: that must be a 409 with our words, not a 500 or the database's text.
 * The errors here are real ones from each database driver.
 */

for (const { dialect, skip } of await testDialects()) {
  describe(`${dialect}: error mapping`, { skip }, () => {
    let db: TestDatabase;
    before(async () => {
      db = await createTestDatabase(dialect);
    });
    after(() => db?.destroy());

    it('maps a unique-index violation to 409 with a message that names no table or value', async () => {
      const row = { id: '00000000-0000-7000-8000-00000000000a', slug: 'world', name: 'World', description: '', position: 1, created_at: '2026-11-25T00:00:00.000Z' };
      await db.handle.db.insertInto('sections').values(row).execute();
      const err = await db.handle.db
        .insertInto('sections')
        .values({ ...row, id: '00000000-0000-7000-8000-00000000000b' })
        .execute()
        .then(() => null, (e: unknown) => e);
      assert.ok(err, 'the duplicate slug was refused by the database');
      assert.equal(isUniqueViolation(err), true);
      assert.equal(statusFor(err), 409);
      const message = publicMessage(err, 409);
      assert.match(message, /Reload the page and try again/);
      assert.doesNotMatch(message, /sections|slug|constraint|world/i);
    });
  });
}

describe('error mapping without a database', () => {
  it('keeps domain errors, hides unknown ones', () => {
    assert.equal(statusFor(new NotFoundError('No such story.')), 404);
    assert.equal(statusFor(new Error('boom')), 500);
    assert.equal(publicMessage(new Error('SELECT * FROM secrets'), 500), 'Something went wrong on our side. Please try again.');
    assert.equal(isUniqueViolation(null), false);
    assert.equal(isUniqueViolation({ code: 'SQLITE_CONSTRAINT_FOREIGNKEY' }), false);
  });
});
