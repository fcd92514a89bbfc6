import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { seedStaff } from '../../test/support/account-factories.ts';
import { signedInClients, type NewsroomClient } from '../../test/support/newsroom-client.ts';
import { testDialects } from '../../test/support/test-db.ts';
import { createTestSite, type TestSite } from '../../test/support/test-site.ts';
import type { User } from '../domain/accounts/user.ts';
import { findArticleById } from '../domain/articles/article-repository.ts';
import { planForStory } from '../domain/planning/planning-board.ts';
import { createPlanningItem } from '../domain/planning/planning-service.ts';
import { createSection } from '../domain/sections/section.ts';
import type { Section } from '../domain/sections/section.ts';

const DAY = '2026-12-07';

for (const { dialect, skip } of await testDialects()) {
  describe(`${dialect}: planning and assignments`, { skip }, () => {
    let site: TestSite;
    let staff: Record<'editor' | 'author' | 'contributor' | 'other', User>;
    let clients: Map<string, NewsroomClient>;
    let world: Section;
    let sport: Section;
    const as = (u: User) => clients.get(u.id)!;
    const board = (query = '') => `/newsroom/planning?day=${DAY}${query}`;

    before(async () => {
      site = await createTestSite(dialect, { clock: () => new Date('2026-12-07T08:00:00Z') });
      world = await createSection(site.deps.db, { name: 'World' }, site.deps.clock());
      sport = await createSection(site.deps.db, { name: 'Sport' }, site.deps.clock());
      staff = await seedStaff(site.deps, {
        editor: ['editor', 'Eda Editor'],
        author: ['author', 'Ari Author'],
        contributor: ['contributor', 'Cora Contributor'],
        other: ['author', 'Otto Other'],
      });
      clients = await signedInClients(site, Object.values(staff));
    });
    after(async () => site?.close());

    it('an editor plans and assigns a story through the form; the day lists it, filters narrow it', async () => {
      const editor = as(staff.editor);
      const created = await editor.submit('/newsroom/planning/new', '/newsroom/planning', {
        day: DAY,
        workingHeadline: 'Budget vote: what passed',
        sectionId: world.id,
        slot: 'Home lead',
        dueTime: '15:30',
        tz: 'Europe/Paris',
        assigneeUserId: staff.author.id,
        notes: 'Call the minister’s office first.',
        photoRequest: 'Chamber wide shot, vote board',
      });
      assert.equal(created.statusCode, 303);
      assert.match(created.headers.location as string, /^\/newsroom\/planning\?day=2026-12-07&done=created#item-/);
      const page = await editor.get(board());
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /Budget vote: what passed/);
      assert.match(page.body, /Home lead/);
      assert.match(page.body, /Ari Author/);
      assert.match(page.body, /Chamber wide shot, vote board/);
      assert.match(page.body, /datetime="2026-12-07T14:30:00.000Z"/, '15:30 in Paris is 14:30 UTC');
      assert.match(page.body, /href="\/newsroom\/planning\?day=2026-12-06"[^>]*>Previous day/);
      assert.match(page.body, /href="\/newsroom\/planning\?day=2026-12-08"[^>]*>Next day/);
      assert.doesNotMatch((await editor.get(board(`&section=${sport.id}`))).body, /Budget vote/, 'another section hides it');
      assert.doesNotMatch((await editor.get(board(`&assignee=${staff.other.id}`))).body, /Budget vote/, 'another assignee hides it');
      assert.match((await as(staff.author).get(board('&assignee=me'))).body, /Budget vote/, '"me" is the viewer');
      assert.doesNotMatch((await editor.get('/newsroom/planning?day=2026-12-08')).body, /Budget vote/, 'another day does not list it');
    });

    it('refuses a forged post, keeps typed values on a bad one, and a bad day is a 400', async () => {
      const editor = as(staff.editor);
      const forged = await editor.request('POST', '/newsroom/planning', { day: DAY, workingHeadline: 'X', sectionId: world.id });
      assert.equal(forged.statusCode, 403);
      const bad = await editor.submit('/newsroom/planning/new', '/newsroom/planning', {
        day: DAY,
        workingHeadline: '   ',
        sectionId: world.id,
        notes: 'Keep these words',
      });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /working headline is required/);
      assert.match(bad.body, />Keep these words<\/textarea>/);
      const badDay = await editor.submit('/newsroom/planning/new', '/newsroom/planning', {
        day: '2026-02-30',
        workingHeadline: 'Leap',
        sectionId: world.id,
      });
      assert.equal(badDay.statusCode, 400);
      assert.equal((await editor.get('/newsroom/planning?day=nonsense')).statusCode, 400);
    });

    it('an author pitches for themselves but may not assign someone else, nor edit the desk’s items', async () => {
      const author = as(staff.author);
      const pitch = await author.submit('/newsroom/planning/new', '/newsroom/planning', {
        day: DAY,
        workingHeadline: 'My pitch',
        sectionId: sport.id,
        assigneeUserId: staff.author.id,
      });
      assert.equal(pitch.statusCode, 303);
      const assignOther = await author.submit('/newsroom/planning/new', '/newsroom/planning', {
        day: DAY,
        workingHeadline: 'For Otto',
        sectionId: sport.id,
        assigneeUserId: staff.other.id,
      });
      assert.equal(assignOther.statusCode, 403);
      assert.match(assignOther.body, /Only editors assign stories to other people/);
      const deskItem = await createPlanningItem(
        site.deps,
        { userId: staff.editor.id, role: 'editor' },
        {
          day: DAY,
          workingHeadline: 'Desk item',
          sectionId: world.id,
          assigneeUserId: staff.author.id,
        },
      );
      const edit = await author.request('POST', `/newsroom/planning/${deskItem.id}`, {
        _csrf: await author.csrfToken(board()),
        day: DAY,
        workingHeadline: 'Renamed by author',
        sectionId: world.id,
        expectedRevision: '1',
      });
      assert.equal(edit.statusCode, 403);
    });

    it('a stale edit is a 409 with the typed text kept; a fresh one moves the item', async () => {
      const editor = as(staff.editor);
      const item = await createPlanningItem(
        site.deps,
        { userId: staff.editor.id, role: 'editor' },
        {
          day: DAY,
          workingHeadline: 'Storm warning',
          sectionId: world.id,
        },
      );
      const formUrl = `/newsroom/planning/${item.id}/edit`;
      const form = { day: DAY, workingHeadline: 'Storm warning: red alert', sectionId: world.id, tz: 'UTC', expectedRevision: '1' };
      assert.equal((await editor.submit(formUrl, `/newsroom/planning/${item.id}`, form)).statusCode, 303);
      const stale = await editor.submit(formUrl, `/newsroom/planning/${item.id}`, { ...form, workingHeadline: 'Mine, stale' });
      assert.equal(stale.statusCode, 409);
      assert.match(stale.body, /value="Mine, stale"/);
      const moved = await editor.submit(formUrl, `/newsroom/planning/${item.id}`, { ...form, day: '2026-12-08', expectedRevision: '2' });
      assert.equal(moved.statusCode, 303);
      assert.match((await editor.get('/newsroom/planning?day=2026-12-08')).body, /Storm warning: red alert/);
      const removed = await editor.submit(formUrl, `/newsroom/planning/${item.id}/delete`, { expectedRevision: '3' });
      assert.equal(removed.statusCode, 303);
      assert.doesNotMatch((await editor.get('/newsroom/planning?day=2026-12-08')).body, /Storm warning/);
    });

    it('"Start writing" by the assignee makes their draft, keeping the plan linked; it cannot start twice', async () => {
      const item = await createPlanningItem(
        site.deps,
        { userId: staff.editor.id, role: 'editor' },
        {
          day: DAY,
          workingHeadline: 'Harbour fire: the morning after',
          sectionId: world.id,
          slot: 'Top stories',
          assigneeUserId: staff.contributor.id,
          notes: 'Talk to the harbour master',
          photoRequest: 'Aerial of the quay',
        },
      );
      const stranger = as(staff.other);
      const refused = await stranger.submit(board(), `/newsroom/planning/${item.id}/start`, { expectedRevision: '1' });
      assert.equal(refused.statusCode, 403);
      const contributor = as(staff.contributor);
      const started = await contributor.submit(board(), `/newsroom/planning/${item.id}/start`, { expectedRevision: '1' });
      assert.equal(started.statusCode, 303);
      const articleId = (started.headers.location as string).split('/').pop()!;
      const story = await findArticleById(site.deps.db, articleId);
      assert.equal(story?.status, 'draft');
      assert.equal(story?.headline, 'Harbour fire: the morning after');
      assert.equal(story?.sectionId, world.id);
      assert.equal(story?.createdBy, staff.contributor.id);
      const plan = await planForStory(site.deps.db, articleId);
      assert.equal(plan?.status, 'started');
      assert.equal(plan?.slot, 'Top stories');
      assert.equal(plan?.notes, 'Talk to the harbour master');
      assert.equal(plan?.photoRequest, 'Aerial of the quay');
      const editorPage = await contributor.get(`/newsroom/stories/${articleId}`);
      assert.equal(editorPage.statusCode, 200, 'the writer opens their draft');
      assert.match(editorPage.body, /From the plan[\s\S]*Top stories[\s\S]*Talk to the harbour master[\s\S]*Aerial of the quay/);
      assert.match((await contributor.get(board())).body, new RegExp(`href="/newsroom/stories/${articleId}"`));
      const again = await as(staff.editor).submit(board(), `/newsroom/planning/${item.id}/start`, { expectedRevision: '2' });
      assert.equal(again.statusCode, 409);
      const audit = await site.deps.db.selectFrom('audit_log').select('action').where('subject_id', '=', item.id).execute();
      assert.deepEqual(audit.map((a) => a.action).sort(), ['planning.created', 'planning.started']);
    });

    it('an editor starting for the assignee makes the draft the assignee’s own', async () => {
      const item = await createPlanningItem(
        site.deps,
        { userId: staff.editor.id, role: 'editor' },
        {
          day: DAY,
          workingHeadline: 'Match report',
          sectionId: sport.id,
          assigneeUserId: staff.other.id,
        },
      );
      const started = await as(staff.editor).submit(board(), `/newsroom/planning/${item.id}/start`, { expectedRevision: '1' });
      assert.equal(started.statusCode, 303);
      const articleId = (started.headers.location as string).split('/').pop()!;
      assert.equal((await findArticleById(site.deps.db, articleId))?.createdBy, staff.other.id);
      assert.equal((await as(staff.other).get(`/newsroom/stories/${articleId}`)).statusCode, 200);
    });
  });
}
