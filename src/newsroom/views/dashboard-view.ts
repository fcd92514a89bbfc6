import { html, type SafeHtml } from '../../http/html.ts';
import { roleAtLeast } from '../../domain/accounts/access.ts';
import type { Role } from '../../domain/accounts/role.ts';
import { newsroomLayout, ROLE_LABELS, type NewsroomChrome } from './newsroom-layout.ts';

const ROLE_DESCRIPTIONS: Record<Role, string> = {
  contributor: 'You can write drafts and submit them for review.',
  author: 'You can write drafts and publish your own stories.',
  editor: 'You can edit and publish any story, manage sections and tags, and moderate comments.',
  admin: 'You can do everything an editor can, and manage users and site settings.',
};

/** Editors' way into the desk lists and the audit log (workflow screens). */
function deskCard(): SafeHtml {
  return html`<section class="nr-card" aria-labelledby="desk-title">
<h2 id="desk-title">Editorial desk</h2>
<ul class="nr-links">
<li><a href="/newsroom/review">Review queue</a>: stories submitted for review</li>
<li><a href="/newsroom/scheduled">Scheduled</a>: stories waiting for their publication time</li>
<li><a href="/newsroom/comments">Comments</a>: the moderation queue</li>
<li><a href="/newsroom/audit">Audit log</a>: who did what, and when</li>
</ul>
</section>`;
}

export function dashboardView(chrome: NewsroomChrome, p: { name: string; role: Role }): SafeHtml {
  return newsroomLayout(chrome, {
    title: 'Dashboard',
    current: 'dashboard',
    body: html`<h1>Hello, ${p.name}</h1>
<p class="nr-lead">You are signed in as <strong>${ROLE_LABELS[p.role]}</strong>. ${ROLE_DESCRIPTIONS[p.role]}</p>
<section class="nr-card" aria-labelledby="stories-title">
<h2 id="stories-title">Stories</h2>
<ul class="nr-links">
<li><a href="/newsroom/stories/new">Write a new story</a></li>
<li><a href="/newsroom/stories">${roleAtLeast(p.role, 'editor') ? 'All stories' : 'Your stories'}</a>: drafts, stories in review, scheduled and published</li>
<li><a href="/newsroom/media">Media library</a>: upload photos; captions and credits are read from the file</li>
</ul>
</section>
${roleAtLeast(p.role, 'editor') ? deskCard() : ''}`,
  });
}
