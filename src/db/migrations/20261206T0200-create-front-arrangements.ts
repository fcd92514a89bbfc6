import type { Kysely } from 'kysely';

// Frozen: never edit after merge. Editors' arrangements of the home front and each section
// front (domain/fronts/): one row per version, never rewritten except a scheduled version's
// cancellation. The published version with the latest `effective_at` not after now is the
// front's arrangement; one with a later `effective_at` is scheduled.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('front_arrangements')
    .addColumn('id', 'text', (c) => c.primaryKey())
    /** `home`, or `section:<section id>`. */
    .addColumn('front_key', 'text', (c) => c.notNull())
    /** 1, 2, 3… per front: the front's revision is its highest version. */
    .addColumn('version', 'integer', (c) => c.notNull())
    /** `draft`, `published` or `cancelled` (a scheduled version withdrawn before its time). */
    .addColumn('state', 'text', (c) => c.notNull())
    /** Published versions: when it takes over the front (ISO-8601 UTC). */
    .addColumn('effective_at', 'text')
    /** JSON: lead, top stories and named blocks, each with its pinned story ids in order. */
    .addColumn('blocks', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    /** The version this one was restored from, when it was. */
    .addColumn('restored_from', 'integer')
    .execute();
  await db.schema
    .createIndex('front_arrangements_version_idx')
    .on('front_arrangements')
    .columns(['front_key', 'version'])
    .unique()
    .execute();
  // The scheduler's "what took over since the last tick" and the cache's current + upcoming reads.
  await db.schema.createIndex('front_arrangements_effective_idx').on('front_arrangements').columns(['state', 'effective_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('front_arrangements').execute();
}
