import type { StoryEditions } from '../../domain/desk/story-translations.ts';
import { html, type SafeHtml } from '../../http/html.ts';
import { csrfField } from './newsroom-layout.ts';
import { statusBadge } from './workflow-labels.ts';

/*
 * The story editor's "Editions" panel: the story's version in each edition with its state, a
 * translation whose source moved on flagged with what changed (diff and new notes) and a
 * confirm button, and "Translate" into the editions it is not in yet.
 */
export function storyEditionsPanel(p: { editions: StoryEditions; csrfToken: string; canConfirm: boolean }): SafeHtml | '' {
  const { article, versions, missing } = p.editions;
  if (versions.length + missing.length < 2) return '';
  return html`<section class="nr-card nr-editions" aria-labelledby="editions-panel">
<h2 id="editions-panel">Editions</h2>
<ul class="nr-editions__list">${versions.map((v) => {
    const s = v.story!;
    const self = s.id === article.id;
    return html`<li><strong>${v.edition.name}</strong> ${statusBadge(s.status)} ${self ? html`<span class="nr-muted">(this story)</span>` : html`<a href="/newsroom/stories/${s.id}" lang="${s.language}" dir="auto">${s.headline}</a>`}${
      s.outOfDate
        ? html`<div class="nr-error" role="status"><p><strong>Out of date:</strong> its source changed after it was translated.</p>
${s.outOfDate.notes.map((n) => html`<p>New ${n.kind}: ${n.text}</p>`)}
<pre class="nr-diff">${s.outOfDate.diff.text}</pre>
${
  p.canConfirm
    ? html`<form method="post" action="/newsroom/stories/${s.id}/translation/confirm">${csrfField(p.csrfToken)}<input type="hidden" name="returnTo" value="/newsroom/stories/${article.id}"><button type="submit" class="nr-button">Confirm it is up to date</button></form>`
    : ''
}</div>`
        : ''
    }</li>`;
  })}</ul>
${
  missing.length
    ? html`<form method="post" action="/newsroom/stories/${article.id}/translate" class="nr-form">
${csrfField(p.csrfToken)}
<label for="translate-edition">Translate into</label>
<select id="translate-edition" name="editionId">${missing.map((e) => html`<option value="${e.id}">${e.name}</option>`)}</select>
<button type="submit" class="nr-button">Translate</button>
</form>`
    : ''
}
</section>`;
}
