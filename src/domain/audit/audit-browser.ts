import { z } from 'zod';
import { assertRole } from '../accounts/access.ts';
import type { Actor } from '../accounts/role.ts';
import { listUserNames } from '../accounts/user-names.ts';
import type { ServiceDeps } from '../deps.ts';
import { ValidationError } from '../errors.ts';
import { listAuditEntries, type AuditEntry } from './audit-log.ts';

/*
 * The audit log as editors browse it: filters by who, what and to what, newest first,
 * keyset-paged so "older entries" stays fast however long the log grows.
 */

export const AUDIT_PAGE_SIZE = 50;

/** The actions the app writes, grouped for the filter menu (a group is matched by prefix). */
export const AUDIT_ACTION_GROUPS: ReadonlyArray<{ label: string; prefix: string; actions: readonly string[] }> = [
  {
    label: 'Stories',
    prefix: 'article.',
    actions: [
      'article.submit',
      'article.return_to_draft',
      'article.schedule',
      'article.cancel_schedule',
      'article.publish',
      'article.unpublish',
      'article.republish',
      'article.embargo',
      'article.restore',
      'article.note_update',
      'article.note_correction',
    ],
  },
  { label: 'Sign-in', prefix: 'auth.', actions: ['auth.login', 'auth.login_failed', 'auth.logout'] },
  {
    label: 'Accounts',
    prefix: 'user.',
    actions: ['user.created', 'user.disabled', 'user.enabled', 'user.password_changed', 'user.role_changed', 'user.password_reset'],
  },
  { label: 'Comments', prefix: 'comment.', actions: ['comment.approved', 'comment.rejected', 'comment.deleted'] },
  { label: 'Readers', prefix: 'reader.', actions: ['reader.signed_up', 'reader.verified', 'reader.banned', 'reader.unbanned'] },
  { label: 'Media', prefix: 'image.', actions: ['image.uploaded', 'image.updated', 'image.deleted'] },
  { label: 'Sections', prefix: 'section.', actions: ['section.created', 'section.updated', 'section.deleted'] },
  { label: 'Tags', prefix: 'tag.', actions: ['tag.renamed', 'tag.merged', 'tag.deleted'] },
  { label: 'Authors', prefix: 'author.', actions: ['author.created', 'author.updated', 'author.deleted'] },
  {
    label: 'Webhooks',
    prefix: 'webhook.',
    actions: [
      'webhook.created',
      'webhook.updated',
      'webhook.disabled',
      'webhook.secret_rotated',
      'webhook.ping_sent',
      'webhook.delivery_retried',
      'webhook.deleted',
    ],
  },
  { label: 'API tokens', prefix: 'api_token.', actions: ['api_token.created', 'api_token.revoked'] },
  // Admin API writes are recorded as `api.<what>` with the token's name.
  { label: 'Admin API writes', prefix: 'api.', actions: [] },
];

/** Every kind of subject the app records, as the filter menu offers them. */
export const AUDIT_SUBJECT_TYPES = [
  'article',
  'user',
  'email',
  'comment',
  'reader',
  'image',
  'section',
  'tag',
  'author',
  'webhook',
  'api_token',
] as const;
export type AuditSubjectType = (typeof AUDIT_SUBJECT_TYPES)[number];

const CURSOR_RE = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)~([0-9a-f-]{36})$/;

const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

export const auditQuerySchema = z.object({
  actor: z.preprocess(blankToUndefined, z.uuid('actor: choose a person from the list').optional()),
  action: z.preprocess(
    blankToUndefined,
    z
      .string()
      .regex(/^[a-z_]+\.([a-z_]+)?$/, 'action: choose an action from the list')
      .optional(),
  ),
  subjectType: z.preprocess(
    blankToUndefined,
    z.enum(AUDIT_SUBJECT_TYPES, { error: 'subjectType: choose a kind of subject from the list' }).optional(),
  ),
  subjectId: z.preprocess(blankToUndefined, z.string().trim().max(254, 'subject: at most 254 characters').optional()),
  before: z.preprocess(
    blankToUndefined,
    z.string().regex(CURSOR_RE, 'before: not a valid page link; start again from the first page').optional(),
  ),
});
export type AuditQuery = z.output<typeof auditQuerySchema>;

export interface AuditRow extends AuditEntry {
  actorName: string | null;
  /** A readable name for the subject: a story's headline, a user's name; else its id. */
  subjectLabel: string;
}

export interface AuditPage {
  query: AuditQuery;
  entries: AuditRow[];
  /** Cursor of the next (older) page, or null on the last page. */
  next: string | null;
  /** Everyone who can appear as an actor, for the filter menu. */
  people: Array<{ id: string; name: string }>;
}

/** One page of the audit log for an editor or admin; bad filters are a ValidationError. */
export async function browseAudit(deps: ServiceDeps, actor: Actor, raw: Record<string, unknown>): Promise<AuditPage> {
  assertRole(actor, 'editor', 'Only editors and administrators can read the audit log.');
  const parsed = auditQuerySchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    throw new ValidationError(issues.map((i) => i.message).join('; '), issues);
  }
  const query = parsed.data;
  const cursor = query.before ? CURSOR_RE.exec(query.before)! : null;
  const [rows, people] = await Promise.all([
    listAuditEntries(deps.db, {
      actorUserId: query.actor,
      action: query.action,
      subjectType: query.subjectType,
      subjectId: query.subjectId,
      before: cursor ? { at: cursor[1]!, id: cursor[2]! } : undefined,
      limit: AUDIT_PAGE_SIZE + 1,
    }),
    listUserNames(deps.db),
  ]);
  const page = rows.slice(0, AUDIT_PAGE_SIZE);
  const names = new Map(people.map((p) => [p.id, p.name]));
  const articleIds = [...new Set(page.filter((e) => e.subjectType === 'article').map((e) => e.subjectId))];
  const headlines = new Map(
    articleIds.length
      ? (await deps.db.selectFrom('articles').select(['id', 'headline']).where('id', 'in', articleIds).execute()).map((r) => [
          r.id,
          r.headline,
        ])
      : [],
  );
  const label = (e: AuditEntry) =>
    (e.subjectType === 'article' ? headlines.get(e.subjectId) : e.subjectType === 'user' ? names.get(e.subjectId) : undefined) ??
    e.subjectId;
  const last = page.at(-1);
  return {
    query,
    entries: page.map((e) => ({
      ...e,
      actorName: e.actorUserId === null ? null : (names.get(e.actorUserId) ?? null),
      subjectLabel: label(e),
    })),
    next: rows.length > AUDIT_PAGE_SIZE && last ? `${last.at.toISOString()}~${last.id}` : null,
    people,
  };
}
