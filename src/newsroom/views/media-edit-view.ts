import { html, type SafeHtml } from '../../http/html.ts';
import { RENDITION_FORMAT_LIST } from '../../domain/media/image.ts';
import { IMAGE_FIELD_LIMITS, type ImageMetadataUpdate, type LibraryImage } from '../../domain/media/media-library.ts';
import type { ImageUsage } from '../../domain/media/media-library-usage.ts';
import { picture } from '../../render/picture.ts';
import { csrfField, formError, newsroomLayout, type NewsroomChrome } from './newsroom-layout.ts';

export interface MediaEditProps {
  image: LibraryImage;
  usage: ImageUsage[];
  /** What the form shows: the stored values, or the submitted ones after an error. */
  values: ImageMetadataUpdate;
  csrfToken: string;
  canDelete: boolean;
  originalUrl: string;
  error?: string;
}

const STATUS_LABELS: Record<string, string> = {
  draft: 'Draft',
  in_review: 'In review',
  scheduled: 'Scheduled',
  published: 'Published',
  unpublished: 'Unpublished',
};

function textField(id: keyof ImageMetadataUpdate, label: string, value: string, hint?: string): SafeHtml {
  return html`<label for="img-${id}">${label}</label>
<input id="img-${id}" name="${id}" value="${value}" maxlength="${IMAGE_FIELD_LIMITS[id]}"${hint ? html` aria-describedby="img-${id}-hint"` : ''}>
${hint ? html`<p id="img-${id}-hint" class="nr-hint">${hint}</p>` : ''}`;
}

function usageItem(u: ImageUsage): SafeHtml {
  if (u.kind === 'author-photo') return html`<li>Photo of author ${u.name}</li>`;
  return html`<li><a href="/newsroom/stories/${u.articleId}">${u.headline}</a> <span class="nr-muted">(${u.kind === 'hero' ? 'main photo' : 'in the story'}, ${STATUS_LABELS[u.status] ?? u.status})</span></li>`;
}

/** One image: preview, the editable description, its renditions, where it is used, delete. */
export function mediaEditView(chrome: NewsroomChrome, p: MediaEditProps): SafeHtml {
  const img = p.image;
  const v = p.values;
  const formats = img.formats ?? RENDITION_FORMAT_LIST;
  return newsroomLayout(chrome, {
    title: img.caption ? `Image: ${img.caption.slice(0, 60)}` : 'Image',
    current: 'media',
    body: html`<p><a href="/newsroom/media">← Media</a></p>
<h1>Image details</h1>
<div class="nr-media-edit">
<div class="nr-media-edit__preview">
${picture(img, { sizes: '(min-width: 60em) 28rem, 100vw', alt: img.altText })}
<dl class="nr-facts">
<dt>Size</dt><dd>${img.width} × ${img.height} px, ${img.mimeType}</dd>
${img.originalFilename ? html`<dt>File</dt><dd>${img.originalFilename}</dd>` : ''}
<dt>Uploaded</dt><dd><time datetime="${img.createdAt}">${img.createdAt.slice(0, 16).replace('T', ' ')} UTC</time></dd>
<dt>Original</dt><dd><a href="${p.originalUrl}">Download the original</a></dd>
</dl>
</div>
<form method="post" action="/newsroom/media/${img.id}" class="nr-form nr-media-edit__form">
<h2>Description</h2>
${formError(p.error)}
${csrfField(p.csrfToken)}
<label for="img-caption">Caption</label>
<textarea id="img-caption" name="caption" rows="4" maxlength="${IMAGE_FIELD_LIMITS.caption}">${v.caption}</textarea>
${textField('altText', 'Alt text', v.altText, 'What the photo shows, for readers who cannot see it. Leave out “photo of”.')}
${textField('credit', 'Credit line', v.credit, 'Printed under the photo, e.g. “Reuters” or “Jane Doe/AP”.')}
${textField('creator', 'Photographer', v.creator)}
${textField('copyrightNotice', 'Copyright notice', v.copyrightNotice)}
<button type="submit" class="nr-button">Save description</button>
</form>
</div>
<section class="nr-card" aria-labelledby="usage-heading">
<h2 id="usage-heading">Where it is used</h2>
${p.usage.length ? html`<ul>${p.usage.map(usageItem)}</ul>` : html`<p class="nr-muted">No story or author uses this image.</p>`}
${
  p.canDelete
    ? p.usage.length
      ? html`<p class="nr-hint">It can be deleted once no story or author uses it.</p>`
      : html`<form method="post" action="/newsroom/media/${img.id}/delete" class="nr-inline">${csrfField(p.csrfToken)}<button type="submit" class="nr-button nr-button--danger">Delete image</button></form>`
    : ''
}
</section>
<details class="nr-card">
<summary>Renditions (${img.renditionWidths.length * formats.length} files)</summary>
<ul class="nr-renditions">${img.renditionWidths.map(
      (w) =>
        html`<li>${w} px: ${formats.map((f, i) => html`${i ? ', ' : ''}<a href="/media/${img.storageKey}/w${w}.${f}">${f.toUpperCase()}</a>`)}</li>`,
    )}</ul>
</details>`,
  });
}
