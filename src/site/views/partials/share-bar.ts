import { escapeHtml, html, trusted, type SafeHtml } from '../../../http/html.ts';
import type { Messages } from '../../../render/i18n/messages.ts';

const ICONS: Record<string, string> = {
  email: 'M3 5h18v14H3zM3 6l9 7 9-7',
  x: 'M4 4h4.5L20 20h-4.5zM19.5 4l-6.4 7.3M4.5 20l6.4-7.3',
  facebook: 'M14 8h3V4h-3a4 4 0 0 0-4 4v3H7v4h3v7h4v-7h3l1-4h-4V8z',
  linkedin: 'M4 9h4v11H4zM6 4a2 2 0 1 1 0 4 2 2 0 0 1 0-4zM10 9h4v2a4 4 0 0 1 7 3v6h-4v-6a2 2 0 0 0-4 0v6h-3z',
  whatsapp: 'M4 20l1.5-4.5A8 8 0 1 1 8.5 19zM9 8c0 4 3 7 7 7l1-2-2-1-1 1c-1.5-.5-2.5-1.5-3-3l1-1-1-2z',
  telegram: 'M3 11l18-7-3 16-6-5-3 3v-5l9-7-11 6z',
  link: 'M10 14a4 4 0 0 0 6 0l3-3a4 4 0 0 0-6-6l-1 1M14 10a4 4 0 0 0-6 0l-3 3a4 4 0 0 0 6 6l1-1',
  comment: 'M4 5h16v11H9l-5 4z',
};

// Icons are constant markup: built once, not on every page view.
const ICON_HTML: Record<string, SafeHtml> = Object.fromEntries(
  Object.entries(ICONS).map(([name, d]) => [
    name,
    html`<svg class="icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path d="${d}"/></svg>`,
  ]),
);

function icon(name: string): SafeHtml {
  return ICON_HTML[name] ?? html``;
}

/**
 * Share links open each network's own share page: no third-party script, no tracker.
 * The copy button is hidden until site.js runs; it uses the Web Share API where present.
 * The count badge is hidden from assistive technology and spoken as words instead ("3 comments"):
 * `aria-label` is not allowed on a plain `<span>` (no role), and screen readers ignore it there.
 */
export function shareBar(
  m: Messages,
  opts: {
    url: string;
    title: string;
    commentCount: number;
    position: 'top' | 'bottom';
    id: string;
    links?: SafeHtml;
  },
): SafeHtml {
  const links = opts.links ?? shareLinks(m, opts.url, opts.title);
  return html`<div class="share-bar share-bar--${opts.position}"><h2 class="visually-hidden" id="${opts.id}">${m.text('share.heading')}</h2><ul class="share-bar__list" aria-labelledby="${opts.id}">${links}</ul><a class="share-bar__comments" href="#comments">${icon('comment')}<span>${m.text('share.comments')}</span><span class="share-bar__count" aria-hidden="true">${m.number(opts.commentCount)}</span><span class="visually-hidden">, ${m.text('comments.count', { count: opts.commentCount })}</span></a></div>`;
}

/** The list items of a share bar; a page with two bars builds them once and passes them to both. */
export function shareLinks(m: Messages, url: string, title: string): SafeHtml {
  const opts = { url, title };
  // Percent-encoded, only `'` of the five HTML-significant characters can be left: escaped
  // here once, the addresses are markup whose separators are written as `&amp;` (escaping
  // each whole address instead cost a character-by-character pass over it on every view).
  const u = escapeHtml(encodeURIComponent(opts.url));
  const t = escapeHtml(encodeURIComponent(opts.title));
  const links: Array<[string, string, SafeHtml]> = [
    ['email', m.text('share.email'), trusted(`mailto:?subject=${t}&amp;body=${u}`)],
    ['x', 'X', trusted(`https://x.com/intent/post?url=${u}&amp;text=${t}`)],
    ['facebook', 'Facebook', trusted(`https://www.facebook.com/sharer/sharer.php?u=${u}`)],
    ['linkedin', 'LinkedIn', trusted(`https://www.linkedin.com/sharing/share-offsite/?url=${u}`)],
    ['whatsapp', 'WhatsApp', trusted(`https://wa.me/?text=${t}%20${u}`)],
    ['telegram', 'Telegram', trusted(`https://t.me/share/url?url=${u}&amp;text=${t}`)],
  ];
  return html`${links.map(
    ([key, label, href]) =>
      html`<li><a class="share-bar__link share-bar__link--${key}" href="${href}" rel="noopener nofollow" target="_blank" title="${m.text('share.by', { network: label })}">${icon(key)}<span class="visually-hidden">${m.text('share.byNewTab', { network: label })}</span></a></li>`,
  )}<li><button type="button" class="share-bar__link share-bar__copy" data-share-url="${opts.url}" data-share-title="${opts.title}" data-copied="${m.text('share.linkCopied')}" data-copy-prompt="${m.text('share.copyPrompt')}" hidden>${icon('link')}<span class="share-bar__copy-label">${m.text('share.copyLink')}</span></button></li>`;
}
