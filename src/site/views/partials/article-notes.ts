import type { PublicNote } from '../../../domain/articles/article-notes.ts';
import { html, type SafeHtml } from '../../../http/html.ts';
import type { Messages } from '../../../render/i18n/messages.ts';

/** The anchor the byline's "see correction" link points at. */
export const ARTICLE_NOTES_ID = 'article-notes';

const KIND_LABEL = { correction: 'notes.correction', update: 'notes.update' } as const;

function heading(m: Messages, notes: readonly PublicNote[]): string {
  const corrections = notes.filter((n) => n.kind === 'correction').length;
  const updates = notes.length - corrections;
  if (corrections && updates) return m.text('notes.headingBoth');
  if (corrections) return m.text('notes.headingCorrections', { count: corrections });
  return m.text('notes.headingUpdates', { count: updates });
}

/**
 * Updates and corrections, published in the open with their time. Each is labelled in words
 * (not by colour alone) and its time is a machine-readable `<time>` that site.js localizes.
 */
export function articleNotes(m: Messages, notes: readonly PublicNote[]): SafeHtml | '' {
  if (!notes.length) return '';
  const items = notes.map(
    (n) =>
      html`<li class="article-note article-note--${n.kind}"><p class="article-note__meta"><strong class="article-note__kind">${m.text(KIND_LABEL[n.kind])}</strong> <time datetime="${n.at}" data-localize>${m.dateTime(n.at)}</time></p><p class="article-note__text">${n.text}</p></li>`,
  );
  return html`<aside class="article-notes" id="${ARTICLE_NOTES_ID}" aria-labelledby="${ARTICLE_NOTES_ID}-heading"><h2 class="article-notes__heading" id="${ARTICLE_NOTES_ID}-heading">${heading(m, notes)}</h2><ul class="article-notes__list">${items}</ul></aside>`;
}

/** A short link from the byline times to the notes, naming what kind there is. */
export function articleNotesLink(m: Messages, notes: readonly PublicNote[]): SafeHtml | '' {
  if (!notes.length) return '';
  const count = notes.length;
  const label = notes.some((n) => n.kind === 'correction')
    ? m.text('notes.seeCorrections', { count })
    : m.text('notes.seeUpdates', { count });
  return html`<a class="article__notes-link" href="#${ARTICLE_NOTES_ID}">${label}</a>`;
}
