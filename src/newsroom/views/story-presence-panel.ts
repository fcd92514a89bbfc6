import { versionedAsset } from '../../http/assets.ts';
import { html, type SafeHtml } from '../../http/html.ts';

let script: SafeHtml | undefined;

/**
 * The editor's "who is here" panel; public/newsroom-presence.js fills it from its heartbeats,
 * warns before two people edit the same field, and offers editors the takeover.
 */
export function storyPresencePanel(p: { articleId: string; canTakeOver: boolean }): SafeHtml {
  script ??= html`<script src="${versionedAsset('newsroom-presence.js')}" defer></script>`;
  return html`<section class="nr-panel presence" id="presence-panel" aria-labelledby="presence-title" data-presence="/newsroom/stories/${p.articleId}/presence" data-can-take-over="${p.canTakeOver ? '1' : '0'}">
<h2 id="presence-title">Who else is here</h2>
<p id="presence-status" class="nr-hint" hidden>Checking who else has this story open…</p>
<ul id="presence-list" class="presence__list" aria-live="polite"></ul>
<p id="presence-lock" class="presence__lock" aria-live="polite"></p>
<button type="button" id="presence-takeover" class="nr-button nr-button--small" hidden>Take over editing</button>
<noscript><p class="nr-hint">Seeing who else has this story open needs JavaScript. Saves are still checked: if someone saved first, your version is kept as a copy to compare.</p></noscript>
</section>
${script}`;
}
