import { html, type SafeHtml } from '../../http/html.ts';
import {
  WEBHOOK_EVENT_LABELS,
  WEBHOOK_EVENT_TYPES,
  type DeliveryStatus,
  type Webhook,
  type WebhookEventType,
} from '../../domain/webhooks/webhook.ts';

/* Pieces shared by the webhook pages (webhooks-list-view.ts, webhooks-detail-view.ts). */

export function formatTime(iso: string | null, empty = '—'): string {
  return iso ? `${iso.slice(0, 19).replace('T', ' ')} UTC` : empty;
}

export function hookStatus(h: Pick<Webhook, 'enabled'>): SafeHtml {
  return h.enabled ? html`<span class="nr-badge nr-badge--on">Enabled</span>` : html`<span class="nr-badge nr-badge--off">Disabled</span>`;
}

const DELIVERY_LABELS: Record<DeliveryStatus, string> = {
  pending: 'Waiting',
  delivering: 'Sending',
  succeeded: 'Delivered',
  failed: 'Failed',
};

export function deliveryStatus(status: DeliveryStatus): SafeHtml {
  const modifier = status === 'succeeded' ? ' nr-badge--on' : status === 'failed' ? ' nr-badge--off' : '';
  return html`<span class="nr-badge${modifier}">${DELIVERY_LABELS[status] ?? status}</span>`;
}

/** The URL, description, event checkboxes and (when editing) the enabled switch. */
export function webhookFields(p: {
  idPrefix: string;
  url: string;
  description: string;
  events: readonly string[];
  enabled?: boolean;
}): SafeHtml {
  const id = (name: string) => `${p.idPrefix}-${name}`;
  return html`<label for="${id('url')}">Receiver URL</label>
<input id="${id('url')}" name="url" type="url" required maxlength="2000" value="${p.url}" placeholder="https://example.com/hooks/masthead" aria-describedby="${id('url-hint')}">
<p id="${id('url-hint')}" class="nr-hint">An http(s) address on the public internet; it receives a signed JSON POST for each event.</p>
<label for="${id('description')}">Description (optional)</label>
<input id="${id('description')}" name="description" type="text" maxlength="200" value="${p.description}">
<fieldset class="nr-webhook-events">
<legend>Events</legend>
${WEBHOOK_EVENT_TYPES.map(
  (e: WebhookEventType) =>
    html`<label><input type="checkbox" name="events" value="${e}"${p.events.includes(e) ? html` checked` : ''}> <code>${e}</code> <span class="nr-muted">${WEBHOOK_EVENT_LABELS[e]}</span></label>`,
)}
</fieldset>
${
  p.enabled === undefined
    ? ''
    : html`<label class="nr-webhook-check"><input type="checkbox" name="enabled" value="1"${p.enabled ? html` checked` : ''}> Enabled (send events to this address)</label>`
}`;
}

/** The signing secret, shown once after creating or rotating. */
export function secretPanel(secret: string, what: 'created' | 'rotated'): SafeHtml {
  return html`<section class="nr-card nr-token-secret" aria-labelledby="secret-title">
<h2 id="secret-title">${what === 'created' ? 'Webhook created: its signing secret' : 'New signing secret'}</h2>
<p><strong>Copy it now: it will not be shown again.</strong> ${what === 'rotated' ? 'Deliveries from now on are signed with this secret; the old one no longer verifies.' : ''}</p>
<label for="webhook-secret">Signing secret</label>
<input id="webhook-secret" class="nr-token-secret__value" type="text" readonly value="${secret}" autocomplete="off" spellcheck="false" aria-describedby="secret-hint">
<p id="secret-hint" class="nr-hint">Your receiver checks each delivery with it: <code>x-masthead-signature</code> is <code>sha256=</code> followed by the hex HMAC-SHA256 of <code>timestamp + "." + raw body</code> under this secret, where the timestamp is the <code>x-masthead-timestamp</code> header. The README shows an example.</p>
</section>`;
}
