import type { Kysely, Transaction } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { Database } from '../../db/schema.ts';
import { withTransaction } from '../../db/transaction.ts';
import { newId } from '../ids.ts';

/**
 * The audit log answers "who did what, when, to what". It is generic: accounts write
 * `user.*` and `auth.*` entries now, the editorial workflow will write `article.*` ones.
 */
export interface AuditEntryInput {
  at: Date;
  /** Null for the system or an anonymous request (a failed login). */
  actorUserId: string | null;
  /** Dotted verb, e.g. `user.disabled`, `auth.login_failed`. */
  action: string;
  subjectType: string;
  subjectId: string;
  /** JSON-serialisable facts about the change (never secrets). */
  details?: Record<string, unknown>;
}

export interface AuditEntry extends Required<AuditEntryInput> {
  id: string;
}

/**
 * Appends one entry inside the transaction of the change it records, so a crash or a failure
 * before commit leaves neither the change nor its entry (typed to refuse a bare connection).
 * An entry that records no change of its own (a failed sign-in) opens a transaction for itself.
 */
export async function recordAudit(trx: Transaction<Database>, entry: AuditEntryInput): Promise<void> {
  await trx
    .insertInto('audit_log')
    .values({
      id: newId(),
      at: entry.at.toISOString(),
      actor_user_id: entry.actorUserId,
      action: entry.action,
      subject_type: entry.subjectType,
      subject_id: entry.subjectId,
      details: JSON.stringify(entry.details ?? {}),
    })
    .execute();
}

/**
 * Records an event that changes nothing else (a refused sign-in), in a transaction of its own.
 * Never for a change: that passes its own transaction to `recordAudit`.
 */
export async function recordAuditEvent(db: Kysely<Database>, entry: AuditEntryInput): Promise<void> {
  await withTransaction(db, (trx) => recordAudit(trx, entry));
}

export interface AuditFilter {
  subjectType?: string;
  subjectId?: string;
  actorUserId?: string;
  /** An exact action (`article.publish`), or a group ending in a dot (`article.`). */
  action?: string;
  /** Keyset cursor: only entries older than this one (its `at` and `id`). */
  before?: { at: string; id: string };
  limit?: number;
}

/** Entries matching every given filter, newest first. */
export async function listAuditEntries(db: Db, filter: AuditFilter): Promise<AuditEntry[]> {
  let q = db.selectFrom('audit_log').selectAll();
  if (filter.subjectType) q = q.where('subject_type', '=', filter.subjectType);
  if (filter.subjectId) q = q.where('subject_id', '=', filter.subjectId);
  if (filter.actorUserId) q = q.where('actor_user_id', '=', filter.actorUserId);
  if (filter.action) {
    const action = filter.action;
    // A group is matched as a range, not LIKE: no wildcard escaping, and an index could serve it.
    q = action.endsWith('.')
      ? q.where('action', '>=', action).where('action', '<', `${action.slice(0, -1)}/`)
      : q.where('action', '=', action);
  }
  if (filter.before) {
    const { at, id } = filter.before;
    q = q.where((eb) => eb.or([eb('at', '<', at), eb.and([eb('at', '=', at), eb('id', '<', id)])]));
  }
  // UUIDv7 ids break ties between entries written in the same millisecond.
  const rows = await q
    .orderBy('at', 'desc')
    .orderBy('id', 'desc')
    .limit(filter.limit ?? 100)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    at: new Date(r.at),
    actorUserId: r.actor_user_id,
    action: r.action,
    subjectType: r.subject_type,
    subjectId: r.subject_id,
    details: JSON.parse(r.details) as Record<string, unknown>,
  }));
}
