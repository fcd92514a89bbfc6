import type { Kysely } from 'kysely';

// Frozen. Accounts an administrator created or reset carry a one-time temporary password:
// the flag keeps the newsroom on the change-password page until the user picks their own.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('users')
    .addColumn('must_change_password', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users').dropColumn('must_change_password').execute();
}
