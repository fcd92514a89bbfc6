import type { StoryEditorData } from '../../domain/desk/article-editor.ts';
import { COMMENTS_POLICIES, type CommentsPolicy } from '../../domain/articles/article.ts';
import type { Author } from '../../domain/authors/author.ts';
import { html, trusted, type SafeHtml } from '../../http/html.ts';
import { renderDocument } from '../../render/document-view.ts';
import type { StoryEditorBoot } from '../story-editor-boot.ts';
import { csrfField, formError, newsroomLayout, type NewsroomChrome } from './newsroom-layout.ts';
import { newsroomTime, statusBadge } from './story-list-view.ts';
import { languageDirection } from '../../render/i18n/text-direction.ts';

/** The editable fields as the form shows them (from the story, or as just submitted). */
export interface StoryFormValues {
  headline: string;
  standfirst: string;
  slug: string;
  sectionId: string;
  authorIds: string[];
  /** Comma-separated tag names. */
  tags: string;
  heroImageId: string;
  language: string;
  commentsPolicy: string;
}

const COMMENTS_LABELS: Record<CommentsPolicy, string> = {
  open: 'Open: comments appear at once',
  moderated: 'Moderated: an editor approves each comment',
  closed: 'Closed: no comments',
};

/** JSON for a `<script type="application/json">` block: `<` escaped so no text can close the element. */
export function jsonDataBlock(id: string, data: unknown): SafeHtml {
  const json = JSON.stringify(data)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
  return html`<script type="application/json" id="${id}">${trusted(json)}</script>`;
}

function bylineSelects(authors: Author[], chosen: string[], disabled: boolean): SafeHtml {
  // The chosen bylines, then one empty slot to add another (more with the "Add" button).
  const slots = [...chosen, ''].slice(0, 10);
  return html`${slots.map(
    (value, n) =>
      html`<div class="se-byline"><label for="story-author-${n}">Byline ${n + 1}</label><select id="story-author-${n}" name="author_${n}"${disabled ? html` disabled` : ''}><option value="">No one</option>${authors.map(
        (a) =>
          html`<option value="${a.id}"${a.id === value ? html` selected` : ''}>${a.name}${a.roleTitle ? `, ${a.roleTitle}` : ''}</option>`,
      )}</select></div>`,
  )}`;
}

function toolbar(): SafeHtml {
  const b = (cmd: string, label: string, text: string, pressable = true) =>
    html`<button type="button" class="se-tool" data-cmd="${cmd}" title="${label}" aria-label="${label}"${pressable ? html` aria-pressed="false"` : ''}>${text}</button>`;
  return html`<div id="se-toolbar" class="se-toolbar" role="toolbar" aria-label="Formatting" aria-controls="story-body" hidden data-needs-js>
<label class="nr-visually-hidden" for="se-block">Text style</label><select id="se-block" class="se-tool"><option value="paragraph">Paragraph</option><option value="2">Heading</option><option value="3">Subheading</option><option value="4">Minor heading</option></select>
${b('bold', 'Bold', 'B')}${b('italic', 'Italic', 'I')}${b('link', 'Link', 'Link')}
${b('bulletList', 'Bulleted list', '• Bulleted list')}${b('orderedList', 'Numbered list', 'Numbered list')}
${b('quote', 'Quote', '“ Quote')}${b('pullquote', 'Pull quote', 'Pull quote')}${b('figure', 'Image', 'Image', false)}
${b('undo', 'Undo', 'Undo', false)}${b('redo', 'Redo', 'Redo', false)}
<button type="button" id="se-add-note" class="se-tool se-tool--note" title="Add a note for the desk on the selected words" hidden>Add note</button>
</div>`;
}

function linkDialog(): SafeHtml {
  return html`<dialog id="se-link-dialog" class="se-dialog" aria-labelledby="se-link-title"><form id="se-link-form" class="nr-form" method="dialog">
<h2 id="se-link-title">Link</h2>
<label for="se-link-url">Address</label><input id="se-link-url" type="text" inputmode="url" placeholder="https://…, mailto:… or /section/story" aria-describedby="se-link-error">
<p id="se-link-error" class="se-field-error" role="alert"></p>
<div class="se-dialog__actions"><button type="submit" class="nr-button">Apply</button><button type="button" id="se-link-remove" class="nr-button nr-button--quiet">Remove link</button><button type="button" id="se-link-cancel" class="nr-button nr-button--quiet">Cancel</button></div>
</form></dialog>`;
}

export interface StoryEditorProps {
  data: StoryEditorData;
  values: StoryFormValues;
  csrfToken: string;
  boot: StoryEditorBoot;
  scriptHref: string;
  workflowPanel: SafeHtml;
  /** The desk's notes sidebar (story-notes-panel.ts). */
  notesPanel: SafeHtml;
  /** Who else has the story open, and its soft lock (views/story-presence-panel.ts). */
  presencePanel?: SafeHtml;
  /** Public address when the story is live. */
  publicPath: string | null;
  error?: string;
  saved?: boolean;
}

/**
 * Says where this page's saves go when the story is live and its edits wait for review, and
 * links to the comparison an editor publishes from. Shown by the script once a first save
 * starts a pending change, so it is always in the page.
 */
function pendingBanner(p: StoryEditorProps): SafeHtml {
  const { article, pending } = p.data;
  const id = article.id;
  const shown = p.boot.pending !== null || p.boot.mayStage;
  if (!shown) return html``;
  return html`<div id="se-pending" class="nr-card se-pending"${p.boot.pending ? '' : html` hidden`}>
<h2 class="se-pending__title">Changes to the live story wait for review</h2>
<p>This story is live. What you save here is kept as a <strong>pending change</strong>: the public page stays as it is until an editor publishes the change.</p>
<p id="se-pending-review"${pending ? '' : html` hidden`}><a href="/newsroom/stories/${id}/change">Review the pending change against the live story</a>${pending ? html` <span class="nr-muted">(last saved ${newsroomTime(pending.updatedAt)})</span>` : ''}</p>
</div>`;
}

export function storyEditorView(chrome: NewsroomChrome, p: StoryEditorProps): SafeHtml {
  const { article, editable } = p.data;
  const v = p.values;
  const off = editable ? '' : html` disabled`;
  // The writing surface takes the story's language and direction (story-editor.ts follows changes).
  const writing = html` lang="${v.language}" dir="${languageDirection(v.language)}" data-story-text`;
  const sectionSlug = p.data.sections.find((s) => s.id === article.sectionId)?.slug ?? '';
  const conflicts = p.data.conflicts.length
    ? html`<div class="nr-error" role="alert"><p>You have ${p.data.conflicts.length === 1 ? 'a version' : `${p.data.conflicts.length} versions`} of this story that could not be saved because someone else saved first. Nothing was lost.</p><ul>${p.data.conflicts.map(
        (c) =>
          html`<li><a href="/newsroom/stories/${article.id}/conflicts/${c.id}">Compare your version from ${newsroomTime(c.createdAt)} (based on revision ${c.baseRevision}) with the latest</a></li>`,
      )}</ul></div>`
    : '';
  const body = html`<div class="se-head">
<h1 dir="auto">${article.headline}</h1>
<p class="se-meta">${statusBadge(article.status)} <span>Revision <span id="se-revision">${article.revision}</span></span> <span>Last changed ${newsroomTime(article.modifiedAt)}</span></p>
</div>
${p.saved ? html`<p class="nr-flash" role="status">Saved.</p>` : ''}
${formError(p.error)}
${conflicts}
<div id="se-conflict" class="nr-error" role="alert" hidden></div>
${pendingBanner(p)}
<div class="se-layout">
<form id="story-form" class="se-form nr-form" method="post" action="/newsroom/stories/${article.id}" data-revision="${article.revision}">
${csrfField(p.csrfToken)}
<input type="hidden" name="baseRevision" value="${article.revision}">
${p.boot.pending ? html`<input type="hidden" name="pendingRevision" value="${p.boot.pending.revision ?? ''}">` : ''}
${editable ? '' : html`<p class="nr-card">You can read this story but not change it now (${article.status === 'in_review' ? 'it is waiting for review' : 'your role does not allow it'}).</p>`}
<label for="story-headline">Headline</label>
<input id="story-headline" name="headline" type="text" required maxlength="300" value="${v.headline}"${writing}${off}>
<label for="story-standfirst">Standfirst</label>
<textarea id="story-standfirst" name="standfirst" rows="2" maxlength="600"${writing}${off}>${v.standfirst}</textarea>
<p id="story-body-label" class="se-label">Body</p>
${toolbar()}
<div id="story-body" class="se-editor"${writing}>
<noscript><p class="se-nojs">The body editor needs JavaScript. You can still change the other fields and save; the body stays as it is.</p></noscript>
<div class="se-body-static" data-without-js>${renderDocument(article.body, p.data.images)}</div>
</div>
<fieldset class="se-fieldset"><legend>Where it appears</legend>
<label for="story-section">Section</label>
<select id="story-section" name="sectionId" required${off}><option value="">Choose a section</option>${p.data.sections.map((s) => html`<option value="${s.id}"${s.id === v.sectionId ? html` selected` : ''}>${s.name}</option>`)}</select>
<label for="story-slug">Address</label>
<div class="se-slug"><span class="nr-muted">/${sectionSlug}/</span><input id="story-slug" name="slug" type="text" maxlength="120" pattern="[a-z0-9]+(-[a-z0-9]+)*" value="${v.slug}" aria-describedby="story-slug-hint"${off}></div>
<p id="story-slug-hint" class="nr-hint">Lower-case words joined by hyphens. ${article.publishedAt ? 'Changing it leaves a redirect from the old address.' : 'Follows the headline until you change it.'}</p>
<label for="story-tags">Tags</label>
<input id="story-tags" name="tags" type="text" value="${v.tags}" aria-describedby="story-tags-hint"${off}>
<p id="story-tags-hint" class="nr-hint">Separate tags with commas.</p>
</fieldset>
<fieldset class="se-fieldset" id="story-bylines"><legend>Bylines, in order</legend>
${bylineSelects(p.data.authors, v.authorIds, !editable)}
<button type="button" id="story-add-byline" class="nr-button nr-button--quiet nr-button--small" hidden data-needs-js>Add another byline</button>
</fieldset>
<fieldset class="se-fieldset"><legend>Main image</legend>
<input type="hidden" id="story-hero-id" name="heroImageId" value="${v.heroImageId}">
<div id="story-hero-preview" class="se-hero">${v.heroImageId ? `Image ${v.heroImageId}` : 'No main image'}</div>
<p class="nr-hint" data-without-js>Choosing an image needs JavaScript.</p>
<button type="button" id="story-hero-choose" class="nr-button nr-button--quiet nr-button--small" hidden data-needs-js${off}>Choose image</button>
<button type="button" id="story-hero-remove" class="nr-button nr-button--quiet nr-button--small" hidden${off}>Remove image</button>
</fieldset>
<fieldset class="se-fieldset"><legend>Language and comments</legend>
<label for="story-language">Language</label>
<input id="story-language" name="language" type="text" value="${v.language}" list="se-languages" maxlength="35" aria-describedby="story-language-hint"${off}>
<datalist id="se-languages"><option value="en"><option value="fr"><option value="de"><option value="es"><option value="it"><option value="pt"><option value="ru"><option value="uk"><option value="ar"><option value="fa"></datalist>
<p id="story-language-hint" class="nr-hint">A language tag such as en, fr or pt-BR.</p>
<div role="radiogroup" aria-label="Comments">${COMMENTS_POLICIES.map(
    (c) =>
      html`<label class="se-radio"><input type="radio" name="commentsPolicy" value="${c}"${c === v.commentsPolicy ? html` checked` : ''}${off}> ${COMMENTS_LABELS[c]}</label>`,
  )}</div>
</fieldset>
<div class="se-actions">${editable ? html`<button type="submit" class="nr-button">${p.boot.pending ? 'Save change for review' : 'Save'}</button>` : ''}${p.boot.mayStage ? html`<button type="submit" id="se-save-pending" name="target" value="pending" class="nr-button nr-button--quiet">Save for review instead</button>` : ''}<p id="se-save-status" class="se-save-status" role="status" aria-live="polite"></p></div>
</form>
<aside class="se-side" aria-label="Story tools">
<section class="nr-panel"><h2>Preview</h2><p><a id="story-preview-link" href="${p.boot.urls.preview}" target="_blank" rel="noopener">${p.boot.pending ? 'Preview the story with your change' : 'Preview the public page'}</a></p>${p.publicPath ? html`<p><a href="${p.publicPath}">View the live page</a></p>` : ''}</section>
${p.workflowPanel}
${p.notesPanel}
${p.presencePanel ?? ''}
</aside>
</div>
${linkDialog()}
${jsonDataBlock('story-editor-data', p.boot)}
<script type="module" src="${p.scriptHref}"></script>`;
  return newsroomLayout(chrome, { title: article.headline, current: 'stories', body });
}
