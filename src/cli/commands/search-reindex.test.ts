import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { buildArticleInput, paragraphs, seedTaxonomy } from '../../../test/support/factories.ts';
import { createTestDatabase, drainBeforeDestroy, testDialects, type TestDatabase } from '../../../test/support/test-db.ts';
import { loadConfig } from '../../config.ts';
import { createDeps, type Deps } from '../../deps.ts';
import { createArticle } from '../../domain/articles/article-service.ts';
import { searchInputSchema, searchPublished } from '../../domain/search/search-service.ts';
import { runCli } from '../cli.ts';
import type { CliIo } from '../cli-io.ts';

/* `npm run masthead -- search reindex` on both databases: an emptied index is rebuilt, with progress lines. */

for (const { dialect, skip } of await testDialects()) {
  describe(`${dialect}: masthead search reindex`, { skip }, () => {
    let t: TestDatabase;
    let deps: Deps;
    const run = async (argv: string[]) => {
      const io = { out: '', err: '', stdin: Readable.from(['']) as CliIo['stdin'] } as CliIo & { out: string; err: string };
      io.stdout = { write: (s: string) => (io.out += s) };
      io.stderr = { write: (s: string) => (io.err += s) };
      const code = await runCli(argv, { io, openDeps: async () => deps });
      return { code, out: io.out, err: io.err };
    };
    const found = async (q: string) => (await searchPublished(deps, searchInputSchema.parse({ q }), 10)).results.length;

    before(async () => {
      t = await createTestDatabase(dialect);
      deps = await createDeps(loadConfig({ LOG_LEVEL: 'silent' }), { handle: t.handle });
      drainBeforeDestroy(t.handle, deps.deferredWork);
      const { world } = await seedTaxonomy(deps);
      for (let i = 0; i < 5; i++) {
        await createArticle(
          deps,
          buildArticleInput({ sectionId: world.id, headline: `Pelican count ${i}`, body: paragraphs(`Flamingos number ${i}.`) }),
        );
      }
    });
    after(() => t?.destroy());

    it('rebuilds an emptied index and reports progress', async () => {
      if (dialect === 'sqlite') await sql`delete from search_fts`.execute(deps.db);
      await deps.db.deleteFrom('search_documents').execute();
      assert.equal(await found('flamingos'), 0);
      const r = await run(['search', 'reindex', '--batch', '2']);
      assert.equal(r.code, 0, r.err);
      assert.match(r.out, /indexed 0 of 5 stories\n/);
      assert.match(r.out, /indexed 5 of 5 stories\n/);
      assert.match(r.out, /Reindexed 5 stories in [\d.]+ s\nReindexed 0 images for the media library\n$/);
      assert.equal(await found('flamingos'), 5);
    });

    it('refuses bad options as usage errors', async () => {
      assert.equal((await run(['search', 'reindex', '--batch', 'lots'])).code, 2);
      assert.equal((await run(['search', 'reindex', '--frobnicate'])).code, 2);
    });
  });
}
