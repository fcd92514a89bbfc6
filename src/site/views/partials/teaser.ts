import type { Teaser } from '../../../domain/published/article-teasers.ts';
import { html, type SafeHtml } from '../../../http/html.ts';
import { formatDate } from '../format.ts';
import { picture } from '../../../render/picture.ts';

type Variant = 'lead' | 'card' | 'row' | 'compact';

const SIZES: Record<Variant, string> = {
  lead: '(min-width: 64rem) 40rem, 100vw',
  card: '(min-width: 64rem) 18rem, (min-width: 40rem) 45vw, 100vw',
  row: '(min-width: 40rem) 12rem, 33vw',
  compact: '8rem',
};

/** A story teaser; the headline link is the one focusable element so keyboard users tab once per story. */
export function teaser(t: Teaser, variant: Variant, headingLevel: 2 | 3 = 3, showSection = true): SafeHtml {
  const heading = html`<a href="${t.path}">${t.headline}</a>`;
  return html`<article class="teaser teaser--${variant}">${t.hero && variant !== 'compact' ? html`<div class="teaser__media">${picture(t.hero, { sizes: SIZES[variant], eager: variant === 'lead' })}</div>` : ''}<div class="teaser__body">${showSection ? html`<p class="teaser__kicker"><a href="${t.sectionPath ?? `/${t.sectionSlug}`}">${t.sectionName}</a></p>` : ''}${headingLevel === 2 ? html`<h2 class="teaser__title">${heading}</h2>` : html`<h3 class="teaser__title">${heading}</h3>`}${variant === 'lead' || variant === 'row' ? html`<p class="teaser__standfirst">${t.standfirst}</p>` : ''}<p class="teaser__meta"><time datetime="${t.publishedAt}">${formatDate(t.publishedAt)}</time>${t.commentCount ? html`<span class="teaser__comments">${t.commentCount === 1 ? '1 comment' : `${t.commentCount} comments`}</span>` : ''}</p></div></article>`;
}
