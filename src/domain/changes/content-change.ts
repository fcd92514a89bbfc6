/**
 * A committed change that readers may see, named by the cache tags it touches (the vocabulary
 * is published/cache-tags.ts). Page caches on every node, the CDN and (later) search indexing
 * act on it. Raised after commit only: a rolled-back write must never purge anything.
 */
export interface ContentChange {
  tags: readonly string[];
  /** What happened, for logs and counters: `story.publish`, `comment.approve`, `section.update`… */
  cause: string;
}

/** Where committed changes go (wired in src/deps.ts); services only ever publish to it. */
export interface ChangeSink {
  publish(change: ContentChange): Promise<void>;
}
