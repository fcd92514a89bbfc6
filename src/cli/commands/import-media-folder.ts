import fs from 'node:fs/promises';
import path from 'node:path';
import type { MediaFolder } from '../../domain/wire/site-story.ts';

/*
 * Pictures of a moved site, read from the folder named with --media: WordPress's
 * `wp-content/uploads` tree or Ghost's `content/images` tree (or a folder holding either).
 * An address in the export (`https://old.example/wp-content/uploads/2024/05/a-1024x768.jpg`,
 * `__GHOST_URL__/content/images/size/w600/2023/02/b.jpg`) is looked up by the part after the
 * platform's upload prefix, the original before the resized copy. Nothing outside the folder
 * is ever read, and nothing is fetched.
 */

const PREFIXES = ['/wp-content/uploads/', '/content/images/', '/images/'];

/** Relative paths to try for one address, best first. */
export function candidatePaths(ref: string): string[] {
  let pathname: string;
  try {
    pathname = decodeURIComponent(new URL(ref, 'http://old.invalid').pathname);
  } catch {
    return [];
  }
  const rels: string[] = [];
  for (const prefix of PREFIXES) {
    const at = pathname.indexOf(prefix);
    if (at >= 0) rels.push(pathname.slice(at + prefix.length), pathname.slice(at + 1));
  }
  rels.push(pathname.replace(/^\/+/, ''));
  const out: string[] = [];
  for (const rel of rels) {
    // Ghost's responsive copies live under size/w600/…; WordPress's resized ones end in -300x200.
    const original = rel.replace(/(^|\/)size\/w\d+(?:h\d+)?\//, '$1').replace(/-\d+x\d+(\.[a-z0-9]+)$/i, '$1');
    out.push(original, rel);
  }
  return [...new Set(out.filter(Boolean))];
}

export function mediaFolder(dir: string): MediaFolder {
  const root = path.resolve(dir);
  return {
    async read(ref) {
      for (const rel of candidatePaths(ref)) {
        const target = path.resolve(root, rel);
        if (!target.startsWith(root + path.sep)) continue;
        try {
          const stat = await fs.stat(target);
          if (stat.isFile()) return { data: await fs.readFile(target), name: path.basename(target) };
        } catch {
          // Not there: try the next spelling.
        }
      }
      return null;
    },
  };
}
