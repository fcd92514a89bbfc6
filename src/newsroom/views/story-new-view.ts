import type { Author } from '../../domain/authors/author.ts';
import type { Section } from '../../domain/sections/section.ts';
import { html, type SafeHtml } from '../../http/html.ts';
import { csrfField, formError, newsroomLayout, type NewsroomChrome } from './newsroom-layout.ts';

export interface NewStoryProps {
  sections: Section[];
  authors: Author[];
  csrfToken: string;
  values?: { headline?: string; standfirst?: string; sectionId?: string; author_0?: string };
  error?: string;
}

/** The first step of a story: headline and section; the editor opens on the new draft. */
export function newStoryView(chrome: NewsroomChrome, p: NewStoryProps): SafeHtml {
  const v = p.values ?? {};
  const body = html`<section class="nr-card nr-card--narrow" aria-labelledby="new-title">
<h1 id="new-title">New story</h1>
${formError(p.error)}
${
  p.sections.length
    ? html`<form method="post" action="/newsroom/stories" class="nr-form">
${csrfField(p.csrfToken)}
<label for="new-headline">Headline</label>
<input id="new-headline" name="headline" type="text" required maxlength="300" value="${v.headline ?? ''}">
<label for="new-standfirst">Standfirst <span class="nr-muted">(optional)</span></label>
<textarea id="new-standfirst" name="standfirst" rows="2" maxlength="600">${v.standfirst ?? ''}</textarea>
<label for="new-section">Section</label>
<select id="new-section" name="sectionId" required><option value="">Choose a section</option>${p.sections.map((s) => html`<option value="${s.id}"${s.id === v.sectionId ? html` selected` : ''}>${s.name}</option>`)}</select>
<label for="new-author">Byline <span class="nr-muted">(optional)</span></label>
<select id="new-author" name="author_0"><option value="">No byline yet</option>${p.authors.map((a) => html`<option value="${a.id}"${a.id === v.author_0 ? html` selected` : ''}>${a.name}</option>`)}</select>
<button type="submit" class="nr-button">Create draft</button>
</form>`
    : html`<p>There are no sections yet, so a story has nowhere to go. Ask an editor to create one.</p>`
}
</section>`;
  return newsroomLayout(chrome, { title: 'New story', current: 'stories', body });
}
