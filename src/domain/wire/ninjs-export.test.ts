import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { serviceDepsFor, type TestServiceDeps } from '../../../test/support/factories.ts';
import { createTestDatabase, testDialects, type TestDatabase } from '../../../test/support/test-db.ts';
import { loadDemoContentIfEmpty } from '../../demo/demo-content.ts';
import { NotFoundError } from '../errors.ts';
import { importNinjsDocument } from './ninjs-import.ts';
import { articleToNinjs, exportTimes } from './ninjs-export.ts';
import { assertValidNinjs } from './ninjs-schemas.ts';
import { detectNinjsVersion } from './ninjs-version.ts';

for (const { dialect, skip } of await testDialects()) {
  describe(`${dialect}: ninjs export`, { skip }, () => {
    let t: TestDatabase;
    let deps: TestServiceDeps;

    before(async () => {
      t = await createTestDatabase(dialect);
      deps = { ...serviceDepsFor(t.handle), siteUrl: 'https://news.example.test' };
      await loadDemoContentIfEmpty(deps, 6);
    });
    after(async () => {
      deps?.cleanup();
      await t?.destroy();
    });

    it('every demo article, the seed article included, exports as ninjs 2.2 and 3.1 that the official schemas accept', async () => {
      const rows = await deps.db.selectFrom('articles').select(['id', 'slug']).execute();
      assert.ok(
        rows.some((r) => r.slug === 'russia-executing-soldiers-not-following-orders-says-us'),
        'the seed article is there',
      );
      for (const { id } of rows) {
        const v2 = await articleToNinjs(deps, id, '2');
        const v3 = await articleToNinjs(deps, id, '3');
        assertValidNinjs(v2, '2.2');
        assertValidNinjs(v3, '3.1');
        // Our own exports are recognised as what they say they are.
        assert.equal(detectNinjsVersion(v2), '2.2');
        assert.equal(detectNinjsVersion(v3), '3.1');
      }
    });

    it('carries headline, byline, body, subjects, pubstatus and the lead picture with its renditions', async () => {
      const seed = await deps.db
        .selectFrom('articles')
        .selectAll()
        .where('slug', '=', 'russia-executing-soldiers-not-following-orders-says-us')
        .executeTakeFirstOrThrow();
      const v3 = (await articleToNinjs(deps, seed.id, '3')) as Record<string, any>;
      assert.equal(v3.uri, `urn:uuid:${seed.id}`);
      assert.equal(v3.headlines[0].value, seed.headline);
      assert.equal(v3.pubStatus, 'usable');
      assert.ok(typeof v3.by === 'string' && v3.by.length > 0);
      assert.match(v3.bodies[0].value, /^<p>/);
      assert.ok(v3.subjects.some((s: { name: string }) => s.name === 'World'));
      if (seed.hero_image_id) {
        assert.equal(v3.associations[0].type, 'picture');
        assert.match(v3.associations[0].renditions[0].href, /^https:\/\/news\.example\.test\/media\/.+\/w\d+\.jpg$/);
      }
      const v2 = (await articleToNinjs(deps, seed.id, '2')) as Record<string, any>;
      assert.equal(v2.pubstatus, 'usable');
      assert.equal(v2.versioncreated, seed.modified_at);
    });

    it("tells every demo story's times in order: created before publication, the version not before either", async () => {
      const rows = await deps.db.selectFrom('articles').select(['id', 'created_at', 'modified_at', 'published_at', 'updated_at']).execute();
      for (const r of rows) {
        // At the source: the demo records each story as written before it was published.
        assert.ok(r.created_at <= r.published_at!, `stored created ${r.created_at} after published ${r.published_at}`);
        assert.ok(r.modified_at >= (r.updated_at ?? r.published_at!), `last write ${r.modified_at} before the story's own times`);
        for (const version of ['2', '3'] as const) {
          const doc = (await articleToNinjs(deps, r.id, version)) as Record<string, string>;
          const first = doc[version === '3' ? 'firstCreated' : 'firstcreated']!;
          const latest = doc[version === '3' ? 'versionCreated' : 'versioncreated']!;
          const published = doc[version === '3' ? 'contentCreated' : 'contentcreated']!;
          assert.ok(first <= published, `firstcreated ${first} after publication ${published}`);
          assert.ok(latest >= first, `versioncreated ${latest} before firstcreated ${first}`);
          assert.ok(latest <= deps.clock().toISOString(), 'no version from the future');
        }
      }
    });

    it('a story stored after its publication (an import) is exported as first created no later than published', () => {
      const stored = '2026-03-02T10:00:00.000Z';
      assert.deepEqual(exportTimes({ createdAt: stored, modifiedAt: stored, publishedAt: '2026-02-01T08:00:00.000Z' }), {
        firstCreated: '2026-02-01T08:00:00.000Z',
        versionCreated: stored,
      });
      const written = {
        createdAt: '2026-02-01T07:00:00.000Z',
        modifiedAt: '2026-02-01T09:00:00.000Z',
        publishedAt: '2026-02-01T08:00:00.000Z',
      };
      assert.deepEqual(exportTimes(written), { firstCreated: written.createdAt, versionCreated: written.modifiedAt });
    });

    it('round-trips: an exported story imports back as a draft with the same headline, byline and text', async () => {
      const seed = await deps.db
        .selectFrom('articles')
        .selectAll()
        .where('slug', '=', 'russia-executing-soldiers-not-following-orders-says-us')
        .executeTakeFirstOrThrow();
      for (const version of ['2', '3'] as const) {
        const doc = { ...(await articleToNinjs(deps, seed.id, version)), uri: `urn:test:roundtrip-${version}` };
        const back = await importNinjsDocument(deps, null, doc);
        assert.equal(back.status, 'created');
        assert.equal(back.article.status, 'draft');
        assert.equal(back.article.headline, seed.headline);
        assert.equal(back.article.standfirst, seed.standfirst);
        const paragraphs = JSON.parse(seed.body).blocks.filter((b: { type: string }) => b.type === 'paragraph').length;
        assert.equal(back.article.body.blocks.filter((b) => b.type === 'paragraph').length, paragraphs);
        for (const line of seed.body_text
          .split('\n')
          .filter((l) => l.length > 40)
          .slice(0, 10))
          assert.ok(back.article.bodyText.includes(line), line);
      }
    });

    it('an unknown article is a NotFoundError', async () => {
      await assert.rejects(articleToNinjs(deps, 'nope', '2'), NotFoundError);
    });
  });
}
