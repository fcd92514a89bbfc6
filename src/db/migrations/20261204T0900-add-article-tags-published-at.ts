import { sql, type Kysely } from 'kysely';

// Frozen. A tag page lists the tag's stories newest first. With only (tag_id, article_id) on
// article_tags, the database must fetch every story of a busy tag and sort them by
// articles.published_at before it can skip to page 5,000 (58 ms at a million stories). A copy
// of the story's published_at on its tag rows, indexed with the tag, lets a page be one index
// range scan from the cursor. The story write path keeps the copy in step (it rewrites a
// story's tag rows on every save).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('article_tags').addColumn('published_at', 'text').execute();
  await sql`update article_tags set published_at = (select a.published_at from articles a where a.id = article_tags.article_id)`.execute(
    db,
  );
  await db.schema
    .createIndex('article_tags_tag_published_idx')
    .on('article_tags')
    .columns(['tag_id', 'published_at', 'article_id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('article_tags_tag_published_idx').execute();
  await db.schema.alterTable('article_tags').dropColumn('published_at').execute();
}
