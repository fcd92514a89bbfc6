import { sql } from 'kysely';
import { roleAtLeast } from '../accounts/access.ts';
import type { Actor } from '../accounts/role.ts';
import type { ServiceDeps } from '../deps.ts';

/*
 * The dashboard that runs the day: what is mine (drafts, assignments), what waits for the desk
 * (review, comments), what goes out next (scheduled publications and embargo lifts), what has
 * just gone out, and deliveries that failed. Each part is a count plus the few items a person
 * acts on first; all of it is read fresh (the page polls it), with small indexed queries.
 */

/** How many items each list shows; the count says how many there are. */
const SHOWN = 5;

export interface DashItem {
  /** Where the item is handled in the newsroom. */
  href: string;
  title: string;
  /** The time that matters for this list (modified, due, submitted, goes out, published, failed). */
  at: string | null;
  /** A short word on the item (`Scheduled`, `Embargo lifts`, the section, the slot…). */
  note: string;
}

export interface DashPart {
  count: number;
  items: DashItem[];
}

export interface Dashboard {
  myDrafts: DashPart;
  myAssignments: DashPart;
  /** Editors and admins only (null otherwise); `items` oldest waiting first. */
  review: (DashPart & { oldestAt: string | null }) | null;
  nextOut: DashPart | null;
  justPublished: DashPart;
  pendingComments: (DashPart & { oldestAt: string | null }) | null;
  /** Admins only: the webhook pages are theirs. */
  failedDeliveries: DashPart | null;
}

const count = (rows: { n: number | string | bigint } | undefined) => Number(rows?.n ?? 0);

async function myDrafts(deps: ServiceDeps, actor: Actor): Promise<DashPart> {
  const base = deps.db.selectFrom('articles').where('created_by', '=', actor.userId).where('status', '=', 'draft');
  const [n, rows] = await Promise.all([
    base.select((eb) => eb.fn.countAll().as('n')).executeTakeFirst(),
    base.select(['id', 'headline', 'modified_at']).orderBy('modified_at', 'desc').orderBy('id').limit(SHOWN).execute(),
  ]);
  return {
    count: count(n),
    items: rows.map((r) => ({ href: `/newsroom/stories/${r.id}`, title: r.headline, at: r.modified_at, note: 'Draft' })),
  };
}

async function myAssignments(deps: ServiceDeps, actor: Actor): Promise<DashPart> {
  const base = deps.db.selectFrom('planning_items').where('assignee_user_id', '=', actor.userId).where('status', '=', 'planned');
  const [n, rows] = await Promise.all([
    base.select((eb) => eb.fn.countAll().as('n')).executeTakeFirst(),
    base
      .select(['id', 'day', 'working_headline', 'due_at', 'slot'])
      .orderBy('day')
      // Timed items first on both databases (they sort NULLs differently).
      .orderBy(sql`case when due_at is null then 1 else 0 end`)
      .orderBy('due_at')
      .orderBy('id')
      .limit(SHOWN)
      .execute(),
  ]);
  return {
    count: count(n),
    items: rows.map((r) => ({
      href: `/newsroom/planning?day=${r.day}#item-${r.id}`,
      title: r.working_headline,
      at: r.due_at,
      note: [r.slot, r.due_at ? 'due' : `for ${r.day}`].filter(Boolean).join(', '),
    })),
  };
}

async function review(deps: ServiceDeps): Promise<DashPart & { oldestAt: string | null }> {
  // Waiting since the last submission (a snapshot every workflow step keeps), else the last change.
  const rows = await deps.db
    .selectFrom('articles as a')
    .select(['a.id', 'a.headline', 'a.modified_at'])
    .select((eb) =>
      eb
        .selectFrom('article_revisions as r')
        .whereRef('r.article_id', '=', 'a.id')
        .where('r.action', '=', 'submit')
        .select((e) => e.fn.max('r.created_at').as('at'))
        .as('submitted_at'),
    )
    .where('a.status', '=', 'in_review')
    .execute();
  const items = rows
    .map((r) => ({ href: `/newsroom/stories/${r.id}`, title: r.headline, at: r.submitted_at ?? r.modified_at, note: 'In review' }))
    .sort((a, b) => a.at.localeCompare(b.at));
  return { count: items.length, oldestAt: items[0]?.at ?? null, items: items.slice(0, SHOWN) };
}

async function nextOut(deps: ServiceDeps, nowIso: string): Promise<DashPart> {
  const scheduled = deps.db.selectFrom('articles').where('status', '=', 'scheduled');
  // A published story still under embargo goes public when the embargo lifts.
  const embargoed = deps.db.selectFrom('articles').where('status', '=', 'published').where('embargo_until', '>', nowIso);
  const [ns, ne, s, e] = await Promise.all([
    scheduled.select((eb) => eb.fn.countAll().as('n')).executeTakeFirst(),
    embargoed.select((eb) => eb.fn.countAll().as('n')).executeTakeFirst(),
    scheduled.select(['id', 'headline', 'scheduled_at']).orderBy('scheduled_at').orderBy('id').limit(SHOWN).execute(),
    embargoed.select(['id', 'headline', 'embargo_until']).orderBy('embargo_until').orderBy('id').limit(SHOWN).execute(),
  ]);
  const items: DashItem[] = [
    ...s.map((r) => ({ href: `/newsroom/stories/${r.id}`, title: r.headline, at: r.scheduled_at, note: 'Scheduled' })),
    ...e.map((r) => ({ href: `/newsroom/stories/${r.id}`, title: r.headline, at: r.embargo_until, note: 'Embargo lifts' })),
  ];
  items.sort((a, b) => (a.at ?? '').localeCompare(b.at ?? ''));
  return { count: count(ns) + count(ne), items: items.slice(0, SHOWN) };
}

async function justPublished(deps: ServiceDeps, nowIso: string, sinceIso: string): Promise<DashPart> {
  const base = deps.db.selectFrom('articles').where('status', '=', 'published').where('published_at', '<=', nowIso);
  const [n, rows] = await Promise.all([
    base
      .where('published_at', '>', sinceIso)
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirst(),
    base.select(['id', 'headline', 'published_at']).orderBy('published_at', 'desc').orderBy('id').limit(SHOWN).execute(),
  ]);
  return {
    count: count(n),
    items: rows.map((r) => ({ href: `/newsroom/stories/${r.id}`, title: r.headline, at: r.published_at, note: 'Published' })),
  };
}

async function pendingComments(deps: ServiceDeps): Promise<DashPart & { oldestAt: string | null }> {
  const base = deps.db.selectFrom('comments as c').innerJoin('articles as a', 'a.id', 'c.article_id').where('c.status', '=', 'pending');
  const [n, rows] = await Promise.all([
    base.select((eb) => eb.fn.countAll().as('n')).executeTakeFirst(),
    base.select(['c.id', 'c.body', 'c.created_at', 'a.headline']).orderBy('c.created_at').orderBy('c.id').limit(SHOWN).execute(),
  ]);
  return {
    count: count(n),
    oldestAt: rows[0]?.created_at ?? null,
    items: rows.map((r) => ({
      href: '/newsroom/comments?view=pending',
      title: r.body.length > 80 ? `${r.body.slice(0, 79)}…` : r.body,
      at: r.created_at,
      note: `On ${r.headline}`,
    })),
  };
}

async function failedDeliveries(deps: ServiceDeps): Promise<DashPart> {
  const base = deps.db
    .selectFrom('webhook_deliveries as d')
    .innerJoin('webhooks as w', 'w.id', 'd.webhook_id')
    .where('d.status', '=', 'failed');
  const [n, rows] = await Promise.all([
    base.select((eb) => eb.fn.countAll().as('n')).executeTakeFirst(),
    base
      .select(['d.id', 'd.webhook_id', 'd.event', 'd.last_attempt_at', 'd.created_at', 'w.url'])
      .orderBy('d.created_at', 'desc')
      .orderBy('d.id')
      .limit(SHOWN)
      .execute(),
  ]);
  return {
    count: count(n),
    items: rows.map((r) => ({
      href: `/newsroom/webhooks/${r.webhook_id}`,
      title: `${r.event} to ${r.url}`,
      at: r.last_attempt_at ?? r.created_at,
      note: 'Failed',
    })),
  };
}

/** The dashboard for `actor`; desk-wide parts only for the roles that handle them. */
export async function getDashboard(deps: ServiceDeps, actor: Actor): Promise<Dashboard> {
  const now = deps.clock();
  const nowIso = now.toISOString();
  const dayAgo = new Date(now.getTime() - 24 * 3600_000).toISOString();
  const desk = roleAtLeast(actor.role, 'editor');
  const [drafts, assignments, rev, next, published, comments, failed] = await Promise.all([
    myDrafts(deps, actor),
    myAssignments(deps, actor),
    desk ? review(deps) : null,
    desk ? nextOut(deps, nowIso) : null,
    justPublished(deps, nowIso, dayAgo),
    desk ? pendingComments(deps) : null,
    actor.role === 'admin' ? failedDeliveries(deps) : null,
  ]);
  return {
    myDrafts: drafts,
    myAssignments: assignments,
    review: rev,
    nextOut: next,
    justPublished: published,
    pendingComments: comments,
    failedDeliveries: failed,
  };
}
