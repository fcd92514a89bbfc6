import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { seedTaxonomy, serviceDepsFor, type TestServiceDeps } from '../../../test/support/factories.ts';
import { createTestDatabase, testDialects, type TestDatabase } from '../../../test/support/test-db.ts';
import { listAuditEntries } from '../audit/audit-log.ts';
import { authorsForArticle } from '../authors/author.ts';
import { ValidationError } from '../errors.ts';
import { listSections } from '../sections/section.ts';
import { tagsForArticle } from '../tags/tag.ts';
import { importHtmlPage } from './html-import.ts';
import { importNinjsDocument } from './ninjs-import.ts';

/* The import write path on a fresh database and under simultaneous imports, on both databases. */

const item = (n: number, extra: Record<string, unknown> = {}) => ({
  uri: `urn:test:writer:${n}`,
  type: 'text',
  headline: `Harbour story ${n}`,
  body_text: 'Ferries ran again on Tuesday after the storm.',
  ...extra,
});

for (const { dialect, skip } of await testDialects()) {
  describe(`${dialect}: imports into a database with no section yet`, { skip }, () => {
    let t: TestDatabase;
    let deps: TestServiceDeps;
    beforeEach(async () => {
      t = await createTestDatabase(dialect);
      deps = serviceDepsFor(t.handle);
    });
    afterEach(async () => {
      deps?.cleanup();
      await t?.destroy();
    });

    it('creates "News" for the first story when no section is named, says so, and audits it', async () => {
      const r = await importNinjsDocument(deps, null, item(1));
      const sections = await listSections(deps.db);
      assert.deepEqual(
        sections.map((s) => [s.name, s.slug]),
        [['News', 'news']],
      );
      assert.equal(r.article.sectionId, sections[0]!.id);
      assert.ok(r.notes.some((n) => /no section yet: created "News" \(\/news\)/.test(n)));
      const audit = await listAuditEntries(deps.db, { action: 'section.created' });
      assert.deepEqual(
        audit.map((e) => e.subjectId),
        [sections[0]!.id],
      );
      // The next import finds it: no second section, no note.
      const again = await importHtmlPage(
        deps,
        null,
        `<article><h1>Second</h1>${'<p>Ferries ran again on Tuesday.</p>'.repeat(5)}</article>`,
      );
      assert.equal(again.article.sectionId, sections[0]!.id);
      assert.ok(!again.notes.some((n) => /no section yet/.test(n)));
      assert.equal((await listSections(deps.db)).length, 1);
    });

    it('creates the section the import names', async () => {
      const r = await importNinjsDocument(deps, null, item(2), { sectionSlug: 'local-news' });
      const sections = await listSections(deps.db);
      assert.deepEqual(
        sections.map((s) => [s.name, s.slug]),
        [['Local news', 'local-news']],
      );
      assert.equal(r.article.sectionId, sections[0]!.id);
    });

    it('refuses a section name that cannot be an address with a ValidationError, leaving nothing behind', async () => {
      await assert.rejects(importNinjsDocument(deps, null, item(3), { sectionSlug: 'Not A Slug!' }), ValidationError);
      await assert.rejects(importNinjsDocument(deps, null, item(3), { sectionSlug: 'api' }), /cannot be a section address/);
      assert.equal((await listSections(deps.db)).length, 0);
    });

    it('files simultaneous first imports into one new section', async () => {
      const results = await Promise.allSettled(Array.from({ length: 6 }, (_, i) => importNinjsDocument(deps, null, item(10 + i))));
      assert.deepEqual(
        results.map((r) => (r.status === 'fulfilled' ? 'ok' : String(r.reason))),
        Array(6).fill('ok'),
      );
      const sections = await listSections(deps.db);
      assert.equal(sections.length, 1);
      for (const r of results) assert.equal(r.status === 'fulfilled' && r.value.article.sectionId, sections[0]!.id);
    });
  });

  describe(`${dialect}: imports into a site with sections`, { skip }, () => {
    let t: TestDatabase;
    let deps: TestServiceDeps;
    beforeEach(async () => {
      t = await createTestDatabase(dialect);
      deps = serviceDepsFor(t.handle);
      await seedTaxonomy(deps);
    });
    afterEach(async () => {
      deps?.cleanup();
      await t?.destroy();
    });

    it('refuses an unknown section by name, listing the known ones, and never creates it', async () => {
      const before = (await listSections(deps.db)).length;
      await assert.rejects(importNinjsDocument(deps, null, item(20), { sectionSlug: 'culture' }), (err: unknown) => {
        assert.ok(err instanceof ValidationError);
        assert.match(err.message, /there is no section "culture" \(known: .*world.*\)/);
        return true;
      });
      await assert.rejects(importNinjsDocument(deps, null, item(21), { sectionId: 'no-such-id' }), /no section with id/);
      assert.equal((await listSections(deps.db)).length, before);
    });

    it('lets simultaneous imports naming the same new byline and subject share one author and one tag', async () => {
      const n = 8;
      const results = await Promise.allSettled(
        Array.from({ length: n }, (_, i) =>
          importNinjsDocument(deps, null, item(30 + i, { byline: 'By Brand New Reporter', subject: [{ name: 'Harbour works' }] })),
        ),
      );
      assert.deepEqual(
        results.map((r) => (r.status === 'fulfilled' ? 'ok' : String(r.reason))),
        Array(n).fill('ok'),
      );
      const authors = await deps.db.selectFrom('authors').select('id').where('slug', '=', 'brand-new-reporter').execute();
      const tags = await deps.db.selectFrom('tags').select('id').where('slug', '=', 'harbour-works').execute();
      assert.equal(authors.length, 1);
      assert.equal(tags.length, 1);
      for (const r of results) {
        if (r.status !== 'fulfilled') continue;
        assert.deepEqual(
          (await authorsForArticle(deps.db, r.value.article.id)).map((a) => a.id),
          [authors[0]!.id],
        );
        assert.deepEqual(
          (await tagsForArticle(deps.db, r.value.article.id)).map((x) => x.id),
          [tags[0]!.id],
        );
      }
    });
  });
}
