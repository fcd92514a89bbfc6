import { looksLikeWxr } from './wordpress-import.ts';

/*
 * A whole site's export, told from a wire document by its first bytes (like wire-sniff.ts,
 * by content, never the file's name): WordPress WXR is RSS in the `wordpress.org/export`
 * namespace; a Ghost export is JSON whose first keys are `db` (or `meta`) with `exported_on`.
 */

export type SiteExportKind = 'wordpress' | 'ghost';

export function sniffSiteExport(head: string): SiteExportKind | null {
  const text = head.replace(/^\uFEFF/, '').trimStart();
  if (text.startsWith('<') && looksLikeWxr(text)) return 'wordpress';
  if (text.startsWith('{') && /^\{\s*"(db|meta|data)"\s*:/.test(text) && /"exported_on"\s*:/.test(text.slice(0, 8192))) return 'ghost';
  return null;
}
