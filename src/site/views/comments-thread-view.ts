import type { CommentThread } from '../../domain/comments/comment-thread.ts';
import { COMMENT_MAX_LENGTH } from '../../domain/comments/comment-text.ts';
import { html, type SafeHtml } from '../../http/html.ts';
import type { Messages } from '../../render/i18n/messages.ts';
import { closedMessage, commentCountLabel, commentItem } from './comments-partials.ts';
import { layout, type SiteChrome } from './layout.ts';

/** Messages after a plain-form post (POST-redirect-GET lands on the thread with `?posted=`). */
export const POSTED_MESSAGES = {
  published: 'comments.postedPublished',
  pending: 'comments.postedPending',
  deleted: 'comments.postedDeleted',
  edited: 'comments.postedEdited',
  liked: 'comments.postedLiked',
  reported: 'comments.postedReported',
} as const;
export type PostedCode = keyof typeof POSTED_MESSAGES;

const SORT_LABELS = { newest: 'comments.sortNewest', oldest: 'comments.sortOldest', liked: 'comments.sortLiked' } as const;

function threadUrl(path: string, sort: string, page = 1): string {
  const q = [sort !== 'newest' ? `sort=${sort}` : '', page > 1 ? `page=${page}` : ''].filter(Boolean).join('&');
  return `${path}/comments${q ? `?${q}` : ''}`;
}

function compose(m: Messages, t: CommentThread): SafeHtml {
  if (t.state.kind === 'closed') return html`<p class="comments-compose__closed">${closedMessage(m, t.state.reason)}</p>`;
  const notes = [
    t.state.moderated ? m.text('comments.moderated') : '',
    t.state.closesAt ? m.text('comments.closesOn', { time: m.dateTime(t.state.closesAt) }) : '',
  ].filter(Boolean);
  return html`<p class="comments-compose__lead"><a class="comments-button" href="/comments/write?article=${t.article.id}" data-action="compose">${m.text('comments.write')}</a> <span class="comments-compose__hint">${m.text('comments.hint', { max: COMMENT_MAX_LENGTH })}</span></p>${notes.map((n) => html`<p class="comments-compose__note">${n}</p>`)}`;
}

/**
 * The words comments.js writes, in the page's language. Arguments stay `{name}` placeholders
 * for the script to fill (it formats the numbers in the page's language).
 */
function scriptWords(m: Messages): Record<string, string> {
  const keep = { count: '{count}', over: '{over}', max: '{max}', name: '{name}' };
  return {
    error: m.text('script.error'),
    overLimit: m.text('script.overLimit', keep),
    ofMax: m.text('script.ofMax', keep),
    yourCommentAs: m.text('script.yourCommentAs', keep),
    replyTo: m.text('script.replyTo', keep),
    postComment: m.text('reader.postComment'),
    postReply: m.text('reader.postReply'),
    cancel: m.text('reader.cancel'),
    reportButton: m.text('reader.reportButton'),
    reportReason: m.text('reader.reportReason'),
    reported: m.text('script.reported'),
    edit: m.text('reader.edit'),
    delete: m.text('reader.delete'),
    editTitle: m.text('reader.editTitle'),
    saveChanges: m.text('reader.saveChanges'),
    deleteConfirm: m.text('script.deleteConfirm'),
    yesDelete: m.text('script.yesDelete'),
    keepIt: m.text('script.keepIt'),
    deleted: m.text('comments.postedDeleted'),
    banned: m.text('reader.banned'),
  };
}

/** The discussion page's meta description: which story it discusses, then what the story says it is about. */
export function threadDescription(m: Messages, a: { headline: string; summary: string }): string {
  return a.summary
    ? m.text('comments.descriptionWithSummary', { headline: a.headline, summary: a.summary })
    : m.text('comments.description', { headline: a.headline });
}

/** The public discussion page of a story: identical for every reader, so it can be cached. */
export function commentThreadView(chrome: SiteChrome, t: CommentThread, p: { posted?: PostedCode; scriptSrc: string }): SafeHtml {
  const { m } = chrome;
  const open = t.state.kind === 'open';
  const path = t.article.path;
  const body = html`<div class="comments-page" data-comments data-article-id="${t.article.id}" data-open="${open ? '1' : '0'}" data-words="${JSON.stringify(scriptWords(m))}">
<p class="comments-page__back"><a href="${path}">${m.text('comments.back')}</a></p>
<h1 class="comments-page__title">${m.html('comments.pageTitle', { headline: html`<bdi>${t.article.headline}</bdi>` })}</h1>
<p class="comments-page__count" data-comment-count="${t.article.commentCount}">${commentCountLabel(m, t.article.commentCount)}</p>
${p.posted ? html`<p class="comments-flash" role="status">${m.text(POSTED_MESSAGES[p.posted])}</p>` : ''}
<div class="comments-status" role="status" aria-live="polite" data-comments-status></div>
<section class="comments-compose" id="compose" aria-label="${m.text('comments.write')}">${compose(m, t)}
<p class="comments-compose__account"><a href="/comments/account">${m.text('comments.yourAccount')}</a></p></section>
${
  t.threads.length
    ? html`<nav class="comments-sort" aria-label="${m.text('comments.sortNav')}"><span>${m.text('comments.sortLabel')}</span> ${Object.entries(SORT_LABELS).map(([key, label]) => html`<a href="${threadUrl(path, key)}"${t.sort === key ? html` aria-current="true"` : ''}>${m.text(label)}</a>`)}</nav>`
    : html`<p class="comments-empty" data-comments-empty>${m.text(open ? 'comments.noneYetStart' : 'comments.noneYet')}</p>`
}
<ol class="comment-list" data-comment-list>${t.threads.map(
    (e) =>
      html`<li class="comment-thread" data-thread="${e.comment.id}">${commentItem(m, e.comment, { articleId: t.article.id, open })}<ol class="comment-replies" data-replies>${e.replies.map((r) => html`<li>${commentItem(m, r, { articleId: t.article.id, open })}</li>`)}</ol></li>`,
  )}</ol>
${t.page > 1 || t.hasMore ? html`<nav class="pagination" aria-label="${m.text('comments.moreNav')}">${t.page > 1 ? html`<a href="${threadUrl(path, t.sort, t.page - 1)}" rel="prev">${m.text('comments.previous')}</a>` : ''}${t.hasMore ? html`<a href="${threadUrl(path, t.sort, t.page + 1)}" rel="next">${m.text('comments.next')}</a>` : ''}</nav>` : ''}
</div>`;
  return layout(chrome, {
    title: `${m.text('comments.pageTitle', { headline: t.article.headline })} | ${chrome.siteName}`,
    description: threadDescription(m, t.article),
    canonicalPath: threadUrl(path, 'newest'),
    robots: 'noindex, follow',
    head: html`<script src="${p.scriptSrc}" defer></script>`,
    body,
  });
}
