import { Editor } from '@tiptap/core';
import { TextSelection } from '@tiptap/pm/state';
import type { MediaItem, StoryEditorBoot } from '../story-editor-boot.ts';
import { storyEditorExtensions } from './story-editor-schema.ts';
import { browserExtensions } from './story-editor-views.ts';

// The editorial notes sidebar works on this editor, so it travels in this chunk.
export { mountNotes } from './story-notes.ts';

/*
 * The story body's rich-text editor (TipTap/ProseMirror), its toolbar and link dialog: most of
 * the editor page's JavaScript. A chunk of its own, imported by story-editor.ts once the page
 * is idle or the writer first reaches for the body, so the form is ready without it.
 */

export interface BodyEditorContext {
  boot: StoryEditorBoot;
  /** Images the document shows, by id; figures added here are remembered in it. */
  images: Map<string, MediaItem>;
  /** The media picker (loaded on first use). */
  pickImage(title: string): Promise<MediaItem | null>;
  /** Called on every change of the document. */
  changed(): void;
}

function byId<T extends HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (!found) throw new Error(`story editor: #${id} missing`);
  return found as T;
}

/** Replaces the static body with the live editor and wires the toolbar to it. */
export function mountBodyEditor(ctx: BodyEditorContext): Editor {
  const mount = byId<HTMLElement>('story-body');
  // What the static body showed is replaced by the live editor holding the same document.
  mount.replaceChildren();
  mount.classList.add('se-editor--live');
  const editor = new Editor({
    element: mount,
    extensions: storyEditorExtensions(browserExtensions(ctx.images)),
    content: ctx.boot.doc as Record<string, unknown>,
    editable: ctx.boot.editable,
    injectCSS: false,
    editorProps: { attributes: { class: 'se-prose', role: 'textbox', 'aria-multiline': 'true', 'aria-labelledby': 'story-body-label' } },
    onUpdate: () => ctx.changed(),
    onTransaction: () => refreshToolbar(),
  });
  for (const n of document.querySelectorAll<HTMLElement>('[data-needs-js]')) n.hidden = false;
  for (const n of document.querySelectorAll<HTMLElement>('[data-without-js]')) n.hidden = true;

  /** The top-level block the cursor is in: its start, end and node. */
  function currentBlock() {
    const { $from } = editor.state.selection;
    if ($from.depth === 0) return null;
    return { node: $from.node(1), start: $from.before(1), end: $from.after(1) };
  }

  /** Turns the current paragraph into a quotation (or adds an empty one), cursor inside. */
  function insertQuote(): void {
    const { state, view } = editor;
    const s = state.schema;
    const block = currentBlock();
    const isPara = block?.node.type.name === 'paragraph';
    const paragraph = isPara ? block!.node : s.nodes.paragraph!.create();
    const quote = s.nodes.quote!.create(null, [paragraph, s.nodes.quoteAttribution!.create()]);
    const at = block ? (isPara ? block.start : block.end) : state.doc.content.size;
    let tr = isPara ? state.tr.replaceWith(block!.start, block!.end, quote) : state.tr.insert(at, quote);
    tr = tr.setSelection(TextSelection.create(tr.doc, at + 2 + paragraph.content.size));
    view.dispatch(tr.scrollIntoView());
    view.focus();
  }

  /** Adds a pull quote after the current block, holding the selected words if any. */
  function insertPullquote(): void {
    const { state, view } = editor;
    const s = state.schema;
    const { from, to } = state.selection;
    const words = state.doc.textBetween(from, to, ' ').trim().slice(0, 600);
    const node = s.nodes.pullquote!.create(null, [
      s.nodes.pullquoteText!.create(null, words ? s.text(words) : null),
      s.nodes.quoteAttribution!.create(),
    ]);
    const at = currentBlock()?.end ?? state.doc.content.size;
    let tr = state.tr.insert(at, node);
    tr = tr.setSelection(TextSelection.create(tr.doc, at + 2 + words.length));
    view.dispatch(tr.scrollIntoView());
    view.focus();
  }

  async function insertFigure(): Promise<void> {
    const image = await ctx.pickImage('Add an image to the story');
    if (!image) {
      editor.commands.focus();
      return;
    }
    ctx.images.set(image.id, image);
    const at = currentBlock()?.end ?? editor.state.doc.content.size;
    editor
      .chain()
      .focus()
      .insertContentAt(at, { type: 'figure', attrs: { imageId: image.id, caption: null, credit: null, alt: null } })
      .run();
  }

  // ---- links ----

  const linkDialog = byId<HTMLDialogElement>('se-link-dialog');
  const linkInput = byId<HTMLInputElement>('se-link-url');
  const linkError = byId<HTMLElement>('se-link-error');

  function isAllowedHref(href: string): boolean {
    return (href.startsWith('/') && !href.startsWith('//')) || /^(https?:\/\/\S+|mailto:\S+|#\S+)$/i.test(href);
  }

  function openLinkDialog(): void {
    linkInput.value = (editor.getAttributes('link').href as string | undefined) ?? '';
    linkError.textContent = '';
    linkDialog.showModal();
    linkInput.focus();
  }

  byId<HTMLFormElement>('se-link-form').addEventListener('submit', (event) => {
    event.preventDefault();
    let href = linkInput.value.trim();
    if (/^[\w-]+(\.[\w-]+)+(\/\S*)?$/.test(href)) href = `https://${href}`; // "example.com/x"
    if (!isAllowedHref(href)) {
      linkError.textContent = 'Use a web address (https://…), an email link (mailto:…) or a path on this site (/…).';
      return;
    }
    linkDialog.close();
    const chain = editor.chain().focus().extendMarkRange('link');
    if (editor.state.selection.empty && !editor.isActive('link')) {
      chain.insertContent({ type: 'text', text: href, marks: [{ type: 'link', attrs: { href } }] }).run();
    } else {
      chain.setMark('link', { href }).run();
    }
  });
  byId('se-link-remove').addEventListener('click', () => {
    linkDialog.close();
    editor.chain().focus().extendMarkRange('link').unsetMark('link').run();
  });
  byId('se-link-cancel').addEventListener('click', () => linkDialog.close());

  // ---- toolbar ----

  const toolbar = byId<HTMLElement>('se-toolbar');
  const blockSelect = byId<HTMLSelectElement>('se-block');

  const COMMANDS: Record<string, () => unknown> = {
    bold: () => editor.chain().focus().toggleBold().run(),
    italic: () => editor.chain().focus().toggleItalic().run(),
    link: openLinkDialog,
    bulletList: () => editor.chain().focus().toggleBulletList().run(),
    orderedList: () => editor.chain().focus().toggleOrderedList().run(),
    quote: insertQuote,
    pullquote: insertPullquote,
    figure: () => void insertFigure(),
    undo: () => editor.chain().focus().undo().run(),
    redo: () => editor.chain().focus().redo().run(),
  };

  // A mouse press on a button must not take the focus (and the selection) out of the text.
  toolbar.addEventListener('mousedown', (event) => {
    if ((event.target as HTMLElement).closest('button[data-cmd]')) event.preventDefault();
  });
  toolbar.addEventListener('click', (event) => {
    const button = (event.target as HTMLElement).closest<HTMLButtonElement>('button[data-cmd]');
    if (button && !button.disabled) COMMANDS[button.dataset.cmd!]?.();
  });
  blockSelect.addEventListener('change', () => {
    const v = blockSelect.value;
    if (v === 'paragraph') editor.chain().focus().setParagraph().run();
    else
      editor
        .chain()
        .focus()
        .setHeading({ level: Number(v) as 2 | 3 | 4 })
        .run();
  });

  function refreshToolbar(): void {
    for (const b of toolbar.querySelectorAll<HTMLButtonElement>('button[data-cmd]')) {
      const cmd = b.dataset.cmd!;
      if (['bold', 'italic', 'link', 'bulletList', 'orderedList', 'quote', 'pullquote'].includes(cmd))
        b.setAttribute('aria-pressed', String(editor.isActive(cmd)));
      if (!ctx.boot.editable) b.disabled = true;
    }
    blockSelect.disabled = !ctx.boot.editable;
    const level = [2, 3, 4].find((l) => editor.isActive('heading', { level: l }));
    blockSelect.value = level ? String(level) : 'paragraph';
  }
  refreshToolbar();
  return editor;
}
