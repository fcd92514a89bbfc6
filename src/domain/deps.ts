import type { Kysely } from 'kysely';
import type { DialectName } from '../db/database.ts';
import type { Database } from '../db/schema.ts';
import type { StoryChange } from './articles/article-change.ts';
import type { ChangeSink } from './changes/content-change.ts';
import type { DeferredWork } from './changes/deferred-work.ts';
import type { MediaStore } from './media/media-store.ts';

/** What domain services need from the outside world; wired once in src/deps.ts. */
export interface ServiceDeps {
  db: Kysely<Database>;
  dialect: DialectName;
  clock: () => Date;
  mediaStore: MediaStore;
  /** Public origin (config.siteUrl) for absolute links in outgoing messages such as webhooks; unset in some unit tests. */
  siteUrl?: string;
  /** Subscribers to committed story changes beyond the related lists (a page cache, a search index). */
  onStoryChanged?: readonly StoryChangeListener[];
  /** Where committed changes readers may see are published (page caches, other nodes, the CDN); unset in unit tests. */
  changes?: ChangeSink;
  /**
   * After-commit work readers do not need at once (the related lists), run after the request is
   * answered; drain() it before reading what it writes or closing the database.
   */
  deferredWork: DeferredWork;
  /** Where after-commit failures go, which must not fail a committed write; the console when unset. */
  logger?: { error(obj: object, msg: string): void };
}

/** Runs after a story change commits (see articles/article-write.ts); `deps.db` is then outside any transaction. */
export type StoryChangeListener = (deps: ServiceDeps, change: StoryChange) => Promise<void>;
