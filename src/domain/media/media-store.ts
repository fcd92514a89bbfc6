import { randomUUID } from 'node:crypto';
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
  /** Every stored key with the time its folder last changed (for the orphan sweep). */
  listKeys(): Promise<Array<{ key: string; modifiedAt: Date }>>;
  /** Removes unfinished writes (temporary files) last changed before `before`; returns how many. */
  removeStaleTempFiles(before: Date): Promise<number>;
  /** Names of the files stored under `key` (original, renditions, crops), sorted; never temporary `*.tmp` files. */
  listFiles(key: string): Promise<string[]>;
  /** Resolves when the store can be used now (readiness); throws MediaStoreUnavailableError otherwise. */
  probe(): Promise<void>;
}

/**
 * The store cannot be used right now (a bucket unreachable, timing out, missing or refusing
 * our credentials; a media folder that cannot be written): a 503 worth a retry, like an
 * unreachable database, never a 500. The message is for the logs (it names the store); what
 * a response says comes from http/errors.ts.
 */
export class MediaStoreUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MediaStoreUnavailableError';
  }
}

const SAFE_PART = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
/**
 * `<file>.<uuid>.tmp`: what `put` writes before the rename; unguessable, so never linked or
 * fetched (`<file>.<pid>.tmp` from earlier versions is swept too).
 */
const TEMP_FILE = /\.(?:[0-9a-f-]{36}|\d+)\.tmp$/;

export function createLocalMediaStore(root: string): MediaStore {
  const resolve = (key: string, file?: string) => {
    if (!SAFE_PART.test(key) || (file !== undefined && !SAFE_PART.test(file))) throw new Error(`unsafe media path ${key}/${file ?? ''}`);
    return file === undefined ? path.join(root, key) : path.join(root, key, file);
  };
  async function listKeys(): Promise<Array<{ key: string; modifiedAt: Date }>> {
    let entries;
    try {
      entries = await fs.readdir(root, { withFileTypes: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    const out: Array<{ key: string; modifiedAt: Date }> = [];
    for (const e of entries) {
      if (!e.isDirectory() || !SAFE_PART.test(e.name)) continue;
      const stat = await fs.stat(path.join(root, e.name)).catch(() => null);
      if (stat) out.push({ key: e.name, modifiedAt: stat.mtime });
    }
    return out;
  }

  return {
    async put(key, file, data) {
      await fs.mkdir(resolve(key), { recursive: true });
      // Written under a temporary name in the same folder, flushed, then renamed: the final
      // name only ever holds a whole file (rename is atomic within a file system), even if the
      // process or the machine stops mid-write. A failed write removes its temporary file.
      const target = resolve(key, file);
      const tmp = `${target}.${randomUUID()}.tmp`;
      try {
        const handle = await fs.open(tmp, 'wx');
        try {
          await handle.writeFile(data);
          await handle.sync();
        } finally {
          await handle.close();
        }
        await fs.rename(tmp, target);
      } catch (err) {
        await fs.rm(tmp, { force: true }).catch(() => {});
        throw err;
      }
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
    listKeys,
    async listFiles(key) {
      let entries;
      try {
        entries = await fs.readdir(resolve(key), { withFileTypes: true });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
        throw err;
      }
      // A `.tmp` name is a write still under way (or abandoned): never part of the image.
      return entries
        .filter((e) => e.isFile() && SAFE_PART.test(e.name) && !e.name.endsWith('.tmp'))
        .map((e) => e.name)
        .sort();
    },
    async probe() {
      try {
        await fs.mkdir(root, { recursive: true });
        await fs.access(root, fs.constants.W_OK);
      } catch (err) {
        throw new MediaStoreUnavailableError(`The media folder ${root} cannot be written: ${(err as Error).message}`, { cause: err });
      }
    },
    async removeStaleTempFiles(before) {
      let removed = 0;
      for (const { key } of await listKeys()) {
        const dir = resolve(key);
        const names = await fs.readdir(dir).catch(() => [] as string[]);
        for (const name of names.filter((n) => TEMP_FILE.test(n))) {
          const stat = await fs.stat(path.join(dir, name)).catch(() => null);
          if (stat && stat.mtime < before) {
            await fs.rm(path.join(dir, name), { force: true });
            removed++;
          }
        }
      }
      return removed;
    },
  };
}

/** Whether a key or file name is one a store may use (no separators, no leading dot). */
export function isSafeMediaPart(part: string): boolean {
  return SAFE_PART.test(part);
}
