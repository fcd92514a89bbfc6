import { html, type SafeHtml } from '../../http/html.ts';
import type { AuthorSummary } from '../../domain/authors/author-admin.ts';
import type { LibraryImage } from '../../domain/media/media-library.ts';
import { csrfField, formError, newsroomLayout, type NewsroomChrome } from './newsroom-layout.ts';

export interface AuthorFormValues {
  name: string;
  slug: string;
  roleTitle: string;
  bio: string;
  photoImageId: string;
}

/** Recent (or searched) library images to choose a photo from. */
export interface PhotoChoices {
  images: LibraryImage[];
  q: string;
}

export interface AuthorsPageProps {
  authors: AuthorSummary[];
  photos: PhotoChoices;
  csrfToken: string;
  error?: string;
  form?: AuthorFormValues;
}

export interface AuthorPageProps {
  author: AuthorSummary;
  photos: PhotoChoices;
  csrfToken: string;
  error?: string;
  form?: AuthorFormValues;
}

const stories = (n: number) => `${n} ${n === 1 ? 'story' : 'stories'}`;

function imageLabel(i: LibraryImage): string {
  const text = (i.caption || i.altText || i.originalFilename || 'Untitled image').slice(0, 80);
  return `${text} (${i.width}×${i.height}, ${i.createdAt.slice(0, 10)})`;
}

/** Photo search is a GET form of its own (forms cannot nest), pointing back at this page. */
function photoSearch(action: string, q: string): SafeHtml {
  return html`<form method="get" action="${action}" class="nr-filters" role="search">
<label for="photo-q">Find a photo in the media library</label>
<input id="photo-q" name="photoq" type="search" maxlength="100" value="${q}">
<button type="submit" class="nr-button nr-button--quiet">Find photos</button>
</form>`;
}

function authorFields(v: AuthorFormValues, photos: PhotoChoices): SafeHtml {
  const listed = photos.images.some((i) => i.id === v.photoImageId);
  return html`<label for="author-name">Name</label>
<input id="author-name" name="name" type="text" required maxlength="120" value="${v.name}">
<label for="author-slug">Address (slug)</label>
<input id="author-slug" name="slug" type="text" maxlength="120" pattern="[a-z0-9]+(-[a-z0-9]+)*" value="${v.slug}" aria-describedby="author-slug-hint">
<p id="author-slug-hint" class="nr-hint">The public page is /authors/<em>slug</em>. Leave empty to make it from the name. Changing it moves the page; the old address answers “not found”.</p>
<label for="author-role">Role title (optional)</label>
<input id="author-role" name="roleTitle" type="text" maxlength="120" value="${v.roleTitle}" placeholder="Political correspondent">
<label for="author-bio">Biography (optional)</label>
<textarea id="author-bio" name="bio" rows="4" maxlength="2000">${v.bio}</textarea>
<label for="author-photo">Photo</label>
<select id="author-photo" name="photoImageId" aria-describedby="author-photo-hint">
<option value="">No photo</option>
${v.photoImageId && !listed ? html`<option value="${v.photoImageId}" selected>Current photo (${v.photoImageId})</option>` : ''}
${photos.images.map((i) => html`<option value="${i.id}"${i.id === v.photoImageId ? html` selected` : ''}>${imageLabel(i)}</option>`)}
</select>
<p id="author-photo-hint" class="nr-hint">${photos.q ? `Images matching “${photos.q}”, newest first.` : 'The most recent images in the media library.'} Upload new photos in <a href="/newsroom/media">Media</a>.${
    v.photoImageId ? html` <a href="/newsroom/media/${v.photoImageId}">Open the chosen photo</a>.` : ''
  }</p>`;
}

/** `/newsroom/authors`: everyone stories can be bylined to, and the form to add one. */
export function authorsListView(chrome: NewsroomChrome, p: AuthorsPageProps): SafeHtml {
  const rows = p.authors.map(
    (a) => html`<tr>
<td><a href="/newsroom/authors/${a.id}" class="nr-strong">${a.name}</a>${a.roleTitle ? html`<br><span class="nr-muted">${a.roleTitle}</span>` : ''}</td>
<td><code>/authors/${a.slug}</code></td>
<td>${a.storyCount}</td>
</tr>`,
  );
  const v = p.form ?? { name: '', slug: '', roleTitle: '', bio: '', photoImageId: '' };
  return newsroomLayout(chrome, {
    title: 'Authors',
    current: 'authors',
    body: html`<h1>Authors</h1>
<p class="nr-muted">The people stories are bylined to (they need no newsroom account). An author's public page lists their published stories.</p>
${
  p.authors.length
    ? html`<div class="nr-table-wrap"><table class="nr-table">
<caption class="nr-visually-hidden">Authors by name</caption>
<thead><tr><th scope="col">Author</th><th scope="col">Address</th><th scope="col">Stories</th></tr></thead>
<tbody>${rows}</tbody>
</table></div>`
    : html`<p>No authors yet: add the first one below.</p>`
}
<section class="nr-card" aria-labelledby="new-author">
<h2 id="new-author">Add an author</h2>
${formError(p.error)}
${photoSearch('/newsroom/authors', p.photos.q)}
<form method="post" action="/newsroom/authors" class="nr-form">
${csrfField(p.csrfToken)}
${authorFields(v, p.photos)}
<button type="submit" class="nr-button">Add author</button>
</form>
</section>`,
  });
}

/** `/newsroom/authors/:id`: edit an author, or delete one no byline uses. */
export function authorEditView(chrome: NewsroomChrome, p: AuthorPageProps): SafeHtml {
  const a = p.author;
  const v = p.form ?? { name: a.name, slug: a.slug, roleTitle: a.roleTitle, bio: a.bio, photoImageId: a.photoImageId ?? '' };
  return newsroomLayout(chrome, {
    title: `Author: ${a.name}`,
    current: 'authors',
    body: html`<p class="nr-crumbs"><a href="/newsroom/authors">Authors</a></p>
<h1>${a.name}</h1>
<p>In the byline of ${stories(a.storyCount)}. Public page, listing their published stories: <a href="/authors/${a.slug}"><code>/authors/${a.slug}</code></a>.</p>
${formError(p.error)}
<section class="nr-card" aria-labelledby="edit-author">
<h2 id="edit-author">Edit</h2>
${photoSearch(`/newsroom/authors/${a.id}`, p.photos.q)}
<form method="post" action="/newsroom/authors/${a.id}" class="nr-form">
${csrfField(p.csrfToken)}
${authorFields(v, p.photos)}
<button type="submit" class="nr-button">Save author</button>
</form>
</section>
<section class="nr-card" aria-labelledby="delete-author">
<h2 id="delete-author">Delete</h2>
${
  a.storyCount
    ? html`<p>${a.name} is in the byline of ${stories(a.storyCount)} (drafts included), so cannot be deleted. Remove the byline from ${a.storyCount === 1 ? 'that story' : 'those stories'} first.</p>`
    : html`<form method="post" action="/newsroom/authors/${a.id}/delete" class="nr-form">
${csrfField(p.csrfToken)}
<button type="submit" class="nr-button nr-button--danger">Delete author</button>
</form>`
}
</section>`,
  });
}
