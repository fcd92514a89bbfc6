import type { ConflictComparison } from '../../domain/desk/article-conflict-copies.ts';
import type { Article } from '../../domain/articles/article.ts';
import { html, join, type SafeHtml } from '../../http/html.ts';
import { renderDocument } from '../../render/document-view.ts';
import { csrfField, formError, newsroomLayout, type NewsroomChrome } from './newsroom-layout.ts';
import { newsroomTime } from './story-list-view.ts';

type Field = { label: string; get: (a: Article, names: Map<string, string>) => string };

const FIELDS: Field[] = [
  { label: 'Headline', get: (a) => a.headline },
  { label: 'Standfirst', get: (a) => a.standfirst },
  { label: 'Section', get: (a, n) => n.get(a.sectionId) ?? a.sectionId },
  { label: 'Address', get: (a) => a.slug },
  { label: 'Bylines', get: (a, n) => a.authorIds.map((id) => n.get(id) ?? id).join(', ') || '—' },
  { label: 'Tags', get: (a, n) => a.tagIds.map((id) => n.get(id) ?? id).join(', ') || '—' },
  { label: 'Main image', get: (a) => a.heroImageId ?? '—' },
  { label: 'Language', get: (a) => a.language },
  { label: 'Comments', get: (a) => a.commentsPolicy },
];

/** Theirs (the latest) and yours (the kept, refused save), side by side, with the choice. */
export function storyConflictView(chrome: NewsroomChrome, p: { cmp: ConflictComparison; csrfToken: string; error?: string }): SafeHtml {
  const { copy, current, yours, diff, names } = p.cmp;
  const rows = FIELDS.map((f) => {
    const theirs = f.get(current, names);
    const mine = f.get(yours, names);
    return html`<tr${theirs !== mine ? html` class="se-diff-row--changed"` : ''}><th scope="row">${f.label}</th><td>${theirs}</td><td>${mine}</td></tr>`;
  });
  const bodyDiff = diff.fields.find((f) => f.field === 'body')!;
  const diffHtml = join(
    bodyDiff.parts.map((part) =>
      part.added ? html`<ins>${part.value}</ins>` : part.removed ? html`<del>${part.value}</del>` : html`<span>${part.value}</span>`,
    ),
  );
  const resolved = copy.resolvedAt !== null;
  const body = html`<h1>Your version and the latest</h1>
${formError(p.error)}
<p class="nr-lead">You started from revision ${copy.baseRevision}; while you were editing, someone saved revision ${copy.currentRevision}${current.revision !== copy.currentRevision ? ` (it is now at revision ${current.revision})` : ''}. Your save from ${newsroomTime(copy.createdAt)} was kept here instead of overwriting theirs.</p>
${
  resolved
    ? html`<p class="nr-card">This version was ${copy.resolution === 'applied' ? 'saved over the latest' : 'discarded'} on ${newsroomTime(copy.resolvedAt)}.</p>`
    : html`<div class="se-conflict-actions">
<form method="post" action="/newsroom/stories/${current.id}/conflicts/${copy.id}" class="nr-inline">${csrfField(p.csrfToken)}<input type="hidden" name="baseRevision" value="${current.revision}"><input type="hidden" name="resolution" value="applied"><button type="submit" class="nr-button">Save my version over the latest</button></form>
<form method="post" action="/newsroom/stories/${current.id}/conflicts/${copy.id}" class="nr-inline">${csrfField(p.csrfToken)}<input type="hidden" name="baseRevision" value="${current.revision}"><input type="hidden" name="resolution" value="discarded"><button type="submit" class="nr-button nr-button--quiet">Keep theirs and discard mine</button></form>
<a href="/newsroom/stories/${current.id}">Back to the editor (decide later)</a>
</div>`
}
<div class="nr-table-wrap"><table class="nr-table se-diff-table">
<caption class="nr-visually-hidden">Fields: theirs and yours</caption>
<thead><tr><th scope="col">Field</th><th scope="col">Theirs (revision ${current.revision})</th><th scope="col">Yours</th></tr></thead>
<tbody>${rows}</tbody>
</table></div>
<section class="nr-card"><h2>Body changes</h2><p class="nr-hint">Struck-through text is only in theirs; underlined text is only in yours.</p><div class="se-diff">${bodyDiff.changed ? diffHtml : html`<p>The bodies are the same.</p>`}</div></section>
<div class="se-columns">
<section class="nr-card"><h2>Theirs</h2><div class="se-body-static">${renderDocument(current.body, new Map())}</div></section>
<section class="nr-card"><h2>Yours</h2><div class="se-body-static">${renderDocument(yours.body, new Map())}</div></section>
</div>`;
  return newsroomLayout(chrome, { title: `Compare versions: ${current.headline}`, current: 'stories', body });
}
