import type { EditorialNote, NoteThread } from '../../domain/desk/editorial-notes.ts';
import { html, type SafeHtml } from '../../http/html.ts';
import { csrfField } from './newsroom-layout.ts';
import { timeUtc } from './workflow-labels.ts';

/*
 * The editor's sidebar of editorial notes: plain forms (reply, resolve, reopen, delete, a note
 * on the whole story) that work without JavaScript; the editor script adds "Add note" on a
 * selected passage, sends the forms without leaving the page and marks the passages in the text.
 */

export interface NotesPanelProps {
  articleId: string;
  threads: NoteThread[];
  csrfToken: string;
  userId: string;
  isEditor: boolean;
}

function noteBody(n: EditorialNote): SafeHtml {
  return html`<p class="nr-note__meta"><strong>${n.authorName ?? 'Former account'}</strong> ${timeUtc(n.createdAt)}</p><p class="nr-note__text">${n.text}</p>`;
}

function smallForm(p: NotesPanelProps, action: string, label: string, extra: SafeHtml | '' = ''): SafeHtml {
  return html`<form method="post" action="/newsroom/stories/${p.articleId}/desk-notes/${action}" class="nr-inline nr-note__form" data-note-form>${csrfField(p.csrfToken)}${extra}<button type="submit" class="nr-button nr-button--quiet nr-button--small">${label}</button></form>`;
}

function thread(p: NotesPanelProps, t: NoteThread, n: number): SafeHtml {
  const root = t.note;
  const mayDelete = (note: EditorialNote) => note.authorUserId === p.userId || p.isEditor;
  const replyId = `note-reply-${root.id}`;
  return html`<li class="nr-note${root.resolvedAt ? ' nr-note--resolved' : ''}" id="note-${root.id}" data-note-id="${root.id}"${root.quote && !root.resolvedAt ? html` data-quote="${root.quote}" data-block="${root.blockIndex ?? ''}"` : ''}>
<h3 class="nr-visually-hidden">Note ${n}${root.resolvedAt ? ' (resolved)' : ''}</h3>
${root.quote ? html`<blockquote class="nr-note__quote">${root.quote}</blockquote><button type="button" class="nr-button nr-button--quiet nr-button--small" data-note-show hidden data-needs-js>Show in text</button>` : html`<p class="nr-muted nr-note__quote">On the whole story</p>`}
${noteBody(root)}
${t.replies.length ? html`<ol class="nr-note__replies" aria-label="Replies">${t.replies.map((r) => html`<li>${noteBody(r)}${mayDelete(r) ? smallForm(p, `${r.id}/delete`, 'Delete reply') : ''}</li>`)}</ol>` : ''}
${root.resolvedAt ? html`<p class="nr-muted">Resolved by ${root.resolvedByName ?? 'a former account'} ${timeUtc(root.resolvedAt)}</p>` : ''}
<form method="post" action="/newsroom/stories/${p.articleId}/desk-notes/${root.id}/reply" class="nr-form nr-note__reply" data-note-form>${csrfField(p.csrfToken)}
<label for="${replyId}">Reply</label><textarea id="${replyId}" name="text" rows="2" maxlength="4000" required></textarea>
<button type="submit" class="nr-button nr-button--small">Reply</button></form>
<div class="nr-note__actions">${root.resolvedAt ? smallForm(p, `${root.id}/reopen`, 'Reopen') : smallForm(p, `${root.id}/resolve`, 'Resolve')}${mayDelete(root) ? smallForm(p, `${root.id}/delete`, 'Delete thread') : ''}</div>
</li>`;
}

/** The notes sidebar (also served alone, for the script to refresh it in place). */
export function storyNotesPanel(p: NotesPanelProps): SafeHtml {
  const open = p.threads.filter((t) => !t.note.resolvedAt);
  const resolved = p.threads.filter((t) => t.note.resolvedAt);
  return html`<section id="desk-notes" class="nr-panel se-notes" aria-labelledby="desk-notes-title" data-refresh-url="/newsroom/stories/${p.articleId}/desk-notes">
<h2 id="desk-notes-title">Notes for the desk <span class="nr-muted">(${open.length} open)</span></h2>
<p class="nr-hint">Seen only in the newsroom: notes are never published or exported.</p>
<form method="post" action="/newsroom/stories/${p.articleId}/desk-notes" class="nr-form" id="note-add-form" data-note-form>${csrfField(p.csrfToken)}
<input type="hidden" name="quote" value="" id="note-add-quote-field"><input type="hidden" name="blockIndex" value="" id="note-add-block-field">
<blockquote id="note-add-quote" class="nr-note__quote" hidden></blockquote>
<label for="note-add-text">New note</label>
<textarea id="note-add-text" name="text" rows="3" maxlength="4000" required aria-describedby="note-add-hint"></textarea>
<p id="note-add-hint" class="nr-hint">Select words in the body, then “Add note” in the toolbar to attach the note to them; otherwise it is about the whole story.</p>
<button type="submit" class="nr-button nr-button--small">Add note</button>
</form>
<p id="note-status" class="nr-hint" role="status" aria-live="polite"></p>
${open.length ? html`<ol class="nr-notes" aria-label="Open notes">${open.map((t, i) => thread(p, t, i + 1))}</ol>` : html`<p class="nr-muted">No open notes.</p>`}
${resolved.length ? html`<details class="nr-notes__resolved"><summary>${resolved.length} resolved</summary><ol class="nr-notes" aria-label="Resolved notes">${resolved.map((t, i) => thread(p, t, open.length + i + 1))}</ol></details>` : ''}
</section>`;
}
