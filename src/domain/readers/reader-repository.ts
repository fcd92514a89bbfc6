import type { Db } from '../../db/database.ts';
import type { ReaderTable } from '../../db/schema.ts';
import type { StoredSession } from '../sessions/session-service.ts';
import { rowToReader, type Reader } from './reader.ts';

export async function insertReader(db: Db, row: ReaderTable): Promise<void> {
  await db.insertInto('readers').values(row).execute();
}

export async function findReaderById(db: Db, id: string): Promise<ReaderTable | undefined> {
  return db.selectFrom('readers').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findReaderByEmail(db: Db, email: string): Promise<ReaderTable | undefined> {
  return db.selectFrom('readers').selectAll().where('email', '=', email).executeTakeFirst();
}

export async function findReaderByVerifyToken(db: Db, tokenHash: string): Promise<ReaderTable | undefined> {
  return db.selectFrom('readers').selectAll().where('verify_token_hash', '=', tokenHash).executeTakeFirst();
}

export async function updateReader(db: Db, id: string, changes: Partial<Omit<ReaderTable, 'id'>>): Promise<void> {
  await db.updateTable('readers').set(changes).where('id', '=', id).execute();
}

/** The session, its reader and whether the reader is banned, in one query. */
export async function findReaderSession(db: Db, id: string): Promise<StoredSession<{ reader: Reader; banned: boolean }> | undefined> {
  const row = await db
    .selectFrom('reader_sessions as s')
    .innerJoin('readers as r', 'r.id', 's.reader_id')
    .select((eb) => [
      's.id as session_id',
      's.expires_at',
      's.last_seen_at',
      'r.id',
      'r.email',
      'r.display_name',
      'r.email_verified_at',
      'r.created_at',
      eb
        .exists(eb.selectFrom('reader_bans as b').select('b.id').whereRef('b.reader_id', '=', 'r.id').where('b.lifted_at', 'is', null))
        .as('banned'),
    ])
    .where('s.id', '=', id)
    .executeTakeFirst();
  return (
    row && {
      expiresAt: row.expires_at,
      lastSeenAt: row.last_seen_at,
      owner: { reader: rowToReader(row), banned: row.banned === true || Number(row.banned) === 1 },
    }
  );
}

/** True while the reader has a ban that was not lifted. */
export async function isReaderBanned(db: Db, readerId: string): Promise<boolean> {
  const row = await db
    .selectFrom('reader_bans')
    .select('id')
    .where('reader_id', '=', readerId)
    .where('lifted_at', 'is', null)
    .executeTakeFirst();
  return row !== undefined;
}
