import type { Actor } from '../../domain/accounts/role.ts';
import type { Article } from '../../domain/articles/article.ts';
import { html, type SafeHtml } from '../../http/html.ts';

/*
 * The workflow side panel of the story editor: status, the actions this actor may take
 * (submit, schedule, publish, …), notes and a link to the revision history.
 * Owned by the workflow screens; the story editor only places it.
 */
export interface StoryWorkflowPanelProps {
  article: Article;
  actor: Actor;
  csrfToken: string;
}

export function storyWorkflowPanel(p: StoryWorkflowPanelProps): SafeHtml {
  return html`<section class="nr-panel" aria-labelledby="workflow-h"><h2 id="workflow-h">Status</h2><p>${p.article.status}</p></section>`;
}
