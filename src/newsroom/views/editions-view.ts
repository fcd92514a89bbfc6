import { html, type SafeHtml } from '../../http/html.ts';
import type { Edition } from '../../domain/editions/edition.ts';
import { csrfField, formError, newsroomLayout, type NewsroomChrome } from './newsroom-layout.ts';

/** What the edition form shows (after an error: what the administrator typed). */
export interface EditionFormValues {
  code: string;
  language: string;
  locale: string;
  direction: string;
  name: string;
  siteName: string;
  pathPrefix: string;
  host: string;
  isDefault: boolean;
  position: string;
}

export function editionFormValues(e: Edition): EditionFormValues {
  return {
    code: e.code,
    language: e.language,
    locale: e.locale,
    direction: e.direction,
    name: e.name,
    siteName: e.siteName ?? '',
    pathPrefix: e.pathPrefix ?? '',
    host: e.host ?? '',
    isDefault: e.isDefault,
    position: String(e.position),
  };
}

const EMPTY: EditionFormValues = {
  code: '',
  language: '',
  locale: '',
  direction: 'ltr',
  name: '',
  siteName: '',
  pathPrefix: '',
  host: '',
  isDefault: false,
  position: '0',
};

function fields(v: EditionFormValues): SafeHtml {
  return html`<label for="ed-name">Name</label>
<input id="ed-name" name="name" type="text" required maxlength="80" value="${v.name}">
<label for="ed-code">Code</label>
<input id="ed-code" name="code" type="text" required maxlength="20" value="${v.code}">
<label for="ed-language">Language (BCP 47)</label>
<input id="ed-language" name="language" type="text" required maxlength="35" value="${v.language}" aria-describedby="ed-language-hint">
<p id="ed-language-hint" class="nr-hint">Stories written in this language belong to this edition, for example <code>fr</code> or <code>ar</code>.</p>
<label for="ed-locale">Locale</label>
<input id="ed-locale" name="locale" type="text" required maxlength="35" value="${v.locale}" aria-describedby="ed-locale-hint">
<p id="ed-locale-hint" class="nr-hint">For dates and numbers, for example <code>fr-FR</code>.</p>
<fieldset><legend>Text direction</legend>
<label><input type="radio" name="direction" value="ltr"${v.direction !== 'rtl' ? html` checked` : ''}> Left to right</label>
<label><input type="radio" name="direction" value="rtl"${v.direction === 'rtl' ? html` checked` : ''}> Right to left</label>
</fieldset>
<label for="ed-site-name">Site name in this edition (optional)</label>
<input id="ed-site-name" name="siteName" type="text" maxlength="120" value="${v.siteName}">
<label for="ed-prefix">Path prefix</label>
<input id="ed-prefix" name="pathPrefix" type="text" maxlength="40" pattern="[a-z0-9]+(-[a-z0-9]+)*" value="${v.pathPrefix}" aria-describedby="ed-prefix-hint">
<p id="ed-prefix-hint" class="nr-hint">The edition lives under <code>/prefix/</code>. Leave empty for the default edition or an edition on its own host.</p>
<label for="ed-host">Own host (optional)</label>
<input id="ed-host" name="host" type="text" maxlength="253" value="${v.host}">
<label><input type="checkbox" name="isDefault" value="1"${v.isDefault ? html` checked` : ''}> Default edition (the site's own addresses)</label>
<label for="ed-position">Position</label>
<input id="ed-position" name="position" type="number" min="0" max="9999" step="1" value="${v.position}">`;
}

function address(e: Edition): string {
  return e.host ? `//${e.host}/` : e.pathPrefix ? `/${e.pathPrefix}/` : '/';
}

/** `/newsroom/editions`: the editions and the form to add one. */
export function editionsListView(
  chrome: NewsroomChrome,
  p: { editions: Edition[]; csrfToken: string; error?: string; form?: EditionFormValues },
): SafeHtml {
  const rows = p.editions.map(
    (e) => html`<tr>
<td><a href="/newsroom/editions/${e.id}" class="nr-strong">${e.name}</a>${e.isDefault ? html` <span class="nr-muted">(default)</span>` : ''}</td>
<td><code>${e.language}</code> · <code>${e.locale}</code> · ${e.direction === 'rtl' ? 'right to left' : 'left to right'}</td>
<td><code>${address(e)}</code></td>
</tr>`,
  );
  return newsroomLayout(chrome, {
    title: 'Editions',
    current: 'editions',
    body: html`<h1>Editions</h1>
<p class="nr-muted">Each edition has its own front pages, feeds and sitemaps. A story belongs to the edition of its language; stories in a language no edition claims belong to the default edition.</p>
${
  p.editions.length
    ? html`<div class="nr-table-wrap"><table class="nr-table">
<caption class="nr-visually-hidden">Editions</caption>
<thead><tr><th scope="col">Edition</th><th scope="col">Language</th><th scope="col">Address</th></tr></thead>
<tbody>${rows}</tbody>
</table></div>`
    : html`<p>No editions yet: the whole site is one English edition at its own addresses.</p>`
}
<section class="nr-card" aria-labelledby="new-edition">
<h2 id="new-edition">Add an edition</h2>
${formError(p.error)}
<form method="post" action="/newsroom/editions" class="nr-form">
${csrfField(p.csrfToken)}
${fields(p.form ?? EMPTY)}
<button type="submit" class="nr-button">Add edition</button>
</form>
</section>`,
  });
}

export interface SectionNameRow {
  sectionId: string;
  sectionName: string;
  sectionSlug: string;
  name: string;
  slug: string;
}

/** `/newsroom/editions/:id`: the edition's settings and its sections' names. */
export function editionEditView(
  chrome: NewsroomChrome,
  p: { edition: Edition; sections: SectionNameRow[]; csrfToken: string; error?: string; form?: EditionFormValues },
): SafeHtml {
  const e = p.edition;
  return newsroomLayout(chrome, {
    title: `Edition: ${e.name}`,
    current: 'editions',
    body: html`<p><a href="/newsroom/editions">← Editions</a></p>
<h1>${e.name}</h1>
${formError(p.error)}
<form method="post" action="/newsroom/editions/${e.id}" class="nr-form">
${csrfField(p.csrfToken)}
${fields(p.form ?? editionFormValues(e))}
<button type="submit" class="nr-button">Save edition</button>
</form>
${
  e.isDefault
    ? ''
    : html`<section class="nr-card" aria-labelledby="edition-sections">
<h2 id="edition-sections">Sections in this edition</h2>
<p class="nr-muted">The name and address of each section on this edition's pages. Leave a name empty to use the section's own.</p>
<form method="post" action="/newsroom/editions/${e.id}/sections" class="nr-form">
${csrfField(p.csrfToken)}
<div class="nr-table-wrap"><table class="nr-table">
<thead><tr><th scope="col">Section</th><th scope="col">Name here</th><th scope="col">Address here</th></tr></thead>
<tbody>${p.sections.map(
        (s, i) => html`<tr>
<td>${s.sectionName} <code>/${s.sectionSlug}</code><input type="hidden" name="sectionId" value="${s.sectionId}"></td>
<td><label class="nr-visually-hidden" for="sn-${i}">Name of ${s.sectionName}</label><input id="sn-${i}" name="sectionName" type="text" maxlength="80" value="${s.name}" dir="${e.direction}"></td>
<td><label class="nr-visually-hidden" for="ss-${i}">Address of ${s.sectionName}</label><input id="ss-${i}" name="sectionSlug" type="text" maxlength="120" value="${s.slug}"></td>
</tr>`,
      )}</tbody>
</table></div>
<button type="submit" class="nr-button">Save section names</button>
</form>
</section>
<form method="post" action="/newsroom/editions/${e.id}/delete" class="nr-form">
${csrfField(p.csrfToken)}
<button type="submit" class="nr-button nr-button--danger">Delete this edition</button>
</form>`
}`,
  });
}
