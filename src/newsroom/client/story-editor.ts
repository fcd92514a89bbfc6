import type { Editor } from '@tiptap/core';
import type { MediaItem, SaveFailure, SaveOk, SaveRequest, StoryEditorBoot } from '../story-editor-boot.ts';
import { languageDirection } from '../../render/i18n/text-direction.ts';

/*
 * The story editor page's script (bundled by scripts/build-client.mjs). The page works as a
 * plain form without it; with it, the body becomes a TipTap editor, drafts save themselves
 * a moment after each change, and saves go through the JSON endpoint carrying the revision
 * they were based on, so a save over someone else's newer work is refused, never lost.
 *
 * Loaded first is only what the form needs (this file, ES module with esbuild code splitting);
 * the body editor (TipTap and ProseMirror, most of the bytes), the media picker and the slug
 * transliteration are separate chunks imported when first needed.
 */

const AUTOSAVE_DELAY_MS = 1500;

function byId<T extends HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (!found) throw new Error(`story editor: #${id} missing`);
  return found as T;
}

const boot = JSON.parse(byId('story-editor-data').textContent ?? '{}') as StoryEditorBoot;
const form = byId<HTMLFormElement>('story-form');
const csrfToken = (form.elements.namedItem('_csrf') as HTMLInputElement).value;
const statusLine = byId<HTMLElement>('se-save-status');
const conflictBox = byId<HTMLElement>('se-conflict');
const images = new Map<string, MediaItem>(Object.entries(boot.images));
const picker = { listUrl: boot.urls.media, uploadUrl: boot.urls.upload, csrfToken };
/** The media picker, loaded on first use (hero image or figure). */
const pick = async (title: string) => (await import('./media-picker.ts')).pickImage(picker, title);
/** The slug rules (with transliteration tables), loaded when the headline first changes the address. */
let slugModule: Promise<typeof import('../../domain/slug.ts')> | undefined;

let baseRevision = boot.revision;
/** Saving to the story's pending change (see StoryEditorBoot.pending): its revision; undefined when saving the story itself. */
let pendingRevision: number | null | undefined = boot.pending ? boot.pending.revision : undefined;
let autosave = boot.autosave;
let dirty = false;
let saving: Promise<void> | null = null;
let timer: number | undefined;
let blocked = false; // after a conflict: no more autosaves until the writer decides

// Writing an Arabic or Persian story: the headline, standfirst and body follow the language
// field as it changes, so the text runs right to left while the newsroom around it stays as it is.
const languageField = form.elements.namedItem('language') as HTMLInputElement | null;
languageField?.addEventListener('input', () => {
  const tag = languageField.value.trim() || 'en';
  for (const el of document.querySelectorAll<HTMLElement>('[data-story-text]')) {
    el.lang = tag;
    el.dir = languageDirection(tag);
  }
});

function setStatus(text: string, kind: 'ok' | 'busy' | 'error' = 'ok'): void {
  statusLine.textContent = text;
  statusLine.dataset.kind = kind;
}

// ---- the body editor: a chunk of its own, loaded when idle or when first needed ----

let editor: Editor | null = null;
let loadingBody: Promise<Editor | null> | null = null;
const bodyMount = byId<HTMLElement>('story-body');

/** Loads and mounts the body editor once; null if it could not be loaded (the form still saves without the body). */
function loadBodyEditor(): Promise<Editor | null> {
  loadingBody ??= import('./story-body-editor.ts').then(
    ({ mountBodyEditor, mountNotes }) => {
      editor = mountBodyEditor({ boot, images, pickImage: pick, changed });
      // The desk's notes mark passages in this editor: their script comes in the same chunk.
      mountNotes(editor, csrfToken);
      return editor;
    },
    () => {
      loadingBody = null; // a failed download may be retried on the next touch
      setStatus('The body editor could not be loaded. Other fields still save; reload the page to edit the text.', 'error');
      return null;
    },
  );
  return loadingBody;
}

// A writer who reaches for the text before it has loaded gets the editor at once, focused. The
// listeners stay: after a failed download, the next touch tries again.
function wakeBodyEditor(): void {
  if (editor) return;
  void loadBodyEditor().then((e) => e?.commands.focus());
}
for (const type of ['pointerdown', 'focusin', 'keydown'] as const) bodyMount.addEventListener(type, wakeBodyEditor);
// Otherwise when the page has nothing else to do: the form and its fields come first.
const whenIdle = (window as { requestIdleCallback?: (cb: () => void, opts: { timeout: number }) => number }).requestIdleCallback;
if (whenIdle) whenIdle(() => void loadBodyEditor(), { timeout: 1500 });
else window.setTimeout(() => void loadBodyEditor(), 200);

// ---- other fields ----

const headline = byId<HTMLInputElement>('story-headline');
const slug = byId<HTMLInputElement>('story-slug');
let slugFollows = boot.slugFollowsHeadline;
headline.addEventListener('input', () => {
  if (!slugFollows) return;
  slugModule ??= import('../../domain/slug.ts');
  // Imports resolve in order, so the last keystroke's slug is the one that stays.
  void slugModule.then(({ toSlug }) => {
    if (slugFollows) slug.value = toSlug(headline.value);
  });
});
slug.addEventListener('input', () => (slugFollows = false));

const bylines = byId<HTMLElement>('story-bylines');
byId('story-add-byline').addEventListener('click', () => {
  const rows = bylines.querySelectorAll('.se-byline');
  if (rows.length >= 10) return;
  const last = rows[rows.length - 1] as HTMLElement;
  const copy = last.cloneNode(true) as HTMLElement;
  const n = rows.length;
  const select = copy.querySelector('select')!;
  const label = copy.querySelector('label')!;
  select.id = `story-author-${n}`;
  select.name = `author_${n}`;
  select.value = '';
  label.htmlFor = select.id;
  label.textContent = `Byline ${n + 1}`;
  last.after(copy);
  select.focus();
});

const heroId = byId<HTMLInputElement>('story-hero-id');
const heroPreview = byId<HTMLElement>('story-hero-preview');
function showHero(image: MediaItem | null): void {
  heroPreview.replaceChildren();
  if (image)
    heroPreview.append(
      Object.assign(document.createElement('img'), {
        src: image.url,
        alt: image.alt,
        width: 240,
        height: Math.round((240 * (image.height || 1)) / (image.width || 1)),
      }),
    );
  else heroPreview.append(heroId.value ? `Image ${heroId.value}` : 'No main image');
  byId('story-hero-remove').hidden = !heroId.value;
}
byId('story-hero-choose').addEventListener('click', async () => {
  const image = await pick('Choose the main image');
  if (!image) return;
  images.set(image.id, image);
  heroId.value = image.id;
  showHero(image);
  changed();
});
byId('story-hero-remove').addEventListener('click', () => {
  heroId.value = '';
  showHero(null);
  changed();
});
showHero(images.get(heroId.value) ?? null);

form.addEventListener('input', (event) => {
  if (!(event.target as HTMLElement).closest('#story-body')) changed();
});
form.addEventListener('change', (event) => {
  if (!(event.target as HTMLElement).closest('#story-body, #se-toolbar')) changed();
});

// ---- saving ----

function collect(): SaveRequest {
  const value = (name: string) => ((form.elements.namedItem(name) as HTMLInputElement | null)?.value ?? '').trim();
  const authorIds = [...bylines.querySelectorAll('select')].map((s) => s.value).filter((v, i, all) => v && all.indexOf(v) === i);
  const checked = form.querySelector<HTMLInputElement>('input[name="commentsPolicy"]:checked');
  return {
    baseRevision,
    ...(pendingRevision !== undefined ? { pendingRevision } : {}),
    story: {
      headline: (form.elements.namedItem('headline') as HTMLInputElement).value,
      standfirst: (form.elements.namedItem('standfirst') as HTMLTextAreaElement).value,
      slug: value('slug'),
      sectionId: value('sectionId'),
      authorIds,
      tags: value('tags')
        .split(',')
        .map((t) => t.trim())
        .filter(Boolean),
      heroImageId: value('heroImageId') || null,
      language: value('language') || 'en',
      commentsPolicy: checked?.value ?? 'open',
      // Until the body editor has loaded the text is unchanged: omitted, the stored body is kept.
      ...(editor ? { body: editor.getJSON() } : {}),
    },
  };
}

function changed(): void {
  if (!boot.editable) return;
  dirty = true;
  if (blocked) {
    setStatus('Newer changes are only in this tab. Press Save to keep them beside the latest version too, or compare first.', 'error');
    return;
  }
  window.clearTimeout(timer);
  if (autosave) {
    setStatus(pendingRevision !== undefined ? 'Unsaved changes (for review)…' : 'Unsaved changes…', 'busy');
    timer = window.setTimeout(() => void save('autosave'), AUTOSAVE_DELAY_MS);
  } else {
    setStatus('Unsaved changes: this story is live, so they go public when you press Save.', 'busy');
  }
}

function showConflict(failure: SaveFailure): void {
  blocked = true;
  window.clearTimeout(timer);
  conflictBox.replaceChildren(
    Object.assign(document.createElement('p'), { textContent: failure.message }),
    Object.assign(document.createElement('p'), {}),
  );
  if (failure.compareUrl) {
    conflictBox.lastElementChild!.append(
      Object.assign(document.createElement('a'), {
        href: failure.compareUrl,
        textContent: 'Compare their version with yours',
        className: 'nr-button',
      }),
    );
  }
  conflictBox.hidden = false;
  setStatus('Not saved: someone else changed this story.', 'error');
  conflictBox.scrollIntoView({ block: 'nearest' });
}

/** Saves now (waiting for a save already running). Resolves true when everything is saved. */
async function save(mode: 'autosave' | 'save'): Promise<boolean> {
  if (saving) await saving;
  // After a conflict only an explicit Save is sent: refused again, it keeps this newest version too.
  if (blocked && mode === 'autosave') return false;
  if (!dirty && mode === 'autosave') return true;
  window.clearTimeout(timer);
  const request = collect();
  dirty = false;
  setStatus(mode === 'autosave' ? 'Saving draft…' : 'Saving…', 'busy');
  let ok = false;
  saving = (async () => {
    try {
      const res = await fetch(boot.urls.save, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'content-type': 'application/json', accept: 'application/json', 'x-csrf-token': csrfToken },
        body: JSON.stringify(request),
      });
      const isJson = (res.headers.get('content-type') ?? '').includes('application/json');
      const data = isJson ? ((await res.json().catch(() => null)) as (SaveOk & SaveFailure) | null) : null;
      if (!isJson && (res.redirected || res.status === 403)) {
        // The sign-in page or the access guard answered, not the save endpoint.
        dirty = true;
        setStatus(
          'Not saved: your session has ended or no longer allows this. Sign in again in another tab, then press Save; your changes are still here.',
          'error',
        );
      } else if (res.ok && data && data.pendingRevision !== undefined) {
        // Kept as the pending change: the live story (and the workflow forms' revision) did not move.
        pendingRevision = data.pendingRevision;
        const pendingField = form.elements.namedItem('pendingRevision') as HTMLInputElement | null;
        if (pendingField) pendingField.value = String(data.pendingRevision);
        const at = new Date(data.savedAt).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
        setStatus(`Change saved for review at ${at}; the live story is unchanged until an editor publishes it.`);
        byId('se-pending').hidden = false;
        byId('se-pending-review').hidden = false;
        ok = true;
      } else if (res.ok && data) {
        baseRevision = data.revision;
        if (document.activeElement !== slug && data.slug) slug.value = data.slug;
        const at = new Date(data.savedAt).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
        setStatus(`${mode === 'autosave' ? 'Draft saved' : 'Saved'} at ${at} (revision ${data.revision}).`);
        form.dataset.revision = String(data.revision);
        showRevision(data.revision);
        ok = true;
      } else if (res.status === 409 && data) {
        showConflict(data);
      } else {
        dirty = true;
        const detail = data?.issues?.length ? data.issues.map((i) => `${i.path}: ${i.message}`).join('; ') : data?.message;
        setStatus(
          `Not saved: ${detail ?? (res.status === 403 ? 'your session may have ended; sign in again in another tab, then save.' : `the server answered ${res.status}.`)}`,
          'error',
        );
      }
    } catch {
      dirty = true;
      setStatus(
        'Not saved: the newsroom could not be reached. Your changes are still here; they will be saved when you next change something or press Save.',
        'error',
      );
    }
  })();
  await saving;
  saving = null;
  return ok && !dirty;
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  // An editor's "Save for review instead": from now on this page edits the pending change.
  if ((event.submitter as HTMLButtonElement | null)?.id === 'se-save-pending') enterPendingMode();
  dirty = true;
  void save('save');
});

function enterPendingMode(): void {
  if (pendingRevision !== undefined) return;
  pendingRevision = null;
  autosave = true;
  document.getElementById('se-save-pending')?.remove();
  boot.urls.preview += '?change=1';
  byId<HTMLAnchorElement>('story-preview-link').href = boot.urls.preview;
  byId('se-pending').hidden = false;
  const submit = form.querySelector<HTMLButtonElement>('.se-actions button[type="submit"]');
  if (submit) submit.textContent = 'Save change for review';
}

/** The page's other forms (workflow actions) carry the revision they act on: keep it current. */
function showRevision(revision: number): void {
  byId('se-revision').textContent = String(revision);
  for (const input of document.querySelectorAll<HTMLInputElement>('input[name="expectedRevision"]')) input.value = String(revision);
}

// A workflow action (submit, publish…) on unsaved edits would act on the older revision:
// save first, then send the action with the revision the save returned.
document.addEventListener('submit', (event) => {
  const other = event.target as HTMLFormElement;
  if (other === form || !other.querySelector('input[name="expectedRevision"]') || !dirty || blocked) return;
  event.preventDefault();
  void save(autosave ? 'autosave' : 'save').then((ok) => ok && other.submit());
});

byId<HTMLAnchorElement>('story-preview-link').addEventListener('click', async (event) => {
  if (!dirty || blocked) return;
  event.preventDefault();
  // Preview shows what is saved, so save first; a short save keeps the click's permission to open a tab.
  if (await save(autosave ? 'autosave' : 'save')) window.open(boot.urls.preview, '_blank', 'noopener');
});

window.addEventListener('beforeunload', (event) => {
  if (dirty && boot.editable) event.preventDefault();
});

// Exposed for the browser test and for debugging from the console; nothing relies on it.
(window as unknown as { storyEditor: unknown }).storyEditor = {
  get editor() {
    return editor;
  },
  loadBodyEditor,
  save,
  get revision() {
    return baseRevision;
  },
  get pendingRevision() {
    return pendingRevision;
  },
};
if (!boot.editable) setStatus('You can read this story but not change it now.');
else if (boot.pending) setStatus('This story is live: your changes are saved for an editor to review, and go public only when published.');
else if (!boot.autosave) setStatus('This story is live: changes go public when you press Save.');
