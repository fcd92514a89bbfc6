import { html, type SafeHtml } from '../../http/html.ts';
import type { ActiveAlert } from '../../domain/alerts/breaking-alert.ts';
import { MAX_ALERT_MINUTES } from '../../domain/alerts/breaking-alert-service.ts';
import { csrfField, formError, newsroomLayout, type NewsroomChrome } from './newsroom-layout.ts';

export interface AlertsPageProps {
  csrfToken: string;
  active: ActiveAlert | null;
  candidates: Array<{ id: string; headline: string; live_blog: number }>;
  recent: Array<{ id: string; text: string; created_at: string; expires_at: string | null; cleared_at: string | null }>;
  notice?: string;
  error?: string;
  form?: { articleId?: string; text?: string; minutes?: string };
}

const time = (iso: string | null) => (iso ? `${iso.slice(0, 16).replace('T', ' ')} UTC` : '');

/** The breaking-news alert page: what is up now (with "Clear now"), the form to raise one, and the last few. */
export function alertsView(chrome: NewsroomChrome, p: AlertsPageProps): SafeHtml {
  const a = p.active;
  return newsroomLayout(chrome, {
    title: 'Breaking-news alert',
    current: 'alerts',
    body: html`<h1>Breaking-news alert</h1>
<p class="nr-muted">A banner at the top of every page of the site, linking to one story. Open pages show it within a second, without a reload.</p>
${p.notice ? html`<p class="nr-flash" role="status">${p.notice}</p>` : ''}
<section class="nr-card nr-card--narrow" aria-labelledby="alert-now">
<h2 id="alert-now">Up now</h2>
${
  a
    ? html`<p><strong>${a.text}</strong> → <a href="${a.path}">${a.path}</a></p>
<p class="nr-muted">Raised ${time(a.createdAt)}${a.expiresAt ? html`; clears itself at ${time(a.expiresAt)}` : '; stays until cleared'}.</p>
<form method="post" action="/newsroom/alerts/${a.id}/clear" class="nr-inline">${csrfField(p.csrfToken)}<button type="submit" class="nr-button nr-button--danger">Clear now</button></form>`
    : html`<p>No alert is up.</p>`
}
</section>
<section class="nr-card nr-card--narrow" aria-labelledby="alert-new">
<h2 id="alert-new">Raise an alert</h2>
${formError(p.error)}
<form method="post" action="/newsroom/alerts" class="nr-form">
${csrfField(p.csrfToken)}
<label for="alert-story">Story</label>
<select id="alert-story" name="articleId" required>${p.candidates.map(
      (c) =>
        html`<option value="${c.id}"${c.id === p.form?.articleId ? html` selected` : ''}>${c.live_blog ? 'LIVE: ' : ''}${c.headline}</option>`,
    )}</select>
<label for="alert-text">Banner text (optional)</label>
<input id="alert-text" name="text" type="text" maxlength="160" value="${p.form?.text ?? ''}" aria-describedby="alert-text-hint">
<p id="alert-text-hint" class="nr-hint">Leave empty to use the story's headline.</p>
<label for="alert-minutes">Clear after (minutes, optional)</label>
<input id="alert-minutes" name="minutes" type="number" min="1" max="${MAX_ALERT_MINUTES}" inputmode="numeric" value="${p.form?.minutes ?? ''}" aria-describedby="alert-minutes-hint">
<p id="alert-minutes-hint" class="nr-hint">Leave empty to keep it up until cleared. Raising an alert replaces the one up now.</p>
<button type="submit" class="nr-button">Raise alert</button>
</form>
</section>
<h2>Recent alerts</h2>
${
  p.recent.length
    ? html`<ul>${p.recent.map((r) => html`<li>${time(r.created_at)}: ${r.text}${r.cleared_at ? html` <span class="nr-muted">(cleared ${time(r.cleared_at)})</span>` : r.expires_at ? html` <span class="nr-muted">(until ${time(r.expires_at)})</span>` : ''}</li>`)}</ul>`
    : html`<p class="nr-muted">None yet.</p>`
}`,
  });
}
