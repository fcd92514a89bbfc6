import fs from 'node:fs/promises';
import path from 'node:path';

/** Where image files live. Local disk now; an object store can implement the same interface. */
export interface MediaStore {
  put(key: string, file: string, data: Buffer): Promise<void>;
  removeAll(key: string): Promise<void>;
  /** The bytes of a stored file, or null when it does not exist. */
  read(key: string, file: string): Promise<Buffer | null>;
  /** Public URL path of a stored file. */
  url(key: string, file: string): string;
}

const SAFE_PART = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export function createLocalMediaStore(root: string): MediaStore {
  const resolve = (key: string, file?: string) => {
    if (!SAFE_PART.test(key) || (file !== undefined && !SAFE_PART.test(file))) throw new Error(`unsafe media path ${key}/${file ?? ''}`);
    return file === undefined ? path.join(root, key) : path.join(root, key, file);
  };
  return {
    async put(key, file, data) {
      await fs.mkdir(resolve(key), { recursive: true });
      // Write then rename so a reader never sees a half-written file.
      const target = resolve(key, file);
      const tmp = `${target}.${process.pid}.tmp`;
      await fs.writeFile(tmp, data);
      await fs.rename(tmp, target);
    },
    async read(key, file) {
      try {
        return await fs.readFile(resolve(key, file));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw err;
      }
    },
    async removeAll(key) {
      await fs.rm(resolve(key), { recursive: true, force: true });
    },
    url(key, file) {
      return `/media/${key}/${file}`;
    },
  };
}
