import type { ActiveAlert } from '../../domain/alerts/breaking-alert.ts';
import { html, type SafeHtml } from '../../http/html.ts';
import type { Messages } from '../../render/i18n/messages.ts';

/** The banner's words in the page's language; the stream's banner takes them from the region. */
export interface AlertWords {
  landmark: string;
  label: string;
}

/** The site-wide alert stream every public page follows (public/site.js; site/alert-routes.ts). */
export const ALERT_STREAM_PATH = '/alerts/stream';

export function alertWords(m: Messages): AlertWords {
  return { landmark: m.text('layout.alertLandmark'), label: m.text('layout.alertLabel') };
}

/**
 * The breaking-news banner: a complementary landmark with its label and the story link. The
 * site-wide stream serves every edition, so it renders the site's default words and public/site.js
 * puts the page's in (the region's `data-alert-landmark` and `data-alert-label`).
 */
export function breakingAlertHtml(alert: Pick<ActiveAlert, 'id' | 'text' | 'path'>, words: AlertWords): SafeHtml {
  return html`<aside class="breaking-alert" aria-label="${words.landmark}" data-alert-id="${alert.id}"><p class="breaking-alert__inner"><strong class="breaking-alert__label">${words.label}</strong> <a class="breaking-alert__link" href="${alert.path}">${alert.text}</a></p></aside>`;
}

/**
 * The banner's place in every page: server-rendered with the alert when one is up, and the
 * region public/site.js fills or empties from the alert stream (announced politely).
 */
export function breakingAlertRegion(alert: Pick<ActiveAlert, 'id' | 'text' | 'path'> | null | undefined, m: Messages): SafeHtml {
  const words = alertWords(m);
  return html`<div class="breaking-alert-region" aria-live="polite" data-alert-stream="${ALERT_STREAM_PATH}" data-alert-shown="${alert?.id ?? 'none'}" data-alert-landmark="${words.landmark}" data-alert-label="${words.label}">${alert ? breakingAlertHtml(alert, words) : ''}</div>`;
}
