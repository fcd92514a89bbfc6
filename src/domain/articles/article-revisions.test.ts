import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  FIXED_NOW,
  buildArticleInput,
  paragraphs,
  seedTaxonomy,
  serviceDepsFor,
  type Taxonomy,
  type TestServiceDeps,
} from '../../../test/support/factories.ts';
import { createTestDatabase, testDialects, type TestDatabase } from '../../../test/support/test-db.ts';
import type { Actor } from '../accounts/role.ts';
import { addNote, listNotes } from './article-notes.ts';
import { findArticleById } from './article-repository.ts';
import { diffArticles, diffRevisions, getRevision, listRevisions } from './article-revisions.ts';
import { createArticle, updateArticle } from './article-service.ts';
import { restoreRevision, runWorkflowAction } from './article-workflow-service.ts';

const editor: Actor = { userId: 'u-editor', role: 'editor' };
const author: Actor = { userId: 'u-author', role: 'author' };
const contributor: Actor = { userId: 'u-contributor', role: 'contributor' };

describe('diffArticles (pure)', () => {
  it('diffs headline and standfirst by word and the body by line', () => {
    const d = diffArticles(
      {
        revision: 1,
        headline: 'Minister resigns over budget',
        standfirst: 'A short note.',
        bodyText: 'First line.\nSecond line.\nThird line.',
      },
      {
        revision: 2,
        headline: 'Minister resigns over leaked budget',
        standfirst: 'A short note.',
        bodyText: 'First line.\nSecond line, corrected.\nThird line.',
      },
    );
    assert.deepEqual(
      d.fields.map((f) => [f.field, f.changed]),
      [
        ['headline', true],
        ['standfirst', false],
        ['body', true],
      ],
    );
    assert.equal(
      d.text,
      'headline:\n  Minister resigns over {+leaked +}budget\n\nbody:\n  First line.\n- Second line.\n+ Second line, corrected.\n  Third line.',
    );
    const same = { headline: 'a', standfirst: '', bodyText: 'x' };
    assert.equal(diffArticles({ ...same, revision: 1 }, { ...same, revision: 2 }).text, '(no changes to headline, standfirst or body)');
  });
});

for (const { dialect, skip } of await testDialects()) {
  describe(`${dialect}: revisions, restore and notes`, { skip }, () => {
    let t: TestDatabase;
    let deps: TestServiceDeps;
    let tax: Taxonomy;
    let now = FIXED_NOW;

    before(async () => {
      t = await createTestDatabase(dialect);
      deps = serviceDepsFor(t.handle, { clock: () => now });
      tax = await seedTaxonomy(deps);
    });
    after(async () => {
      await t?.destroy();
      deps?.cleanup();
    });

    const later = (minutes: number) => {
      now = new Date(now.getTime() + minutes * 60_000);
    };

    it('records every save of a published story and every workflow step, lists, diffs and restores them', async () => {
      const a = await createArticle(
        deps,
        buildArticleInput({
          sectionId: tax.world.id,
          headline: 'Storm hits the coast',
          status: 'draft',
          publishedAt: undefined,
          body: paragraphs('Winds of 100 km/h.', 'Schools closed.'),
        }),
        { actor: author },
      );
      const draftSave = await updateArticle(deps, a.id, { ...a, headline: 'Storm hits the north coast' }, a.revision, { actor: author });
      assert.deepEqual(
        (await listRevisions(deps.db, a.id)).map((r) => r.action),
        ['create'],
        'draft saves are not kept',
      );

      later(1);
      const published = await runWorkflowAction(deps, a.id, { type: 'publish' }, author, draftSave.revision);
      later(1);
      const fixed = await updateArticle(
        deps,
        a.id,
        { ...published, body: paragraphs('Winds of 120 km/h.', 'Schools closed.') },
        published.revision,
        { actor: editor },
      );
      const revisions = await listRevisions(deps.db, a.id);
      assert.deepEqual(
        revisions.map((r) => [r.revision, r.action, r.actorUserId]),
        [
          [fixed.revision, 'save', editor.userId],
          [published.revision, 'publish', author.userId],
          [1, 'create', author.userId],
        ],
      );
      const snap = (await getRevision(deps.db, a.id, published.revision))!;
      assert.equal(snap.snapshot.headline, 'Storm hits the north coast');
      assert.equal(snap.snapshot.status, 'published');
      assert.equal(snap.at, published.modifiedAt);
      assert.equal(await getRevision(deps.db, a.id, 999), null);

      const diff = await diffRevisions(deps.db, a.id, 1, fixed.revision);
      assert.match(diff.text, /Storm hits the {\+north \+}coast/);
      assert.match(diff.text, /- Winds of 100 km\/h\.\n\+ Winds of 120 km\/h\./);
      await assert.rejects(diffRevisions(deps.db, a.id, 1, 999), { code: 'not_found' });

      // Restoring needs the current revision: a stale restore is refused.
      await assert.rejects(restoreRevision(deps, a.id, 1, published.revision, editor), { code: 'conflict' });
      later(1);
      const restored = await restoreRevision(deps, a.id, 1, fixed.revision, editor);
      assert.equal(restored.revision, fixed.revision + 1);
      assert.equal(restored.headline, 'Storm hits the coast');
      assert.equal(restored.bodyText, 'Winds of 100 km/h.\nSchools closed.');
      assert.equal(restored.status, 'published', 'restoring content keeps the workflow status');
      assert.equal(restored.updatedAt, now.toISOString());
      const latest = (await listRevisions(deps.db, a.id))[0]!;
      assert.deepEqual([latest.revision, latest.action, latest.actorUserId], [restored.revision, 'restore', editor.userId]);
      assert.equal((await diffRevisions(deps.db, a.id, 1, restored.revision)).text, '(no changes to headline, standfirst or body)');
    });

    it('refuses a stale save and an edit the role does not allow', async () => {
      const a = await createArticle(
        deps,
        buildArticleInput({ sectionId: tax.world.id, headline: 'Contributor draft', status: 'draft', publishedAt: undefined }),
        { actor: contributor },
      );
      await updateArticle(deps, a.id, { ...a, headline: 'Contributor draft, v2' }, a.revision, { actor: contributor });
      await assert.rejects(updateArticle(deps, a.id, { ...a, headline: 'Lost update' }, a.revision, { actor: contributor }), {
        code: 'conflict',
      });
      const submitted = await runWorkflowAction(deps, a.id, { type: 'submit' }, contributor);
      await assert.rejects(
        updateArticle(deps, a.id, { ...submitted, headline: 'In review edit' }, submitted.revision, { actor: contributor }),
        { code: 'forbidden' },
      );
      await assert.rejects(
        updateArticle(deps, a.id, { ...submitted, status: 'published' }, submitted.revision, { actor: editor }),
        { code: 'validation_failed' },
        'status moves through workflow actions',
      );
      await assert.rejects(createArticle(deps, buildArticleInput({ sectionId: tax.world.id }), { actor: contributor }), {
        code: 'forbidden',
      });
    });

    it('adds updates and corrections to a published story, bumping its updated time and revision', async () => {
      const a = await createArticle(
        deps,
        buildArticleInput({ sectionId: tax.world.id, headline: 'Election results', publishedAt: undefined }),
        { actor: author },
      );
      later(30);
      const { note, article } = await addNote(
        deps,
        a.id,
        { kind: 'correction', text: '  An earlier version misstated the turnout.  ' },
        author,
        a.revision,
      );
      assert.equal(note.text, 'An earlier version misstated the turnout.');
      assert.equal(article.updatedAt, now.toISOString());
      const stored = (await findArticleById(deps.db, a.id))!;
      assert.equal(stored.updatedAt, now.toISOString());
      assert.equal(stored.revision, a.revision + 1);
      later(5);
      await addNote(deps, a.id, { kind: 'update', text: 'Final results added.' }, editor);
      const notes = await listNotes(deps.db, a.id);
      assert.deepEqual(
        notes.map((n) => [n.kind, n.text, n.actorUserId]),
        [
          ['correction', 'An earlier version misstated the turnout.', author.userId],
          ['update', 'Final results added.', editor.userId],
        ],
      );
      assert.deepEqual(
        (await listRevisions(deps.db, a.id)).map((r) => r.action),
        ['note_update', 'note_correction', 'create'],
      );

      await assert.rejects(addNote(deps, a.id, { kind: 'update', text: 'stale' }, editor, a.revision), { code: 'conflict' });
      await assert.rejects(addNote(deps, a.id, { kind: 'update', text: '' }, editor), { code: 'validation_failed' });
      await assert.rejects(addNote(deps, a.id, { kind: 'update', text: 'not mine' }, { userId: 'u-other', role: 'author' }), {
        code: 'forbidden',
      });
      const draft = await createArticle(
        deps,
        buildArticleInput({ sectionId: tax.world.id, headline: 'Unpublished', status: 'draft', publishedAt: undefined }),
      );
      await assert.rejects(addNote(deps, draft.id, { kind: 'update', text: 'too early' }, editor), { code: 'conflict' });
      assert.deepEqual(await listNotes(deps.db, draft.id), []);
    });
  });
}
