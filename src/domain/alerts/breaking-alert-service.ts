import { z } from 'zod';
import { withTransaction } from '../../db/transaction.ts';
import type { Actor } from '../accounts/role.ts';
import { findArticleById } from '../articles/article-repository.ts';
import { parseInput } from '../articles/article-service.ts';
import { isVisibleToReaders, visibleToReaders } from '../articles/article-visibility.ts';
import { recordAudit } from '../audit/audit-log.ts';
import { CHROME_TAG } from '../changes/cache-tags.ts';
import { publishAfterCommit } from '../changes/content-change-publish.ts';
import type { ContentChange } from '../changes/content-change.ts';
import type { ServiceDeps } from '../deps.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '../errors.ts';
import { newId } from '../ids.ts';
import { ALERT_STREAM_KEY } from './breaking-alert.ts';

/*
 * Raising and clearing the breaking-news banner. Editors and administrators only; each action
 * is audited in its own transaction. After commit one change names the chrome tag (every HTML
 * page carries it: all are purged here, on the other nodes and at the CDN) and the alert stream
 * (open pages insert or remove the banner without a reload).
 */

export const MAX_ALERT_MINUTES = 24 * 60;

export const raiseAlertSchema = z.strictObject({
  articleId: z.uuid({ error: 'choose a story' }),
  /** The banner's words; the story's headline when empty. */
  text: z.string().trim().max(160, 'at most 160 characters').optional(),
  /** Clear by itself after this many minutes; omitted: until cleared by hand. */
  expiresInMinutes: z
    .number({ error: 'a number of minutes' })
    .int('whole minutes')
    .min(1, 'at least 1 minute')
    .max(MAX_ALERT_MINUTES, `at most ${MAX_ALERT_MINUTES} minutes (a day)`)
    .optional(),
});
export type RaiseAlertInput = z.input<typeof raiseAlertSchema>;

/** The change that tells every node, page cache, CDN and open page that the banner changed. */
export function alertChange(cause: string): ContentChange {
  return { tags: [CHROME_TAG], cause, liveStories: [ALERT_STREAM_KEY] };
}

function assertEditor(actor: Actor): void {
  if (actor.role !== 'editor' && actor.role !== 'admin') throw new ForbiddenError('Only editors can raise or clear a breaking-news alert.');
}

/** Raises the site-wide banner for a story readers can see; any alert already up is replaced (cleared). */
export async function raiseBreakingAlert(deps: ServiceDeps, actor: Actor, input: RaiseAlertInput): Promise<{ id: string }> {
  assertEditor(actor);
  const data = parseInput(raiseAlertSchema, input);
  const now = deps.clock();
  const nowIso = now.toISOString();
  return withTransaction(deps.db, async (trx) => {
    const story = await findArticleById(trx, data.articleId);
    if (!story || !isVisibleToReaders(story, nowIso)) {
      throw new ValidationError('articleId: the alert must link to a story readers can see.', [
        { path: 'articleId', message: 'not a published story' },
      ]);
    }
    const id = newId();
    const text = data.text || story.headline;
    const expiresAt = data.expiresInMinutes ? new Date(now.getTime() + data.expiresInMinutes * 60_000).toISOString() : null;
    await trx
      .updateTable('breaking_alerts')
      .set({ cleared_at: nowIso, cleared_by: actor.userId })
      .where('cleared_at', 'is', null)
      .execute();
    await trx
      .insertInto('breaking_alerts')
      .values({
        id,
        article_id: story.id,
        text,
        created_by: actor.userId,
        created_at: nowIso,
        expires_at: expiresAt,
        cleared_at: null,
        cleared_by: null,
      })
      .execute();
    await recordAudit(trx, {
      at: now,
      actorUserId: actor.userId,
      action: 'breaking_alert.raise',
      subjectType: 'breaking_alert',
      subjectId: id,
      details: { articleId: story.id, text, expiresAt },
    });
    publishAfterCommit(deps, trx, alertChange('alert.raise'));
    return { id };
  });
}

/** Clears an alert by hand (it may already have expired: then only the record changes). */
export async function clearBreakingAlert(deps: ServiceDeps, actor: Actor, alertId: string): Promise<void> {
  assertEditor(actor);
  const now = deps.clock();
  const nowIso = now.toISOString();
  await withTransaction(deps.db, async (trx) => {
    const row = await trx.selectFrom('breaking_alerts').select(['id', 'cleared_at']).where('id', '=', alertId).executeTakeFirst();
    if (!row) throw new NotFoundError('That alert does not exist.');
    if (row.cleared_at !== null) return;
    await trx.updateTable('breaking_alerts').set({ cleared_at: nowIso, cleared_by: actor.userId }).where('id', '=', alertId).execute();
    await recordAudit(trx, {
      at: now,
      actorUserId: actor.userId,
      action: 'breaking_alert.clear',
      subjectType: 'breaking_alert',
      subjectId: alertId,
      details: {},
    });
    publishAfterCommit(deps, trx, alertChange('alert.clear'));
  });
}

/** Recent alerts for the newsroom page, newest first. */
export async function listRecentAlerts(deps: Pick<ServiceDeps, 'db'>, limit = 10) {
  return deps.db
    .selectFrom('breaking_alerts as b')
    .leftJoin('articles as a', 'a.id', 'b.article_id')
    .select(['b.id', 'b.text', 'b.created_at', 'b.expires_at', 'b.cleared_at', 'a.headline'])
    .orderBy('b.created_at', 'desc')
    .orderBy('b.id', 'desc')
    .limit(limit)
    .execute();
}

/** Stories an alert may link to: the newest visible ones, live blogs first. */
export async function listAlertCandidates(deps: Pick<ServiceDeps, 'db' | 'clock'>, limit = 40) {
  const nowIso = deps.clock().toISOString();
  return deps.db
    .selectFrom('articles as a')
    .select(['a.id', 'a.headline', 'a.live_blog'])
    .where((eb) => visibleToReaders(eb, 'a', nowIso))
    .orderBy('a.live_blog', 'desc')
    .orderBy('a.published_at', 'desc')
    .orderBy('a.id', 'desc')
    .limit(limit)
    .execute();
}
