import { html, type SafeHtml } from '../../http/html.ts';
import { ROLES } from '../../domain/accounts/role.ts';
import type { User } from '../../domain/accounts/user.ts';
import { csrfField, newsroomLayout, ROLE_LABELS, type NewsroomChrome } from './newsroom-layout.ts';

function formatTime(iso: string | null): string {
  return iso ? `${iso.slice(0, 16).replace('T', ' ')} UTC` : 'Never';
}

function roleForm(u: User, csrfToken: string): SafeHtml {
  const options = ROLES.map((r) => html`<option value="${r}"${r === u.role ? html` selected` : ''}>${ROLE_LABELS[r]}</option>`);
  return html`<form method="post" action="/newsroom/users/${u.id}/role" class="nr-inline">${csrfField(csrfToken)}<label class="nr-visually-hidden" for="role-${u.id}">Role of ${u.name}</label><select id="role-${u.id}" name="role">${options}</select> <button type="submit" class="nr-button nr-button--small">Change role<span class="nr-visually-hidden"> of ${u.name}</span></button></form>`;
}

function actions(u: User, csrfToken: string): SafeHtml {
  const toggle = u.disabled ? 'enable' : 'disable';
  return html`<form method="post" action="/newsroom/users/${u.id}/reset-password" class="nr-inline">${csrfField(csrfToken)}<button type="submit" class="nr-button nr-button--small">Reset password<span class="nr-visually-hidden"> of ${u.name}</span></button></form>
<form method="post" action="/newsroom/users/${u.id}/${toggle}" class="nr-inline">${csrfField(csrfToken)}<button type="submit" class="nr-button nr-button--small${u.disabled ? '' : ' nr-button--danger'}">${u.disabled ? 'Enable' : 'Disable'}<span class="nr-visually-hidden"> ${u.name}</span></button></form>`;
}

export function usersView(chrome: NewsroomChrome, p: { users: User[]; currentUserId: string; csrfToken: string }): SafeHtml {
  const rows = p.users.map((u) => {
    const self = u.id === p.currentUserId;
    return html`<tr${u.disabled ? html` class="nr-row--disabled"` : ''}>
<td><span class="nr-strong">${u.name}</span><br><span class="nr-muted">${u.email}</span></td>
<td>${self ? ROLE_LABELS[u.role] : roleForm(u, p.csrfToken)}</td>
<td>${u.disabled ? html`<span class="nr-badge nr-badge--off">Disabled</span>` : html`<span class="nr-badge nr-badge--on">Active</span>`}${u.mustChangePassword ? html`<br><span class="nr-muted">Temporary password</span>` : ''}</td>
<td>${formatTime(u.lastLoginAt)}</td>
<td>${self ? html`<span class="nr-muted">You</span>` : actions(u, p.csrfToken)}</td>
</tr>`;
  });
  return newsroomLayout(chrome, {
    title: 'Users',
    current: 'users',
    body: html`<h1>Users</h1>
<p><a class="nr-button" href="/newsroom/users/new">Create a user</a></p>
<p class="nr-muted">New accounts and password resets get a one-time temporary password that you hand over; the person must choose their own at first sign-in. A role change applies from the person's next click. Disabling an account or resetting its password signs it out everywhere at once.</p>
<div class="nr-table-wrap"><table class="nr-table">
<caption class="nr-visually-hidden">Newsroom accounts</caption>
<thead><tr><th scope="col">Name</th><th scope="col">Role</th><th scope="col">Status</th><th scope="col">Last sign-in</th><th scope="col"><span class="nr-visually-hidden">Actions</span></th></tr></thead>
<tbody>${rows}</tbody>
</table></div>`,
  });
}
