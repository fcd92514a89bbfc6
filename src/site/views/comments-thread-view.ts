import type { CommentThread } from '../../domain/comments/comment-thread.ts';
import { closedMessage } from '../../domain/comments/comment-policy.ts';
import { COMMENT_MAX_LENGTH } from '../../domain/comments/comment-text.ts';
import { html, type SafeHtml } from '../../http/html.ts';
import { commentCountLabel, commentItem } from './comments-partials.ts';
import { formatDateTime } from './format.ts';
import { layout, type SiteChrome } from './layout.ts';

/** Messages after a plain-form post (POST-redirect-GET lands on the thread with `?posted=`). */
export const POSTED_MESSAGES = {
  published: 'Thank you: your comment is published.',
  pending: 'Thank you: your comment will appear once an editor has approved it.',
  deleted: 'Your comment has been deleted.',
  edited: 'Your comment has been updated.',
  liked: 'Thanks for the like.',
  reported: 'Thank you: the editors will look at the comment you reported.',
} as const;
export type PostedCode = keyof typeof POSTED_MESSAGES;

const SORT_LABELS = { newest: 'Newest', oldest: 'Oldest', liked: 'Most liked' } as const;

function threadUrl(path: string, sort: string, page = 1): string {
  const q = [sort !== 'newest' ? `sort=${sort}` : '', page > 1 ? `page=${page}` : ''].filter(Boolean).join('&');
  return `${path}/comments${q ? `?${q}` : ''}`;
}

function compose(t: CommentThread): SafeHtml {
  if (t.state.kind === 'closed') return html`<p class="comments-compose__closed">${closedMessage(t.state.reason)}</p>`;
  const notes = [
    t.state.moderated ? 'Comments on this story are reviewed by our editors before they appear.' : '',
    t.state.closesAt ? `Comments close on ${formatDateTime(t.state.closesAt)}.` : '',
  ].filter(Boolean);
  return html`<p class="comments-compose__lead"><a class="comments-button" href="/comments/write?article=${t.article.id}" data-action="compose">Write a comment</a> <span class="comments-compose__hint">Plain text, up to ${COMMENT_MAX_LENGTH.toLocaleString('en')} characters. You need a free reader account.</span></p>${notes.map((n) => html`<p class="comments-compose__note">${n}</p>`)}`;
}

/** The discussion page's meta description: which story it discusses, then what the story says it is about. */
export function threadDescription(a: { headline: string; summary: string }): string {
  return a.summary ? `Comments on: ${a.headline}. ${a.summary}` : `Comments on: ${a.headline}`;
}

/** The public discussion page of a story: identical for every reader, so it can be cached. */
export function commentThreadView(chrome: SiteChrome, t: CommentThread, p: { posted?: PostedCode; scriptSrc: string }): SafeHtml {
  const open = t.state.kind === 'open';
  const path = t.article.path;
  const body = html`<div class="comments-page" data-comments data-article-id="${t.article.id}" data-open="${open ? '1' : '0'}">
<p class="comments-page__back"><a href="${path}">← Back to the story</a></p>
<h1 class="comments-page__title">Comments: ${t.article.headline}</h1>
<p class="comments-page__count" data-comment-count="${t.article.commentCount}">${commentCountLabel(t.article.commentCount)}</p>
${p.posted ? html`<p class="comments-flash" role="status">${POSTED_MESSAGES[p.posted]}</p>` : ''}
<div class="comments-status" role="status" aria-live="polite" data-comments-status></div>
<section class="comments-compose" id="compose" aria-label="Write a comment">${compose(t)}
<p class="comments-compose__account"><a href="/comments/account">Your reader account</a></p></section>
${
  t.threads.length
    ? html`<nav class="comments-sort" aria-label="Sort comments"><span>Sort:</span> ${Object.entries(SORT_LABELS).map(([key, label]) => html`<a href="${threadUrl(path, key)}"${t.sort === key ? html` aria-current="true"` : ''}>${label}</a>`)}</nav>`
    : html`<p class="comments-empty" data-comments-empty>No comments yet.${open ? ' Start the discussion.' : ''}</p>`
}
<ol class="comment-list" data-comment-list>${t.threads.map(
    (e) =>
      html`<li class="comment-thread" data-thread="${e.comment.id}">${commentItem(e.comment, { articleId: t.article.id, open })}<ol class="comment-replies" data-replies>${e.replies.map((r) => html`<li>${commentItem(r, { articleId: t.article.id, open })}</li>`)}</ol></li>`,
  )}</ol>
${t.page > 1 || t.hasMore ? html`<nav class="pagination" aria-label="More comments">${t.page > 1 ? html`<a href="${threadUrl(path, t.sort, t.page - 1)}" rel="prev">← Previous comments</a>` : ''}${t.hasMore ? html`<a href="${threadUrl(path, t.sort, t.page + 1)}" rel="next">More comments →</a>` : ''}</nav>` : ''}
</div>`;
  return layout(chrome, {
    title: `Comments: ${t.article.headline} | ${chrome.siteName}`,
    description: threadDescription(t.article),
    canonicalPath: threadUrl(path, 'newest'),
    robots: 'noindex, follow',
    head: html`<script src="${p.scriptSrc}" defer></script>`,
    body,
  });
}
