import type { Editor } from '@tiptap/core';
import { Plugin, PluginKey } from '@tiptap/pm/state';
import { Decoration, DecorationSet } from '@tiptap/pm/view';
import type { Node as PmNode } from '@tiptap/pm/model';

/*
 * Editorial notes in the editor (a chunk loaded with the body editor): "Add note" on the
 * selected words fills the sidebar's form with the passage, the sidebar's forms are sent
 * without leaving the page (unsaved text stays in the editor) and the sidebar is refreshed in
 * place, and the passages of open threads are marked in the text. Without this script the
 * sidebar's forms work as plain forms.
 */

interface Anchor {
  id: string;
  quote: string;
  block: number;
}

const notesKey = new PluginKey<DecorationSet>('deskNotes');

/** Where `quote` (its first line) is in the document: the block at `block` first, then the nearest ones. */
function locate(doc: PmNode, quote: string, block: number): { from: number; to: number } | null {
  const wanted = quote.split('\n')[0]!.trim();
  if (!wanted) return null;
  const starts: number[] = [];
  let pos = 0;
  for (let i = 0; i < doc.childCount; i++) {
    starts.push(pos);
    pos += doc.child(i).nodeSize;
  }
  const order = [...starts.keys()].sort((a, b) => Math.abs(a - block) - Math.abs(b - block));
  for (const i of order) {
    const positions: number[] = [];
    let text = '';
    doc.child(i).descendants((node, at) => {
      if (!node.isText) return;
      for (let j = 0; j < node.text!.length; j++) positions.push(starts[i]! + 1 + at + j);
      text += node.text!;
    });
    const found = text.indexOf(wanted);
    if (found >= 0) return { from: positions[found]!, to: positions[found + wanted.length - 1]! + 1 };
  }
  return null;
}

function anchorsIn(panel: HTMLElement): Anchor[] {
  return [...panel.querySelectorAll<HTMLElement>('[data-quote]')].map((li) => ({
    id: li.dataset.noteId!,
    quote: li.dataset.quote!,
    block: Number(li.dataset.block || 0),
  }));
}

function decorate(doc: PmNode, anchors: Anchor[]): DecorationSet {
  const marks: Decoration[] = [];
  for (const a of anchors) {
    const range = locate(doc, a.quote, a.block);
    if (range) marks.push(Decoration.inline(range.from, range.to, { class: 'se-note-mark', 'data-note-id': a.id }));
  }
  return DecorationSet.create(doc, marks);
}

/** Wires the notes sidebar to the body editor. */
export function mountNotes(editor: Editor, csrfToken: string): void {
  const panelNow = () => document.getElementById('desk-notes');
  let anchors = anchorsIn(panelNow()!);
  const plugin = new Plugin<DecorationSet>({
    key: notesKey,
    state: {
      init: (_config, state) => decorate(state.doc, anchors),
      apply: (tr, old, _oldState, state) =>
        tr.getMeta(notesKey) ? decorate(state.doc, anchors) : tr.docChanged ? decorate(state.doc, anchors) : old,
    },
    props: { decorations: (state) => notesKey.getState(state) },
  });
  editor.registerPlugin(plugin);
  const redecorate = () => editor.view.dispatch(editor.state.tr.setMeta(notesKey, true));

  // The toolbar's "Add note": enabled while words are selected; the press keeps the selection.
  const button = document.getElementById('se-add-note') as HTMLButtonElement | null;
  if (button) {
    button.hidden = false;
    const refresh = () => (button.disabled = editor.state.selection.empty);
    editor.on('selectionUpdate', refresh);
    editor.on('transaction', refresh);
    refresh();
    button.addEventListener('mousedown', (event) => event.preventDefault());
    button.addEventListener('click', () => {
      const { from, to, $from } = editor.state.selection;
      if (from === to) return;
      const quote = editor.state.doc.textBetween(from, to, '\n').trim().slice(0, 1000);
      const panel = panelNow()!;
      (panel.querySelector('#note-add-quote-field') as HTMLInputElement).value = quote;
      (panel.querySelector('#note-add-block-field') as HTMLInputElement).value = String($from.index(0));
      const shown = panel.querySelector<HTMLElement>('#note-add-quote')!;
      shown.textContent = quote;
      shown.hidden = false;
      panel.querySelector<HTMLTextAreaElement>('#note-add-text')!.focus();
    });
  }

  function status(text: string): void {
    const line = panelNow()?.querySelector('#note-status');
    if (line) line.textContent = text;
  }

  async function refreshPanel(message: string): Promise<void> {
    const panel = panelNow()!;
    const url = panel.dataset.refreshUrl ?? '';
    const html = await (await fetch(url, { credentials: 'same-origin', headers: { accept: 'text/html' } })).text();
    const holder = document.createElement('div');
    holder.innerHTML = html;
    const fresh = holder.querySelector<HTMLElement>('#desk-notes');
    if (!fresh) return;
    panel.replaceWith(fresh);
    for (const n of fresh.querySelectorAll<HTMLElement>('[data-needs-js]')) n.hidden = false;
    anchors = anchorsIn(fresh);
    redecorate();
    status(message);
  }

  // Every form of the sidebar (also after it is refreshed): sent in the background.
  document.addEventListener('submit', (event) => {
    const form = event.target as HTMLFormElement;
    if (!form.matches('[data-note-form]')) return;
    event.preventDefault();
    event.stopPropagation();
    const body = new URLSearchParams(new FormData(form) as unknown as Record<string, string>);
    if (!body.get('_csrf')) body.set('_csrf', csrfToken);
    status('Saving the note…');
    void (async () => {
      try {
        const res = await fetch(form.action, {
          method: 'POST',
          credentials: 'same-origin',
          headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
          body,
        });
        const data = (await res.json().catch(() => null)) as { message?: string } | null;
        if (!res.ok) {
          status(`Not saved: ${data?.message ?? `the server answered ${res.status}`}`);
          return;
        }
        await refreshPanel('Saved.');
      } catch {
        status('Not saved: the newsroom could not be reached. Try again.');
      }
    })();
  });

  // "Show in text": selects the passage and brings it into view.
  document.addEventListener('click', (event) => {
    const show = (event.target as HTMLElement).closest<HTMLElement>('[data-note-show]');
    if (!show) return;
    const li = show.closest<HTMLElement>('[data-note-id]')!;
    const range = li.dataset.quote ? locate(editor.state.doc, li.dataset.quote, Number(li.dataset.block || 0)) : null;
    if (!range) {
      status('That passage is no longer in the text.');
      return;
    }
    editor.chain().focus().setTextSelection(range).scrollIntoView().run();
  });

  for (const n of panelNow()!.querySelectorAll<HTMLElement>('[data-needs-js]')) n.hidden = false;
}
