import { html, type SafeHtml } from '../../http/html.ts';
import type { SectionSummary } from '../../domain/sections/section-admin.ts';
import { csrfField, formError, newsroomLayout, type NewsroomChrome } from './newsroom-layout.ts';

/** What the section form shows (after an error: what the editor typed). */
export interface SectionFormValues {
  name: string;
  slug: string;
  description: string;
  position: string;
}

export interface SectionsPageProps {
  sections: SectionSummary[];
  csrfToken: string;
  error?: string;
  form?: SectionFormValues;
}

export interface SectionPageProps {
  section: SectionSummary;
  csrfToken: string;
  error?: string;
  form?: SectionFormValues;
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

function sectionFields(v: SectionFormValues, slugFrozen: boolean): SafeHtml {
  return html`<label for="section-name">Name</label>
<input id="section-name" name="name" type="text" required maxlength="80" value="${v.name}">
<label for="section-slug">Address (slug)</label>
<input id="section-slug" name="slug" type="text" maxlength="120" pattern="[a-z0-9]+(-[a-z0-9]+)*" value="${v.slug}" aria-describedby="section-slug-hint"${slugFrozen ? html` readonly` : ''}>
<p id="section-slug-hint" class="nr-hint">${
    slugFrozen
      ? 'Stories in this section have been published, and their links contain this address, so it cannot change. Rename the section freely; for a new address, create a new section.'
      : 'Lower-case letters, digits and hyphens; leave empty to make it from the name. Addresses the site uses itself (authors, tags, search…) are refused.'
  }</p>
<label for="section-description">Description (optional)</label>
<textarea id="section-description" name="description" rows="3" maxlength="500">${v.description}</textarea>
<label for="section-position">Position in the navigation</label>
<input id="section-position" name="position" type="number" min="0" max="9999" step="1" value="${v.position}" aria-describedby="section-position-hint">
<p id="section-position-hint" class="nr-hint">Lower numbers come first; equal positions sort by name.</p>`;
}

/** `/newsroom/sections`: every section with its story counts, and the form to add one. */
export function sectionsListView(chrome: NewsroomChrome, p: SectionsPageProps): SafeHtml {
  const rows = p.sections.map(
    (s) => html`<tr>
<td><a href="/newsroom/sections/${s.id}" class="nr-strong">${s.name}</a>${s.description ? html`<br><span class="nr-muted">${s.description}</span>` : ''}</td>
<td><a href="/${s.slug}"><code>/${s.slug}</code></a></td>
<td>${s.position}</td>
<td>${s.storyCount} <span class="nr-muted">(${s.publishedCount} published)</span></td>
</tr>`,
  );
  const v = p.form ?? {
    name: '',
    slug: '',
    description: '',
    position: String(p.sections.length ? Math.max(...p.sections.map((s) => s.position)) + 1 : 0),
  };
  return newsroomLayout(chrome, {
    title: 'Sections',
    current: 'sections',
    body: html`<h1>Sections</h1>
<p class="nr-muted">Sections are the site's navigation and the first part of every story's address. A new or changed section shows on the site within a few seconds.</p>
${
  p.sections.length
    ? html`<div class="nr-table-wrap"><table class="nr-table">
<caption class="nr-visually-hidden">Sections in navigation order</caption>
<thead><tr><th scope="col">Section</th><th scope="col">Address</th><th scope="col">Position</th><th scope="col">Stories</th></tr></thead>
<tbody>${rows}</tbody>
</table></div>`
    : html`<p>No sections yet: add the first one below.</p>`
}
<section class="nr-card" aria-labelledby="new-section">
<h2 id="new-section">Add a section</h2>
${formError(p.error)}
<form method="post" action="/newsroom/sections" class="nr-form">
${csrfField(p.csrfToken)}
${sectionFields(v, false)}
<button type="submit" class="nr-button">Add section</button>
</form>
</section>`,
  });
}

/** `/newsroom/sections/:id`: edit a section, or delete it while it is empty. */
export function sectionEditView(chrome: NewsroomChrome, p: SectionPageProps): SafeHtml {
  const s = p.section;
  const v = p.form ?? { name: s.name, slug: s.slug, description: s.description, position: String(s.position) };
  return newsroomLayout(chrome, {
    title: `Section: ${s.name}`,
    current: 'sections',
    body: html`<p class="nr-crumbs"><a href="/newsroom/sections">Sections</a></p>
<h1>${s.name}</h1>
<p>On the site at <a href="/${s.slug}"><code>/${s.slug}</code></a>. ${plural(s.storyCount, 'story', 'stories')}, ${s.publishedCount} published.</p>
${formError(p.error)}
<section class="nr-card" aria-labelledby="edit-section">
<h2 id="edit-section">Edit</h2>
<form method="post" action="/newsroom/sections/${s.id}" class="nr-form">
${csrfField(p.csrfToken)}
${sectionFields(v, s.publishedCount > 0)}
<button type="submit" class="nr-button">Save section</button>
</form>
</section>
<section class="nr-card" aria-labelledby="delete-section">
<h2 id="delete-section">Delete</h2>
${
  s.storyCount > 0
    ? html`<p>This section cannot be deleted while it has ${plural(s.storyCount, 'story', 'stories')} (drafts included). Move ${s.storyCount === 1 ? 'it' : 'them'} to another section first.</p>`
    : html`<p>No story uses this section, so it can be deleted. Its address will answer “not found”.</p>
<form method="post" action="/newsroom/sections/${s.id}/delete" class="nr-form">
${csrfField(p.csrfToken)}
<button type="submit" class="nr-button nr-button--danger">Delete section</button>
</form>`
}
</section>`,
  });
}
