import type { AnyExtension, Editor, Extensions, NodeViewRenderer } from '@tiptap/core';
import type { Node as PmNode } from '@tiptap/pm/model';
import { Plugin } from '@tiptap/pm/state';
import { Decoration, DecorationSet } from '@tiptap/pm/view';
import { Extension } from '@tiptap/core';
import type { MediaItem } from '../story-editor-boot.ts';
import { Embed, Figure } from './story-editor-schema.ts';

/*
 * Browser-only parts of the editor schema: how figures and embeds look and are edited, and
 * the placeholders of empty speaker lines. No inline styles anywhere (strict CSP): the
 * look comes from public/newsroom.css.
 */

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Partial<HTMLElementTagNameMap[K]> = {},
  children: Array<Node | string> = [],
): HTMLElementTagNameMap[K] {
  const node = Object.assign(document.createElement(tag), props);
  for (const c of children) node.append(c);
  return node;
}

let fieldCounter = 0;

/** A labelled text input bound to one attribute of the node (null when blank). */
function attrField(
  label: string,
  placeholder: string,
  value: unknown,
  onChange: (v: string | null) => void,
): { wrap: HTMLElement; input: HTMLInputElement } {
  const id = `se-field-${++fieldCounter}`;
  const input = el('input', { id, type: 'text', value: typeof value === 'string' ? value : '', placeholder });
  input.addEventListener('input', () => onChange(input.value.trim() ? input.value : null));
  return { wrap: el('div', { className: 'se-figure__field' }, [el('label', { htmlFor: id, textContent: label }), input]), input };
}

function setAttr(editor: Editor, getPos: () => number | undefined, node: PmNode, name: string, value: string | null): void {
  const pos = getPos();
  if (typeof pos !== 'number') return;
  editor.view.dispatch(editor.state.tr.setNodeMarkup(pos, undefined, { ...node.attrs, [name]: value }));
}

function removeNode(editor: Editor, getPos: () => number | undefined, node: PmNode): void {
  const pos = getPos();
  if (typeof pos === 'number') editor.view.dispatch(editor.state.tr.delete(pos, pos + node.nodeSize));
  editor.commands.focus();
}

/** The figure: the picture, then caption, credit and alt text for this use of it. */
function figureView(images: Map<string, MediaItem>): NodeViewRenderer {
  return ({ node: initial, editor, getPos }) => {
    let node = initial;
    const image = images.get(String(node.attrs.imageId));
    const dom = el('figure', { className: 'se-figure', contentEditable: 'false' });
    dom.dataset.imageId = String(node.attrs.imageId);
    const picture = image
      ? el('img', { src: image.url, alt: image.alt, width: image.width, height: image.height, className: 'se-figure__img' })
      : el('p', { className: 'se-figure__missing', textContent: `Image ${String(node.attrs.imageId)} (no preview)` });
    const fields = {
      caption: attrField('Caption', image?.caption || 'Caption', node.attrs.caption, (v) => setAttr(editor, getPos, node, 'caption', v)),
      credit: attrField('Credit', image?.credit || 'Credit', node.attrs.credit, (v) => setAttr(editor, getPos, node, 'credit', v)),
      alt: attrField('Alt text', image?.alt || 'Describe the image for people who cannot see it', node.attrs.alt, (v) =>
        setAttr(editor, getPos, node, 'alt', v),
      ),
    };
    const remove = el('button', { type: 'button', className: 'nr-button nr-button--small nr-button--danger', textContent: 'Remove image' });
    remove.addEventListener('click', () => removeNode(editor, getPos, node));
    dom.append(picture, el('div', { className: 'se-figure__fields' }, [fields.caption.wrap, fields.credit.wrap, fields.alt.wrap, remove]));
    return {
      dom,
      update(next) {
        if (next.type !== node.type || next.attrs.imageId !== node.attrs.imageId) return false;
        node = next;
        for (const [name, f] of Object.entries(fields)) {
          const v = typeof next.attrs[name] === 'string' ? (next.attrs[name] as string) : '';
          // Never rewrite the field being typed in (it would move the caret).
          if (document.activeElement !== f.input && f.input.value !== v) f.input.value = v;
        }
        return true;
      },
      // The inputs handle their own keys and clicks; ProseMirror must not.
      stopEvent: (event) => event.target instanceof HTMLInputElement || event.target instanceof HTMLButtonElement,
      ignoreMutation: () => true,
    };
  };
}

function embedView(): NodeViewRenderer {
  return ({ node, editor, getPos }) => {
    const url = String(node.attrs.url ?? '');
    const link = el('a', { href: url, textContent: String(node.attrs.title || url), rel: 'noopener nofollow', target: '_blank' });
    const remove = el('button', { type: 'button', className: 'nr-button nr-button--small nr-button--danger', textContent: 'Remove embed' });
    remove.addEventListener('click', () => removeNode(editor, getPos, node));
    const dom = el('div', { className: 'se-embed', contentEditable: 'false' }, [
      el('span', { className: 'se-embed__label', textContent: `Embed${node.attrs.provider ? ` (${String(node.attrs.provider)})` : ''}: ` }),
      link,
      ' ',
      remove,
    ]);
    return { dom, stopEvent: (e) => e.target instanceof HTMLButtonElement, ignoreMutation: () => true };
  };
}

const PLACEHOLDERS: Record<string, string> = {
  quoteAttribution: 'Who said it? (optional)',
  pullquoteText: 'The words to pull out',
};

/** Shows a hint in empty speaker lines and pull quotes (a class, no inline style). */
const Placeholders = Extension.create({
  name: 'storyPlaceholders',
  addProseMirrorPlugins() {
    return [
      new Plugin({
        props: {
          decorations(state) {
            const decorations: Decoration[] = [];
            state.doc.descendants((node, pos) => {
              const text = PLACEHOLDERS[node.type.name];
              if (text && node.content.size === 0)
                decorations.push(Decoration.node(pos, pos + node.nodeSize, { class: 'se-empty', 'data-placeholder': text }));
            });
            return DecorationSet.create(state.doc, decorations);
          },
        },
      }),
    ];
  },
});

/** The browser extensions layered over the shared schema. */
export function browserExtensions(images: Map<string, MediaItem>): { figure: AnyExtension; embed: AnyExtension; extra: Extensions } {
  return {
    figure: Figure.extend({ addNodeView: () => figureView(images) }),
    embed: Embed.extend({ addNodeView: () => embedView() }),
    extra: [Placeholders],
  };
}
