import type { Teaser } from '../../../domain/published/article-teasers.ts';
import { html, type SafeHtml } from '../../../http/html.ts';
import type { Messages } from '../../../render/i18n/messages.ts';
import { picture } from '../../../render/picture.ts';

type Variant = 'lead' | 'card' | 'row' | 'compact';

const SIZES: Record<Variant, string> = {
  lead: '(min-width: 64rem) 40rem, 100vw',
  card: '(min-width: 64rem) 18rem, (min-width: 40rem) 45vw, 100vw',
  row: '(min-width: 40rem) 12rem, 33vw',
  compact: '8rem',
};

/**
 * A story teaser; the headline link is the one focusable element so keyboard users tab once per story.
 * A story's words may be in another direction than the page's: `dir="auto"` (or `<bdi>`) lets each take its own.
 */
export function teaser(m: Messages, t: Teaser, variant: Variant, headingLevel: 2 | 3 = 3, showSection = true): SafeHtml {
  // A live blog says so in its link text ("Live: …"), not by colour alone.
  const heading = t.live
    ? html`<a href="${t.path}"><span class="teaser__live">${m.text('teaser.live')}<span class="visually-hidden">:</span></span> <bdi>${t.headline}</bdi></a>`
    : html`<a href="${t.path}" dir="auto">${t.headline}</a>`;
  const latest =
    t.live?.latest && variant !== 'compact'
      ? html`<p class="teaser__live-latest"><span class="visually-hidden">${m.text('teaser.latestUpdate')} </span><time datetime="${t.live.latest.publishedAt}">${m.dateTime(t.live.latest.publishedAt)}</time> <bdi>${t.live.latest.excerpt}</bdi></p>`
      : '';
  return html`<article class="teaser teaser--${variant}">${t.hero && variant !== 'compact' ? html`<div class="teaser__media">${picture(t.hero, { sizes: SIZES[variant], eager: variant === 'lead' })}</div>` : ''}<div class="teaser__body">${showSection ? html`<p class="teaser__kicker"><a href="${t.sectionPath ?? `/${t.sectionSlug}`}">${t.sectionName}</a></p>` : ''}${headingLevel === 2 ? html`<h2 class="teaser__title">${heading}</h2>` : html`<h3 class="teaser__title">${heading}</h3>`}${variant === 'lead' || variant === 'row' ? html`<p class="teaser__standfirst" dir="auto">${t.standfirst}</p>` : ''}${latest}<p class="teaser__meta"><time datetime="${t.publishedAt}">${m.date(t.publishedAt)}</time>${t.commentCount ? html`<span class="teaser__comments">${m.text('comments.count', { count: t.commentCount })}</span>` : ''}</p></div></article>`;
}
