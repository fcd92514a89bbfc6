/*
 * WordPress post content as it sits in an export → HTML the allowlist converter can read.
 * Content written in the block editor (Gutenberg) is already HTML between `<!-- wp:… -->`
 * comments. Classic-editor content is stored without paragraphs: WordPress adds them when it
 * displays the post (`wpautop`: a blank line ends a paragraph, a single newline is a line
 * break), and a few shortcodes carry structure (`[caption]` around an image, `[embed]`).
 * This is a small, honest version of those rules, not PHP's whole filter chain: anything it
 * does not know stays text, and the converter still decides what markup survives.
 */

/** Block-level elements that are never wrapped in a paragraph. */
const BLOCK =
  'table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre|form|map|area|blockquote|address|math|style|p|h[1-6]|hr|fieldset|legend|section|article|aside|hgroup|header|footer|nav|figure|figcaption|details|menu|summary|script|iframe|object|embed|video|audio';
const STARTS_BLOCK = new RegExp(`^\\s*<(?:${BLOCK})[\\s/>]`, 'i');
const OPENS_BLOCK = new RegExp(`(<(?:${BLOCK})[\\s/>])`, 'gi');
const CLOSES_BLOCK = new RegExp(`(</(?:${BLOCK})>)`, 'gi');

/** True when the content was written in the block editor. */
export function hasBlockMarkup(content: string): boolean {
  return /<!--\s*wp:/.test(content);
}

/** Paragraphs from blank lines and line breaks from single newlines, as `wpautop` does. */
export function autop(content: string): string {
  let text = content.replace(/\r\n?/g, '\n');
  if (!text.trim()) return '';
  // Preformatted text keeps its newlines: set it aside first.
  const pres: string[] = [];
  text = text.replace(/<pre[\s>][\s\S]*?<\/pre>/gi, (m) => {
    pres.push(m);
    return `\n\n<pre data-autop="${pres.length - 1}"></pre>\n\n`;
  });
  // Block elements stand on lines of their own, so they never land inside a paragraph.
  text = text.replace(OPENS_BLOCK, '\n\n$1').replace(CLOSES_BLOCK, '$1\n\n');
  const chunks = text.split(/\n\s*\n/).map((c) => c.trim());
  const out: string[] = [];
  for (const chunk of chunks) {
    if (!chunk) continue;
    if (STARTS_BLOCK.test(chunk) || /^<\/[a-z0-9]+>$/i.test(chunk)) out.push(chunk);
    else out.push(`<p>${chunk.replace(/\n/g, '<br>\n')}</p>`);
  }
  return out.join('\n').replace(/<pre data-autop="(\d+)"><\/pre>/g, (_m, i: string) => pres[Number(i)]!);
}

function attr(attrs: string, name: string): string {
  const m = new RegExp(`${name}\\s*=\\s*("([^"]*)"|'([^']*)')`, 'i').exec(attrs);
  return m ? (m[2] ?? m[3] ?? '') : '';
}

/**
 * The shortcodes that carry content: `[caption]…<img>… text[/caption]` becomes a figure with
 * its caption, `[embed]url[/embed]` and a bare `[video src=…]`/`[audio src=…]` a link. Other
 * shortcodes (galleries, forms, plugins' own) cannot be rendered without the plugin; their
 * brackets are removed and any text they wrap kept, and the names are returned for a note.
 */
export function expandShortcodes(content: string): { html: string; dropped: string[] } {
  const dropped = new Set<string>();
  let html = content.replace(/\[caption([^\]]*)\]([\s\S]*?)\[\/caption\]/gi, (_m, attrs: string, inner: string) => {
    const img = /<a\b[^>]*>\s*<img\b[^>]*>\s*<\/a>|<img\b[^>]*>/i.exec(inner);
    const caption = (img ? inner.replace(img[0], '') : inner).trim() || attr(attrs, 'caption');
    return `<figure>${img ? img[0] : ''}<figcaption>${caption}</figcaption></figure>`;
  });
  html = html.replace(/\[embed[^\]]*\]\s*(https?:\/\/[^\s[]+)\s*\[\/embed\]/gi, (_m, url: string) => `<p><a href="${url}">${url}</a></p>`);
  html = html.replace(/\[(video|audio)\b([^\]]*)\](?:\s*\[\/\1\])?/gi, (_m, _name: string, attrs: string) => {
    const src = attr(attrs, 'src') || attr(attrs, 'mp4') || attr(attrs, 'mp3');
    return src ? `<p><a href="${src}">${src}</a></p>` : '';
  });
  html = html.replace(/\[\/?([a-z][a-z0-9_-]*)\b[^\]]*\]/gi, (m, name: string) => {
    // `[1]`-style footnote marks and bracketed words in prose are not shortcodes.
    if (!/^[a-z_-]+$/i.test(name) || !/^\[\/?[a-z_-]+(\s[^\]]*)?\/?\]$/i.test(m)) return m;
    if (!/^(gallery|playlist|contact-form-7|contact-form|wpforms|audio|video|embed|caption|[a-z]+_[a-z_]+|[a-z]+-[a-z-]+)$/i.test(name))
      return m;
    dropped.add(name.toLowerCase());
    return '';
  });
  return { html, dropped: [...dropped] };
}

/** The HTML to convert for one post's `content:encoded`, and notes for what could not come along. */
export function wordpressBodyHtml(content: string): { html: string; notes: string[] } {
  const { html, dropped } = expandShortcodes(content);
  const notes = dropped.length ? [`Shortcodes that need their WordPress plugin were left out: [${dropped.join('], [')}].`] : [];
  return { html: hasBlockMarkup(html) ? html : autop(html), notes };
}
