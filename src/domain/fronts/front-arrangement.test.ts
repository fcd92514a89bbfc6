import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { seedUser } from '../../../test/support/account-factories.ts';
import {
  buildArticleInput,
  FIXED_NOW,
  hoursAgo,
  seedTaxonomy,
  serviceDepsFor,
  type Taxonomy,
  type TestServiceDeps,
} from '../../../test/support/factories.ts';
import { createTestDatabase, testDialects, type TestDatabase } from '../../../test/support/test-db.ts';
import type { Actor } from '../accounts/role.ts';
import { createArticle } from '../articles/article-service.ts';
import { runWorkflowAction } from '../articles/article-workflow-service.ts';
import { listAuditEntries } from '../audit/audit-log.ts';
import type { ContentChange } from '../changes/content-change.ts';
import { ConflictError, ForbiddenError, ValidationError } from '../errors.ts';
import { getHomeFront, getSectionFront } from '../published/front-service.ts';
import { emptyArrangement, frontKeyFor, HOME_FRONT, sectionFrontKey, sectionIdOf, type ArrangementInput } from './front-arrangement.ts';
import { frontArrangementCache } from './front-arrangement-cache.ts';
import { cancelScheduledArrangement, restoreArrangement, saveArrangement } from './front-arrangement-service.ts';
import { getFrontDesk, resolveFront } from './front-desk.ts';
import { publishFrontTakeovers } from './front-takeover.ts';

for (const { dialect, skip } of await testDialects()) {
  describe(`${dialect}: front arrangements`, { skip }, () => {
    let t: TestDatabase;
    let deps: TestServiceDeps & { changes: { publish(c: ContentChange): Promise<void> } };
    let tax: Taxonomy;
    let editor: Actor;
    let author: Actor;
    let now: Date;
    const events: ContentChange[] = [];
    /** Story ids, newest first: s[0] is the newest. */
    const s: string[] = [];
    let tagged: string;

    before(async () => {
      t = await createTestDatabase(dialect);
      now = FIXED_NOW;
      deps = { ...serviceDepsFor(t.handle, { clock: () => now }), changes: { publish: async (c) => void events.push(c) } };
      tax = await seedTaxonomy(deps);
      editor = { userId: (await seedUser(deps, 'editor')).id, role: 'editor' };
      author = { userId: (await seedUser(deps, 'author')).id, role: 'author' };
      for (let i = 0; i < 12; i++) {
        const a = await createArticle(
          deps,
          buildArticleInput({
            sectionId: i % 2 ? tax.world.id : tax.sport.id,
            headline: `Story number ${i}`,
            publishedAt: hoursAgo(i + 1),
            tagIds: i === 11 ? [tax.tags.diplomacy.id] : [],
          }),
        );
        s.push(a.id);
      }
      tagged = tax.tags.diplomacy.id;
    });
    after(async () => {
      deps?.cleanup();
      await t?.destroy();
    });
    beforeEach(async () => {
      // Related lists moved by earlier story writes are published after those return: not this test's events.
      await deps.deferredWork.drain();
      events.length = 0;
    });

    const revision = async (key = HOME_FRONT) =>
      (await getFrontDesk(deps, editor, await resolveFront(deps, key === HOME_FRONT ? 'home' : 'world'))).revision;
    const publish = async (arrangement: ArrangementInput, key = HOME_FRONT) =>
      saveArrangement(deps, editor, key, { arrangement, expectedRevision: await revision(key), mode: { kind: 'now' } });

    it('shows the newest stories, unchanged, while no arrangement exists', async () => {
      const home = await getHomeFront(deps);
      assert.equal(home.lead?.id, s[0]);
      assert.deepEqual(
        home.latest.map((x) => x.id),
        s.slice(1, 9),
      );
      assert.equal(home.arranged, undefined);
    });

    it('puts pinned stories first, fills the rest by the usual rules, and never shows a story twice', async () => {
      const v = await publish({
        lead: { pins: [s[5]!] },
        top: { size: 4, pins: [s[7]!] },
        blocks: [
          { title: 'Diplomacy', size: 3, pins: [s[0]!], tagId: tagged },
          { title: 'Pinned only', size: 2, pins: [s[9]!] },
        ],
      });
      assert.equal(v.version, 1);
      assert.deepEqual(
        events.map((e) => e.tags),
        [['front:home']],
        'publishing names the front once it commits',
      );
      const home = await getHomeFront(deps);
      assert.equal(home.lead?.id, s[5]);
      // Top: the pin, then the newest stories not pinned anywhere (s[0] is pinned in a block).
      assert.deepEqual(
        home.latest.map((x) => x.id),
        [s[7], s[1], s[2], s[3]],
      );
      assert.deepEqual(
        home.arranged?.blocks.map((b) => [b.title, b.items.map((x) => x.id)]),
        [
          ['Diplomacy', [s[0], s[11]]],
          ['Pinned only', [s[9]]],
        ],
      );
      const all = [
        home.lead!,
        ...home.latest,
        ...home.arranged!.blocks.flatMap((b) => b.items),
        ...home.sections.flatMap((b) => b.items),
      ].map((x) => x.id);
      assert.equal(new Set(all).size, all.length, 'no story appears twice on the front');
    });

    it('drops a pinned story readers can no longer see at once: unpublished, or embargoed by a hand edit', async () => {
      await runWorkflowAction(deps, s[5]!, { type: 'unpublish' }, editor);
      assert.ok(
        events.some((e) => e.tags.includes(`story:${s[5]}`)),
        'the unpublish names the story, whose tag the front page carries',
      );
      let home = await getHomeFront(deps);
      assert.equal(home.lead?.id, s[1], 'the lead falls back to the newest story not pinned elsewhere');
      assert.ok(!home.latest.some((x) => x.id === s[5]));
      assert.ok(home.arranged?.pinnedIds.includes(s[5]!), 'still named in the tags, so republishing refreshes the front');

      await t.handle.db
        .updateTable('articles')
        .set({ embargo_until: new Date(now.getTime() + 3_600_000).toISOString() })
        .where('id', '=', s[7]!)
        .execute();
      home = await getHomeFront(deps);
      assert.ok(![home.lead, ...home.latest].some((x) => x?.id === s[7]), 'the visibility rule is applied when the front is read');
      await t.handle.db.updateTable('articles').set({ embargo_until: null }).where('id', '=', s[7]!).execute();
      await runWorkflowAction(deps, s[5]!, { type: 'republish' }, editor);
      assert.equal((await getHomeFront(deps)).lead?.id, s[5], 'republished, the pin leads again');
    });

    it('keeps drafts off the front, refuses stale revisions, bad input and non-editors, and audits', async () => {
      const rev = await revision();
      const draft = await saveArrangement(deps, editor, HOME_FRONT, {
        arrangement: { ...emptyArrangement(), lead: { pins: [s[3]!] } },
        expectedRevision: rev,
        mode: { kind: 'draft' },
      });
      assert.equal(draft.state, 'draft');
      assert.deepEqual(events, [], 'a draft changes nothing readers see');
      assert.equal((await getHomeFront(deps)).lead?.id, s[5]);
      await assert.rejects(
        saveArrangement(deps, editor, HOME_FRONT, { arrangement: emptyArrangement(), expectedRevision: rev, mode: { kind: 'now' } }),
        ConflictError,
      );
      await assert.rejects(
        saveArrangement(deps, editor, HOME_FRONT, {
          arrangement: { lead: { pins: [s[1]!] }, top: { pins: [s[1]!] } },
          expectedRevision: rev + 1,
          mode: { kind: 'now' },
        }),
        (err: unknown) => err instanceof ValidationError && /pinned more than once/.test(err.message),
      );
      await assert.rejects(
        saveArrangement(deps, editor, HOME_FRONT, {
          arrangement: { lead: { pins: ['no-such-story'] } },
          expectedRevision: rev + 1,
          mode: { kind: 'now' },
        }),
        (err: unknown) => err instanceof ValidationError && /no story with id no-such-story/.test(err.message),
      );
      await assert.rejects(
        saveArrangement(deps, author, HOME_FRONT, { arrangement: emptyArrangement(), expectedRevision: rev + 1, mode: { kind: 'now' } }),
        ForbiddenError,
      );
      const audit = await listAuditEntries(deps.db, { subjectType: 'front', subjectId: HOME_FRONT });
      assert.deepEqual(audit.map((e) => e.action).sort(), ['front.draft_saved', 'front.published']);
    });

    it('lets a scheduled arrangement take over at its time and announces it from the scheduler tick', async () => {
      const at = new Date(now.getTime() + 6 * 3_600_000).toISOString();
      await saveArrangement(deps, editor, HOME_FRONT, {
        arrangement: { lead: { pins: [s[10]!] } },
        expectedRevision: await revision(),
        mode: { kind: 'at', at },
      });
      assert.equal((await getHomeFront(deps)).lead?.id, s[5], 'the current arrangement stays until then');
      const desk = await getFrontDesk(deps, editor, await resolveFront(deps, 'home'));
      assert.equal(desk.scheduled.length, 1);
      const before = now;
      now = new Date(Date.parse(at) + 1000);
      events.length = 0;
      assert.deepEqual(await publishFrontTakeovers(deps, before.toISOString(), now.toISOString()), [HOME_FRONT]);
      assert.deepEqual(
        events.map((e) => [e.cause, e.tags]),
        [['front.takeover', ['front:home']]],
      );
      assert.equal((await getHomeFront(deps)).lead?.id, s[10], 'the scheduled lead took over by the clock');
      assert.deepEqual(await publishFrontTakeovers(deps, now.toISOString(), new Date(now.getTime() + 1000).toISOString()), []);
    });

    it('cancels a scheduled arrangement before its time', async () => {
      const at = new Date(now.getTime() + 3_600_000).toISOString();
      const v = await saveArrangement(deps, editor, HOME_FRONT, {
        arrangement: { lead: { pins: [s[2]!] } },
        expectedRevision: await revision(),
        mode: { kind: 'at', at },
      });
      await cancelScheduledArrangement(deps, editor, HOME_FRONT, v.version);
      now = new Date(Date.parse(at) + 1000);
      assert.equal((await getHomeFront(deps)).lead?.id, s[10]);
      await assert.rejects(cancelScheduledArrangement(deps, editor, HOME_FRONT, v.version), ConflictError);
    });

    it('restores an old arrangement as a draft, or published at once', async () => {
      const rev = await revision();
      const draft = await restoreArrangement(deps, editor, HOME_FRONT, { version: 1, expectedRevision: rev, publish: false });
      assert.equal(draft.state, 'draft');
      assert.equal(draft.restoredFrom, 1);
      assert.equal((await getHomeFront(deps)).lead?.id, s[10]);
      const published = await restoreArrangement(deps, editor, HOME_FRONT, { version: 1, expectedRevision: rev + 1, publish: true });
      assert.equal(published.state, 'published');
      const home = await getHomeFront(deps);
      assert.equal(home.lead?.id, s[5]);
      assert.equal(home.arranged?.version, published.version);
      const history = (await getFrontDesk(deps, editor, await resolveFront(deps, 'home'))).history;
      assert.deepEqual(
        history.slice(0, 2).map((v) => [v.version, v.state, v.restoredFrom]),
        [
          [published.version, 'published', 1],
          [draft.version, 'draft', 1],
        ],
      );
    });

    it('arranges a section front: its blocks lead page one, the list below leaves them out, older pages unchanged', async () => {
      const key = sectionFrontKey(tax.world.id);
      const plain = await getSectionFront(deps, 'world');
      assert.equal(plain?.arranged, undefined);
      await publish({ lead: { pins: [s[9]!] }, top: { size: 2, pins: [] } }, key);
      const front = await getSectionFront(deps, 'world');
      assert.equal(front?.arranged?.lead?.id, s[9]);
      assert.deepEqual(
        front?.arranged?.top.map((x) => x.id),
        [s[1], s[3]],
      );
      assert.deepEqual(
        front?.page.items.map((x) => x.id),
        [s[5], s[7], s[11]],
      );
      assert.equal((await getHomeFront(deps)).lead?.id, s[5], 'the home front has its own arrangement');
    });

    it('reads each arrangement once until a change drops it', async () => {
      const cache = frontArrangementCache(deps.db);
      const first = await cache.inForce(HOME_FRONT, now.toISOString());
      // Written behind the service's back: the cache keeps what it read.
      await t.handle.db
        .updateTable('front_arrangements')
        .set({ blocks: JSON.stringify(emptyArrangement()) })
        .where('id', '=', first!.id)
        .execute();
      assert.deepEqual((await cache.inForce(HOME_FRONT, now.toISOString()))?.arrangement.lead.pins, [s[5]]);
      cache.invalidate();
      assert.deepEqual((await cache.inForce(HOME_FRONT, now.toISOString()))?.arrangement.lead.pins, []);
    });
  });
}

describe('front keys per edition', () => {
  it('keeps the default edition’s keys and adds the language for another edition', () => {
    assert.equal(frontKeyFor(null), HOME_FRONT);
    assert.equal(frontKeyFor('s1'), sectionFrontKey('s1'));
    assert.equal(frontKeyFor(null, 'FR'), 'home@fr');
    assert.equal(frontKeyFor('s1', 'pt-BR'), 'section:s1@pt-br');
    assert.equal(sectionIdOf('home'), null);
    assert.equal(sectionIdOf('home@fr'), null);
    assert.equal(sectionIdOf('section:s1'), 's1');
    assert.equal(sectionIdOf('section:s1@fr'), 's1');
  });
});
