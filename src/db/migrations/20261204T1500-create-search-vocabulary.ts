import { sql, SqliteAdapter, type Kysely } from 'kysely';

// Frozen. Spelling suggestions (issue 13): the words of the stories readers can see, with how
// many such stories contain each, kept by the story's own save beside its search document.
//
// search_vocabulary: one row per word as indexed (lower-case), its accent-folded form, that
// form's first letter and length (the index candidates are fetched by), and its document count.
// search_documents.in_vocabulary: whether that document's words are counted (it was visible
// when last written), so a later save or a delete knows what to take back.
//
// PostgreSQL also gets a trigram index on the folded form when pg_trgm can be created (contrib;
// without the privilege suggestions use the first-letter/length bound alone).
//
// Existing documents are counted here with a frozen copy of the word rules (migrations import
// no application code), in batches, when there are few; many are left to a background
// back-fill (below); `npm run masthead -- search reindex` rebuilds it all.

const WORD = /[\p{L}\p{M}\p{N}]+/gu;
const BATCH = 500;
/** Documents counted inline at most (about 1 ms each). */
const INLINE_FILL_MAX = 5000;

function fold(word: string): string {
  return word
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase();
}

function termsOf(texts: string[]): Set<string> {
  const out = new Set<string>();
  for (const text of texts) {
    for (const w of text.normalize('NFC').toLowerCase().match(WORD) ?? []) {
      if (/\p{N}/u.test(w)) continue;
      const n = [...fold(w)].length;
      if (n >= 3 && n <= 40) out.add(w);
    }
  }
  return out;
}

export async function up(db: Kysely<any>): Promise<void> {
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  await sql`alter table search_documents add column in_vocabulary integer not null default 0`.execute(db);
  await sql`create table search_vocabulary (
    term text primary key,
    folded text not null,
    initial text not null,
    length integer not null,
    doc_count integer not null
  )`.execute(db);
  await sql`create index search_vocabulary_folded_idx on search_vocabulary (folded)`.execute(db);
  // Covering (term and folded last), so a bucket's most frequent words are read from the index alone.
  await sql`create index search_vocabulary_bucket_idx on search_vocabulary (initial, length, doc_count, term, folded)`.execute(db);
  if (!sqlite) {
    // As for unaccent: a refused CREATE EXTENSION must not abort the migration's transaction.
    await sql`do $$ begin
      create extension if not exists pg_trgm;
    exception when others then
      raise notice 'pg_trgm unavailable (%): spelling suggestions use the first-letter bound only', sqlerrm;
    end $$`.execute(db);
    const has = (await sql<{ n: number }>`select count(*)::int as n from pg_extension where extname = 'pg_trgm'`.execute(db)).rows[0]!.n;
    if (has > 0) await sql`create index search_vocabulary_trgm_idx on search_vocabulary using gin (folded gin_trgm_ops)`.execute(db);
  }
  // Small databases are counted here; a big one would hold start-up for minutes (137 s at
  // 100,000 stories), so it gets a cursor row instead and the scheduler counts it in the
  // background (domain/search/search-vocabulary-backfill.ts). Databases that already ran this
  // migration counted inline and never see the row.
  const docs = Number((await sql<{ n: number | string }>`select count(*) as n from search_documents`.execute(db)).rows[0]!.n);
  if (docs <= INLINE_FILL_MAX) await fill(db, new Date().toISOString());
  else await sql`insert into search_state (key, value) values ('vocabulary_backfill_after', '')`.execute(db);
}

/** Counts the words of every document of a story visible at `nowIso` (the visibility rule, frozen). */
async function fill(db: Kysely<any>, nowIso: string): Promise<void> {
  let after = '';
  for (;;) {
    const rows = (await db
      .selectFrom('search_documents as d')
      .innerJoin('articles as a', 'a.id', 'd.article_id')
      .select(['d.article_id', 'd.headline', 'd.standfirst', 'd.body', 'd.meta'])
      .where('d.article_id', '>', after)
      .where('a.status', '=', 'published')
      .where('a.published_at', '<=', nowIso)
      .where((eb) => eb.or([eb('a.embargo_until', 'is', null), eb('a.embargo_until', '<=', nowIso)]))
      .orderBy('d.article_id')
      .limit(BATCH)
      .execute()) as Array<{ article_id: string; headline: string; standfirst: string; body: string; meta: string }>;
    if (!rows.length) return;
    const counts = new Map<string, number>();
    for (const r of rows) for (const t of termsOf([r.headline, r.standfirst, r.body, r.meta])) counts.set(t, (counts.get(t) ?? 0) + 1);
    const terms = [...counts.keys()].sort();
    for (let i = 0; i < terms.length; i += 200) {
      const values = terms.slice(i, i + 200).map((t) => {
        const f = fold(t);
        return sql`(${t}, ${f}, ${[...f][0]!}, ${[...f].length}, ${counts.get(t)!})`;
      });
      await sql`insert into search_vocabulary (term, folded, initial, length, doc_count) values ${sql.join(values)}
        on conflict (term) do update set doc_count = search_vocabulary.doc_count + excluded.doc_count`.execute(db);
    }
    await db
      .updateTable('search_documents')
      .set({ in_vocabulary: 1 })
      .where(
        'article_id',
        'in',
        rows.map((r) => r.article_id),
      )
      .execute();
    after = rows[rows.length - 1]!.article_id;
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`delete from search_state where key = 'vocabulary_backfill_after'`.execute(db);
  await db.schema.dropTable('search_vocabulary').execute();
  await sql`alter table search_documents drop column in_vocabulary`.execute(db);
}
