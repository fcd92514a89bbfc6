import { sql, SqliteAdapter, type Kysely } from 'kysely';

// Frozen. PostgreSQL: a search document's pairs (`phrase_pairs`, 20261211T0900) are each indexed
// word and the next one, whatever stopwords stand between: "@p" when they touch, "@q" with one
// stopword between ("state of play"), "@r" with two ("cost of the war", "end of the year",
// which had no pair before and were checked on every story holding both words: seconds at a
// million stories for two common words). Pairs of words with another indexed word between are
// gone: a phrase never needs them (its own words are between), and they were a fifth of the
// pairs. So "state of play" no longer finds "state cup play" (PostgreSQL's phrase match counts
// a stopword as any word; SQLite's FTS5 and the reader want the words typed).
//
// search_pairs: each position's lexemes with the next position's, at most three positions on
// (a position may hold several lexemes: a hyphenated word's parts). Filter lexemes have no
// positions and make no pairs. Joins on equality, which PostgreSQL hashes.
export async function up(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof SqliteAdapter) return;
  await sql`create or replace function search_pairs(v tsvector) returns tsvector
    language sql immutable strict parallel safe as $$
      with t as (select lexeme, unnest(positions) as p from unnest(v)),
        n as (select p, lead(p) over (order by p) as q from (select distinct p from t) s)
      select coalesce(array_to_tsvector(array_agg(distinct
          case n.q - n.p when 1 then '@p' when 2 then '@q' else '@r' end || a.lexeme || ' ' || b.lexeme)), ''::tsvector)
      from n join t a on a.p = n.p join t b on b.p = n.q
      where n.q - n.p <= 3
    $$`.execute(db);
  // Every document's pairs again. Its index is dropped first and built after from the new
  // pairs (updating it row by row would take far longer); the dead row versions it then also
  // holds go after the commit (afterCommit).
  await sql`drop index if exists search_documents_phrase_pairs_idx`.execute(db);
  await sql`update search_documents set phrase_pairs = search_phrase_vector(document)`.execute(db);
  await sql`create index search_documents_phrase_pairs_idx on search_documents using gin (phrase_pairs)`.execute(db);
}

/** Documents past which the indexes are rebuilt after the update (below, a rebuild gains nothing). */
const REBUILD_FROM_DOCUMENTS = 10_000;

// As 20261210T0900's: vacuum the update's dead row versions, then rebuild both indexes (each
// holds entries for them) from the live rows, concurrently.
export async function afterCommit(db: Kysely<any>, fromDocuments = REBUILD_FROM_DOCUMENTS): Promise<void> {
  if (db.getExecutor().adapter instanceof SqliteAdapter) return;
  const { rows } = await sql<{ n: number }>`select reltuples::bigint as n from pg_class where oid = 'search_documents'::regclass`.execute(
    db,
  );
  if (Number(rows[0]?.n ?? 0) < fromDocuments) return;
  await sql`vacuum (analyze) search_documents`.execute(db);
  await sql`reindex index concurrently search_documents_phrase_pairs_idx`.execute(db);
  await sql`reindex index concurrently search_documents_document_idx`.execute(db);
}

// Back to the pairs of 20261211T0900 (every two words at most one word apart).
export async function down(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof SqliteAdapter) return;
  await sql`create or replace function search_pairs(v tsvector) returns tsvector
    language sql immutable strict parallel safe as $$
      select coalesce(array_to_tsvector(array_agg(distinct case g.d when 1 then '@p' else '@q' end || a.lexeme || ' ' || b.lexeme)), ''::tsvector)
      from (select lexeme, unnest(positions) as p from unnest(v)) a
      cross join (values (1), (2)) as g(d)
      join (select lexeme, unnest(positions) as p from unnest(v)) b on b.p = a.p + g.d
    $$`.execute(db);
  await sql`update search_documents set phrase_pairs = search_phrase_vector(document)`.execute(db);
}
