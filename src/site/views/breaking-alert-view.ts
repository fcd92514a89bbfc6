import type { ActiveAlert } from '../../domain/alerts/breaking-alert.ts';
import { html, type SafeHtml } from '../../http/html.ts';
import type { Messages } from '../../render/i18n/messages.ts';

/** The site-wide alert stream every public page follows (public/site.js; site/alert-routes.ts), under an edition's prefix on its pages. */
export const ALERT_STREAM_PATH = '/alerts/stream';

/** The banner's words in the page's language. */
export interface AlertWords {
  landmark: string;
  label: string;
}

export function alertWords(m: Messages): AlertWords {
  return { landmark: m.text('layout.alertLandmark'), label: m.text('layout.alertLabel') };
}

/** The breaking-news banner: a complementary landmark with its label and the story link, in `words`. */
export function breakingAlertHtml(alert: Pick<ActiveAlert, 'id' | 'text' | 'path'>, words: AlertWords): SafeHtml {
  return html`<aside class="breaking-alert" aria-label="${words.landmark}" data-alert-id="${alert.id}"><p class="breaking-alert__inner"><strong class="breaking-alert__label">${words.label}</strong> <a class="breaking-alert__link" href="${alert.path}">${alert.text}</a></p></aside>`;
}

/**
 * The banner's place in every page: server-rendered with the alert when one is up, and the
 * region public/site.js fills or empties from the alert stream (announced politely).
 */
export function breakingAlertRegion(
  alert: Pick<ActiveAlert, 'id' | 'text' | 'path'> | null | undefined,
  m: Messages,
  basePath: string,
): SafeHtml {
  // The stream under the edition's address renders the banner in the edition's words.
  return html`<div class="breaking-alert-region" aria-live="polite" data-alert-stream="${basePath}${ALERT_STREAM_PATH}" data-alert-shown="${alert?.id ?? 'none'}">${alert ? breakingAlertHtml(alert, alertWords(m)) : ''}</div>`;
}
