import type { PublicComment } from '../../domain/comments/comment.ts';
import { COMMENT_MAX_LENGTH, DISPLAY_NAME_MAX_LENGTH } from '../../domain/comments/comment-text.ts';
import { READER_MIN_PASSWORD_LENGTH, type Reader } from '../../domain/readers/reader.ts';
import { html, type HtmlValue, type SafeHtml } from '../../http/html.ts';
import { commentItem, csrfInput, honeypotField } from './comments-partials.ts';
import { layout, type SiteChrome } from './layout.ts';

/*
 * Reader pages: personal, never cached, never indexed. They work without JavaScript; each
 * form carries the CSRF token and posts back with POST-redirect-GET.
 */

function page(chrome: SiteChrome, title: string, body: SafeHtml): SafeHtml {
  return layout(chrome, {
    title: `${title} | ${chrome.siteName}`,
    robots: 'noindex, nofollow',
    body: html`<div class="reader-page">${body}</div>`,
  });
}

function error(message: string | undefined): SafeHtml | '' {
  return message ? html`<div class="reader-error" role="alert"><p>${message}</p></div>` : '';
}

function excerpt(text: string): string {
  const chars = [...text];
  return chars.length > 80 ? `${chars.slice(0, 80).join('')}…` : text;
}

/** A `<link>…</link>` of a message as a link to `href`. */
function linkTo(href: string): (chunks: HtmlValue[]) => SafeHtml {
  return (chunks) => html`<a href="${href}">${chunks}</a>`;
}

function nextField(next: string | undefined): SafeHtml | '' {
  return next ? html`<input type="hidden" name="next" value="${next}">` : '';
}

export function signUpView(
  chrome: SiteChrome,
  p: { csrfToken: string; next?: string; error?: string; displayName?: string; email?: string; verificationOn: boolean },
): SafeHtml {
  const { m } = chrome;
  const signIn = linkTo(`${chrome.basePath ?? ''}/comments/signin${p.next ? `?next=${encodeURIComponent(p.next)}` : ''}`);
  return page(
    chrome,
    m.text('reader.signUpTitle'),
    html`<h1>${m.text('reader.signUpTitle')}</h1>
<p class="reader-lead">${m.text('reader.signUpLead')}</p>
${p.verificationOn ? html`<p class="reader-note">${m.text('reader.signUpVerify')}</p>` : ''}
${error(p.error)}
<form class="reader-form" method="post" action="${chrome.basePath ?? ''}/comments/signup">${csrfInput(p.csrfToken)}${nextField(p.next)}
<label for="displayName">${m.text('reader.displayName')}</label><input id="displayName" name="displayName" required maxlength="${DISPLAY_NAME_MAX_LENGTH * 2}" autocomplete="nickname" dir="auto" value="${p.displayName ?? ''}">
<label for="email">${m.text('reader.email')}</label><input id="email" name="email" type="email" required autocomplete="email" dir="ltr" value="${p.email ?? ''}">
<label for="password">${m.text('reader.password')}</label><input id="password" name="password" type="password" required minlength="${READER_MIN_PASSWORD_LENGTH}" autocomplete="new-password" aria-describedby="password-hint"><p class="reader-hint" id="password-hint">${m.text('reader.passwordHint', { min: READER_MIN_PASSWORD_LENGTH })}</p>
${honeypotField(m)}
<button class="comments-button" type="submit">${m.text('reader.createAccount')}</button>
</form>
<p>${m.html('reader.haveAccount', { link: signIn })}</p>`,
  );
}

export function signInView(
  chrome: SiteChrome,
  p: { csrfToken: string; next?: string; error?: string; email?: string; notice?: string },
): SafeHtml {
  const { m } = chrome;
  const signUp = linkTo(`${chrome.basePath ?? ''}/comments/signup${p.next ? `?next=${encodeURIComponent(p.next)}` : ''}`);
  return page(
    chrome,
    m.text('reader.signInTitle'),
    html`<h1>${m.text('reader.signInTitle')}</h1>
${p.notice ? html`<p class="comments-flash" role="status">${p.notice}</p>` : ''}
${error(p.error)}
<form class="reader-form" method="post" action="${chrome.basePath ?? ''}/comments/signin">${csrfInput(p.csrfToken)}${nextField(p.next)}
<label for="email">${m.text('reader.email')}</label><input id="email" name="email" type="email" required autocomplete="email" dir="ltr" value="${p.email ?? ''}">
<label for="password">${m.text('reader.password')}</label><input id="password" name="password" type="password" required autocomplete="current-password">
<button class="comments-button" type="submit">${m.text('reader.signIn')}</button>
</form>
<p>${m.html('reader.newHere', { link: signUp })}</p>`,
  );
}

export interface WriteViewProps {
  csrfToken: string;
  reader: Reader;
  article: { id: string; headline: string; path: string };
  parent?: PublicComment;
  body?: string;
  error?: string;
  /** Editing an existing comment instead of writing a new one. */
  editing?: PublicComment;
}

export function writeView(chrome: SiteChrome, p: WriteViewProps): SafeHtml {
  const { m } = chrome;
  const title = m.text(p.editing ? 'reader.editTitle' : p.parent ? 'reader.replyTitle' : 'reader.writeTitle');
  const action = p.editing ? `/comments/${p.editing.id}/edit` : '/comments';
  return page(
    chrome,
    title,
    html`<h1>${title}</h1>
<p class="reader-lead">${m.html('reader.on', { story: html`<a href="${p.article.path}" dir="auto">${p.article.headline}</a>`, name: html`<bdi>${p.reader.displayName}</bdi>` })}</p>
${p.parent ? html`<div class="reader-quote">${commentItem(m, p.parent, { articleId: p.article.id, open: false })}</div>` : ''}
${error(p.error)}
<form class="reader-form" method="post" action="${action}">${csrfInput(p.csrfToken)}
<input type="hidden" name="articleId" value="${p.article.id}">${p.parent ? html`<input type="hidden" name="parentId" value="${p.parent.id}">` : ''}
<label for="body">${m.text('reader.yourComment')}</label><textarea id="body" name="body" rows="8" required dir="auto" aria-describedby="body-hint">${p.body ?? p.editing?.body ?? ''}</textarea>
<p class="reader-hint" id="body-hint">${m.text('reader.bodyHint', { max: COMMENT_MAX_LENGTH })}</p>
${honeypotField(m)}
<button class="comments-button" type="submit">${m.text(p.editing ? 'reader.saveChanges' : p.parent ? 'reader.postReply' : 'reader.postComment')}</button> <a href="${p.article.path}/comments">${m.text('reader.cancel')}</a>
</form>`,
  );
}

/** A one-button confirmation page for like, report and delete without JavaScript. */
export function confirmView(
  chrome: SiteChrome,
  p: {
    title: string;
    csrfToken: string;
    action: string;
    button: string;
    comment: PublicComment;
    articlePath: string;
    reasonField?: boolean;
    error?: string;
  },
): SafeHtml {
  const { m } = chrome;
  return page(
    chrome,
    p.title,
    html`<h1>${p.title}</h1>
<div class="reader-quote">${commentItem(m, p.comment, { articleId: p.comment.articleId, open: false })}</div>
${error(p.error)}
<form class="reader-form" method="post" action="${p.action}">${csrfInput(p.csrfToken)}
${p.reasonField ? html`<label for="reason">${m.text('reader.reportReason')}</label><input id="reason" name="reason" maxlength="300" dir="auto">` : ''}
<button class="comments-button" type="submit">${p.button}</button> <a href="${p.articlePath}/comments#c-${p.comment.id}">${m.text('reader.cancel')}</a>
</form>`,
  );
}

export function accountView(
  chrome: SiteChrome,
  p: {
    reader: Reader;
    csrfToken: string;
    banned: boolean;
    verificationOn: boolean;
    notice?: string;
    /** Own comments still inside the edit window: how readers without JavaScript reach edit and delete. */
    recent: Array<{ comment: PublicComment; articlePath: string; headline: string }>;
  },
): SafeHtml {
  const { m } = chrome;
  return page(
    chrome,
    m.text('reader.accountTitle'),
    html`<h1>${m.text('reader.accountTitle')}</h1>
${p.notice ? html`<p class="comments-flash" role="status">${p.notice}</p>` : ''}
<p>${m.html('reader.signedInAs', { name: html`<strong><bdi>${p.reader.displayName}</bdi></strong>`, email: html`<bdi>${p.reader.email}</bdi>` })}</p>
${p.banned ? html`<p class="reader-error" role="alert">${m.text('reader.banned')}</p>` : ''}
${
  p.verificationOn && !p.reader.emailVerified
    ? html`<p class="reader-note">${m.text('reader.unverified')}</p><form class="reader-inline" method="post" action="${chrome.basePath ?? ''}/comments/verify/resend">${csrfInput(p.csrfToken)}<button class="comments-button comments-button--quiet" type="submit">${m.text('reader.resend')}</button></form>`
    : ''
}
${
  p.recent.length
    ? html`<section class="reader-recent" aria-labelledby="recent-heading"><h2 id="recent-heading">${m.text('reader.recent')}</h2><ul>${p.recent.map(
        (r) =>
          html`<li><a href="${r.articlePath}/comments#c-${r.comment.id}" dir="auto">${r.headline}</a>: <q dir="auto">${excerpt(r.comment.body)}</q> <a href="/comments/${r.comment.id}/edit">${m.text('reader.edit')}</a> · <a href="/comments/${r.comment.id}/delete">${m.text('reader.delete')}</a></li>`,
      )}</ul></section>`
    : ''
}
<form class="reader-inline" method="post" action="${chrome.basePath ?? ''}/comments/signout">${csrfInput(p.csrfToken)}<button class="comments-button" type="submit">${m.text('reader.signOut')}</button></form>`,
  );
}

export function messageView(chrome: SiteChrome, title: string, message: string, link?: { href: string; label: string }): SafeHtml {
  return page(chrome, title, html`<h1>${title}</h1><p>${message}</p>${link ? html`<p><a href="${link.href}">${link.label}</a></p>` : ''}`);
}
