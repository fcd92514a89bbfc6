import { html, type SafeHtml } from '../../http/html.ts';
import { roleAtLeast } from '../../domain/accounts/access.ts';
import type { Role } from '../../domain/accounts/role.ts';

/** What every newsroom page shows around its content. */
export interface NewsroomChrome {
  siteName: string;
  /** Versioned URL of newsroom.css. */
  cssHref: string;
  /** The signed-in user, or undefined on the login and error pages. */
  user?: { name: string; role: Role; csrfToken: string };
  flash?: string;
}

export interface NewsroomPageProps {
  title: string;
  current?: NewsroomArea;
  body: SafeHtml;
}

/** The newsroom's areas, as the navigation names them. */
export type NewsroomArea =
  | 'dashboard'
  | 'stories'
  | 'media'
  | 'sections'
  | 'tags'
  | 'authors'
  | 'comments'
  | 'audit'
  | 'webhooks'
  | 'tokens'
  | 'users'
  | 'password'
  | 'planning'
  | 'fronts'
  | 'editions'
  | 'alerts';

export const ROLE_LABELS: Record<Role, string> = { contributor: 'Contributor', author: 'Author', editor: 'Editor', admin: 'Administrator' };

function navLink(href: string, label: string, isCurrent: boolean): SafeHtml {
  return html`<li><a href="${href}"${isCurrent ? html` aria-current="page"` : ''}>${label}</a></li>`;
}

/** A hidden CSRF field for a form. */
export function csrfField(token: string): SafeHtml {
  return html`<input type="hidden" name="_csrf" value="${token}">`;
}

/** The newsroom page shell: brand, navigation, the user and sign-out, flash message, main. */
export function newsroomLayout(chrome: NewsroomChrome, p: NewsroomPageProps): SafeHtml {
  const u = chrome.user;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<meta name="color-scheme" content="light dark">
<title>${p.title} · Newsroom · ${chrome.siteName}</title>
<link rel="stylesheet" href="${chrome.cssHref}">
<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">
</head>
<body class="nr">
<a class="nr-skip" href="#main">Skip to content</a>
<header class="nr-bar">
<div class="nr-bar__inner">
<a class="nr-brand" href="/newsroom">${chrome.siteName} <span class="nr-brand__tag">Newsroom</span></a>
${
  u
    ? html`<nav class="nr-nav" aria-label="Newsroom"><ul>
${navLink('/newsroom', 'Dashboard', p.current === 'dashboard')}
${navLink('/newsroom/stories', 'Stories', p.current === 'stories')}
${navLink('/newsroom/planning', 'Planning', p.current === 'planning')}
${navLink('/newsroom/media', 'Media', p.current === 'media')}
${roleAtLeast(u.role, 'editor') ? navLink('/newsroom/fronts', 'Fronts', p.current === 'fronts') : ''}
${roleAtLeast(u.role, 'editor') ? navLink('/newsroom/sections', 'Sections', p.current === 'sections') : ''}
${roleAtLeast(u.role, 'editor') ? navLink('/newsroom/tags', 'Tags', p.current === 'tags') : ''}
${roleAtLeast(u.role, 'editor') ? navLink('/newsroom/authors', 'Authors', p.current === 'authors') : ''}
${roleAtLeast(u.role, 'editor') ? navLink('/newsroom/comments', 'Comments', p.current === 'comments') : ''}
${roleAtLeast(u.role, 'editor') ? navLink('/newsroom/alerts', 'Breaking alert', p.current === 'alerts') : ''}
${roleAtLeast(u.role, 'editor') ? navLink('/newsroom/audit', 'Audit log', p.current === 'audit') : ''}
${u.role === 'admin' ? navLink('/newsroom/webhooks', 'Webhooks', p.current === 'webhooks') : ''}
${u.role === 'admin' ? navLink('/newsroom/tokens', 'API tokens', p.current === 'tokens') : ''}
${u.role === 'admin' ? navLink('/newsroom/users', 'Users', p.current === 'users') : ''}
${u.role === 'admin' ? navLink('/newsroom/editions', 'Editions', p.current === 'editions') : ''}
${navLink('/newsroom/account/password', 'Password', p.current === 'password')}
</ul></nav>
<div class="nr-user"><span class="nr-user__name">${u.name}</span> <span class="nr-badge">${ROLE_LABELS[u.role]}</span>
<form method="post" action="/newsroom/logout" class="nr-inline">${csrfField(u.csrfToken)}<button type="submit" class="nr-button nr-button--quiet">Sign out</button></form></div>`
    : html`<a class="nr-bar__site" href="/">View the site</a>`
}
</div>
</header>
<main id="main" class="nr-main" tabindex="-1">
${chrome.flash ? html`<p class="nr-flash" role="status">${chrome.flash}</p>` : ''}
${p.body}
</main>
</body>
</html>`;
}

/** A form error, announced to screen readers. */
export function formError(message: string | undefined): SafeHtml | '' {
  return message ? html`<div class="nr-error" role="alert"><p>${message}</p></div>` : '';
}
