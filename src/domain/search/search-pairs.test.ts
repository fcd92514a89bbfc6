import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { createTestDatabase, testDialects, type TestDatabase } from '../../../test/support/test-db.ts';
import * as keepSearchPairPlans from '../../db/migrations/20261215T0900-keep-search-pair-plans.ts';

/*
 * PostgreSQL finds a quoted phrase through its word pairs (migrations 20261211T0900,
 * 20261212T0900), computed by database functions both when a document is written and for each
 * search step. Those functions are PL/pgSQL (20261215T0900), which keeps their plans per
 * connection; they must give exactly the answers of the SQL definitions they replaced.
 */

const TEXTS: [config: string, text: string][] = [
  ['masthead_english', 'Ground local elections'],
  ['masthead_english', 'the state of play at the end of the year'],
  ['masthead_english', 'cost of the war'],
  ['masthead_english', 'A well-known co-operative, said Jonas'],
  ['masthead_english', 'of the and'],
  ['masthead_french', 'Les élections municipales de l’année'],
  ['masthead_german', 'Die Bundesregierung hat heute entschieden'],
];

const PHRASES: [config: string, phrases: string[]][] = [
  ['masthead_english', ['ground local']],
  ['masthead_english', ['state of play', 'cost of the war']],
  ['masthead_english', ["o'brien said"]],
  ['masthead_english', ['the of']],
  ['masthead_french', ['élections municipales']],
];

for (const { dialect, skip } of (await testDialects()).filter((d) => d.dialect === 'postgres')) {
  describe(`${dialect}: the phrase pair functions`, { skip }, () => {
    let t: TestDatabase;

    before(async () => {
      t = await createTestDatabase(dialect);
    });
    after(async () => {
      await t?.destroy();
    });

    const answers = async () => {
      const db = t.handle.db;
      const out: string[] = [];
      for (const [config, text] of TEXTS) {
        const { rows } = await sql<{
          pairs: string;
          vector: string;
        }>`select search_pairs(to_tsvector(${config}::regconfig, ${text}))::text as pairs,
          search_phrase_vector(to_tsvector(${config}::regconfig, ${text}) || '@y2026'::tsvector)::text as vector`.execute(db);
        out.push(`${text} → ${rows[0]!.pairs} | ${rows[0]!.vector}`);
      }
      for (const [config, phrases] of PHRASES) {
        const { rows } = await sql<{
          query: string | null;
        }>`select search_phrase_pairs(${config}::regconfig, ${phrases}::text[])::text as query`.execute(db);
        out.push(`${phrases.join(' / ')} → ${rows[0]!.query}`);
      }
      return out;
    };

    it('answer as the SQL definitions they replaced did', async () => {
      const now = await answers();
      // Pairs across stopwords, a hyphenated word's parts, filter lexemes kept, no pair at all.
      assert.match(now[0]!, /'@pground local'/);
      assert.match(now[1]!, /'@qstate play'/);
      assert.match(now[2]!, /'@rcost war'/);
      assert.match(now[3]!, /'@y2026'/);
      assert.match(now[4]!, /→  \| '@y2026'$/);
      assert.match(now.at(-1)!, /'@pélect municipal'|'@pelect municipal'/);
      await keepSearchPairPlans.down(t.handle.db);
      try {
        assert.deepEqual(await answers(), now);
      } finally {
        await keepSearchPairPlans.up(t.handle.db);
      }
    });

    it('are PL/pgSQL, whose plans a connection keeps (a SQL function is planned again in every statement)', async () => {
      const { rows } = await sql<{ name: string; language: string }>`select p.proname as name, l.lanname as language
        from pg_proc p join pg_language l on l.oid = p.prolang
        where p.proname in ('search_pairs', 'search_phrase_vector', 'search_phrase_pairs') order by 1`.execute(t.handle.db);
      assert.deepEqual(
        rows.map((r) => `${r.name}:${r.language}`),
        ['search_pairs:plpgsql', 'search_phrase_pairs:plpgsql', 'search_phrase_vector:plpgsql'],
      );
    });
  });
}
