import { sql, SqliteAdapter, type Kysely } from 'kysely';

// Frozen. PostgreSQL: every story's tsvector gains one lexeme per pair of words that stand next
// to each other in it ("@p" and the two lexemes with a space between: "@pjack brien"), as
// domain/search/search-index.ts writes it from now on, and a search asks for a quoted phrase's
// pairs with its words (search-engine.ts). GIN keeps no positions, so a phrase was checked on
// every story holding all its words: two words that often share a story but never touch cost
// ~0.4 s of the database's CPU at a million stories, where the pair's lexeme has no posting at
// all. SQLite's FTS5 keeps positions and needs none of this.
//
// search_pairs: the pair lexemes of a tsvector's positioned lexemes (lexemes without positions,
// the week, year and section ones, make none; so neither do the pairs themselves).
// search_with_pairs: the tsvector with them. search_phrase_pairs: the pairs of some phrases as
// a tsquery ANDing them, in a configuration (null when no phrase has two indexed words in a row).
export async function up(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof SqliteAdapter) return;
  await sql`create or replace function search_pairs(v tsvector) returns tsvector
    language sql immutable strict parallel safe as $$
      select coalesce(array_to_tsvector(array_agg(distinct '@p' || a.lexeme || ' ' || b.lexeme)), ''::tsvector)
      from (select lexeme, unnest(positions) as p from unnest(v)) a
      join (select lexeme, unnest(positions) as p from unnest(v)) b on b.p = a.p + 1
    $$`.execute(db);
  await sql`create or replace function search_with_pairs(v tsvector) returns tsvector
    language sql immutable strict parallel safe as $$ select v || search_pairs(v) $$`.execute(db);
  await sql`create or replace function search_phrase_pairs(cfg regconfig, phrases text[]) returns tsquery
    language sql stable strict parallel safe as $$
      select string_agg('''' || replace(replace(p.lexeme, '\\', '\\\\'), '''', '''''') || '''', ' & ')::tsquery
      from unnest(phrases) as ph(words), unnest(search_pairs(to_tsvector(cfg, ph.words))) as p
    $$`.execute(db);
  await sql`update search_documents set document = search_with_pairs(document)`.execute(db);
}

// The update left a dead row version per document: vacuum, then rebuild the GIN index from the
// live rows, concurrently, as 20261210T0900 does after its own mass update (see there why).
export { afterCommit } from './20261210T0900-add-search-section-week-terms.ts';

export async function down(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof SqliteAdapter) return;
  await sql`update search_documents set document = ts_delete(document, array(select lexeme from unnest(document) where lexeme like '@p%'))`.execute(
    db,
  );
  await sql`drop function if exists search_phrase_pairs(regconfig, text[])`.execute(db);
  await sql`drop function if exists search_with_pairs(tsvector)`.execute(db);
  await sql`drop function if exists search_pairs(tsvector)`.execute(db);
}
