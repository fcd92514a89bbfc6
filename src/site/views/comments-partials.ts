import type { PublicComment } from '../../domain/comments/comment.ts';
import { commentSegments } from '../../domain/comments/comment-text.ts';
import { html, type SafeHtml } from '../../http/html.ts';
import type { Messages } from '../../render/i18n/messages.ts';

/*
 * Comment markup. A comment's text is only ever interpolated through the escaping template:
 * paragraphs, line breaks and links are the only elements a body can produce, and links go
 * to http(s) URLs with rel="nofollow ugc noopener".
 */

const LINK_REL = 'nofollow ugc noopener';

function lineWithLinks(line: string): SafeHtml {
  return html`${commentSegments(line).map((s) => (s.kind === 'link' ? html`<a href="${s.href}" rel="${LINK_REL}" target="_blank">${s.text}</a>` : s.text))}`;
}

/** The body of a comment: paragraphs at blank lines, <br> at single line breaks. */
export function commentBody(text: string): SafeHtml {
  const paragraphs = text.split(/\n{2,}/);
  return html`${paragraphs.map((p) => html`<p>${p.split('\n').map((line, i) => html`${i > 0 ? html`<br>` : ''}${lineWithLinks(line)}`)}</p>`)}`;
}

export interface CommentItemOptions {
  articleId: string;
  /** Reply/like/report links are shown while the discussion is open. */
  open: boolean;
  /** Marks the item that the reader just posted. */
  highlight?: boolean;
}

/** One comment as a list item body (also returned to comments.js after posting). */
export function commentItem(m: Messages, c: PublicComment, o: CommentItemOptions): SafeHtml {
  if (c.status !== 'published') {
    return html`<article class="comment comment--removed" id="c-${c.id}" data-comment-id="${c.id}"><p class="comment__removed">${m.text('comments.removed')}</p></article>`;
  }
  const root = c.parentId ?? c.id;
  return html`<article class="comment${o.highlight ? ' comment--new' : ''}" id="c-${c.id}" data-comment-id="${c.id}" data-thread-id="${root}">
<header class="comment__meta"><bdi class="comment__author">${c.readerName}</bdi> <a class="comment__time" href="#c-${c.id}"><time datetime="${c.createdAt}" data-localize>${m.dateTime(c.createdAt)}</time></a>${c.editedAt ? html` <span class="comment__edited">${m.text('comments.edited')}</span>` : ''}</header>
<div class="comment__body" dir="auto">${commentBody(c.body)}</div>
${
  o.open
    ? html`<footer class="comment__actions"><a class="comment__action comment__like" href="/comments/${c.id}/like" data-action="like">${m.text('comments.like')} <span class="comment__likes">${m.number(c.likeCount)}</span><span class="visually-hidden"> ${m.html('comments.commentBy', { name: html`<bdi>${c.readerName}</bdi>` })}</span></a><a class="comment__action" href="/comments/write?article=${o.articleId}&amp;parent=${root}" data-action="reply">${m.text('comments.reply')}</a><a class="comment__action comment__report" href="/comments/${c.id}/report" data-action="report">${m.text('comments.report')}</a></footer>`
    : html`<footer class="comment__actions"><span class="comment__likes-static">${m.text('comments.likes', { count: c.likeCount })}</span></footer>`
}
</article>`;
}

export function commentCountLabel(m: Messages, n: number): string {
  return m.text('comments.count', { count: n });
}

/** The reader-facing sentence for a closed discussion, in the page's language. */
export function closedMessage(m: Messages, reason: 'policy' | 'expired' | 'unpublished'): string {
  switch (reason) {
    case 'policy':
      return m.text('comments.closedPolicy');
    case 'expired':
      return m.text('comments.closedExpired');
    case 'unpublished':
      return m.text('comments.closedUnpublished');
    default: {
      const never: never = reason;
      return never;
    }
  }
}

/** The honeypot: hidden from people (and screen readers), tempting to form-filling bots. */
export function honeypotField(m: Messages): SafeHtml {
  return html`<div class="hp-field" aria-hidden="true"><label for="hp-website">${m.text('comments.honeypot')}</label><input type="text" id="hp-website" name="website" value="" tabindex="-1" autocomplete="off"></div>`;
}

export function csrfInput(token: string): SafeHtml {
  return html`<input type="hidden" name="_csrf" value="${token}">`;
}
