import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { seedUser } from '../../../test/support/account-factories.ts';
import { buildArticleInput, seedTaxonomy, serviceDepsFor, type Taxonomy, type TestServiceDeps } from '../../../test/support/factories.ts';
import { createTestDatabase, testDialects, type TestDatabase } from '../../../test/support/test-db.ts';
import type { Actor } from '../accounts/role.ts';
import { createArticle } from '../articles/article-service.ts';
import { listAuditEntries } from '../audit/audit-log.ts';
import { ConflictError, ForbiddenError, ValidationError } from '../errors.ts';
import {
  createSectionAsEditor,
  deleteSectionAsEditor,
  getSectionSummary,
  listSectionSummaries,
  updateSectionAsEditor,
} from './section-admin.ts';
import { sectionDirectory } from './section-directory.ts';

for (const { dialect, skip } of await testDialects()) {
  describe(`${dialect}: section administration`, { skip }, () => {
    let t: TestDatabase;
    let deps: TestServiceDeps;
    let tax: Taxonomy;
    let editor: Actor;
    let author: Actor;

    before(async () => {
      t = await createTestDatabase(dialect);
      deps = serviceDepsFor(t.handle);
      tax = await seedTaxonomy(deps);
      editor = { userId: (await seedUser(deps, 'editor')).id, role: 'editor' };
      author = { userId: (await seedUser(deps, 'author')).id, role: 'author' };
    });
    after(async () => {
      deps?.cleanup();
      await t?.destroy();
    });

    it('creates a section with a slug from its name, shows it in the directory at once, and audits it', async () => {
      const before = await sectionDirectory(deps.db).list();
      const s = await createSectionAsEditor(deps, editor, {
        name: '  Climate & Science ',
        description: 'The planet',
        position: '4' as unknown as number,
      });
      assert.equal(s.slug, 'climate-and-science');
      assert.equal(s.name, 'Climate & Science');
      assert.equal(s.position, 4);
      const now = await sectionDirectory(deps.db).list();
      assert.notEqual(now, before);
      assert.ok(
        now.some((x) => x.id === s.id),
        'the directory was invalidated, not left to its TTL',
      );
      const [entry] = await listAuditEntries(deps.db, { subjectType: 'section', subjectId: s.id });
      assert.equal(entry?.action, 'section.created');
      assert.equal(entry?.actorUserId, editor.userId);
    });

    it('refuses bad input, reserved and duplicate slugs with messages naming the field, and non-editors', async () => {
      await assert.rejects(
        createSectionAsEditor(deps, editor, { name: '' }),
        (e: unknown) => e instanceof ValidationError && /^name:/.test(e.message),
      );
      await assert.rejects(
        createSectionAsEditor(deps, editor, { name: 'Search', slug: 'search' }),
        (e: unknown) => e instanceof ValidationError && /slug: "search" is an address the site uses/.test(e.message),
      );
      await assert.rejects(
        createSectionAsEditor(deps, editor, { name: 'Authors' }),
        ValidationError,
        'reserved slug derived from the name',
      );
      await assert.rejects(
        createSectionAsEditor(deps, editor, { name: 'X', slug: 'Bad Slug!' }),
        (e: unknown) => e instanceof ValidationError && /^slug:/.test(e.message),
      );
      await assert.rejects(
        createSectionAsEditor(deps, editor, { name: 'X', position: -1 }),
        (e: unknown) => e instanceof ValidationError && /^position:/.test(e.message),
      );
      await assert.rejects(
        createSectionAsEditor(deps, editor, { name: 'World again', slug: 'world' }),
        (e: unknown) => e instanceof ConflictError && /"World" already uses the address \/world/.test(e.message),
      );
      await assert.rejects(createSectionAsEditor(deps, author, { name: 'Opinion' }), ForbiddenError);
      await assert.rejects(listSectionSummaries(deps, author), ForbiddenError);
      assert.equal(
        (await deps.db.selectFrom('sections').select('id').where('slug', 'in', ['search', 'world-again', 'opinion']).execute()).length,
        0,
        'nothing written',
      );
    });

    it('renames freely but refuses a new slug once a story in the section has been published', async () => {
      const empty = await createSectionAsEditor(deps, editor, { name: 'Travel' });
      const moved = await updateSectionAsEditor(deps, editor, empty.id, { name: 'Travel & Leisure', slug: 'travel-leisure', position: 7 });
      assert.equal(moved.slug, 'travel-leisure');
      assert.equal((await sectionDirectory(deps.db).bySlug('travel-leisure'))?.name, 'Travel & Leisure');

      await createArticle(deps, buildArticleInput({ sectionId: tax.europe.id }));
      await assert.rejects(
        updateSectionAsEditor(deps, editor, tax.europe.id, { name: 'Europe', slug: 'eu' }),
        (e: unknown) => e instanceof ConflictError && /\/europe cannot change: 1 published story/.test(e.message),
      );
      const renamed = await updateSectionAsEditor(deps, editor, tax.europe.id, {
        name: 'Europe news',
        slug: 'europe',
        description: 'From Lisbon to Kyiv',
      });
      assert.equal(renamed.name, 'Europe news');
      const summary = await getSectionSummary(deps, editor, tax.europe.id);
      assert.equal(summary.publishedCount, 1);
      assert.equal(summary.description, 'From Lisbon to Kyiv');
      await assert.rejects(updateSectionAsEditor(deps, editor, empty.id, { name: 'Travel', slug: 'sport' }), ConflictError);
      const entries = await listAuditEntries(deps.db, { subjectType: 'section', subjectId: tax.europe.id });
      assert.deepEqual(
        entries.map((e) => e.action),
        ['section.updated'],
      );
      assert.deepEqual((entries[0]!.details as Record<string, unknown>).name, { from: 'Europe', to: 'Europe news' });
    });

    it('deletes an empty section only; one with a draft is a 409 naming the count', async () => {
      await createArticle(deps, buildArticleInput({ sectionId: tax.sport.id, status: 'draft', publishedAt: null }));
      await assert.rejects(
        deleteSectionAsEditor(deps, editor, tax.sport.id),
        (e: unknown) => e instanceof ConflictError && /still has 1 story/.test(e.message),
      );
      const spare = await createSectionAsEditor(deps, editor, { name: 'Spare' });
      await deleteSectionAsEditor(deps, editor, spare.id);
      assert.equal(await sectionDirectory(deps.db).bySlug('spare'), undefined);
      assert.ok((await listSectionSummaries(deps, editor)).some((s) => s.id === tax.sport.id && s.storyCount === 1));
      const actions = (await listAuditEntries(deps.db, { subjectType: 'section', subjectId: spare.id })).map((e) => e.action).sort();
      assert.deepEqual(actions, ['section.created', 'section.deleted']);
    });
  });
}
