/*
 * Escaping-by-default HTML templates. Interpolated strings are always escaped; only
 * SafeHtml values (produced by this module) are inserted as markup.
 */

export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const ESCAPE_RE = /[&<>"']/g;

export function escapeHtml(text: string): string {
  return ESCAPE_RE.test(text) ? ((ESCAPE_RE.lastIndex = 0), text.replace(ESCAPE_RE, (c) => ESCAPES[c]!)) : text;
}

export type HtmlValue = SafeHtml | string | number | null | undefined | false | readonly HtmlValue[];

function append(value: HtmlValue): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof SafeHtml) return value.value;
  if (typeof value === 'string') return escapeHtml(value);
  if (typeof value === 'number') return String(value);
  let out = '';
  for (const v of value) out += append(v);
  return out;
}

/** Tagged template: `html\`<p>${text}</p>\`` escapes `text`. */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += append(values[i]!) + strings[i + 1]!;
  return new SafeHtml(out);
}

/** Marks a constant, developer-written string as markup. Never pass user data. */
export function trusted(markup: string): SafeHtml {
  return new SafeHtml(markup);
}

/** Joins fragments without a separator. */
export function join(parts: readonly HtmlValue[]): SafeHtml {
  return new SafeHtml(append(parts));
}
