import { ARTICLE_STATUSES, type ArticleStatus } from '../../domain/articles/article.ts';
import { STORY_SORTS, type StoryListPage, type StoryListQuery, type StorySort } from '../../domain/desk/article-list.ts';
import type { Author } from '../../domain/authors/author.ts';
import type { Section } from '../../domain/sections/section.ts';
import { html, type SafeHtml } from '../../http/html.ts';
import { newsroomLayout, type NewsroomChrome } from './newsroom-layout.ts';

export const STATUS_LABELS: Record<ArticleStatus, string> = {
  draft: 'Draft',
  in_review: 'In review',
  scheduled: 'Scheduled',
  published: 'Published',
  unpublished: 'Unpublished',
};

const SORT_LABELS: Record<StorySort, string> = {
  modified_desc: 'Last changed, newest first',
  modified_asc: 'Last changed, oldest first',
  created_desc: 'Created, newest first',
  published_desc: 'Published, newest first',
  headline_asc: 'Headline, A to Z',
};

/** `2026-11-25 12:00 UTC`: newsroom times are shown in UTC, as stored. */
export function newsroomTime(iso: string | null): string {
  return iso ? `${iso.slice(0, 16).replace('T', ' ')} UTC` : '—';
}

export function statusBadge(status: ArticleStatus): SafeHtml {
  return html`<span class="nr-badge se-status se-status--${status}">${STATUS_LABELS[status]}</span>`;
}

function option(value: string, label: string, selected: string | undefined): SafeHtml {
  return html`<option value="${value}"${selected === value ? html` selected` : ''}>${label}</option>`;
}

/** The list URL for a page of the same filters. */
function pageHref(query: StoryListQuery, page: number): string {
  const params = new URLSearchParams();
  for (const key of ['q', 'status', 'section', 'author'] as const) {
    const v = query[key];
    if (v) params.set(key, v);
  }
  if (query.sort !== 'modified_desc') params.set('sort', query.sort);
  if (page > 1) params.set('page', String(page));
  const s = params.toString();
  return `/newsroom/stories${s ? `?${s}` : ''}`;
}

export interface StoryListProps {
  list: StoryListPage;
  sections: Section[];
  authors: Author[];
}

export function storyListView(chrome: NewsroomChrome, p: StoryListProps): SafeHtml {
  const { query, items } = p.list;
  const sectionName = new Map(p.sections.map((s) => [s.id, s.name]));
  const filtered = Boolean(query.q || query.status || query.section || query.author);
  const rows = items.map(
    (s) => html`<tr>
<td><a class="nr-strong" href="/newsroom/stories/${s.id}">${s.headline}</a>${s.editable ? '' : html` <span class="nr-muted">(read only)</span>`}${
      s.translationOutOfDateSince
        ? html` <span class="nr-badge nr-badge--off nr-badge--stale" title="Its source changed on ${newsroomTime(s.translationOutOfDateSince)}; see the story's Editions panel">Translation out of date</span>`
        : ''
    }</td>
<td>${sectionName.get(s.sectionId) ?? '—'}</td>
<td>${s.authors.length ? s.authors.map((a, i) => html`${i ? ', ' : ''}${a.name}`) : html`<span class="nr-muted">No byline</span>`}</td>
<td>${statusBadge(s.status)}${s.status === 'scheduled' && s.scheduledAt ? html`<br><span class="nr-hint">${newsroomTime(s.scheduledAt)}</span>` : ''}</td>
<td>${newsroomTime(s.modifiedAt)}</td>
</tr>`,
  );
  const body = html`<div class="se-list-head"><h1>Stories</h1><a class="nr-button" href="/newsroom/stories/new">New story</a></div>
${p.list.ownOnly ? html`<p class="nr-muted">You see the stories you created.</p>` : ''}
<form method="get" action="/newsroom/stories" class="se-filters" role="search" aria-label="Filter stories">
<div><label for="f-q">Search</label><input id="f-q" name="q" type="search" value="${query.q ?? ''}" placeholder="Words in the story, &quot;a phrase&quot;, -word, or its address"></div>
<div><label for="f-status">Status</label><select id="f-status" name="status">${option('', 'Any status', query.status ?? '')}${ARTICLE_STATUSES.map((s) => option(s, STATUS_LABELS[s], query.status))}</select></div>
<div><label for="f-section">Section</label><select id="f-section" name="section">${option('', 'Any section', query.section ?? '')}${p.sections.map((s) => option(s.id, s.name, query.section))}</select></div>
<div><label for="f-author">Byline</label><select id="f-author" name="author">${option('', 'Anyone', query.author ?? '')}${p.authors.map((a) => option(a.id, a.name, query.author))}</select></div>
<div><label for="f-sort">Order</label><select id="f-sort" name="sort">${STORY_SORTS.map((s) => option(s, SORT_LABELS[s], query.sort))}</select></div>
<div class="se-filters__go"><button type="submit" class="nr-button">Show</button>${filtered ? html` <a href="/newsroom/stories">Clear filters</a>` : ''}</div>
</form>
${
  items.length
    ? html`<div class="nr-table-wrap"><table class="nr-table">
<caption class="nr-visually-hidden">Stories, page ${query.page}</caption>
<thead><tr><th scope="col">Headline</th><th scope="col">Section</th><th scope="col">Byline</th><th scope="col">Status</th><th scope="col">Last changed</th></tr></thead>
<tbody>${rows}</tbody>
</table></div>`
    : html`<p class="nr-card">${filtered ? 'No stories match these filters.' : query.page > 1 ? 'There are no more stories.' : 'No stories yet. Start one with “New story”.'}</p>`
}
<nav class="se-pager" aria-label="Pages">${query.page > 1 ? html`<a rel="prev" href="${pageHref(query, query.page - 1)}">Previous page</a>` : ''}${query.page > 1 || p.list.hasNext ? html`<span class="nr-muted">Page ${query.page}</span>` : ''}${p.list.hasNext ? html`<a rel="next" href="${pageHref(query, query.page + 1)}">Next page</a>` : ''}</nav>`;
  return newsroomLayout(chrome, { title: 'Stories', current: 'stories', body });
}
