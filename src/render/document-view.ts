import type { ArticleDocument, Block, Inline } from '../domain/documents/document-schema.ts';
import { creditLine, type Image } from '../domain/media/image.ts';
import { html, join, type SafeHtml } from '../http/html.ts';
import { picture } from './picture.ts';

/*
 * Renders a validated article document. Every text value goes through the escaping
 * `html` template; links are re-checked here so a document that bypassed validation still
 * cannot produce a script URL.
 */

function isSafeHref(href: string): boolean {
  if (href.startsWith('/') && !href.startsWith('//')) return true;
  if (href.startsWith('#')) return true;
  return /^(https?:|mailto:)/i.test(href);
}

function renderText(node: { text: string; marks?: readonly string[] | undefined }): SafeHtml {
  let out: SafeHtml = html`${node.text}`;
  if (node.marks?.includes('italic')) out = html`<em>${out}</em>`;
  if (node.marks?.includes('bold')) out = html`<strong>${out}</strong>`;
  return out;
}

export function renderInlines(content: readonly Inline[]): SafeHtml {
  return join(
    content.map((node) => {
      if (node.type === 'text') return renderText(node);
      const inner = join(node.content.map(renderText));
      if (!isSafeHref(node.href)) return inner;
      const external = /^https?:/i.test(node.href);
      return external ? html`<a href="${node.href}" rel="noopener">${inner}</a>` : html`<a href="${node.href}">${inner}</a>`;
    }),
  );
}

export function renderFigure(
  image: Image,
  override: { caption?: string; credit?: string; alt?: string },
  opts: { sizes: string; eager?: boolean; className: string },
): SafeHtml {
  const caption = override.caption ?? image.caption;
  const credit = override.credit ?? creditLine(image);
  // A caption and credit are in the photo's language, not necessarily the story's: each takes its own direction.
  return html`<figure class="${opts.className}">${picture(image, { sizes: opts.sizes, eager: opts.eager, alt: override.alt ?? image.altText })}${caption || credit ? html`<figcaption>${caption ? html`<span class="caption" dir="auto">${caption}</span>` : ''}${credit ? html` <span class="credit" dir="auto">${credit}</span>` : ''}</figcaption>` : ''}</figure>`;
}

function renderBlock(block: Block, images: ReadonlyMap<string, Image>): SafeHtml {
  switch (block.type) {
    case 'paragraph':
      return html`<p>${renderInlines(block.content)}</p>`;
    case 'heading': {
      const inner = renderInlines(block.content);
      if (block.level === 2) return html`<h2>${inner}</h2>`;
      if (block.level === 3) return html`<h3>${inner}</h3>`;
      return html`<h4>${inner}</h4>`;
    }
    case 'list': {
      const items = join(block.items.map((item) => html`<li>${renderInlines(item)}</li>`));
      return block.ordered ? html`<ol>${items}</ol>` : html`<ul>${items}</ul>`;
    }
    case 'blockquote':
      return html`<figure class="quote"><blockquote>${join(block.content.map((p) => html`<p>${renderInlines(p)}</p>`))}</blockquote>${block.attribution ? html`<figcaption class="quote__by">— <cite>${block.attribution}</cite></figcaption>` : ''}</figure>`;
    case 'pullquote':
      return html`<aside class="pullquote"><blockquote><p>${block.text}</p></blockquote>${block.attribution ? html`<p class="pullquote__by">— ${block.attribution}</p>` : ''}</aside>`;
    case 'figure': {
      const image = images.get(block.imageId);
      if (!image) return html``; // an image deleted after the story was written simply disappears
      return renderFigure(image, block, { sizes: '(min-width: 48rem) 44rem, 100vw', className: 'body-figure' });
    }
    case 'embed':
      return html`<aside class="embed"><a href="${isSafeHref(block.url) ? block.url : '#'}" rel="noopener nofollow">${block.title ?? block.url}</a>${block.provider ? html` <span class="embed__provider">(${block.provider})</span>` : ''}</aside>`;
    default: {
      const exhaustive: never = block;
      throw new Error(`unknown block ${JSON.stringify(exhaustive)}`);
    }
  }
}

export function renderDocument(doc: ArticleDocument, images: ReadonlyMap<string, Image>): SafeHtml {
  return join(doc.blocks.map((b) => renderBlock(b, images)));
}
