import type { Db } from '../../db/database.ts';
import type { MediaStore } from './media-store.ts';

/*
 * Files an interrupted upload left behind. An image's files are written before its row is
 * committed (so a row never names a missing file); a crash or a rollback in between leaves a
 * folder no row names, and a crash mid-write leaves a temporary file. Nothing links to either,
 * but they fill the disk. Both are removed once older than a grace period, so an upload still
 * in progress (its folder was just written) is never touched, on this node or another sharing
 * the media folder.
 */

/** An upload takes seconds; an hour leaves room for the slowest import transaction. */
export const MEDIA_SWEEP_GRACE_MS = 60 * 60 * 1000;

export interface MediaSweepResult {
  /** Keys of the folders removed (no images row named them). */
  removedFolders: string[];
  removedTempFiles: number;
}

/** Removes media folders no image row names and unfinished temporary files, older than `graceMs`. */
export async function sweepOrphanMedia(
  deps: { db: Db; mediaStore: MediaStore; clock: () => Date },
  options: { graceMs?: number } = {},
): Promise<MediaSweepResult> {
  const cutoff = new Date(deps.clock().getTime() - (options.graceMs ?? MEDIA_SWEEP_GRACE_MS));
  const old = (await deps.mediaStore.listKeys()).filter((k) => k.modifiedAt < cutoff).map((k) => k.key);
  const removedFolders: string[] = [];
  for (let i = 0; i < old.length; i += 500) {
    const batch = old.slice(i, i + 500);
    const rows = await deps.db.selectFrom('images').select('storage_key').where('storage_key', 'in', batch).execute();
    const live = new Set(rows.map((r) => r.storage_key));
    for (const key of batch) {
      if (live.has(key)) continue;
      await deps.mediaStore.removeAll(key);
      removedFolders.push(key);
    }
  }
  const removedTempFiles = await deps.mediaStore.removeStaleTempFiles(cutoff);
  return { removedFolders, removedTempFiles };
}
