import type { ActiveAlert } from '../../domain/alerts/breaking-alert.ts';
import { html, type SafeHtml } from '../../http/html.ts';

/** The site-wide alert stream every public page follows (public/site.js; site/alert-routes.ts). */
export const ALERT_STREAM_PATH = '/alerts/stream';

/** The breaking-news banner: a complementary landmark with its label and the story link. */
export function breakingAlertHtml(alert: Pick<ActiveAlert, 'id' | 'text' | 'path'>): SafeHtml {
  return html`<aside class="breaking-alert" aria-label="Breaking news" data-alert-id="${alert.id}"><p class="breaking-alert__inner"><strong class="breaking-alert__label">Breaking</strong> <a class="breaking-alert__link" href="${alert.path}">${alert.text}</a></p></aside>`;
}

/**
 * The banner's place in every page: server-rendered with the alert when one is up, and the
 * region public/site.js fills or empties from the alert stream (announced politely).
 */
export function breakingAlertRegion(alert: Pick<ActiveAlert, 'id' | 'text' | 'path'> | null | undefined): SafeHtml {
  return html`<div class="breaking-alert-region" aria-live="polite" data-alert-stream="${ALERT_STREAM_PATH}" data-alert-shown="${alert?.id ?? 'none'}">${alert ? breakingAlertHtml(alert) : ''}</div>`;
}
