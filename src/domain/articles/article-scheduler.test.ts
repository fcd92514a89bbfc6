import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import {
  FIXED_NOW,
  buildArticleInput,
  seedTaxonomy,
  serviceDepsFor,
  type Taxonomy,
  type TestServiceDeps,
} from '../../../test/support/factories.ts';
import { POSTGRES_ADMIN_URL, createTestDatabase, testDialects, type TestDatabase } from '../../../test/support/test-db.ts';
import { openDatabase, type DatabaseHandle, type DialectName } from '../../db/database.ts';
import { createScheduler } from '../../jobs/scheduler.ts';
import type { Actor } from '../accounts/role.ts';
import { getArticlePage } from '../published/article-page.ts';
import { findArticleById } from './article-repository.ts';
import { listRevisions } from './article-revisions.ts';
import { listJobs, publishDue } from './article-scheduler.ts';
import { createArticle, updateArticle } from './article-service.ts';
import { runWorkflowAction } from './article-workflow-service.ts';

const contributor: Actor = { userId: 'u-contributor', role: 'contributor' };
const author: Actor = { userId: 'u-author', role: 'author' };
const editor: Actor = { userId: 'u-editor', role: 'editor' };

const at = (base: Date, ms: number) => new Date(base.getTime() + ms);
const MIN = 60_000;

/**
 * Another app node's connection. On PostgreSQL a second pool on the same database. On
 * SQLite the same handle: better-sqlite3 waits for a lock synchronously, so two writer
 * connections inside one process would stall each other's event loop (separate processes,
 * the real multi-node case, simply wait); concurrent calls still interleave on the handle.
 */
async function secondHandle(t: TestDatabase, dialect: DialectName): Promise<DatabaseHandle> {
  if (dialect === 'sqlite') return { ...t.handle, close: async () => {} };
  const { rows } = await sql<{ name: string }>`select current_database() as name`.execute(t.handle.db);
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${rows[0]!.name}`;
  return openDatabase({ kind: 'postgres', url: url.toString() });
}

for (const { dialect, skip } of await testDialects()) {
  describe(`${dialect}: editorial workflow and scheduler`, { skip }, () => {
    let t: TestDatabase;
    let other: DatabaseHandle;
    let deps: TestServiceDeps;
    let otherDeps: TestServiceDeps;
    let tax: Taxonomy;
    let now = FIXED_NOW;
    const clock = () => now;

    before(async () => {
      t = await createTestDatabase(dialect);
      other = await secondHandle(t, dialect);
      deps = serviceDepsFor(t.handle, { clock });
      otherDeps = serviceDepsFor(other, { clock });
      tax = await seedTaxonomy(deps);
    });
    after(async () => {
      await other?.close();
      await t?.destroy();
      deps?.cleanup();
      otherDeps?.cleanup();
    });

    let n = 0;
    const draft = (actor: Actor, overrides: Parameters<typeof buildArticleInput>[0] = { sectionId: '' }) =>
      createArticle(
        deps,
        buildArticleInput({
          headline: `Workflow story ${++n}`,
          status: 'draft',
          publishedAt: undefined,
          ...overrides,
          sectionId: overrides.sectionId || tax.world.id,
        }),
        { actor },
      );
    const visible = async (slug: string) => (await getArticlePage(deps, 'world', slug)).kind === 'page';

    it('persists each step, keeps a revision per step and refuses stale or unauthorised actions', async () => {
      const a = await draft(contributor);
      assert.equal(a.createdBy, contributor.userId);
      const submitted = await runWorkflowAction(deps, a.id, { type: 'submit' }, contributor, a.revision);
      assert.equal((await findArticleById(deps.db, a.id))!.status, 'in_review');
      await assert.rejects(runWorkflowAction(deps, a.id, { type: 'publish' }, contributor), { code: 'forbidden' });
      await assert.rejects(
        runWorkflowAction(deps, a.id, { type: 'return_to_draft' }, editor, a.revision),
        { code: 'conflict' },
        'stale revision',
      );

      const runAt = at(now, 30 * MIN).toISOString();
      const scheduled = await runWorkflowAction(deps, a.id, { type: 'schedule', at: runAt }, editor, submitted.revision);
      const stored = (await findArticleById(deps.db, a.id))!;
      assert.equal(stored.status, 'scheduled');
      assert.equal(stored.scheduledAt, runAt);
      assert.equal(stored.revision, scheduled.revision);
      assert.deepEqual(
        (await listJobs(deps.db, a.id)).map((j) => [j.status, j.runAt]),
        [['pending', runAt]],
      );
      assert.equal(await visible(a.slug), false, 'a scheduled story is not public');

      const later = at(now, 45 * MIN).toISOString();
      await runWorkflowAction(deps, a.id, { type: 'schedule', at: later }, editor);
      assert.deepEqual(
        (await listJobs(deps.db, a.id)).map((j) => [j.status, j.runAt]),
        [
          ['pending', later],
          ['cancelled', runAt],
        ],
        'rescheduling replaces the job',
      );
      await runWorkflowAction(deps, a.id, { type: 'cancel_schedule' }, editor);
      assert.equal((await findArticleById(deps.db, a.id))!.status, 'draft');
      assert.ok((await listJobs(deps.db, a.id)).every((j) => j.status === 'cancelled'));

      const revisions = await listRevisions(deps.db, a.id);
      assert.deepEqual(
        revisions.map((r) => r.action),
        ['cancel_schedule', 'schedule', 'schedule', 'submit', 'create'],
      );
      assert.equal(revisions[3]!.actorUserId, contributor.userId);
      assert.equal(revisions[0]!.actorUserId, editor.userId);
    });

    it('an author publishes and unpublishes their own story, and the public site follows', async () => {
      const a = await draft(author);
      await assert.rejects(runWorkflowAction(deps, a.id, { type: 'publish' }, { ...author, userId: 'u-other-author' }), {
        code: 'forbidden',
      });
      const published = await runWorkflowAction(deps, a.id, { type: 'publish' }, author);
      assert.equal(published.publishedAt, now.toISOString());
      assert.equal(await visible(a.slug), true);
      await runWorkflowAction(deps, a.id, { type: 'unpublish' }, author);
      assert.equal(await visible(a.slug), false);
      const again = await runWorkflowAction(deps, a.id, { type: 'republish' }, author);
      assert.equal(again.publishedAt, published.publishedAt, 'republishing keeps the first publication time');
      assert.equal(await visible(a.slug), true);
    });

    it('publishes due stories exactly once, even with three concurrent publishDue calls on two connections', async () => {
      const ids: string[] = [];
      const runAt = at(now, 10 * MIN).toISOString();
      for (let i = 0; i < 4; i++) {
        const a = await draft(editor);
        await runWorkflowAction(deps, a.id, { type: 'schedule', at: runAt }, editor);
        ids.push(a.id);
      }
      assert.deepEqual((await publishDue(deps, at(now, 9 * MIN))).published, [], 'nothing is due yet');
      const results = await Promise.all([
        publishDue(deps, at(now, 11 * MIN)),
        publishDue(deps, at(now, 11 * MIN)),
        publishDue(otherDeps, at(now, 11 * MIN)),
      ]);
      const published = results.flatMap((r) => r.published);
      assert.deepEqual(
        results.flatMap((r) => r.errors),
        [],
      );
      assert.deepEqual([...published].sort(), [...ids].sort(), 'each story published by exactly one caller');
      for (const id of ids) {
        const a = (await findArticleById(deps.db, id))!;
        assert.equal(a.status, 'published');
        assert.equal(a.publishedAt, runAt, 'published at the scheduled time');
        assert.equal(a.scheduledAt, null);
        assert.equal((await listRevisions(deps.db, id)).filter((r) => r.action === 'publish').length, 1);
        assert.deepEqual(
          (await listJobs(deps.db, id)).map((j) => [j.status, j.attempts]),
          [['done', 1]],
        );
      }
      now = at(now, 11 * MIN);
      for (const id of ids) assert.equal(await visible((await findArticleById(deps.db, id))!.slug), true);
      assert.deepEqual((await publishDue(deps, at(now, 12 * MIN))).published, [], 'a second run finds nothing');
    });

    it('catches up after downtime: two scheduler instances on two connections publish overdue stories once each', async () => {
      const times = [at(now, 60 * MIN).toISOString(), at(now, 120 * MIN).toISOString()];
      const ids: string[] = [];
      for (const runAt of times) {
        const a = await draft(editor);
        await runWorkflowAction(deps, a.id, { type: 'schedule', at: runAt }, editor);
        ids.push(a.id);
      }
      // The servers were down from before the first due time until long after the second.
      now = at(now, 300 * MIN);
      const nodes = [createScheduler(deps), createScheduler(otherDeps)];
      await Promise.all(nodes.map((s) => s.start()));
      await Promise.all(nodes.map((s) => s.stop()));
      for (const [i, id] of ids.entries()) {
        const a = (await findArticleById(deps.db, id))!;
        assert.equal(a.status, 'published');
        assert.equal(a.publishedAt, times[i], 'keeps the announced time');
        assert.equal((await listRevisions(deps.db, id)).filter((r) => r.action === 'publish').length, 1);
      }
    });

    it('wakes at the next due time, never sleeping more than a second (fake clock)', async () => {
      const scheduler = createScheduler(deps);
      const a = await draft(editor);
      const due = at(now, 10_000);
      await runWorkflowAction(deps, a.id, { type: 'schedule', at: due.toISOString() }, editor);
      assert.equal(await scheduler.tick(), 1000, 'far off: check again within a second');
      now = at(due, -400);
      assert.equal(await scheduler.tick(), 400, 'close: sleep exactly until due');
      assert.equal((await findArticleById(deps.db, a.id))!.status, 'scheduled');
      now = due;
      await scheduler.tick();
      assert.equal((await findArticleById(deps.db, a.id))!.status, 'published');
      assert.equal(await scheduler.tick(), 1000, 'nothing pending');
    });

    it('respects embargoes: no early publication, no early schedule, no leak through edits', async () => {
      const embargo = at(now, 120 * MIN).toISOString();
      const a = await draft(editor, { sectionId: tax.world.id, embargoUntil: embargo });
      await assert.rejects(runWorkflowAction(deps, a.id, { type: 'publish' }, editor), (e: Error & { code?: string }) => {
        assert.equal(e.code, 'conflict');
        assert.match(e.message, /under embargo until/);
        return true;
      });
      await assert.rejects(
        runWorkflowAction(deps, a.id, { type: 'schedule', at: at(now, 60 * MIN).toISOString() }, editor),
        /under embargo until/,
      );
      await runWorkflowAction(deps, a.id, { type: 'schedule', at: embargo }, editor);
      // Moving the embargo past the scheduled time is refused rather than silently leaking.
      const current = (await findArticleById(deps.db, a.id))!;
      await assert.rejects(updateArticle(deps, a.id, { ...current, embargoUntil: at(now, 180 * MIN).toISOString() }, current.revision), {
        code: 'validation_failed',
      });

      assert.deepEqual((await publishDue(deps, at(now, 119 * MIN))).published, []);
      assert.equal(await visible(a.slug), false);
      assert.deepEqual((await publishDue(deps, at(now, 120 * MIN))).published, [a.id]);
      now = at(now, 120 * MIN);
      assert.equal(await visible(a.slug), true);

      // Nor can a published story be put under a later embargo by editing it.
      const pub = (await findArticleById(deps.db, a.id))!;
      await assert.rejects(updateArticle(deps, a.id, { ...pub, embargoUntil: at(now, 60 * MIN).toISOString() }, pub.revision), {
        code: 'validation_failed',
      });
      // And a story cannot be created published inside its embargo.
      await assert.rejects(
        createArticle(
          deps,
          buildArticleInput({
            sectionId: tax.world.id,
            headline: 'Leaky',
            publishedAt: undefined,
            embargoUntil: at(now, 60 * MIN).toISOString(),
          }),
        ),
        { code: 'validation_failed' },
      );
    });

    it('skips a job whose story was published by hand meanwhile', async () => {
      const a = await draft(editor);
      await runWorkflowAction(deps, a.id, { type: 'schedule', at: at(now, 5 * MIN).toISOString() }, editor);
      // Simulate a job left pending by an older node: publishing by hand cancels it, so re-open it.
      await runWorkflowAction(deps, a.id, { type: 'publish' }, editor);
      await deps.db.updateTable('scheduled_jobs').set({ status: 'pending' }).where('article_id', '=', a.id).execute();
      const result = await publishDue(deps, at(now, 6 * MIN));
      assert.deepEqual(result.published, []);
      assert.equal(result.skipped.length, 1);
      assert.equal((await listRevisions(deps.db, a.id)).filter((r) => r.action === 'publish').length, 1);
    });
  });
}
