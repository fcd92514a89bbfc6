import type { Kysely } from 'kysely';

// Frozen: never edit after merge. Reader accounts (separate from newsroom users), their
// sessions, comments with likes and reports, bans, and the published-comment count that
// fronts and the article page show without an extra query.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('readers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    // Lower-cased by the application, so the plain unique index is case-insensitive.
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('email_verified_at', 'text')
    // SHA-256 of the emailed verification token; null once used or when none was sent.
    .addColumn('verify_token_hash', 'text')
    .addColumn('verify_expires_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('last_login_at', 'text')
    .execute();
  await db.schema.createIndex('readers_verify_token_idx').on('readers').column('verify_token_hash').execute();

  await db.schema
    .createTable('reader_sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('reader_id', 'text', (c) => c.notNull().references('readers.id').onDelete('cascade'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('last_seen_at', 'text', (c) => c.notNull())
    .addColumn('user_agent', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('ip', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
  await db.schema.createIndex('reader_sessions_reader_idx').on('reader_sessions').column('reader_id').execute();

  await db.schema
    .createTable('reader_bans')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('reader_id', 'text', (c) => c.notNull().references('readers.id').onDelete('cascade'))
    .addColumn('reason', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('banned_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('lifted_at', 'text')
    .addColumn('lifted_by', 'text')
    .execute();
  await db.schema.createIndex('reader_bans_reader_idx').on('reader_bans').columns(['reader_id', 'lifted_at']).execute();

  await db.schema
    .createTable('comments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('article_id', 'text', (c) => c.notNull().references('articles.id').onDelete('cascade'))
    .addColumn('reader_id', 'text', (c) => c.notNull().references('readers.id').onDelete('cascade'))
    // The top-level comment of the thread; replies to replies attach to the same root.
    .addColumn('parent_id', 'text', (c) => c.references('comments.id').onDelete('cascade'))
    // published | pending | rejected | deleted
    .addColumn('status', 'text', (c) => c.notNull())
    // Why a comment waits for an editor (moderated_article, blocked_words, too_many_links, unverified_reader).
    .addColumn('queue_reason', 'text')
    .addColumn('like_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('report_count', 'integer', (c) => c.notNull().defaultTo(0))
    // SHA-256 of the normalised text, for duplicate detection.
    .addColumn('body_hash', 'text', (c) => c.notNull())
    .addColumn('ip', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('edited_at', 'text')
    .addColumn('published_at', 'text')
    .addColumn('moderated_by', 'text')
    .addColumn('moderated_at', 'text')
    .addColumn('body', 'text', (c) => c.notNull())
    .execute();
  // The public thread: an article's comments by status, roots first, in time order.
  await db.schema
    .createIndex('comments_article_status_idx')
    .on('comments')
    .columns(['article_id', 'status', 'parent_id', 'created_at'])
    .execute();
  await db.schema.createIndex('comments_parent_idx').on('comments').columns(['parent_id', 'created_at']).execute();
  // The moderation queue and duplicate/rate checks per reader.
  await db.schema.createIndex('comments_status_created_idx').on('comments').columns(['status', 'created_at']).execute();
  await db.schema.createIndex('comments_reader_created_idx').on('comments').columns(['reader_id', 'created_at']).execute();

  await db.schema
    .createTable('comment_likes')
    .addColumn('comment_id', 'text', (c) => c.notNull().references('comments.id').onDelete('cascade'))
    .addColumn('reader_id', 'text', (c) => c.notNull().references('readers.id').onDelete('cascade'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('comment_likes_pk', ['comment_id', 'reader_id'])
    .execute();
  await db.schema.createIndex('comment_likes_reader_idx').on('comment_likes').columns(['reader_id', 'comment_id']).execute();

  await db.schema
    .createTable('comment_reports')
    .addColumn('comment_id', 'text', (c) => c.notNull().references('comments.id').onDelete('cascade'))
    .addColumn('reader_id', 'text', (c) => c.notNull().references('readers.id').onDelete('cascade'))
    .addColumn('reason', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', 'text', (c) => c.notNull())
    // Set when an editor dealt with the comment (approved it anyway, or removed it).
    .addColumn('resolved_at', 'text')
    .addPrimaryKeyConstraint('comment_reports_pk', ['comment_id', 'reader_id'])
    .execute();

  await db.schema
    .alterTable('articles')
    .addColumn('comment_count', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('articles').dropColumn('comment_count').execute();
  for (const t of ['comment_reports', 'comment_likes', 'comments', 'reader_bans', 'reader_sessions', 'readers'])
    await db.schema.dropTable(t).execute();
}
