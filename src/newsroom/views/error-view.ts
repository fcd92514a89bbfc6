import { html, type SafeHtml } from '../../http/html.ts';
import { newsroomLayout, type NewsroomChrome } from './newsroom-layout.ts';

const TITLES: Record<number, string> = {
  400: 'That did not work',
  403: 'Not allowed',
  404: 'Page not found',
  429: 'Too many attempts',
  503: 'Temporarily unavailable',
};

/** Error page inside the newsroom shell; `message` is already safe to show. */
export function newsroomErrorView(chrome: NewsroomChrome, status: number, message: string): SafeHtml {
  const title = TITLES[status] ?? (status >= 500 ? 'Something went wrong' : 'That did not work');
  return newsroomLayout(chrome, {
    title,
    body: html`<section class="nr-card nr-card--narrow">
<h1>${title}</h1>
<p>${message}</p>
<p><a href="/newsroom">Back to the newsroom</a></p>
</section>`,
  });
}
