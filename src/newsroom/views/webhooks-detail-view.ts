import { html, type SafeHtml } from '../../http/html.ts';
import type { Webhook, WebhookDelivery } from '../../domain/webhooks/webhook.ts';
import { csrfField, formError, newsroomLayout, type NewsroomChrome } from './newsroom-layout.ts';
import { deliveryStatus, formatTime, hookStatus, secretPanel, webhookFields } from './webhooks-parts.ts';

export interface WebhookPageProps {
  webhook: Webhook;
  deliveries: WebhookDelivery[];
  csrfToken: string;
  /** After rotating: the new secret, shown this once. */
  secret?: string;
  notice?: string;
  error?: string;
  form?: { url: string; description: string; events: string[]; enabled: boolean };
}

function retryForm(p: WebhookPageProps, d: WebhookDelivery): SafeHtml | '' {
  if (!p.webhook.enabled || (d.status !== 'failed' && d.status !== 'pending')) return '';
  return html`<form method="post" action="/newsroom/webhooks/${p.webhook.id}/deliveries/${d.id}/retry" class="nr-inline">${csrfField(p.csrfToken)}<button type="submit" class="nr-button nr-button--small">Retry now<span class="nr-visually-hidden"> delivery ${d.id}</span></button></form>`;
}

function deliveriesTable(p: WebhookPageProps): SafeHtml {
  if (!p.deliveries.length) return html`<p class="nr-muted">Nothing sent yet. Send a test ping to check the receiver.</p>`;
  const rows = p.deliveries.map(
    (d) => html`<tr>
<td><a href="/newsroom/webhooks/${p.webhook.id}/deliveries/${d.id}"><code>${d.event}</code></a><br><span class="nr-hint">${formatTime(d.createdAt)}</span></td>
<td>${deliveryStatus(d.status)}</td>
<td>${d.attempts}</td>
<td>${d.status === 'pending' ? formatTime(d.nextAttemptAt) : d.status === 'succeeded' ? formatTime(d.deliveredAt) : '—'}</td>
<td>${d.lastStatusCode === null ? '—' : String(d.lastStatusCode)}${d.lastError ? html`<br><span class="nr-hint">${d.lastError}</span>` : ''}</td>
<td>${retryForm(p, d)}</td>
</tr>`,
  );
  return html`<div class="nr-table-wrap"><table class="nr-table">
<caption class="nr-visually-hidden">Latest deliveries, newest first</caption>
<thead><tr><th scope="col">Event</th><th scope="col">Status</th><th scope="col">Attempts</th><th scope="col">Next try / delivered</th><th scope="col">Last answer</th><th scope="col"><span class="nr-visually-hidden">Actions</span></th></tr></thead>
<tbody>${rows}</tbody>
</table></div>`;
}

/** `/newsroom/webhooks/:id`: settings, secret rotation, test ping, deletion and the delivery log. */
export function webhookDetailView(chrome: NewsroomChrome, p: WebhookPageProps): SafeHtml {
  const h = p.webhook;
  const form = p.form ?? { url: h.url, description: h.description, events: h.events, enabled: h.enabled };
  const action = (path: string, label: string, extra = '') =>
    html`<form method="post" action="/newsroom/webhooks/${h.id}/${path}" class="nr-inline">${csrfField(p.csrfToken)}<button type="submit" class="nr-button nr-button--small${extra}">${label}</button></form>`;
  return newsroomLayout(chrome, {
    title: 'Webhook',
    current: 'webhooks',
    body: html`<nav class="nr-crumbs" aria-label="Breadcrumb"><a href="/newsroom/webhooks">Webhooks</a></nav>
<h1 class="nr-webhook-url">${h.url}</h1>
<p>${hookStatus(h)} ${!h.enabled && h.disabledReason ? html`<span class="nr-hint">${h.disabledReason}</span>` : ''}</p>
${p.notice ? html`<p class="nr-flash" role="status">${p.notice}</p>` : ''}
${p.secret ? secretPanel(p.secret, 'rotated') : ''}
<section class="nr-card" aria-labelledby="deliveries">
<h2 id="deliveries">Deliveries</h2>
${deliveriesTable(p)}
</section>
<section class="nr-card" aria-labelledby="settings">
<h2 id="settings">Settings</h2>
${formError(p.error)}
<form method="post" action="/newsroom/webhooks/${h.id}" class="nr-form">
${csrfField(p.csrfToken)}
${webhookFields({ idPrefix: 'edit', ...form })}
<button type="submit" class="nr-button">Save</button>
</form>
</section>
<section class="nr-card" aria-labelledby="actions">
<h2 id="actions">Test, secret and removal</h2>
<p class="nr-hint">Signing secret last set ${formatTime(h.secretRotatedAt ?? h.createdAt)}. It is shown only when created or rotated.</p>
<div class="nr-webhook-actions">
${h.enabled ? action('ping', 'Send test ping') : ''}
${action('rotate', 'Rotate secret')}
</div>
<form method="post" action="/newsroom/webhooks/${h.id}/delete" class="nr-form nr-webhook-delete">
${csrfField(p.csrfToken)}
<label class="nr-webhook-check"><input type="checkbox" name="confirm" value="1" required> Yes, delete this webhook and its delivery log (pending deliveries are dropped)</label>
<button type="submit" class="nr-button nr-button--small nr-button--danger">Delete webhook</button>
</form>
</section>`,
  });
}

/** One delivery: its outcome and the exact JSON body sent. */
export function webhookDeliveryView(
  chrome: NewsroomChrome,
  p: { webhook: Webhook; delivery: WebhookDelivery; csrfToken: string },
): SafeHtml {
  const d = p.delivery;
  let pretty = d.payload;
  try {
    pretty = JSON.stringify(JSON.parse(d.payload), null, 2);
  } catch {
    // Shown as stored.
  }
  return newsroomLayout(chrome, {
    title: 'Webhook delivery',
    current: 'webhooks',
    body: html`<nav class="nr-crumbs" aria-label="Breadcrumb"><a href="/newsroom/webhooks">Webhooks</a> › <a href="/newsroom/webhooks/${p.webhook.id}">${p.webhook.url}</a></nav>
<h1>Delivery of <code>${d.event}</code></h1>
<dl class="nr-details nr-webhook-facts">
<dt>Delivery id (x-masthead-delivery)</dt><dd><code>${d.id}</code></dd>
<dt>Event id</dt><dd><code>${d.eventId}</code></dd>
<dt>Status</dt><dd>${deliveryStatus(d.status)}</dd>
<dt>Attempts</dt><dd>${d.attempts}</dd>
<dt>Queued</dt><dd>${formatTime(d.createdAt)}</dd>
<dt>Last attempt</dt><dd>${formatTime(d.lastAttemptAt)}</dd>
<dt>${d.status === 'pending' ? 'Next attempt' : 'Delivered'}</dt><dd>${d.status === 'pending' ? formatTime(d.nextAttemptAt) : formatTime(d.deliveredAt)}</dd>
<dt>Last HTTP status</dt><dd>${d.lastStatusCode === null ? '—' : String(d.lastStatusCode)}</dd>
<dt>Last error</dt><dd>${d.lastError ?? '—'}</dd>
</dl>
${
  p.webhook.enabled && (d.status === 'failed' || d.status === 'pending')
    ? html`<form method="post" action="/newsroom/webhooks/${p.webhook.id}/deliveries/${d.id}/retry" class="nr-form">${csrfField(p.csrfToken)}<button type="submit" class="nr-button">Retry now</button></form>`
    : ''
}
<h2>Payload</h2>
<pre class="nr-webhook-payload"><code>${pretty}</code></pre>
${d.responseExcerpt ? html`<h2>Response (start)</h2><pre class="nr-webhook-payload"><code>${d.responseExcerpt}</code></pre>` : ''}`,
  });
}
