import type { Kysely } from 'kysely';

// Frozen. The article page reads bylines, tags and related stories in their stored order on
// every view; these indexes return them already ordered (no sort step per query).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('article_authors_article_position_idx').on('article_authors').columns(['article_id', 'position']).execute();
  await db.schema.createIndex('article_tags_article_position_idx').on('article_tags').columns(['article_id', 'position']).execute();
  await db.schema.createIndex('article_related_article_rank_idx').on('article_related').columns(['article_id', 'rank']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('article_related_article_rank_idx').execute();
  await db.schema.dropIndex('article_tags_article_position_idx').execute();
  await db.schema.dropIndex('article_authors_article_position_idx').execute();
}
