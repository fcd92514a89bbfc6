import { sql, SqliteAdapter, type Kysely } from 'kysely';

// Frozen. PostgreSQL: each search document gains `phrase_pairs`, a tsvector of one lexeme per
// pair of words that stand next to each other in its `document` ("@p" and the two lexemes with
// a space between: "@pjack brien"), or one word apart ("@q": "@qstate play" for "state of
// play", whose "of" is a stopword, so a phrase with one inside has pairs too), plus the
// document's filter lexemes (week, year, section), with a GIN index of its own; a trigger keeps
// it from `document` on every write, so no writer can forget it. A search asks this index for a quoted phrase's pairs (search-engine.ts): GIN
// keeps no positions, so a phrase was checked on every story holding all its words, and two
// words that often share a story but never touch cost seconds of the database's CPU at a
// million stories, where their pair has no posting at all. A column of its own rather than more
// lexemes in `document`: ranking reads each candidate's whole `document`, and the pairs made it
// 75 % larger and ranking 2.3 times as costly. SQLite's FTS5 keeps positions and needs none of this.
//
// search_pairs: the pair lexemes of a tsvector's positioned lexemes, every two at most one
// position apart (the filter lexemes have no positions and make none; an equality join, which
// PostgreSQL hashes: a range join ran six times as long). search_phrase_vector: the pairs and
// the filter lexemes.
// search_phrase_pairs: some phrases' pairs in a configuration, as a tsquery ANDing them; null
// when no phrase has two indexed words at most one word apart ("cost of the war" in English).
export async function up(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof SqliteAdapter) return;
  await sql`create or replace function search_pairs(v tsvector) returns tsvector
    language sql immutable strict parallel safe as $$
      select coalesce(array_to_tsvector(array_agg(distinct case g.d when 1 then '@p' else '@q' end || a.lexeme || ' ' || b.lexeme)), ''::tsvector)
      from (select lexeme, unnest(positions) as p from unnest(v)) a
      cross join (values (1), (2)) as g(d)
      join (select lexeme, unnest(positions) as p from unnest(v)) b on b.p = a.p + g.d
    $$`.execute(db);
  await sql`create or replace function search_phrase_vector(v tsvector) returns tsvector
    language sql immutable strict parallel safe as $$
      select search_pairs(v) || array_to_tsvector(array(select lexeme from unnest(v) where positions is null))
    $$`.execute(db);
  await sql`create or replace function search_phrase_pairs(cfg regconfig, phrases text[]) returns tsquery
    language sql stable strict parallel safe as $$
      select string_agg('''' || replace(replace(p.lexeme, '\\', '\\\\'), '''', '''''') || '''', ' & ')::tsquery
      from unnest(phrases) as ph(words), unnest(search_pairs(to_tsvector(cfg, ph.words))) as p
    $$`.execute(db);
  await sql`alter table search_documents add column phrase_pairs tsvector`.execute(db);
  await sql`create or replace function search_documents_phrase_pairs() returns trigger language plpgsql as $$
    begin
      new.phrase_pairs := search_phrase_vector(new.document);
      return new;
    end $$`.execute(db);
  await sql`create trigger search_documents_phrase_pairs before insert or update of document on search_documents
    for each row execute function search_documents_phrase_pairs()`.execute(db);
  await sql`update search_documents set phrase_pairs = search_phrase_vector(document)`.execute(db);
  // Built after the update, from rows that all have their pairs (the old versions' nulls add no postings).
  await sql`create index search_documents_phrase_pairs_idx on search_documents using gin (phrase_pairs)`.execute(db);
}

// The update left a dead row version per document, and the documents' own GIN index took an
// entry for each new one: vacuum, then rebuild that index from the live rows, concurrently, as
// 20261210T0900 does after its own mass update (see there why).
export { afterCommit } from './20261210T0900-add-search-section-week-terms.ts';

export async function down(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof SqliteAdapter) return;
  await sql`drop trigger if exists search_documents_phrase_pairs on search_documents`.execute(db);
  await sql`drop function if exists search_documents_phrase_pairs()`.execute(db);
  await sql`alter table search_documents drop column if exists phrase_pairs`.execute(db);
  await sql`drop function if exists search_phrase_pairs(regconfig, text[])`.execute(db);
  await sql`drop function if exists search_phrase_vector(tsvector)`.execute(db);
  await sql`drop function if exists search_pairs(tsvector)`.execute(db);
}
