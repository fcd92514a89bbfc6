import type { PublicComment } from '../../domain/comments/comment.ts';
import { COMMENT_MAX_LENGTH, DISPLAY_NAME_MAX_LENGTH } from '../../domain/comments/comment-text.ts';
import { READER_MIN_PASSWORD_LENGTH, type Reader } from '../../domain/readers/reader.ts';
import { html, type SafeHtml } from '../../http/html.ts';
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

function nextField(next: string | undefined): SafeHtml | '' {
  return next ? html`<input type="hidden" name="next" value="${next}">` : '';
}

export function signUpView(
  chrome: SiteChrome,
  p: { csrfToken: string; next?: string; error?: string; displayName?: string; email?: string; verificationOn: boolean },
): SafeHtml {
  return page(
    chrome,
    'Create a reader account',
    html`<h1>Create a reader account</h1>
<p class="reader-lead">Your display name appears next to your comments. Your email address is never shown.</p>
${p.verificationOn ? html`<p class="reader-note">We will email you a link to confirm your address; until then your comments wait for review.</p>` : ''}
${error(p.error)}
<form class="reader-form" method="post" action="/comments/signup">${csrfInput(p.csrfToken)}${nextField(p.next)}
<label for="displayName">Display name</label><input id="displayName" name="displayName" required maxlength="${DISPLAY_NAME_MAX_LENGTH * 2}" autocomplete="nickname" value="${p.displayName ?? ''}">
<label for="email">Email</label><input id="email" name="email" type="email" required autocomplete="email" value="${p.email ?? ''}">
<label for="password">Password</label><input id="password" name="password" type="password" required minlength="${READER_MIN_PASSWORD_LENGTH}" autocomplete="new-password" aria-describedby="password-hint"><p class="reader-hint" id="password-hint">At least ${READER_MIN_PASSWORD_LENGTH} characters.</p>
${honeypotField()}
<button class="comments-button" type="submit">Create account</button>
</form>
<p>Already have an account? <a href="/comments/signin${p.next ? html`?next=${encodeURIComponent(p.next)}` : ''}">Sign in</a>.</p>`,
  );
}

export function signInView(
  chrome: SiteChrome,
  p: { csrfToken: string; next?: string; error?: string; email?: string; notice?: string },
): SafeHtml {
  return page(
    chrome,
    'Sign in to comment',
    html`<h1>Sign in to comment</h1>
${p.notice ? html`<p class="comments-flash" role="status">${p.notice}</p>` : ''}
${error(p.error)}
<form class="reader-form" method="post" action="/comments/signin">${csrfInput(p.csrfToken)}${nextField(p.next)}
<label for="email">Email</label><input id="email" name="email" type="email" required autocomplete="email" value="${p.email ?? ''}">
<label for="password">Password</label><input id="password" name="password" type="password" required autocomplete="current-password">
<button class="comments-button" type="submit">Sign in</button>
</form>
<p>New here? <a href="/comments/signup${p.next ? html`?next=${encodeURIComponent(p.next)}` : ''}">Create a reader account</a>.</p>`,
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
  const title = p.editing ? 'Edit your comment' : p.parent ? 'Reply to a comment' : 'Write a comment';
  const action = p.editing ? `/comments/${p.editing.id}/edit` : '/comments';
  return page(
    chrome,
    title,
    html`<h1>${title}</h1>
<p class="reader-lead">On <a href="${p.article.path}">${p.article.headline}</a>. You are signed in as <bdi>${p.reader.displayName}</bdi>.</p>
${p.parent ? html`<div class="reader-quote">${commentItem(p.parent, { articleId: p.article.id, open: false })}</div>` : ''}
${error(p.error)}
<form class="reader-form" method="post" action="${action}">${csrfInput(p.csrfToken)}
<input type="hidden" name="articleId" value="${p.article.id}">${p.parent ? html`<input type="hidden" name="parentId" value="${p.parent.id}">` : ''}
<label for="body">Your comment</label><textarea id="body" name="body" rows="8" required aria-describedby="body-hint">${p.body ?? p.editing?.body ?? ''}</textarea>
<p class="reader-hint" id="body-hint">Plain text, up to ${COMMENT_MAX_LENGTH.toLocaleString('en')} characters. Links are allowed; more than a couple send your comment for review.</p>
${honeypotField()}
<button class="comments-button" type="submit">${p.editing ? 'Save changes' : p.parent ? 'Post reply' : 'Post comment'}</button> <a href="${p.article.path}/comments">Cancel</a>
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
  return page(
    chrome,
    p.title,
    html`<h1>${p.title}</h1>
<div class="reader-quote">${commentItem(p.comment, { articleId: p.comment.articleId, open: false })}</div>
${error(p.error)}
<form class="reader-form" method="post" action="${p.action}">${csrfInput(p.csrfToken)}
${p.reasonField ? html`<label for="reason">What is wrong with it? (optional)</label><input id="reason" name="reason" maxlength="300">` : ''}
<button class="comments-button" type="submit">${p.button}</button> <a href="${p.articlePath}/comments#c-${p.comment.id}">Cancel</a>
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
  return page(
    chrome,
    'Your reader account',
    html`<h1>Your reader account</h1>
${p.notice ? html`<p class="comments-flash" role="status">${p.notice}</p>` : ''}
<p>Signed in as <strong><bdi>${p.reader.displayName}</bdi></strong> (${p.reader.email}).</p>
${p.banned ? html`<p class="reader-error" role="alert">Your account has been banned from commenting on this site.</p>` : ''}
${
  p.verificationOn && !p.reader.emailVerified
    ? html`<p class="reader-note">Your email address is not confirmed yet, so your comments wait for review.</p><form class="reader-inline" method="post" action="/comments/verify/resend">${csrfInput(p.csrfToken)}<button class="comments-button comments-button--quiet" type="submit">Send the confirmation link again</button></form>`
    : ''
}
${
  p.recent.length
    ? html`<section class="reader-recent" aria-labelledby="recent-heading"><h2 id="recent-heading">Comments you can still change</h2><ul>${p.recent.map(
        (r) =>
          html`<li><a href="${r.articlePath}/comments#c-${r.comment.id}">${r.headline}</a>: <q dir="auto">${excerpt(r.comment.body)}</q> <a href="/comments/${r.comment.id}/edit">Edit</a> · <a href="/comments/${r.comment.id}/delete">Delete</a></li>`,
      )}</ul></section>`
    : ''
}
<form class="reader-inline" method="post" action="/comments/signout">${csrfInput(p.csrfToken)}<button class="comments-button" type="submit">Sign out</button></form>`,
  );
}

export function messageView(chrome: SiteChrome, title: string, message: string, link?: { href: string; label: string }): SafeHtml {
  return page(chrome, title, html`<h1>${title}</h1><p>${message}</p>${link ? html`<p><a href="${link.href}">${link.label}</a></p>` : ''}`);
}
