/*
 * What an incoming file is, decided by its content, never its name: a JSON object is taken
 * as a ninjs document, markup as an HTML page. Anything else is refused.
 */

export type WireContentKind = 'ninjs' | 'html';

/** Looks at the first non-blank character (after a BOM): `{` → ninjs, `<` → HTML, else null. */
export function sniffWireContent(text: string): WireContentKind | null {
  const head = text.replace(/^\uFEFF/, '').trimStart();
  if (head.startsWith('{')) return 'ninjs';
  if (
    head.startsWith('<') &&
    /<(!doctype html|html|head|body|article|main|div|p|h[1-6]|section|span|table|ul|ol)[\s>/]/i.test(head.slice(0, 5000))
  )
    return 'html';
  return null;
}

/** True for content that is plainly binary (a NUL byte in the first 8 KB): pictures, archives. */
export function looksBinary(data: Buffer): boolean {
  return data.subarray(0, 8192).includes(0);
}
