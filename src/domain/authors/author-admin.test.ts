import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { seedUser } from '../../../test/support/account-factories.ts';
import { buildArticleInput, seedTaxonomy, serviceDepsFor, type Taxonomy, type TestServiceDeps } from '../../../test/support/factories.ts';
import { createTestDatabase, testDialects, type TestDatabase } from '../../../test/support/test-db.ts';
import type { Actor } from '../accounts/role.ts';
import { createArticle } from '../articles/article-service.ts';
import { listAuditEntries } from '../audit/audit-log.ts';
import { ConflictError, ForbiddenError, ValidationError } from '../errors.ts';
import { createAuthorAsEditor, deleteAuthorAsEditor, getAuthorSummary, listAuthorSummaries, updateAuthorAsEditor } from './author-admin.ts';
import { findAuthorBySlug } from './author.ts';

for (const { dialect, skip } of await testDialects()) {
  describe(`${dialect}: author administration`, { skip }, () => {
    let t: TestDatabase;
    let deps: TestServiceDeps;
    let tax: Taxonomy;
    let editor: Actor;

    before(async () => {
      t = await createTestDatabase(dialect);
      deps = serviceDepsFor(t.handle);
      tax = await seedTaxonomy(deps);
      editor = { userId: (await seedUser(deps, 'editor')).id, role: 'editor' };
    });
    after(async () => {
      deps?.cleanup();
      await t?.destroy();
    });

    it('creates and updates an author with slug from the name, audited; refuses duplicates, unknown photos and non-editors', async () => {
      const a = await createAuthorAsEditor(deps, editor, {
        name: 'Zoë Ångström',
        roleTitle: 'Science editor',
        bio: 'Writes about <physics>.',
      });
      assert.equal(a.slug, 'zoe-angstroem');
      assert.equal(a.photoImageId, null);
      assert.equal((await findAuthorBySlug(deps.db, 'zoe-angstroem'))?.roleTitle, 'Science editor');
      await assert.rejects(
        createAuthorAsEditor(deps, editor, { name: 'Sudesh Baniya' }),
        (e: unknown) => e instanceof ConflictError && /already has the address \/authors\/sudesh-baniya/.test(e.message),
      );
      await assert.rejects(
        createAuthorAsEditor(deps, editor, { name: 'X', photoImageId: '0190aaaa-0000-7000-8000-000000000000' }),
        (e: unknown) => e instanceof ValidationError && /^photoImageId:/.test(e.message),
      );
      await assert.rejects(
        createAuthorAsEditor(deps, editor, { name: 'X', slug: '-x-' }),
        (e: unknown) => e instanceof ValidationError && /^slug:/.test(e.message),
      );
      await assert.rejects(
        createAuthorAsEditor(deps, editor, { name: 'X', bio: 'b'.repeat(2001) }),
        (e: unknown) => e instanceof ValidationError && /^bio:/.test(e.message),
      );
      await assert.rejects(createAuthorAsEditor(deps, { userId: editor.userId, role: 'contributor' }, { name: 'Sneaky' }), ForbiddenError);
      assert.equal(await findAuthorBySlug(deps.db, 'x'), null, 'nothing half-written');

      const updated = await updateAuthorAsEditor(deps, editor, a.id, {
        name: 'Zoë Ångström',
        slug: 'zoe',
        roleTitle: 'Science editor',
        bio: '',
      });
      assert.equal(updated.slug, 'zoe');
      await assert.rejects(updateAuthorAsEditor(deps, editor, a.id, { name: 'Z', slug: 'amira-haddad' }), ConflictError);
      const actions = (await listAuditEntries(deps.db, { subjectType: 'author', subjectId: a.id })).map((e) => e.action).sort();
      assert.deepEqual(actions, ['author.created', 'author.updated']);
    });

    it('deletes an author only when no byline uses them', async () => {
      await createArticle(
        deps,
        buildArticleInput({ sectionId: tax.world.id, authorIds: [tax.reporter.id], status: 'draft', publishedAt: null }),
      );
      await assert.rejects(
        deleteAuthorAsEditor(deps, editor, tax.reporter.id),
        (e: unknown) => e instanceof ConflictError && /byline of 1 story/.test(e.message),
      );
      assert.equal((await getAuthorSummary(deps, editor, tax.reporter.id)).storyCount, 1);
      await deleteAuthorAsEditor(deps, editor, tax.editor.id);
      assert.ok(!(await listAuthorSummaries(deps, editor)).some((a) => a.id === tax.editor.id));
      const [entry] = await listAuditEntries(deps.db, { subjectType: 'author', subjectId: tax.editor.id });
      assert.equal(entry?.action, 'author.deleted');
    });
  });
}
