import { html, type SafeHtml } from '../../http/html.ts';
import type { TagNameInEdition } from '../../domain/editions/edition-tags.ts';
import type { TagSummary } from '../../domain/tags/tag-admin.ts';
import { csrfField, formError, newsroomLayout, type NewsroomChrome } from './newsroom-layout.ts';

export interface TagsPageProps {
  tags: TagSummary[];
  q: string;
}

export interface TagPageProps {
  tag: TagSummary;
  /** Other tags, offered as merge targets (a datalist: any tag's name or address may be typed). */
  others: TagSummary[];
  /** The tag's name in each edition but the default (none without editions). */
  editionNames: TagNameInEdition[];
  csrfToken: string;
  error?: string;
  form?: { name: string; slug: string; into: string };
}

const stories = (n: number) => `${n} ${n === 1 ? 'story' : 'stories'}`;

/** `/newsroom/tags`: tags with how many stories carry them, most used first, with search. */
export function tagsListView(chrome: NewsroomChrome, p: TagsPageProps): SafeHtml {
  const rows = p.tags.map(
    (t) => html`<tr>
<td><a href="/newsroom/tags/${t.id}" class="nr-strong">${t.name}</a></td>
<td><code>/tags/${t.slug}</code></td>
<td>${t.storyCount}</td>
</tr>`,
  );
  return newsroomLayout(chrome, {
    title: 'Tags',
    current: 'tags',
    body: html`<h1>Tags</h1>
<p class="nr-muted">Writers create tags as they tag stories. Here you rename them, merge duplicates into one, and delete the ones no story uses.</p>
<form method="get" action="/newsroom/tags" class="nr-filters" role="search">
<label for="tag-q">Find tags</label>
<input id="tag-q" name="q" type="search" maxlength="100" value="${p.q}">
<button type="submit" class="nr-button">Search</button>
</form>
${
  p.tags.length
    ? html`<div class="nr-table-wrap"><table class="nr-table">
<caption class="nr-visually-hidden">Tags, most used first</caption>
<thead><tr><th scope="col">Tag</th><th scope="col">Address</th><th scope="col">Stories</th></tr></thead>
<tbody>${rows}</tbody>
</table></div>${p.tags.length >= 200 ? html`<p class="nr-hint">Showing the 200 most used; search to find others.</p>` : ''}`
    : html`<p>${p.q ? 'No tag matches this search.' : 'No tags yet.'}</p>`
}`,
  });
}

/** `/newsroom/tags/:id`: rename, merge into another tag, or delete when unused. */
export function tagEditView(chrome: NewsroomChrome, p: TagPageProps): SafeHtml {
  const t = p.tag;
  const v = p.form ?? { name: t.name, slug: t.slug, into: '' };
  return newsroomLayout(chrome, {
    title: `Tag: ${t.name}`,
    current: 'tags',
    body: html`<p class="nr-crumbs"><a href="/newsroom/tags">Tags</a></p>
<h1>${t.name}</h1>
<p>${t.storyCount ? html`On ${stories(t.storyCount)}; its page is <a href="/tags/${t.slug}"><code>/tags/${t.slug}</code></a>.` : 'No story carries this tag.'}</p>
${formError(p.error)}
<section class="nr-card" aria-labelledby="rename-tag">
<h2 id="rename-tag">Rename</h2>
<form method="post" action="/newsroom/tags/${t.id}" class="nr-form">
${csrfField(p.csrfToken)}
<label for="tag-name">Name</label>
<input id="tag-name" name="name" type="text" required maxlength="80" value="${v.name}">
<label for="tag-slug">Address (slug)</label>
<input id="tag-slug" name="slug" type="text" maxlength="120" pattern="[a-z0-9]+(-[a-z0-9]+)*" value="${v.slug}" aria-describedby="tag-slug-hint">
<p id="tag-slug-hint" class="nr-hint">Leave empty to make it from the name. A changed address moves the tag's page; the old address then answers “not found” (no redirect is kept).</p>
<button type="submit" class="nr-button">Save tag</button>
</form>
</section>
${p.editionNames.length ? editionNamesCard(t, p.editionNames, p.csrfToken) : ''}
<section class="nr-card" aria-labelledby="merge-tag">
<h2 id="merge-tag">Merge into another tag</h2>
<form method="post" action="/newsroom/tags/${t.id}/merge" class="nr-form">
${csrfField(p.csrfToken)}
<label for="tag-into">Tag to keep</label>
<input id="tag-into" name="into" type="text" required list="tag-others" value="${v.into}" aria-describedby="tag-into-hint">
<datalist id="tag-others">${p.others.map((o) => html`<option value="${o.slug}">${o.name} (${stories(o.storyCount)})</option>`)}</datalist>
<p id="tag-into-hint" class="nr-hint">Its name or address. Every story tagged “${t.name}” gets that tag instead, and “${t.name}” is deleted. This cannot be undone.</p>
<button type="submit" class="nr-button nr-button--danger">Merge</button>
</form>
</section>
<section class="nr-card" aria-labelledby="delete-tag">
<h2 id="delete-tag">Delete</h2>
${
  t.storyCount
    ? html`<p>A tag on ${stories(t.storyCount)} cannot be deleted; merge it into another tag instead.</p>`
    : html`<form method="post" action="/newsroom/tags/${t.id}/delete" class="nr-form">
${csrfField(p.csrfToken)}
<button type="submit" class="nr-button nr-button--danger">Delete tag</button>
</form>`
}
</section>`,
  });
}

/** The tag's name in each language edition; an empty one shows the tag's own name there. */
function editionNamesCard(t: TagSummary, rows: TagNameInEdition[], csrfToken: string): SafeHtml {
  return html`<section class="nr-card" aria-labelledby="tag-editions">
<h2 id="tag-editions">Name in each edition</h2>
<form method="post" action="/newsroom/tags/${t.id}/editions" class="nr-form">
${csrfField(csrfToken)}
${rows.map(
  (r, i) => html`<input type="hidden" name="editionId" value="${r.editionId}">
<label for="te-${i}">${r.editionName}</label>
<input id="te-${i}" name="editionName" type="text" maxlength="80" lang="${r.language}" dir="${r.direction}" value="${r.name}" placeholder="${t.name}">`,
)}
<p class="nr-hint">The tag's page, story tag lists and feeds in that edition show this name; left empty, they show “${t.name}”. The address stays <code>/tags/${t.slug}</code>.</p>
<button type="submit" class="nr-button">Save names</button>
</form>
</section>`;
}
