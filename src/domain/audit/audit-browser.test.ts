import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestDatabase, testDialects, type TestDatabase } from '../../../test/support/test-db.ts';
import type { ServiceDeps } from '../deps.ts';
import { ValidationError } from '../errors.ts';
import { AUDIT_ACTION_GROUPS, AUDIT_SUBJECT_TYPES, browseAudit } from './audit-browser.ts';
import { recordAuditEvent } from './audit-log.ts';
import { createDeferredWork } from '../changes/deferred-work.ts';

/*
 * The audit log's filter menu offers every kind of entry the app writes: each group and
 * action it lists is a valid filter and finds its entries, and so does each subject type.
 */

const editor = { userId: '00000000-0000-7000-8000-000000000001', role: 'editor' as const };

for (const { dialect, skip } of await testDialects()) {
  describe(`${dialect}: audit log browsing`, { skip }, () => {
    let db: TestDatabase;
    let deps: ServiceDeps;

    before(async () => {
      db = await createTestDatabase(dialect);
      deps = {
        db: db.handle.db,
        dialect,
        clock: () => new Date(),
        mediaStore: undefined as never,
        deferredWork: createDeferredWork({ log: () => console }),
      };
      let i = 0;
      for (const group of AUDIT_ACTION_GROUPS) {
        for (const action of group.actions.length ? group.actions : [`${group.prefix}example`]) {
          i += 1;
          await recordAuditEvent(deps.db, {
            at: new Date(Date.UTC(2026, 10, 25, 10, 0, i)),
            actorUserId: null,
            action,
            subjectType: 'thing',
            subjectId: `s${i}`,
          });
        }
      }
      for (const [n, type] of AUDIT_SUBJECT_TYPES.entries()) {
        await recordAuditEvent(deps.db, {
          at: new Date(Date.UTC(2026, 10, 25, 11, 0, n)),
          actorUserId: null,
          action: 'test.subject',
          subjectType: type,
          subjectId: `x${n}`,
        });
      }
    });
    after(() => db?.destroy());

    it('every group and action in the menu is a valid filter that finds exactly its entries', async () => {
      for (const group of AUDIT_ACTION_GROUPS) {
        const all = await browseAudit(deps, editor, { action: group.prefix });
        assert.ok(all.entries.length >= Math.max(1, group.actions.length), `${group.label}: ${all.entries.length} entries`);
        assert.ok(
          all.entries.every((e) => e.action.startsWith(group.prefix)),
          `${group.label} finds only its own`,
        );
        for (const action of group.actions) {
          const one = await browseAudit(deps, editor, { action });
          assert.deepEqual(
            one.entries.map((e) => e.action),
            [action],
          );
        }
      }
    });

    it('every subject type in the menu is accepted and finds its entries; others are a clear 400', async () => {
      for (const type of AUDIT_SUBJECT_TYPES) {
        const page = await browseAudit(deps, editor, { subjectType: type });
        assert.deepEqual(
          page.entries.map((e) => e.subjectType),
          [type],
        );
      }
      await assert.rejects(
        browseAudit(deps, editor, { subjectType: 'spaceship' }),
        (err: unknown) => err instanceof ValidationError && /subjectType/.test(err.message),
      );
    });
  });
}
