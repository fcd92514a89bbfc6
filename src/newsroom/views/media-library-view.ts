import { html, type SafeHtml } from '../../http/html.ts';
import type { LibraryImage } from '../../domain/media/media-library.ts';
import { picture } from '../../render/picture.ts';
import { csrfField, formError, newsroomLayout, type NewsroomChrome } from './newsroom-layout.ts';

export interface MediaLibraryProps {
  items: LibraryImage[];
  q: string;
  next: string | null;
  /** True when showing a later page (offers a link back to the newest). */
  paged: boolean;
  csrfToken: string;
  maxUploadMb: number;
  accept: string;
  scriptSrc: string;
  error?: string;
}

function card(img: LibraryImage): SafeHtml {
  const title = img.caption || img.originalFilename || 'Untitled image';
  return html`<li class="nr-media-card">
<a class="nr-media-card__link" href="/newsroom/media/${img.id}">
<span class="nr-media-card__thumb">${picture(img, { sizes: '(min-width: 40em) 14rem, 45vw', alt: '' })}</span>
<span class="nr-media-card__caption">${title.length > 90 ? `${title.slice(0, 88)}…` : title}</span>
</a>
<span class="nr-media-card__meta">${img.credit || img.creator || html`<span class="nr-muted">No credit</span>`} · ${img.width}×${img.height}${img.altText ? '' : html` · <span class="nr-badge nr-badge--off">No alt text</span>`}</span>
</li>`;
}

/** The library: upload (plain form, enhanced with drag and drop), search, a grid of images. */
export function mediaLibraryView(chrome: NewsroomChrome, p: MediaLibraryProps): SafeHtml {
  const olderHref = p.next ? `/newsroom/media?${new URLSearchParams({ ...(p.q ? { q: p.q } : {}), cursor: p.next }).toString()}` : '';
  return newsroomLayout(chrome, {
    title: 'Media',
    current: 'media',
    body: html`<h1>Media</h1>
<section class="nr-card nr-media-upload" aria-labelledby="upload-heading">
<h2 id="upload-heading">Upload a photo</h2>
${formError(p.error)}
<form method="post" action="/newsroom/media" enctype="multipart/form-data" class="nr-form" data-media-upload data-max-bytes="${Math.floor(p.maxUploadMb * 1024 * 1024)}" data-max-mb="${p.maxUploadMb}">
${csrfField(p.csrfToken)}
<label for="media-file">Photo</label>
<input id="media-file" type="file" name="file" accept="${p.accept}" required aria-describedby="media-file-hint">
<p id="media-file-hint" class="nr-hint">JPEG, PNG, WebP or AVIF, at most ${p.maxUploadMb} MB. Caption, credit, photographer and copyright are read from the photo’s IPTC/XMP data; you can change them after uploading.</p>
<div class="nr-dropzone" data-media-dropzone hidden><p>Or drop photos here to upload several at once.</p></div>
<button type="submit" class="nr-button">Upload</button>
</form>
<ul class="nr-upload-list" data-media-progress aria-live="polite"></ul>
</section>
<form method="get" action="/newsroom/media" class="nr-media-search" role="search">
<label for="media-q">Search images</label>
<input id="media-q" type="search" name="q" value="${p.q}" maxlength="200" placeholder="Caption, credit, photographer or file name">
<button type="submit" class="nr-button nr-button--quiet">Search</button>
</form>
${
  p.items.length
    ? html`<ul class="nr-media-grid">${p.items.map(card)}</ul>`
    : html`<p class="nr-muted">${p.q ? html`No images match “${p.q}”.` : 'No images yet. Upload the first one above.'}</p>`
}
<nav class="nr-pager" aria-label="More images">
${p.paged ? html`<a href="/newsroom/media${p.q ? `?${new URLSearchParams({ q: p.q }).toString()}` : ''}">Newest images</a>` : ''}
${olderHref ? html`<a href="${olderHref}" rel="next">${p.q ? 'More results' : 'Older images'}</a>` : ''}
</nav>
<script src="${p.scriptSrc}" defer></script>`,
  });
}
