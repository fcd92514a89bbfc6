import { html, type SafeHtml } from '../../http/html.ts';
import { roleAtLeast } from '../../domain/accounts/access.ts';
import type { Role } from '../../domain/accounts/role.ts';
import type { Dashboard, DashPart } from '../../domain/desk/desk-dashboard.ts';
import { versionedAsset } from '../../http/assets.ts';
import { newsroomLayout, ROLE_LABELS, type NewsroomChrome } from './newsroom-layout.ts';
import { timeUtc, workflowScript } from './workflow-labels.ts';

const ROLE_DESCRIPTIONS: Record<Role, string> = {
  contributor: 'You can write drafts and submit them for review.',
  author: 'You can write drafts and publish your own stories.',
  editor: 'You can edit and publish any story, manage sections and tags, and moderate comments.',
  admin: 'You can do everything an editor can, and manage users and site settings.',
};

export type DashPartKey = keyof Dashboard;

/** Each part's words: title, what the number counts, where the whole list is, what "none" reads like. */
const PARTS: Record<DashPartKey, { title: string; unit: string; all: string; allLabel: string; empty: string }> = {
  myDrafts: { title: 'My drafts', unit: 'drafts', all: '/newsroom/stories?status=draft', allLabel: 'All your drafts', empty: 'No drafts.' },
  myAssignments: {
    title: 'My assignments',
    unit: 'assigned to me',
    all: '/newsroom/planning?assignee=me',
    allLabel: 'The plan',
    empty: 'Nothing assigned to you.',
  },
  review: {
    title: 'Waiting for review',
    unit: 'in review',
    all: '/newsroom/review',
    allLabel: 'Review queue',
    empty: 'Nothing is waiting.',
  },
  nextOut: {
    title: 'Going out next',
    unit: 'scheduled or embargoed',
    all: '/newsroom/scheduled',
    allLabel: 'Scheduled stories',
    empty: 'Nothing is scheduled.',
  },
  justPublished: {
    title: 'Just published',
    unit: 'published in 24 hours',
    all: '/newsroom/stories?status=published',
    allLabel: 'Published stories',
    empty: 'Nothing published yet.',
  },
  pendingComments: {
    title: 'Comments to moderate',
    unit: 'comments waiting',
    all: '/newsroom/comments?view=pending',
    allLabel: 'Moderation queue',
    empty: 'No comment is waiting.',
  },
  failedDeliveries: {
    title: 'Failed webhook deliveries',
    unit: 'failed deliveries',
    all: '/newsroom/webhooks',
    allLabel: 'Webhooks',
    empty: 'No delivery failed.',
  },
};

const ORDER: DashPartKey[] = ['myAssignments', 'myDrafts', 'review', 'nextOut', 'justPublished', 'pendingComments', 'failedDeliveries'];

/** The parts this dashboard has (desk-wide ones are null for roles that do not handle them). */
function presentParts(d: Dashboard): Array<[DashPartKey, DashPart & { oldestAt?: string | null }]> {
  return ORDER.flatMap((k) => {
    const part = d[k];
    return part ? [[k, part] as [DashPartKey, DashPart & { oldestAt?: string | null }]] : [];
  });
}

/** A part's list (and its "oldest" line): the fragment the page swaps when the numbers move. */
export function dashPartList(key: DashPartKey, part: DashPart & { oldestAt?: string | null }): SafeHtml {
  const words = PARTS[key];
  return html`${part.oldestAt ? html`<p class="dash-oldest">Oldest waiting since ${timeUtc(part.oldestAt)}</p>` : ''}${
    part.items.length
      ? html`<ul class="dash-list">${part.items.map(
          (i) =>
            html`<li><a href="${i.href}">${i.title}</a> <span class="nr-hint">${i.note}${i.at ? html`, ${timeUtc(i.at)}` : ''}</span></li>`,
        )}</ul>`
      : html`<p class="nr-muted">${words.empty}</p>`
  }<p><a href="${words.all}">${words.allLabel}</a></p>`;
}

/** What the page's script is sent: per part, its number and its list. */
export function dashboardJson(d: Dashboard): { parts: Record<string, { count: number; html: string }> } {
  return { parts: Object.fromEntries(presentParts(d).map(([k, p]) => [k, { count: p.count, html: dashPartList(k, p).value }])) };
}

let dashScript: SafeHtml | undefined;

export function dashboardView(chrome: NewsroomChrome, p: { name: string; role: Role; dashboard: Dashboard; pollMs: number }): SafeHtml {
  const parts = presentParts(p.dashboard);
  dashScript ??= html`<script src="${versionedAsset('newsroom-dashboard.js')}" defer></script>`;
  return newsroomLayout(chrome, {
    title: 'Dashboard',
    current: 'dashboard',
    body: html`<h1>Hello, ${p.name}</h1>
<p class="nr-lead">You are signed in as <strong>${ROLE_LABELS[p.role]}</strong>. ${ROLE_DESCRIPTIONS[p.role]}</p>
<div id="dashboard" data-dashboard="/newsroom/dashboard.json" data-poll-ms="${String(p.pollMs)}">
<ul class="dash-tiles" aria-label="The day in numbers">${parts.map(
      ([k, part]) =>
        html`<li><a class="dash-tile" href="#dash-${k}"><span class="dash-tile__n" data-dash-count="${k}">${String(part.count)}</span> <span class="dash-tile__label">${PARTS[k].unit}</span></a></li>`,
    )}</ul>
<p class="nr-hint" id="dash-updated"></p><p class="nr-visually-hidden" id="dash-announce" aria-live="polite"></p>
<div class="dash-grid">${parts.map(
      ([k, part]) => html`<section class="nr-card dash-card" id="dash-${k}" aria-labelledby="dash-${k}-title">
<h2 id="dash-${k}-title">${PARTS[k].title} <span class="nr-badge" data-dash-count="${k}">${String(part.count)}</span></h2>
<div data-dash-list="${k}">${dashPartList(k, part)}</div>
</section>`,
    )}</div>
</div>
<section class="nr-card" aria-labelledby="stories-title">
<h2 id="stories-title">Stories</h2>
<ul class="nr-links">
<li><a href="/newsroom/stories/new">Write a new story</a></li>
<li><a href="/newsroom/planning">Planning</a>: today's planned stories, assignments and "Start writing"</li>
<li><a href="/newsroom/stories">${roleAtLeast(p.role, 'editor') ? 'All stories' : 'Your stories'}</a>: drafts, stories in review, scheduled and published</li>
<li><a href="/newsroom/media">Media library</a>: upload photos; captions and credits are read from the file</li>
${roleAtLeast(p.role, 'editor') ? html`<li><a href="/newsroom/audit">Audit log</a>: who did what, and when</li>` : ''}
</ul>
</section>
${workflowScript()}${dashScript}`,
  });
}
