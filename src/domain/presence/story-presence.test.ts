import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { seedStaff } from '../../../test/support/account-factories.ts';
import { buildArticleInput } from '../../../test/support/factories.ts';
import { createTestDatabase, drainBeforeDestroy, testDialects, type TestDatabase } from '../../../test/support/test-db.ts';
import type { User } from '../accounts/user.ts';
import type { Article } from '../articles/article.ts';
import { createArticle } from '../articles/article-service.ts';
import type { ServiceDeps } from '../deps.ts';
import { createSection } from '../sections/section.ts';
import { heartbeat, leaveStory, listPresent, PRESENCE_TTL_MS, takeOverLock } from './story-presence.ts';
import { createDeferredWork } from '../changes/deferred-work.ts';

const A = 'tab-aaaaaaaa';
const B = 'tab-bbbbbbbb';
const C = 'tab-cccccccc';

for (const { dialect, skip } of await testDialects()) {
  describe(`${dialect}: presence and soft locks`, { skip }, () => {
    let db: TestDatabase;
    let deps: ServiceDeps;
    let now = new Date('2026-12-07T10:00:00Z');
    let staff: Record<'author' | 'editor' | 'contributor', User>;
    let story: Article;
    const actor = (u: User) => ({ userId: u.id, role: u.role });
    const tick = (ms: number) => (now = new Date(now.getTime() + ms));

    before(async () => {
      db = await createTestDatabase(dialect);
      deps = {
        db: db.handle.db,
        dialect,
        clock: () => now,
        mediaStore: undefined as never,
        deferredWork: createDeferredWork({ log: () => console }),
      };
      drainBeforeDestroy(db.handle, deps.deferredWork);
      const section = await createSection(deps.db, { name: 'World' }, now);
      staff = await seedStaff(deps, {
        author: ['author', 'Ari Author'],
        editor: ['editor', 'Eda Editor'],
        contributor: ['contributor', 'Cora Contributor'],
      });
      story = await createArticle(deps, buildArticleInput({ sectionId: section.id, status: 'draft', publishedAt: null }), {
        actor: actor(staff.author),
      });
    });
    after(async () => db?.destroy());

    it('two people on one story see each other and the field each is in; the first to edit holds the lock', async () => {
      const a = await heartbeat(deps, actor(staff.author), story.id, { clientId: A, field: '' });
      assert.deepEqual(a.others, []);
      assert.equal(a.lock, null, 'reading takes no lock');
      const editing = await heartbeat(deps, actor(staff.author), story.id, { clientId: A, field: 'headline' });
      assert.equal(editing.lock?.mine, true);
      const b = await heartbeat(deps, actor(staff.editor), story.id, { clientId: B, field: 'headline' });
      assert.deepEqual(
        b.others.map((o) => [o.name, o.field]),
        [['Ari Author', 'headline']],
      );
      assert.equal(b.lock?.name, 'Ari Author');
      assert.equal(b.lock?.mine, false, 'the second editor of a field does not get the lock');
      assert.equal(b.canTakeOver, true);
      const seenByA = await heartbeat(deps, actor(staff.author), story.id, { clientId: A, field: 'headline' });
      assert.deepEqual(
        seenByA.others.map((o) => [o.name, o.field]),
        [['Eda Editor', 'headline']],
      );
      assert.equal(seenByA.canTakeOver, false);
    });

    it('an editor takes the lock over; the tab that lost it is told by whom, and the takeover is audited', async () => {
      const taken = await takeOverLock(deps, actor(staff.editor), story.id, { clientId: B, field: 'headline' });
      assert.equal(taken.lock?.mine, true);
      assert.equal(taken.takenOver, null);
      const told = await heartbeat(deps, actor(staff.author), story.id, { clientId: A, field: 'headline' });
      assert.equal(told.takenOver?.byName, 'Eda Editor');
      assert.equal(told.lock?.name, 'Eda Editor', 'typing on does not take the lock back');
      const audit = await deps.db.selectFrom('audit_log').selectAll().where('action', '=', 'article.lock_taken_over').execute();
      assert.equal(audit.length, 1);
      assert.equal(JSON.parse(audit[0]!.details).fromUserId, staff.author.id);
    });

    it('only editors take over; a contributor cannot even open someone else’s story', async () => {
      await assert.rejects(takeOverLock(deps, actor(staff.author), story.id, { clientId: A }), { code: 'forbidden' });
      await assert.rejects(heartbeat(deps, actor(staff.contributor), story.id, { clientId: C }), { code: 'forbidden' });
      await assert.rejects(
        heartbeat(deps, actor(staff.author), story.id, { clientId: B }),
        { code: 'forbidden' },
        'a tab id is its owner’s',
      );
      await assert.rejects(heartbeat(deps, actor(staff.author), story.id, { clientId: 'x' }), { code: 'validation_failed' });
    });

    it('presence and locks expire without heartbeats; leaving lets the lock go at once', async () => {
      await leaveStory(deps, actor(staff.editor), story.id, { clientId: B });
      const free = await heartbeat(deps, actor(staff.author), story.id, { clientId: A, field: '' });
      assert.equal(free.lock, null);
      assert.deepEqual(free.others, []);
      assert.equal(free.takenOver?.byName, 'Eda Editor', 'the loser still learns of the takeover after the taker left');
      const back = await heartbeat(deps, actor(staff.author), story.id, { clientId: A, field: 'body' });
      assert.equal(back.lock?.mine, true);
      assert.equal(back.takenOver, null);
      await heartbeat(deps, actor(staff.editor), story.id, { clientId: B, field: '' });
      tick(PRESENCE_TTL_MS + 1000);
      assert.deepEqual(await listPresent(deps, story.id), [], 'both tabs went quiet');
      const later = await heartbeat(deps, actor(staff.editor), story.id, { clientId: B, field: 'standfirst' });
      assert.deepEqual(later.others, []);
      assert.equal(later.lock?.name, 'Eda Editor', 'an expired lock is free for the next editor');
      const rows = await deps.db.selectFrom('story_presence').select('client_id').where('article_id', '=', story.id).execute();
      assert.deepEqual(
        rows.map((r) => r.client_id),
        [B],
        'expired rows are swept by the next heartbeat',
      );
    });
  });
}
