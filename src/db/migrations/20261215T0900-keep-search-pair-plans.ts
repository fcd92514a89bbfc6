import { sql, SqliteAdapter, type Kysely } from 'kysely';

// Frozen. PostgreSQL: the pair functions of 20261211T0900 and 20261212T0900 again, same
// answers, in PL/pgSQL instead of SQL. A SQL function that cannot be inlined (these have joins,
// a window and aggregates) is planned again in every statement that calls it, and its inner
// call to search_pairs in every call: a phrase search step calls search_phrase_pairs twice, and
// the planning made ~1.1 ms of a 1.7 ms step at a million stories (EXPLAIN ANALYZE: each call
// 0.47–0.73 ms). PL/pgSQL keeps each statement's plan for the session (the connection), so a
// call costs its run only (~0.05 ms once the plan is generic). The trigger that writes a
// document's pairs (search_phrase_vector) gains the same on every save and reindex.
export async function up(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof SqliteAdapter) return;
  await sql`create or replace function search_pairs(v tsvector) returns tsvector
    language plpgsql immutable strict parallel safe as $$
    declare pairs tsvector;
    begin
      with t as (select lexeme, unnest(positions) as p from unnest(v)),
        n as (select p, lead(p) over (order by p) as q from (select distinct p from t) s)
      select coalesce(array_to_tsvector(array_agg(distinct
          case n.q - n.p when 1 then '@p' when 2 then '@q' else '@r' end || a.lexeme || ' ' || b.lexeme)), ''::tsvector)
      into pairs
      from n join t a on a.p = n.p join t b on b.p = n.q
      where n.q - n.p <= 3;
      return pairs;
    end $$`.execute(db);
  await sql`create or replace function search_phrase_vector(v tsvector) returns tsvector
    language plpgsql immutable strict parallel safe as $$
    begin
      return search_pairs(v) || array_to_tsvector(array(select lexeme from unnest(v) where positions is null));
    end $$`.execute(db);
  await sql`create or replace function search_phrase_pairs(cfg regconfig, phrases text[]) returns tsquery
    language plpgsql stable strict parallel safe as $$
    declare pairs tsquery;
    begin
      select string_agg('''' || replace(replace(p.lexeme, '\\', '\\\\'), '''', '''''') || '''', ' & ')::tsquery
      into pairs
      from unnest(phrases) as ph(words), unnest(search_pairs(to_tsvector(cfg, ph.words))) as p;
      return pairs;
    end $$`.execute(db);
}

// The SQL definitions of 20261211T0900 and 20261212T0900 (the same answers, planned per statement).
export async function down(db: Kysely<any>): Promise<void> {
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
  await sql`create or replace function search_phrase_vector(v tsvector) returns tsvector
    language sql immutable strict parallel safe as $$
      select search_pairs(v) || array_to_tsvector(array(select lexeme from unnest(v) where positions is null))
    $$`.execute(db);
  await sql`create or replace function search_phrase_pairs(cfg regconfig, phrases text[]) returns tsquery
    language sql stable strict parallel safe as $$
      select string_agg('''' || replace(replace(p.lexeme, '\\', '\\\\'), '''', '''''') || '''', ' & ')::tsquery
      from unnest(phrases) as ph(words), unnest(search_pairs(to_tsvector(cfg, ph.words))) as p
    $$`.execute(db);
}
