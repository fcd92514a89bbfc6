import { html, type SafeHtml } from '../../http/html.ts';
import type { Webhook } from '../../domain/webhooks/webhook.ts';
import { csrfField, formError, newsroomLayout, type NewsroomChrome } from './newsroom-layout.ts';
import { formatTime, hookStatus, secretPanel, webhookFields } from './webhooks-parts.ts';

export interface WebhooksPageProps {
  webhooks: Webhook[];
  csrfToken: string;
  /** Just created: the hook and its secret, shown this once. */
  created?: { webhook: Webhook; secret: string };
  notice?: string;
  error?: string;
  /** Values to put back in the form after an error. */
  form?: { url: string; description: string; events: string[] };
}

/** `/newsroom/webhooks`: the registered hooks and the form to add one. */
export function webhooksListView(chrome: NewsroomChrome, p: WebhooksPageProps): SafeHtml {
  const rows = p.webhooks.map(
    (h) => html`<tr${h.enabled ? '' : html` class="nr-row--disabled"`}>
<td><a href="/newsroom/webhooks/${h.id}" class="nr-strong nr-webhook-url">${h.url}</a>${h.description ? html`<br><span class="nr-muted">${h.description}</span>` : ''}</td>
<td>${h.events.map((e, i) => html`${i ? html`<br>` : ''}<code>${e}</code>`)}</td>
<td>${hookStatus(h)}${h.disabledReason && !h.enabled ? html`<br><span class="nr-hint">${h.disabledReason}</span>` : ''}</td>
<td>${formatTime(h.createdAt)}</td>
</tr>`,
  );
  return newsroomLayout(chrome, {
    title: 'Webhooks',
    current: 'webhooks',
    body: html`<h1>Webhooks</h1>
<p class="nr-muted">Webhooks tell other systems (apps, newsletters, caches, social accounts) the moment a story is published, updated, unpublished or deleted, or a comment is posted. Each event is a signed JSON POST, retried for about a day if the receiver is down.</p>
${p.notice ? html`<p class="nr-flash" role="status">${p.notice}</p>` : ''}
${p.created ? secretPanel(p.created.secret, 'created') : ''}
${
  p.webhooks.length
    ? html`<div class="nr-table-wrap"><table class="nr-table">
<caption class="nr-visually-hidden">Registered webhooks</caption>
<thead><tr><th scope="col">Receiver</th><th scope="col">Events</th><th scope="col">Status</th><th scope="col">Created</th></tr></thead>
<tbody>${rows}</tbody>
</table></div>`
    : html`<p>No webhooks yet.</p>`
}
<section class="nr-card" aria-labelledby="new-webhook">
<h2 id="new-webhook">Add a webhook</h2>
${formError(p.error)}
<form method="post" action="/newsroom/webhooks" class="nr-form">
${csrfField(p.csrfToken)}
${webhookFields({ idPrefix: 'new', url: p.form?.url ?? '', description: p.form?.description ?? '', events: p.form?.events ?? ['article.published', 'article.updated'] })}
<button type="submit" class="nr-button">Add webhook</button>
</form>
</section>`,
  });
}
