import { z } from 'zod';
import { withTransaction } from '../../db/transaction.ts';
import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { roleAtLeast } from '../accounts/access.ts';
import type { Actor } from '../accounts/role.ts';
import { parseInput } from '../articles/article-service.ts';
import { recordAudit } from '../audit/audit-log.ts';
import type { ServiceDeps } from '../deps.ts';
import { ForbiddenError, NotFoundError } from '../errors.ts';

/*
 * Who has a story open in the editor, what each is editing, and the story's soft lock.
 *
 * Every open editor tab sends a heartbeat (its random client id and the field it is in); a
 * presence lives PRESENCE_TTL_MS past its last heartbeat, so a closed laptop drops out on its
 * own. The first tab that starts editing takes the lock, and its heartbeats keep it; an editor
 * may take it over, and the tab that lost it is told on its next heartbeat (by whom, when).
 * The lock is advisory: saves never check it (the revision check and conflict copies already
 * keep every typed word); it tells people before they collide. State is in the database, so
 * every node sees the same desk.
 */

/** How long a presence or a lock lasts past its last heartbeat. The editor beats every 5 s. */
export const PRESENCE_TTL_MS = 30_000;

export const presenceBeatSchema = z.strictObject({
  clientId: z.string().regex(/^[A-Za-z0-9-]{8,64}$/, 'a client id from the editor'),
  /** The field being edited (`headline`, `body`, …), or '' when only reading. */
  field: z
    .string()
    .regex(/^([A-Za-z][A-Za-z0-9_-]{0,39})?$/, 'a field name')
    .default(''),
});
export type PresenceBeat = z.input<typeof presenceBeatSchema>;

export interface PresentPerson {
  clientId: string;
  userId: string;
  name: string;
  field: string;
  openedAt: string;
}

export interface PresenceState {
  /** The asking user (so a tab can tell its person's other tabs from other people). */
  you: string;
  /** Everyone else with the story open (other people, and the same person's other tabs). */
  others: PresentPerson[];
  /** Who holds the editing lock now (null when nobody does); `mine` when it is this tab. */
  lock: { userId: string; name: string; clientId: string; mine: boolean; since: string } | null;
  /** Set when this tab held the lock and someone took it over. */
  takenOver: { byName: string; at: string } | null;
  /** Whether this person may take the lock over from someone else. */
  canTakeOver: boolean;
}

/** Editors and admins take a lock over; everyone else waits for it to be let go. */
export function canTakeOverLock(actor: Actor): boolean {
  return roleAtLeast(actor.role, 'editor');
}

async function assertMayOpen(trx: Transaction<Database>, actor: Actor, articleId: string): Promise<void> {
  // Only the owner column: this runs on every heartbeat of every open editor.
  const article = await trx.selectFrom('articles').select('created_by').where('id', '=', articleId).executeTakeFirst();
  if (!article) throw new NotFoundError('There is no story with that id.');
  const own = article.created_by !== null && article.created_by === actor.userId;
  if (!own && !roleAtLeast(actor.role, 'editor')) throw new ForbiddenError('This story belongs to someone else; ask an editor.');
}

async function readState(
  trx: Transaction<Database>,
  actor: Actor,
  articleId: string,
  clientId: string,
  nowIso: string,
): Promise<PresenceState> {
  const [rows, lock] = await Promise.all([
    trx
      .selectFrom('story_presence as p')
      .innerJoin('users as u', 'u.id', 'p.user_id')
      .select(['p.client_id', 'p.user_id', 'u.name', 'p.field', 'p.opened_at'])
      .where('p.article_id', '=', articleId)
      .where('p.expires_at', '>', nowIso)
      .where('p.client_id', '!=', clientId)
      .orderBy('p.opened_at')
      .orderBy('p.client_id')
      .execute(),
    trx
      .selectFrom('story_locks as l')
      .innerJoin('users as u', 'u.id', 'l.user_id')
      .leftJoin('users as t', 't.id', 'l.taken_by_user_id')
      .select([
        'l.user_id',
        'u.name',
        'l.client_id',
        'l.acquired_at',
        'l.expires_at',
        'l.taken_from_client_id',
        'l.taken_at',
        't.name as taken_by_name',
      ])
      .where('l.article_id', '=', articleId)
      .executeTakeFirst(),
  ]);
  const live = lock && lock.expires_at > nowIso;
  return {
    you: actor.userId,
    others: rows.map((r) => ({ clientId: r.client_id, userId: r.user_id, name: r.name, field: r.field, openedAt: r.opened_at })),
    lock: live
      ? { userId: lock.user_id, name: lock.name, clientId: lock.client_id, mine: lock.client_id === clientId, since: lock.acquired_at }
      : null,
    takenOver:
      lock && lock.taken_from_client_id === clientId && lock.client_id !== clientId && lock.taken_at
        ? { byName: lock.taken_by_name ?? 'Someone', at: lock.taken_at }
        : null,
    canTakeOver: canTakeOverLock(actor),
  };
}

/** Stores this tab's presence (and sweeps expired ones) in the caller's transaction. */
async function touchPresence(
  trx: Transaction<Database>,
  actor: Actor,
  articleId: string,
  beat: z.output<typeof presenceBeatSchema>,
  now: Date,
) {
  const nowIso = now.toISOString();
  const expires = new Date(now.getTime() + PRESENCE_TTL_MS).toISOString();
  const existing = await trx
    .selectFrom('story_presence')
    .select('user_id')
    .where('article_id', '=', articleId)
    .where('client_id', '=', beat.clientId)
    .executeTakeFirst();
  if (existing && existing.user_id !== actor.userId) throw new ForbiddenError('That editor tab belongs to someone else.');
  if (existing) {
    await trx
      .updateTable('story_presence')
      .set({ field: beat.field, seen_at: nowIso, expires_at: expires })
      .where('article_id', '=', articleId)
      .where('client_id', '=', beat.clientId)
      .execute();
  } else {
    await trx
      .insertInto('story_presence')
      .values({
        article_id: articleId,
        client_id: beat.clientId,
        user_id: actor.userId,
        field: beat.field,
        opened_at: nowIso,
        seen_at: nowIso,
        expires_at: expires,
      })
      .onConflict((oc) => oc.columns(['article_id', 'client_id']).doUpdateSet({ field: beat.field, seen_at: nowIso, expires_at: expires }))
      .execute();
  }
  await trx.deleteFrom('story_presence').where('article_id', '=', articleId).where('expires_at', '<=', nowIso).execute();
  return expires;
}

/**
 * One heartbeat of an open editor tab: refreshes its presence; takes the lock if the tab is
 * editing a field and nobody else holds it, keeps it if the tab holds it; answers who else is
 * there, who holds the lock and whether this tab lost it.
 */
export async function heartbeat(deps: ServiceDeps, actor: Actor, articleId: string, input: unknown): Promise<PresenceState> {
  const beat = parseInput(presenceBeatSchema, input);
  const now = deps.clock();
  const nowIso = now.toISOString();
  return withTransaction(deps.db, async (trx) => {
    await assertMayOpen(trx, actor, articleId);
    const expires = await touchPresence(trx, actor, articleId, beat, now);
    const lock = await trx.selectFrom('story_locks').selectAll().where('article_id', '=', articleId).executeTakeFirst();
    if (lock && lock.client_id === beat.clientId && lock.expires_at > nowIso) {
      await trx
        .updateTable('story_locks')
        .set({ expires_at: expires })
        .where('article_id', '=', articleId)
        .where('client_id', '=', beat.clientId)
        .execute();
    } else if (beat.field !== '' && (!lock || lock.expires_at <= nowIso)) {
      const values = { user_id: actor.userId, client_id: beat.clientId, acquired_at: nowIso, expires_at: expires };
      // Conditional on what was read, so two tabs starting at once cannot both think they hold it.
      if (lock) {
        await trx
          .updateTable('story_locks')
          .set(values)
          .where('article_id', '=', articleId)
          .where('expires_at', '=', lock.expires_at)
          .where('client_id', '=', lock.client_id)
          .execute();
      } else {
        await trx
          .insertInto('story_locks')
          .values({ article_id: articleId, ...values, taken_from_client_id: null, taken_by_user_id: null, taken_at: null })
          .onConflict((oc) => oc.column('article_id').doNothing())
          .execute();
      }
    }
    return readState(trx, actor, articleId, beat.clientId, nowIso);
  });
}

/**
 * An editor takes the story's lock for this tab. The tab that held it is told on its next
 * heartbeat and keeps its typed text; the takeover is in the audit log.
 */
export async function takeOverLock(deps: ServiceDeps, actor: Actor, articleId: string, input: unknown): Promise<PresenceState> {
  const beat = parseInput(presenceBeatSchema, input);
  if (!canTakeOverLock(actor)) throw new ForbiddenError('Only editors can take over a story someone else is editing.');
  const now = deps.clock();
  const nowIso = now.toISOString();
  return withTransaction(deps.db, async (trx) => {
    await assertMayOpen(trx, actor, articleId);
    const expires = await touchPresence(trx, actor, articleId, beat, now);
    const lock = await trx.selectFrom('story_locks').selectAll().where('article_id', '=', articleId).executeTakeFirst();
    const mine = { user_id: actor.userId, client_id: beat.clientId, acquired_at: nowIso, expires_at: expires };
    const takenFrom = lock && lock.expires_at > nowIso && lock.client_id !== beat.clientId ? lock : null;
    const taken = takenFrom ? { taken_from_client_id: takenFrom.client_id, taken_by_user_id: actor.userId, taken_at: nowIso } : {};
    if (lock)
      await trx
        .updateTable('story_locks')
        .set({ ...mine, ...taken })
        .where('article_id', '=', articleId)
        .execute();
    else
      await trx
        .insertInto('story_locks')
        .values({ article_id: articleId, ...mine, taken_from_client_id: null, taken_by_user_id: null, taken_at: null })
        .execute();
    if (takenFrom) {
      await recordAudit(trx, {
        at: now,
        actorUserId: actor.userId,
        action: 'article.lock_taken_over',
        subjectType: 'article',
        subjectId: articleId,
        details: { fromUserId: takenFrom.user_id },
      });
    }
    return readState(trx, actor, articleId, beat.clientId, nowIso);
  });
}

/** The tab closed: its presence goes, and its lock (if it held it) is let go at once. */
export async function leaveStory(deps: ServiceDeps, actor: Actor, articleId: string, input: unknown): Promise<void> {
  const beat = parseInput(presenceBeatSchema, input);
  const nowIso = deps.clock().toISOString();
  await withTransaction(deps.db, async (trx) => {
    await trx
      .deleteFrom('story_presence')
      .where('article_id', '=', articleId)
      .where('client_id', '=', beat.clientId)
      .where('user_id', '=', actor.userId)
      .execute();
    // Expired rather than deleted: a takeover's record stays for the tab that lost it.
    await trx
      .updateTable('story_locks')
      .set({ expires_at: nowIso })
      .where('article_id', '=', articleId)
      .where('client_id', '=', beat.clientId)
      .where('user_id', '=', actor.userId)
      .execute();
  });
}

/** Who has the story open now (for the editor page as first drawn). */
export async function listPresent(deps: ServiceDeps, articleId: string): Promise<PresentPerson[]> {
  const rows = await deps.db
    .selectFrom('story_presence as p')
    .innerJoin('users as u', 'u.id', 'p.user_id')
    .select(['p.client_id', 'p.user_id', 'u.name', 'p.field', 'p.opened_at'])
    .where('p.article_id', '=', articleId)
    .where('p.expires_at', '>', deps.clock().toISOString())
    .orderBy('p.opened_at')
    .execute();
  return rows.map((r) => ({ clientId: r.client_id, userId: r.user_id, name: r.name, field: r.field, openedAt: r.opened_at }));
}
