import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { down, up } from '../../db/migrations/20261215T0900-add-search-block-terms.ts';
import {
  buildArticleInput,
  hoursAgo,
  paragraphs,
  seedTaxonomy,
  serviceDepsFor,
  type TestServiceDeps,
} from '../../../test/support/factories.ts';
import { createTestDatabase, testDialects, type TestDatabase } from '../../../test/support/test-db.ts';
import { createArticle } from '../articles/article-service.ts';
import { searchInputSchema, searchPublished } from './search-service.ts';

/*
 * PostgreSQL's stories carry the lexemes of their block of four weeks (search-index.ts), which
 * search steps ask spans of weeks with. A database indexed before them gets them from the
 * migration, computed by SQL: it must give every story exactly the lexemes the index writes.
 */

const postgres = (await testDialects()).find((d) => d.dialect === 'postgres')!;

describe('postgres: the block lexemes of stories indexed before them', { skip: postgres.skip }, () => {
  let t: TestDatabase;
  let deps: TestServiceDeps;
  let sectionIds: string[] = [];
  const weeksAgo = (w: number) => hoursAgo(w * 7 * 24);

  /** Each story's filter lexemes (every lexeme starting with "@"), by id. */
  const filterLexemes = async () => {
    const { rows } = await sql<{ article_id: string; lexemes: string[] }>`select article_id,
        array(select lexeme from unnest(document) where lexeme like '@%' order by lexeme) as lexemes
      from search_documents order by article_id`.execute(t.handle.db);
    return new Map(rows.map((r) => [r.article_id, r.lexemes]));
  };
  const found = async (q: string, section?: string) =>
    (await searchPublished(deps, searchInputSchema.parse({ q, section, sort: 'newest' }), 20)).results.map((r) => r.teaser.headline);

  before(async () => {
    t = await createTestDatabase('postgres');
    deps = serviceDepsFor(t.handle);
    const tax = await seedTaxonomy(deps);
    sectionIds = [tax.world.id, tax.sport.id];
    // Weeks apart, on both sides of block boundaries, in two sections.
    for (const [w, section] of [
      [0.2, tax.world],
      [3, tax.world],
      [5, tax.sport],
      [9, tax.world],
      [14, tax.sport],
      [23, tax.world],
      [41, tax.world],
    ] as const) {
      await createArticle(
        deps,
        buildArticleInput({
          sectionId: section.id,
          headline: `Wombat count, ${w} weeks ago`,
          body: paragraphs('Wombats were counted.'),
          publishedAt: weeksAgo(w),
        }),
      );
    }
  });
  after(async () => {
    await t?.destroy();
    deps?.cleanup();
  });

  it('gives each story the same block lexemes the index writes, and takes them away on the way down', async () => {
    const written = await filterLexemes();
    const isBlock = (l: string) => /^@f\d+$/.test(l) || sectionIds.some((id) => new RegExp(`^@s${id}f\\d+$`).test(l));
    const blocks = [...written.values()].flat().filter(isBlock);
    assert.equal(blocks.length, 14, 'a block lexeme and a section block lexeme for each of the 7 published stories');
    await down(t.handle.db);
    const without = await filterLexemes();
    for (const [id, lexemes] of written) {
      assert.deepEqual(
        without.get(id),
        lexemes.filter((l) => !blocks.includes(l)),
        'only the block lexemes are taken away',
      );
    }
    assert.ok((await found('wombats')).length < 7, 'a search asks the blocks: without them, older stories are missed');
    await up(t.handle.db);
    assert.deepEqual(await filterLexemes(), written);
  });

  it('finds every published story back over the weeks, within a section too', async () => {
    assert.deepEqual(await found('wombats'), [
      'Wombat count, 0.2 weeks ago',
      'Wombat count, 3 weeks ago',
      'Wombat count, 5 weeks ago',
      'Wombat count, 9 weeks ago',
      'Wombat count, 14 weeks ago',
      'Wombat count, 23 weeks ago',
      'Wombat count, 41 weeks ago',
    ]);
    assert.deepEqual(await found('wombats', 'sport'), ['Wombat count, 5 weeks ago', 'Wombat count, 14 weeks ago']);
  });
});
