import type { ChangeSink, ContentChange } from '../domain/changes/content-change.ts';

/** Told of each change; `origin` says whether this node made it or heard it from another. */
export type ChangeListener = (change: ContentChange, origin: 'local' | 'remote') => void | Promise<void>;

/** The node's change bus: services publish to it, this node's page cache and CDN purger listen. */
export interface ChangeBus extends ChangeSink {
  subscribe(listener: ChangeListener): () => void;
  /**
   * Starts hearing the other nodes (a server process calls it once; a CLI run only publishes).
   * Resolves once the channel is up, or once the first attempt failed (it keeps retrying).
   */
  start(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The in-process bus (one node). Listeners run in order and are awaited, so when a write's
 * after-commit hooks have finished, this node's cache no longer holds what the write changed.
 * A failing listener is reported and never stops the others.
 */
export function createLocalChangeBus(
  onError: (err: unknown, change: ContentChange) => void,
): ChangeBus & { deliver(change: ContentChange, origin: 'local' | 'remote'): Promise<void> } {
  const listeners = new Set<ChangeListener>();
  async function deliver(change: ContentChange, origin: 'local' | 'remote'): Promise<void> {
    for (const listener of listeners) {
      try {
        await listener(change, origin);
      } catch (err) {
        onError(err, change);
      }
    }
  }
  return {
    deliver,
    publish: (change) => deliver(change, 'local'),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async start() {},
    async close() {
      listeners.clear();
    },
  };
}
