import type { Logger } from 'pino';
import type { Config } from './config.ts';
import { openDatabase, type DatabaseHandle } from './db/database.ts';
import type { ServiceDeps } from './domain/deps.ts';
import { createLocalMediaStore } from './domain/media/media-store.ts';

/** Everything the app needs, wired once at the edge. */
export interface Deps extends ServiceDeps {
  config: Config;
  logger?: Logger;
  close(): Promise<void>;
}

export async function createDeps(config: Config, options: { clock?: () => Date; handle?: DatabaseHandle } = {}): Promise<Deps> {
  const handle = options.handle ?? (await openDatabase(config.database));
  return {
    config,
    db: handle.db,
    dialect: handle.dialect,
    clock: options.clock ?? (() => new Date()),
    mediaStore: createLocalMediaStore(config.mediaDir),
    close: () => handle.close(),
  };
}
