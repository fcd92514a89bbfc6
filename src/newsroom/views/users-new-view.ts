import { html, type SafeHtml } from '../../http/html.ts';
import { ROLES, type Role } from '../../domain/accounts/role.ts';
import { csrfField, formError, newsroomLayout, ROLE_LABELS, type NewsroomChrome } from './newsroom-layout.ts';

export interface NewUserForm {
  email?: string;
  name?: string;
  role?: string;
}

/** The create-user form; no password field: the account gets a temporary one. */
export function usersNewView(chrome: NewsroomChrome, p: { csrfToken: string; form?: NewUserForm; error?: string }): SafeHtml {
  const f = p.form ?? {};
  const selected: string = f.role ?? 'contributor';
  const options = ROLES.map((r: Role) => html`<option value="${r}"${r === selected ? html` selected` : ''}>${ROLE_LABELS[r]}</option>`);
  return newsroomLayout(chrome, {
    title: 'Create a user',
    current: 'users',
    body: html`<section class="nr-card nr-card--narrow" aria-labelledby="nu-title">
<h1 id="nu-title">Create a user</h1>
${formError(p.error)}
<form method="post" action="/newsroom/users" class="nr-form">
${csrfField(p.csrfToken)}
<label for="email">Email</label>
<input id="email" name="email" type="email" autocomplete="off" required maxlength="254" value="${f.email ?? ''}">
<label for="name">Name</label>
<input id="name" name="name" type="text" autocomplete="off" required maxlength="120" value="${f.name ?? ''}">
<label for="role">Role</label>
<select id="role" name="role">${options}</select>
<button type="submit" class="nr-button">Create user</button>
</form>
<p class="nr-hint">Masthead makes a one-time temporary password and shows it to you once. The person must choose their own password when they first sign in.</p>
<p><a href="/newsroom/users">Back to users</a></p>
</section>`,
  });
}
