import type { PendingReview } from '../../domain/desk/article-pending-review.ts';
import { html, type SafeHtml } from '../../http/html.ts';
import { comparisonSections } from './history-diff-view.ts';
import { csrfField, newsroomLayout, type NewsroomChrome } from './newsroom-layout.ts';
import { timeUtc, workflowScript } from './workflow-labels.ts';

/*
 * The review of a pending change to a live story: the live story against the change, in the
 * revision diff's own words, then publish (editors) or discard. Both forms carry the live
 * revision and the change's revision the reviewer saw, so neither acts on something unseen.
 */
export function pendingReviewView(chrome: NewsroomChrome, r: PendingReview, csrfToken: string): SafeHtml {
  const id = r.live.id;
  const fields = html`${csrfField(csrfToken)}<input type="hidden" name="expectedRevision" value="${r.live.revision}"><input type="hidden" name="pendingRevision" value="${r.change.revision}">`;
  return newsroomLayout(chrome, {
    title: `Pending change: ${r.live.headline}`,
    current: 'stories',
    body: html`<p class="nr-crumbs"><a href="/newsroom/stories/${id}">Back to the story</a>${r.mayPublish ? html` · <a href="/newsroom/review">Review queue</a>` : ''}</p>
<h1>Pending change to a live story</h1>
<p class="nr-lead">${r.live.headline}</p>
<dl class="nr-facts">
<dt>Started by</dt><dd>${r.stagedByName ?? 'Former account'}, ${timeUtc(r.change.createdAt)}</dd>
<dt>Last saved</dt><dd>${r.updatedByName ?? 'Former account'}, ${timeUtc(r.change.updatedAt)}</dd>
<dt>Live story</dt><dd>Revision ${r.live.revision}${r.liveMovedOn ? '' : ' (the change was started from it)'}</dd>
</dl>
${
  r.liveMovedOn
    ? html`<div class="nr-error" role="alert"><p>The live story was saved again after this change was started (from revision ${r.change.baseRevision}). The comparison below is against the story as it is now: publishing replaces those later edits where they differ.</p></div>`
    : ''
}
<p><a href="/newsroom/stories/${id}/preview?change=1" target="_blank" rel="noopener">Preview the story with the change</a></p>
<p class="nr-hint">Added text is underlined and marked “added”; removed text is struck through and marked “removed”.</p>
${comparisonSections(r, 'Live now', 'With the change')}
<section class="nr-card" aria-labelledby="pending-actions"><h2 id="pending-actions">Decide</h2>
${
  r.mayPublish
    ? html`<form method="post" action="/newsroom/stories/${id}/change/publish" class="nr-inline">${fields}<button type="submit" class="nr-button">Publish this change</button></form>`
    : html`<p class="nr-muted">An editor publishes this change; until then readers see the live story as it is.</p>`
}
${r.mayDiscard ? html`<form method="post" action="/newsroom/stories/${id}/change/discard" class="nr-inline">${fields}<button type="submit" class="nr-button nr-button--danger">Discard the change</button></form>` : ''}
</section>
${workflowScript()}`,
  });
}
