import { html, type SafeHtml } from '../../http/html.ts';
import { MIN_PASSWORD_LENGTH } from '../../domain/accounts/user.ts';
import { csrfField, formError, newsroomLayout, type NewsroomChrome } from './newsroom-layout.ts';

export function passwordView(chrome: NewsroomChrome, p: { csrfToken: string; error?: string; required?: boolean }): SafeHtml {
  return newsroomLayout(chrome, {
    title: 'Change password',
    current: 'password',
    body: html`<section class="nr-card nr-card--narrow" aria-labelledby="pw-title">
<h1 id="pw-title">Change your password</h1>
${p.required ? html`<p class="nr-error" role="status">You are signed in with a temporary password. Choose your own password to continue; enter the temporary one as the current password.</p>` : ''}
${formError(p.error)}
<form method="post" action="/newsroom/account/password" class="nr-form">
${csrfField(p.csrfToken)}
<label for="currentPassword">Current password</label>
<input id="currentPassword" name="currentPassword" type="password" autocomplete="current-password" required>
<label for="newPassword">New password</label>
<input id="newPassword" name="newPassword" type="password" autocomplete="new-password" required minlength="${MIN_PASSWORD_LENGTH}" aria-describedby="pw-hint">
<p id="pw-hint" class="nr-hint">At least ${MIN_PASSWORD_LENGTH} characters. A few unrelated words make a strong, memorable password.</p>
<label for="confirmPassword">New password again</label>
<input id="confirmPassword" name="confirmPassword" type="password" autocomplete="new-password" required minlength="${MIN_PASSWORD_LENGTH}">
<button type="submit" class="nr-button">Change password</button>
</form>
<p class="nr-hint">Changing your password signs you out on every other device.</p>
</section>`,
  });
}
