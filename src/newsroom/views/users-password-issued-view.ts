import { html, type SafeHtml } from '../../http/html.ts';
import type { User } from '../../domain/accounts/user.ts';
import { newsroomLayout, ROLE_LABELS, type NewsroomChrome } from './newsroom-layout.ts';

/**
 * The temporary password, shown in this one response and nowhere else (no redirect, no
 * cookie; the newsroom sends `cache-control: no-store`).
 */
export function usersPasswordIssuedView(
  chrome: NewsroomChrome,
  p: { user: User; temporaryPassword: string; reason: 'created' | 'reset' },
): SafeHtml {
  const title = p.reason === 'created' ? `Account created for ${p.user.name}` : `Password reset for ${p.user.name}`;
  return newsroomLayout(chrome, {
    title,
    current: 'users',
    body: html`<section class="nr-card nr-token-secret" aria-labelledby="tp-title">
<h1 id="tp-title">${title}</h1>
<p>${p.user.email} · ${ROLE_LABELS[p.user.role]}${p.reason === 'reset' ? ' · signed out everywhere' : ''}</p>
<p><strong>Copy the temporary password now: it will not be shown again.</strong> Masthead keeps only a hash of it.</p>
<label for="temporary-password">Temporary password</label>
<input id="temporary-password" class="nr-token-secret__value" type="text" readonly value="${p.temporaryPassword}" autocomplete="off" spellcheck="false" aria-describedby="tp-hint">
<p id="tp-hint" class="nr-hint">Hand it over safely: say it in person or by phone, or send it on a different channel from the email address. Never put it in the same message as the address. At the first sign-in with it, ${p.user.name} must choose a new password before anything else.</p>
<p><a class="nr-button" href="/newsroom/users">Back to users</a></p>
</section>`,
  });
}
