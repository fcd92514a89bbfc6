import type { PreviewLink } from '../../domain/desk/preview-links.ts';
import { html, type SafeHtml } from '../../http/html.ts';
import { csrfField, newsroomLayout, type NewsroomChrome } from './newsroom-layout.ts';
import { timeUtc } from './workflow-labels.ts';

/** "Share a preview" in the story editor's sidebar: create a link, see and revoke the working ones. */
export function storyPreviewLinksPanel(p: { articleId: string; links: readonly PreviewLink[]; csrfToken: string }): SafeHtml {
  const base = `/newsroom/stories/${p.articleId}/preview-links`;
  return html`<section class="nr-panel" aria-labelledby="preview-links-h">
<h2 id="preview-links-h">Share a preview</h2>
<p class="nr-hint">A private link to this story as it stands, for someone without an account (a lawyer, a source).</p>
<form method="post" action="${base}">${csrfField(p.csrfToken)}
<label>Link works for <select name="expiresInHours"><option value="1">1 hour</option><option value="24" selected>24 hours</option><option value="168">7 days</option></select></label>
<button type="submit">Create link</button>
</form>
${
  p.links.length
    ? html`<ul class="nr-preview-links">${p.links.map(
        (l) =>
          html`<li>Until ${timeUtc(l.expiresAt)}, opened ${String(l.openCount)}×
<form method="post" action="${base}/${l.id}/revoke">${csrfField(p.csrfToken)}<button type="submit" class="nr-button--danger">Revoke</button></form></li>`,
      )}</ul>`
    : html`<p class="nr-hint">No working links.</p>`
}
</section>`;
}

/** The one time the link is shown: the secret is not stored, so it cannot be shown again. */
export function previewLinkCreatedView(chrome: NewsroomChrome, p: { url: string; expiresAt: string; articleId: string }): SafeHtml {
  return newsroomLayout(chrome, {
    title: 'Preview link created',
    current: 'stories',
    body: html`<section class="nr-card nr-card--narrow">
<h1>Preview link created</h1>
<p>Copy it now: it is shown only this once. It works until ${timeUtc(p.expiresAt)} unless revoked.</p>
<p><input type="text" class="nr-preview-link-url" readonly value="${p.url}" aria-label="Preview link"></p>
<p><a href="/newsroom/stories/${p.articleId}">Back to the story</a></p>
</section>`,
  });
}
