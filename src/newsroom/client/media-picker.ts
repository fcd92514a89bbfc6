import type { MediaItem } from '../story-editor-boot.ts';

/*
 * A small dialog over the media library: search, pick, or upload a new photo. Uses
 * `GET /newsroom/media.json?q=&cursor=` and `POST /newsroom/media` (multipart `file`). If
 * the library is not there, the dialog says so instead of failing silently.
 */

export interface MediaPickerOptions {
  listUrl: string;
  uploadUrl: string;
  csrfToken: string;
}

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Partial<HTMLElementTagNameMap[K]> = {},
  children: Array<Node | string> = [],
): HTMLElementTagNameMap[K] {
  const node = Object.assign(document.createElement(tag), props);
  for (const c of children) node.append(c);
  return node;
}

function isMediaItem(v: unknown): v is MediaItem {
  const o = v as Record<string, unknown> | null;
  return !!o && typeof o.id === 'string' && typeof o.url === 'string';
}

/** Opens the picker; resolves with the chosen image, or null when closed without one. */
export function pickImage(options: MediaPickerOptions, title: string): Promise<MediaItem | null> {
  return new Promise((resolve) => {
    let chosen: MediaItem | null = null;
    let cursor: string | null = null;
    const status = el('p', { className: 'se-picker__status', role: 'status' } as Partial<HTMLParagraphElement>);
    const search = el('input', { type: 'search', id: 'se-picker-q', placeholder: 'Caption, credit or file name' });
    const list = el('ul', { className: 'se-picker__list' });
    const more = el('button', { type: 'button', className: 'nr-button nr-button--quiet', textContent: 'More images', hidden: true });
    const upload = el('input', { type: 'file', id: 'se-picker-file', accept: 'image/jpeg,image/png,image/webp,image/avif' });
    const close = el('button', { type: 'button', className: 'nr-button nr-button--quiet', textContent: 'Cancel' });
    const dialog = el('dialog', { className: 'se-picker' }, [
      el('h2', { textContent: title }),
      el('form', { className: 'se-picker__search', method: 'dialog' }, [
        el('label', { htmlFor: 'se-picker-q', textContent: 'Search the library' }),
        search,
      ]),
      status,
      list,
      more,
      el('div', { className: 'se-picker__upload' }, [el('label', { htmlFor: 'se-picker-file', textContent: 'Or upload a photo' }), upload]),
      el('div', { className: 'se-picker__actions' }, [close]),
    ]);
    dialog.setAttribute('aria-label', title);

    const choose = (item: MediaItem) => {
      chosen = item;
      dialog.close();
    };

    const render = (items: MediaItem[], append: boolean) => {
      if (!append) list.replaceChildren();
      for (const item of items) {
        const button = el('button', { type: 'button', className: 'se-picker__item' }, [
          el('img', {
            src: item.url,
            alt: '',
            width: 160,
            height: Math.round((160 * (item.height || 1)) / (item.width || 1)),
            loading: 'lazy',
          }),
          el('span', { textContent: item.caption || item.alt || item.id }),
        ]);
        button.addEventListener('click', () => choose(item));
        list.append(el('li', {}, [button]));
      }
    };

    const load = async (append: boolean) => {
      status.textContent = 'Loading images…';
      const url = new URL(options.listUrl, location.href);
      if (search.value.trim()) url.searchParams.set('q', search.value.trim());
      if (append && cursor) url.searchParams.set('cursor', cursor);
      try {
        const res = await fetch(url, { headers: { accept: 'application/json' }, credentials: 'same-origin' });
        const data = (await res.json().catch(() => null)) as { items?: unknown[]; next?: string | null } | null;
        if (!res.ok || !data || !Array.isArray(data.items)) {
          status.textContent = `The media library is not available (${res.status}). You can still write; add images later.`;
          return;
        }
        const items = data.items.filter(isMediaItem);
        render(items, append);
        cursor = data.next ?? null;
        more.hidden = !cursor;
        status.textContent = items.length || append ? '' : 'No images match.';
      } catch {
        status.textContent = 'The media library could not be reached. Check your connection and try again.';
      }
    };

    let debounce: number | undefined;
    search.addEventListener('input', () => {
      window.clearTimeout(debounce);
      debounce = window.setTimeout(() => void load(false), 300);
    });
    more.addEventListener('click', () => void load(true));
    close.addEventListener('click', () => dialog.close());
    upload.addEventListener('change', async () => {
      const file = upload.files?.[0];
      if (!file) return;
      status.textContent = `Uploading ${file.name}…`;
      const body = new FormData();
      body.append('file', file);
      try {
        const res = await fetch(options.uploadUrl, {
          method: 'POST',
          body,
          credentials: 'same-origin',
          headers: { accept: 'application/json', 'x-csrf-token': options.csrfToken },
        });
        // Refusals come in the newsroom's JSON error shape: { error: { code, message } }.
        const data = (await res.json().catch(() => null)) as { image?: unknown; error?: { message?: string } } | null;
        if (res.ok && data && isMediaItem(data.image)) return choose(data.image);
        status.textContent = data?.error?.message ?? `The upload was refused (${res.status}).`;
      } catch {
        status.textContent = 'The upload failed. Check your connection and try again.';
      }
    });
    dialog.addEventListener('close', () => {
      dialog.remove();
      resolve(chosen);
    });
    document.body.append(dialog);
    dialog.showModal();
    void load(false);
  });
}
