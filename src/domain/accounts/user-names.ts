import type { Db } from '../../db/database.ts';

/** Display names of the given users, by id (unknown ids are simply absent). One query. */
export async function userNamesByIds(db: Db, ids: Iterable<string | null>): Promise<Map<string, string>> {
  const wanted = [...new Set([...ids].filter((id): id is string => id !== null))];
  if (!wanted.length) return new Map();
  const rows = await db.selectFrom('users').select(['id', 'name']).where('id', 'in', wanted).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** Every newsroom user's id and name, by name (for filter menus; a newsroom has few users). */
export async function listUserNames(db: Db): Promise<Array<{ id: string; name: string }>> {
  return db.selectFrom('users').select(['id', 'name']).orderBy('name').orderBy('id').execute();
}
