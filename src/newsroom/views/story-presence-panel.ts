import { versionedAsset } from '../../http/assets.ts';
import type { PlanningItem } from '../../domain/planning/planning-item.ts';
import { html, type SafeHtml } from '../../http/html.ts';
import { timeUtc } from './workflow-labels.ts';

let script: SafeHtml | undefined;

/**
 * The editor's "who is here" panel; public/newsroom-presence.js fills it from its heartbeats,
 * warns before two people edit the same field, and offers editors the takeover.
 */
export function storyPresencePanel(p: { articleId: string; canTakeOver: boolean; plan?: PlanningItem | null }): SafeHtml {
  script ??= html`<script src="${versionedAsset('newsroom-presence.js')}" defer></script>`;
  return html`${p.plan ? planPanel(p.plan) : ''}<section class="nr-panel presence" id="presence-panel" aria-labelledby="presence-title" data-presence="/newsroom/stories/${p.articleId}/presence" data-can-take-over="${p.canTakeOver ? '1' : '0'}">
<h2 id="presence-title">Who else is here</h2>
<p id="presence-status" class="nr-hint" hidden>Checking who else has this story open…</p>
<ul id="presence-list" class="presence__list" aria-live="polite"></ul>
<p id="presence-lock" class="presence__lock" aria-live="polite"></p>
<button type="button" id="presence-takeover" class="nr-button nr-button--small" hidden>Take over editing</button>
<noscript><p class="nr-hint">Seeing who else has this story open needs JavaScript. Saves are still checked: if someone saved first, your version is kept as a copy to compare.</p></noscript>
</section>
${script}`;
}

/** What the desk planned for a story started from the plan: its slot, due time, notes and photo request. */
function planPanel(plan: PlanningItem): SafeHtml {
  return html`<section class="nr-panel" aria-labelledby="plan-panel-title">
<h2 id="plan-panel-title">From the plan</h2>
<dl class="nr-facts">
<dt>Planned for</dt><dd><a href="/newsroom/planning?day=${plan.day}#item-${plan.id}">${plan.day}</a>${plan.slot ? `, ${plan.slot}` : ''}</dd>
${plan.dueAt ? html`<dt>Copy due</dt><dd>${timeUtc(plan.dueAt)}</dd>` : ''}
${plan.notes ? html`<dt>Notes</dt><dd>${plan.notes}</dd>` : ''}
${plan.photoRequest ? html`<dt>Photo request</dt><dd>${plan.photoRequest}</dd>` : ''}
</dl>
</section>`;
}
