import { sql, type Kysely } from 'kysely';

// Frozen. The newsroom's story list at a million stories: a pasted slug is looked up by slug
// alone (the unique index leads with the section), and each of the list's orders has an index
// to walk, so a page (and a text search's walk, desk/article-list.ts) reads a page's worth of
// stories rather than sorting them all: 3.4–3.9 s a page for "newest created", "newest
// published" and "headline A–Z" before. The expressions are the list's own ORDER BY terms.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('articles_slug_idx').on('articles').column('slug').execute();
  await db.schema.createIndex('articles_created_idx').on('articles').columns(['created_at', 'id']).execute();
  await sql`create index articles_headline_idx on articles (lower(headline), id)`.execute(db);
  await sql`create index articles_published_list_idx on articles ((case when published_at is null then 1 else 0 end), published_at desc, id desc)`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const name of ['articles_published_list_idx', 'articles_headline_idx', 'articles_created_idx', 'articles_slug_idx'])
    await db.schema.dropIndex(name).execute();
}
