import type { Kysely } from 'kysely';

// Frozen: never edit after merge. The desk's plan: stories before they have text (working
// headline, slot, due time, assignee, notes, photo request), listed by day; "Start writing"
// links the item to the draft it became, so the plan's metadata stays with the story.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('planning_items')
    .addColumn('id', 'text', (c) => c.primaryKey())
    // The calendar day the story is planned for (YYYY-MM-DD, no zone: a date, not an instant).
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('working_headline', 'text', (c) => c.notNull())
    .addColumn('section_id', 'text', (c) => c.notNull().references('sections.id'))
    .addColumn('slot', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('due_at', 'text')
    .addColumn('assignee_user_id', 'text', (c) => c.references('users.id').onDelete('set null'))
    // planned | started
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('article_id', 'text', (c) => c.references('articles.id').onDelete('set null'))
    .addColumn('created_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('modified_at', 'text', (c) => c.notNull())
    .addColumn('revision', 'integer', (c) => c.notNull())
    .addColumn('photo_request', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('notes', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
  // The planning page (one day, by due time) and the dashboard's "my assignments".
  await db.schema.createIndex('planning_items_day_idx').on('planning_items').columns(['day', 'due_at', 'id']).execute();
  await db.schema.createIndex('planning_items_assignee_idx').on('planning_items').columns(['assignee_user_id', 'status', 'day']).execute();
  // One plan per story: starting twice cannot link two plans to one draft.
  await db.schema.createIndex('planning_items_article_idx').on('planning_items').column('article_id').unique().execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('planning_items').execute();
}
