import type { Logger } from 'pino';
import type { Config } from './config.ts';
import { openDatabase, type DatabaseHandle } from './db/database.ts';
import type { ServiceDeps } from './domain/deps.ts';
import { createLocalMediaStore, type MediaStore } from './domain/media/media-store.ts';
import { setMediaPublicUrl } from './domain/media/media-url.ts';
import { createS3Client, createS3MediaStore } from './domain/media/s3-media-store.ts';
import { createSmtpMailer, type Mailer } from './domain/readers/mailer.ts';
import type { ChangeBus } from './fanout/change-bus.ts';
import { createNodeChangeBus } from './fanout/node-change-bus.ts';
import { CHROME_TAG, FRONT_TAG_PREFIX } from './domain/changes/cache-tags.ts';
import { createDeferredWork } from './domain/changes/deferred-work.ts';
import { frontArrangementCache } from './domain/fronts/front-arrangement-cache.ts';
import { sectionDirectory } from './domain/sections/section-directory.ts';
import { dropChangeDroppedMemos } from './domain/changes/change-dropped-memo.ts';

/** Everything the app needs, wired once at the edge. */
export interface Deps extends ServiceDeps {
  config: Config;
  logger?: Logger;
  /** Reader email (verification links); set when MASTHEAD_SMTP_URL is. Tests may assign a jsonTransport mailer. */
  mailer?: Mailer;
  /**
   * Committed changes readers may see: services publish, this node's page cache (and CDN
   * purger) listen. Fanned out to the other nodes (Redis, else PostgreSQL); a server process
   * calls `changes.start()` to hear theirs.
   */
  changes: ChangeBus;
  close(): Promise<void>;
}

export async function createDeps(
  config: Config,
  options: {
    clock?: () => Date;
    handle?: DatabaseHandle;
    /** Fan-out channel and this node's id (tests use private ones; see fanout/node-change-bus.ts). */
    changeChannel?: string;
    nodeId?: string;
  } = {},
): Promise<Deps> {
  const handle = options.handle ?? (await openDatabase(config.database));
  const media = createMediaStore(config);
  // Pages, feeds and the APIs link media through media-url.ts, which holds the public base.
  setMediaPublicUrl(config.mediaPublicUrl);
  const log = () =>
    deps.logger ?? {
      warn: (obj: object, msg: string) => console.warn(msg, obj),
      error: (obj: object, msg: string) => console.error(msg, obj),
    };
  const deps: Deps = {
    config,
    db: handle.db,
    dialect: handle.dialect,
    clock: options.clock ?? (() => new Date()),
    mediaStore: media.store,
    siteUrl: config.siteUrl,
    ...(config.smtpUrl ? { mailer: createSmtpMailer(config.smtpUrl, config.mailFrom) } : {}),
    changes: createNodeChangeBus(config, handle, { channel: options.changeChannel, nodeId: options.nodeId, log }),
    deferredWork: createDeferredWork({ log }),
    close: async () => {
      // Deferred work first: a refresh cut mid-transaction would leave a list stale, and the
      // boxes it moved must still be published on the open bus.
      await deps.deferredWork.drain();
      await deps.changes.close();
      media.close();
      await handle.close();
    },
  };
  // The in-memory section directory is dropped on this node by the section admin itself; a
  // change from another node drops it here. Subscribed before anything else (the page cache
  // subscribes in buildApp), so a purged page is never re-rendered from the old navigation.
  deps.changes.subscribe((change, origin) => {
    // What every page or search reads once for many (the breaking alert, the indexed
    // languages): any change may alter it (an alert raised, a story in a new language published).
    dropChangeDroppedMemos(deps.db);
    if (origin === 'remote' && (change.clear || change.tags.includes(CHROME_TAG))) sectionDirectory(deps.db).invalidate();
    // Front arrangements, likewise (a takeover announced by the scheduler only reloads them).
    if (origin === 'remote' && (change.clear || change.tags.some((t) => t.startsWith(FRONT_TAG_PREFIX))))
      frontArrangementCache(deps.db).invalidate();
  });
  return deps;
}

/** Local disk (the embedded default) or a bucket every node shares (MASTHEAD_MEDIA_STORE=s3). */
function createMediaStore(config: Config): { store: MediaStore; close(): void } {
  const m = config.mediaStore;
  if (m.kind === 'local') return { store: createLocalMediaStore(config.mediaDir), close: () => {} };
  const client = createS3Client({
    region: m.region,
    endpoint: m.endpoint,
    forcePathStyle: m.forcePathStyle,
    credentials: m.credentials,
  });
  return {
    store: createS3MediaStore({ client, bucket: m.bucket, prefix: m.prefix, publicUrl: config.mediaPublicUrl }),
    close: () => client.destroy(),
  };
}
