import { html, type SafeHtml } from '../../http/html.ts';
import { newsroomLayout, type NewsroomChrome } from './newsroom-layout.ts';

const TITLES: Record<number, string> = {
  400: 'Check the form',
  403: 'Not allowed',
  404: 'Story not found',
  409: 'The story has changed or cannot do that now',
};

/** A refused story action: what went wrong, in words, and the way back to the story. */
export function workflowErrorView(chrome: NewsroomChrome, status: number, message: string, back: string): SafeHtml {
  const title = TITLES[status] ?? 'That did not work';
  return newsroomLayout(chrome, {
    title,
    current: 'stories',
    body: html`<section class="nr-card nr-card--narrow">
<h1>${title}</h1>
<div class="nr-error" role="alert"><p>${message}</p></div>
<p>Nothing was changed.</p>
<p><a href="${back}">Back to the story</a></p>
</section>`,
  });
}
