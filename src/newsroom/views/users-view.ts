import { html, type SafeHtml } from '../../http/html.ts';
import type { User } from '../../domain/accounts/user.ts';
import { csrfField, newsroomLayout, ROLE_LABELS, type NewsroomChrome } from './newsroom-layout.ts';

function formatTime(iso: string | null): string {
  return iso ? `${iso.slice(0, 16).replace('T', ' ')} UTC` : 'Never';
}

export function usersView(chrome: NewsroomChrome, p: { users: User[]; currentUserId: string; csrfToken: string }): SafeHtml {
  const rows = p.users.map((u) => {
    const action = u.disabled ? 'enable' : 'disable';
    return html`<tr${u.disabled ? html` class="nr-row--disabled"` : ''}>
<td><span class="nr-strong">${u.name}</span><br><span class="nr-muted">${u.email}</span></td>
<td>${ROLE_LABELS[u.role]}</td>
<td>${u.disabled ? html`<span class="nr-badge nr-badge--off">Disabled</span>` : html`<span class="nr-badge nr-badge--on">Active</span>`}</td>
<td>${formatTime(u.lastLoginAt)}</td>
<td>${u.id === p.currentUserId
      ? html`<span class="nr-muted">You</span>`
      : html`<form method="post" action="/newsroom/users/${u.id}/${action}" class="nr-inline">${csrfField(p.csrfToken)}<button type="submit" class="nr-button nr-button--small${u.disabled ? '' : ' nr-button--danger'}">${u.disabled ? 'Enable' : 'Disable'}<span class="nr-visually-hidden"> ${u.name}</span></button></form>`}</td>
</tr>`;
  });
  return newsroomLayout(chrome, {
    title: 'Users',
    current: 'users',
    body: html`<h1>Users</h1>
<p class="nr-muted">Create accounts with <code>npm run masthead -- user create</code>. Disabling an account signs it out everywhere at once.</p>
<div class="nr-table-wrap"><table class="nr-table">
<caption class="nr-visually-hidden">Newsroom accounts</caption>
<thead><tr><th scope="col">Name</th><th scope="col">Role</th><th scope="col">Status</th><th scope="col">Last sign-in</th><th scope="col"><span class="nr-visually-hidden">Actions</span></th></tr></thead>
<tbody>${rows}</tbody>
</table></div>`,
  });
}
