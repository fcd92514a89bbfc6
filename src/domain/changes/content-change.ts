/**
 * A committed change that readers may see, named by the cache tags it touches (the vocabulary
 * is changes/cache-tags.ts). Page caches on every node, the CDN and (later) search indexing
 * act on it. Raised after commit only: a rolled-back write must never purge anything.
 *
 * **Clear.** A change with `clear: true` means "what changed cannot be named": drop everything
 * (its `tags` are then empty and meaningless). It is raised when demo content is loaded, when a
 * change names more tags than a transport can carry, and by the fan-out when this node lost its
 * channel to the other nodes (on the loss, and again once it is back: changes made meanwhile
 * were never heard). Every subscriber must handle it: the page cache calls `cache.clear()`; the
 * CDN purger (local changes only) purges everything, and never sees a channel-loss clear, which
 * is delivered with origin 'remote'.
 */
export interface ContentChange {
  tags: readonly string[];
  /** What happened, for logs and counters: `story.publish`, `comment.approve`, `section.update`, `fanout.lost`… */
  cause: string;
  /** Drop everything, whatever the tags (see above). */
  clear?: true;
  /**
   * Live blogs whose entries (or coverage window) changed: every node's open live streams of
   * these stories read what is new (domain/live/). Travels with the change, so the page purge
   * and the push reach the other nodes in one message; a clear makes every stream read.
   */
  liveStories?: readonly string[];
}

/** A change that drops everything (see ContentChange). */
export function clearEverything(cause: string): ContentChange {
  return { tags: [], cause, clear: true };
}

/** Where committed changes go (wired in src/deps.ts); services only ever publish to it. */
export interface ChangeSink {
  publish(change: ContentChange): Promise<void>;
}
