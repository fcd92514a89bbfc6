import type { Kysely } from 'kysely';
import type { DialectName } from '../db/database.ts';
import type { Database } from '../db/schema.ts';
import type { MediaStore } from './media/media-store.ts';

/** What domain services need from the outside world; wired once in src/deps.ts. */
export interface ServiceDeps {
  db: Kysely<Database>;
  dialect: DialectName;
  clock: () => Date;
  mediaStore: MediaStore;
  /** Public origin (config.siteUrl) for absolute links in outgoing messages such as webhooks; unset in some unit tests. */
  siteUrl?: string;
}
