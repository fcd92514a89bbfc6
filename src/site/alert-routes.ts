import type { FastifyInstance } from 'fastify';
import type { Deps } from '../deps.ts';
import { ALERT_STREAM_KEY, findActiveAlert } from '../domain/alerts/breaking-alert.ts';
import { resumeCursor, runEventStream, type StreamHub } from '../http/event-stream.ts';
import { messagesFor } from '../render/i18n/messages.ts';
import type { EditionRouting } from './reader-edition.ts';
import { readerLocale } from './reader-locale.ts';
import { ALERT_STREAM_PATH, alertWords, breakingAlertHtml } from './views/breaking-alert-view.ts';

/** The event id when no alert is up. */
const NONE = 'none';

/*
 * The breaking-news banner's push: one small stream per open page (Server-Sent Events, in the
 * same bounded hub as live blogs). Its event id is the alert shown (or "none"): a page sends
 * what it shows, and hears only when that changes — raised, replaced, cleared or expired.
 * Nudged by every change naming the alert stream (from any node, through the change bus), and
 * by itself at the alert's expiry time.
 */
export function registerAlertRoutes(app: FastifyInstance, deps: Deps, hub: StreamHub, editions: EditionRouting): void {
  app.get(ALERT_STREAM_PATH, async (req, reply) => {
    // Each edition's pages follow its own address of the stream (`/fr/alerts/stream`): the banner in their words.
    const words = alertWords(messagesFor(readerLocale({ edition: (await editions.view(req)).edition })));
    return runEventStream(req, reply, hub, ALERT_STREAM_KEY, resumeCursor(req), {
      async read(cursor) {
        const alert = await findActiveAlert(deps.db, deps.clock().toISOString());
        const shown = alert?.id ?? NONE;
        if (shown === cursor) return { events: [], done: false, endsAt: alert?.expiresAt ?? null };
        const data = alert ? { id: alert.id, html: breakingAlertHtml(alert, words).value } : { id: null };
        return {
          events: [{ id: shown, event: alert ? 'alert' : 'clear', data: JSON.stringify(data) }],
          done: false,
          endsAt: alert?.expiresAt ?? null,
        };
      },
    });
  });
}
