import { Mark, Node, mergeAttributes, type AnyExtension, type Extensions } from '@tiptap/core';
import { StarterKit } from '@tiptap/starter-kit';

/*
 * The story editor's document schema: exactly the shapes the server converter
 * (src/domain/documents/document-prosemirror.ts) accepts. Anything else a paste brings in
 * (tables, code, images from other sites…) has no node here, so ProseMirror drops it.
 * Pure schema only (no DOM at import time), so a Node test can build the same schema.
 */

/** Links the public page will render: http(s), mailto, a site path or an anchor. */
export function isAllowedHref(href: string): boolean {
  if (href.startsWith('/') && !href.startsWith('//')) return true;
  if (href.startsWith('#') && href.length > 1) return true;
  return /^(https?:\/\/[^\s]+|mailto:[^\s]+)$/i.test(href);
}

/** A list item holds one paragraph: the article document has no nested lists. */
export const ListItem = Node.create({
  name: 'listItem',
  content: 'paragraph',
  defining: true,
  parseHTML: () => [{ tag: 'li' }],
  renderHTML: ({ HTMLAttributes }) => ['li', mergeAttributes(HTMLAttributes), 0],
  addKeyboardShortcuts() {
    return {
      Enter: () => this.editor.commands.splitListItem(this.name),
      'Shift-Tab': () => this.editor.commands.liftListItem(this.name),
    };
  },
});

/** A link with only an `href`; unsafe schemes are refused when pasted. */
export const Link = Mark.create({
  name: 'link',
  priority: 1000,
  inclusive: false,
  addAttributes() {
    return { href: { default: null, parseHTML: (el: HTMLElement) => el.getAttribute('href') } };
  },
  parseHTML() {
    return [{ tag: 'a[href]', getAttrs: (el: HTMLElement) => (isAllowedHref(el.getAttribute('href') ?? '') ? null : false) }];
  },
  renderHTML({ HTMLAttributes }) {
    return ['a', mergeAttributes(HTMLAttributes, { rel: 'noopener nofollow' }), 0];
  },
});

/** The speaker line of a quotation or pull quote (plain text; empty means no attribution). */
export const QuoteAttribution = Node.create({
  name: 'quoteAttribution',
  content: 'text*',
  marks: '',
  defining: true,
  parseHTML: () => [{ tag: 'figcaption[data-attribution]' }],
  renderHTML: () => ['figcaption', { 'data-attribution': '', class: 'se-quote__by' }, 0],
  addKeyboardShortcuts() {
    return {
      // Enter on the speaker line leaves the quotation: a new paragraph below it.
      Enter: ({ editor }) => {
        const { $from, empty } = editor.state.selection;
        if (!empty || $from.parent.type.name !== this.name) return false;
        const after = $from.after($from.depth - 1);
        return editor
          .chain()
          .insertContentAt(after, { type: 'paragraph' })
          .setTextSelection(after + 1)
          .scrollIntoView()
          .run();
      },
    };
  },
});

/** A quotation: paragraphs of quoted words, then who said them. */
export const Quote = Node.create({
  name: 'quote',
  group: 'block',
  content: 'paragraph+ quoteAttribution',
  defining: true,
  parseHTML: () => [{ tag: 'figure[data-quote]' }, { tag: 'blockquote' }],
  renderHTML: () => ['figure', { 'data-quote': '', class: 'se-quote' }, ['blockquote', 0]],
});

export const PullquoteText = Node.create({
  name: 'pullquoteText',
  content: 'text*',
  marks: '',
  defining: true,
  parseHTML: () => [{ tag: 'p[data-pullquote-text]' }],
  renderHTML: () => ['p', { 'data-pullquote-text': '', class: 'se-pullquote__text' }, 0],
  addKeyboardShortcuts() {
    return {
      // A pull quote is one line: Enter moves on to its speaker line.
      Enter: ({ editor }) => {
        const { $from } = editor.state.selection;
        if ($from.parent.type.name !== this.name) return false;
        return editor.commands.setTextSelection($from.after() + 1);
      },
    };
  },
});

/** A pull quote: a short line lifted from the story, set large, with an optional speaker. */
export const Pullquote = Node.create({
  name: 'pullquote',
  group: 'block',
  content: 'pullquoteText quoteAttribution',
  defining: true,
  parseHTML: () => [{ tag: 'aside[data-pullquote]' }],
  renderHTML: () => ['aside', { 'data-pullquote': '', class: 'se-pullquote' }, 0],
});

function textAttr(name: string) {
  return {
    default: null,
    parseHTML: (el: HTMLElement) => el.getAttribute(`data-${name}`),
    renderHTML: (attrs: Record<string, unknown>) => (attrs[name] ? { [`data-${name}`]: attrs[name] } : {}),
  };
}

/** An image from the media library with this use's caption, credit and alt text (null: the image's own). */
export const Figure = Node.create({
  name: 'figure',
  group: 'block',
  atom: true,
  draggable: true,
  addAttributes() {
    return { imageId: textAttr('image-id'), caption: textAttr('caption'), credit: textAttr('credit'), alt: textAttr('alt') };
  },
  parseHTML: () => [{ tag: 'figure[data-image-id]' }],
  renderHTML: ({ HTMLAttributes }) => ['figure', mergeAttributes(HTMLAttributes, { class: 'se-figure' })],
});

/** An embedded link card (video, post…); kept so stories written elsewhere survive editing. */
export const Embed = Node.create({
  name: 'embed',
  group: 'block',
  atom: true,
  addAttributes() {
    return { url: textAttr('url'), provider: textAttr('provider'), title: textAttr('title') };
  },
  parseHTML: () => [{ tag: 'div[data-url][data-embed]' }],
  renderHTML: ({ HTMLAttributes }) => ['div', mergeAttributes(HTMLAttributes, { 'data-embed': '', class: 'se-embed' })],
});

/**
 * Every extension that shapes the document, in one list for the browser editor and the
 * tests. The browser swaps in figure and embed nodes with their editing views.
 */
export function storyEditorExtensions(browser: { figure?: AnyExtension; embed?: AnyExtension; extra?: Extensions } = {}): Extensions {
  return [
    StarterKit.configure({
      heading: { levels: [2, 3, 4] },
      blockquote: false,
      code: false,
      codeBlock: false,
      hardBreak: false,
      horizontalRule: false,
      strike: false,
      underline: false,
      link: false,
      listItem: false,
    }),
    ListItem,
    Link,
    Quote,
    QuoteAttribution,
    Pullquote,
    PullquoteText,
    browser.figure ?? Figure,
    browser.embed ?? Embed,
    ...(browser.extra ?? []),
  ];
}
