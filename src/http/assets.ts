import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { PUBLIC_DIR } from '../paths.ts';

export { PUBLIC_DIR };

/** `/static/<file>?v=<content hash>`: the hash changes with the file, so it can be cached forever. */
export function versionedAsset(file: string): string {
  const data = fs.readFileSync(path.join(PUBLIC_DIR, file));
  const hash = crypto.createHash('sha256').update(data).digest('hex').slice(0, 12);
  return `/static/${file}?v=${hash}`;
}
