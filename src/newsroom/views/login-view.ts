import { html, type SafeHtml } from '../../http/html.ts';
import { csrfField, formError, newsroomLayout, type NewsroomChrome } from './newsroom-layout.ts';

export interface LoginViewProps {
  csrfToken: string;
  email?: string;
  next?: string;
  error?: string;
}

export function loginView(chrome: NewsroomChrome, p: LoginViewProps): SafeHtml {
  return newsroomLayout(chrome, {
    title: 'Sign in',
    body: html`<section class="nr-card nr-card--narrow" aria-labelledby="login-title">
<h1 id="login-title">Sign in to the newsroom</h1>
${formError(p.error)}
<form method="post" action="/newsroom/login" class="nr-form">
${csrfField(p.csrfToken)}
${p.next ? html`<input type="hidden" name="next" value="${p.next}">` : ''}
<label for="email">Email</label>
<input id="email" name="email" type="email" autocomplete="username" required value="${p.email ?? ''}"${p.email ? '' : html` autofocus`}>
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required${p.email ? html` autofocus` : ''}>
<button type="submit" class="nr-button">Sign in</button>
</form>
</section>`,
  });
}
