import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The project root (the folder with package.json), whether the code runs from `src/` via
 * tsx or compiled from `dist/src/`.
 */
function findRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json')) && !dir.endsWith(`${path.sep}dist`)) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('cannot find the Masthead project root');
    dir = parent;
  }
}

export const PROJECT_ROOT = findRoot();
export const PUBLIC_DIR = path.join(PROJECT_ROOT, 'public');
export const DEMO_CONTENT_DIR = path.join(PROJECT_ROOT, 'src', 'demo', 'content');
