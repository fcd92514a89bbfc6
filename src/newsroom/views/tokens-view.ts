import { html, type SafeHtml } from '../../http/html.ts';
import { roleAtLeast } from '../../domain/accounts/access.ts';
import { ROLES, type Role } from '../../domain/accounts/role.ts';
import { isTokenActive, type ApiToken } from '../../domain/api-tokens/api-token.ts';
import { csrfField, formError, newsroomLayout, ROLE_LABELS, type NewsroomChrome } from './newsroom-layout.ts';

export interface TokensPageProps {
  tokens: ApiToken[];
  csrfToken: string;
  /** The creating admin's role: tokens can have it or less. */
  actorRole: Role;
  now: Date;
  /** Just created: its secret, shown this once. */
  created?: { token: ApiToken; secret: string };
  notice?: string;
  error?: string;
  /** Values to put back in the form after an error. */
  form?: { name?: string; role?: string; expiresOn?: string };
}

function formatTime(iso: string | null, empty: string): string {
  return iso ? `${iso.slice(0, 16).replace('T', ' ')} UTC` : empty;
}

function status(t: ApiToken, now: Date): SafeHtml {
  if (t.revokedAt) return html`<span class="nr-badge nr-badge--off">Revoked</span>`;
  if (!isTokenActive(t, now)) return html`<span class="nr-badge nr-badge--off">Expired</span>`;
  return html`<span class="nr-badge nr-badge--on">Active</span>`;
}

function createdPanel(c: NonNullable<TokensPageProps['created']>): SafeHtml {
  return html`<section class="nr-card nr-token-secret" aria-labelledby="secret-title">
<h2 id="secret-title">Token “${c.token.name}” created</h2>
<p><strong>Copy it now: it will not be shown again.</strong> Masthead keeps only a fingerprint of it.</p>
<label for="token-secret">API token (${ROLE_LABELS[c.token.role]})</label>
<input id="token-secret" class="nr-token-secret__value" type="text" readonly value="${c.secret}" autocomplete="off" spellcheck="false" aria-describedby="secret-hint">
<p id="secret-hint" class="nr-hint">Select it and copy (Ctrl+C, or ⌘C on a Mac). Send it as <code>Authorization: Bearer ${c.token.hint}…</code>. Anyone holding it acts as you with the ${ROLE_LABELS[c.token.role].toLowerCase()} role, so store it like a password.</p>
</section>`;
}

/** The API tokens page: create form, the secret once after creating, and the list with revoke buttons. */
export function tokensView(chrome: NewsroomChrome, p: TokensPageProps): SafeHtml {
  const roles = ROLES.filter((r) => roleAtLeast(p.actorRole, r));
  const selected = p.form?.role ?? 'contributor';
  const rows = p.tokens.map(
    (t) => html`<tr${t.revokedAt ? html` class="nr-row--disabled"` : ''}>
<td><span class="nr-strong">${t.name}</span><br><code class="nr-muted">${t.hint}…</code></td>
<td>${ROLE_LABELS[t.role]}</td>
<td>${formatTime(t.createdAt, '')}<br><span class="nr-muted">by ${t.createdByName}</span></td>
<td>${formatTime(t.lastUsedAt, 'Never')}</td>
<td>${formatTime(t.expiresAt, 'No expiry')}</td>
<td>${status(t, p.now)}</td>
<td>${
      t.revokedAt
        ? ''
        : html`<form method="post" action="/newsroom/tokens/${t.id}/revoke" class="nr-inline">${csrfField(p.csrfToken)}<button type="submit" class="nr-button nr-button--small nr-button--danger">Revoke<span class="nr-visually-hidden"> ${t.name}</span></button></form>`
    }</td>
</tr>`,
  );
  return newsroomLayout(chrome, {
    title: 'API tokens',
    current: 'tokens',
    body: html`<h1>API tokens</h1>
<p class="nr-muted">Tokens let apps and integrations use the Admin API (and the Content API when it is not public). A token acts with the role you give it, never more than yours. The API is described at <a href="/api/openapi.json">/api/openapi.json</a>.</p>
${p.notice ? html`<p class="nr-flash" role="status">${p.notice}</p>` : ''}
${p.created ? createdPanel(p.created) : ''}
<section class="nr-card nr-card--narrow" aria-labelledby="new-token">
<h2 id="new-token">New token</h2>
${formError(p.error)}
<form method="post" action="/newsroom/tokens" class="nr-form">
${csrfField(p.csrfToken)}
<label for="token-name">Name</label>
<input id="token-name" name="name" type="text" required maxlength="100" value="${p.form?.name ?? ''}" aria-describedby="token-name-hint">
<p id="token-name-hint" class="nr-hint">What uses it, e.g. “Mobile app” or “Wire importer”.</p>
<label for="token-role">Role</label>
<select id="token-role" name="role">${roles.map((r) => html`<option value="${r}"${r === selected ? html` selected` : ''}>${ROLE_LABELS[r]}</option>`)}</select>
<label for="token-expires">Expires on (optional)</label>
<input id="token-expires" name="expiresOn" type="date" value="${p.form?.expiresOn ?? ''}" aria-describedby="token-expires-hint">
<p id="token-expires-hint" class="nr-hint">The token stops working at the end of that day (UTC). Leave empty to keep it until revoked.</p>
<button type="submit" class="nr-button">Create token</button>
</form>
</section>
<h2>Tokens</h2>
${
  p.tokens.length
    ? html`<div class="nr-table-wrap"><table class="nr-table">
<caption class="nr-visually-hidden">API tokens</caption>
<thead><tr><th scope="col">Name</th><th scope="col">Role</th><th scope="col">Created</th><th scope="col">Last used</th><th scope="col">Expires</th><th scope="col">Status</th><th scope="col"><span class="nr-visually-hidden">Actions</span></th></tr></thead>
<tbody>${rows}</tbody>
</table></div>`
    : html`<p class="nr-muted">No tokens yet.</p>`
}`,
  });
}
