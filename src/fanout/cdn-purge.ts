import type { CdnPurgeConfig } from '../config.ts';
import type { ChangeBus } from './change-bus.ts';

/*
 * Purges the CDN after each change this node applies, its own and those heard from other nodes,
 * always after this node has dropped its own copies (the page cache subscribes first). That is
 * what keeps the edge clean: an edge miss between the writer's purge and a slower node's drop
 * can refill the edge from that node's stale copy, and that node's own purge, sent after its
 * drop, removes it again. It costs one purge request per node per change. Tags arriving within a few milliseconds (a publish touches the
 * story, its lists and the sitemaps; a bulk action many stories) go out as one request per
 * endpoint. Purging never blocks or fails the write: the bus listener only queues the tags,
 * and a purge that still fails after its retries is logged.
 *
 * The wire format is the Varnish one of deploy/varnish/masthead.vcl: `PURGE /` with the tags
 * space-separated in `xkey-purge`; `*` purges everything. deploy/README.md maps the same tags
 * to Fastly, Cloudflare and Akamai.
 */

/** The tag a change carries to mean "everything may have changed" (all pages, at every cache). */
export const PURGE_EVERYTHING = '*';

export interface PurgeLogger {
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface CdnPurgerOptions {
  /** How long tags are collected before they are sent (ms). */
  batchMs?: number;
  /** Per request (ms); a hung edge must not pile up requests. */
  timeoutMs?: number;
  /** Attempts per request, first included; only network errors, timeouts and 5xx are retried. */
  attempts?: number;
  /** Wait before the second attempt, doubled for each further one (ms). */
  retryDelayMs?: number;
  /**
   * Each batch is purged a second time this long after the first (ms; 0: never). An edge fetch
   * already under way when the first purge arrives is not purged by it, and may store a copy a
   * node served a moment before it heard of the change; the second purge removes that copy.
   */
  repurgeMs?: number;
}

export interface CdnPurger {
  /** Queues tags for the next batch. Never throws. */
  purge(tags: readonly string[]): void;
  /** Sends what is queued now and waits for every purge in flight (tests, shutdown). */
  flush(): Promise<void>;
}

/** Varnish's request header limit is 8 KB by default; several requests beat one refused. */
const MAX_TAG_HEADER_CHARS = 4000;

/** Splits tags into space-separated header values of bounded length. */
export function tagHeaderValues(tags: readonly string[]): string[] {
  if (tags.includes(PURGE_EVERYTHING)) return [PURGE_EVERYTHING];
  const values: string[] = [];
  let current = '';
  for (const tag of tags) {
    if (current && current.length + 1 + tag.length > MAX_TAG_HEADER_CHARS) {
      values.push(current);
      current = '';
    }
    current = current ? `${current} ${tag}` : tag;
  }
  if (current) values.push(current);
  return values;
}

class RetryableError extends Error {}

export function createCdnPurger(config: CdnPurgeConfig, logger: PurgeLogger, options: CdnPurgerOptions = {}): CdnPurger {
  const { batchMs = 5, timeoutMs = 2000, attempts = 3, retryDelayMs = 100, repurgeMs = 500 } = options;
  let queued = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  const inFlight = new Set<Promise<void>>();
  /** Second purges waiting for their time. */
  const repurges = new Map<NodeJS.Timeout, string[]>();

  async function send(url: string, header: string): Promise<void> {
    const headers: Record<string, string> = { 'xkey-purge': header };
    if (config.token) headers.authorization = `Bearer ${config.token}`;
    const res = await fetch(url, { method: 'PURGE', headers, signal: AbortSignal.timeout(timeoutMs) }).catch((err: unknown) => {
      throw new RetryableError(err instanceof Error ? err.message : String(err));
    });
    await res.body?.cancel();
    if (res.status >= 500) throw new RetryableError(`HTTP ${res.status}`);
    // A 4xx (403 from the ACL, 400) will not get better by asking again.
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
  }

  async function sendWithRetries(url: string, header: string): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await send(url, header);
      } catch (err) {
        const retry = err instanceof RetryableError && attempt < attempts;
        if (!retry) {
          const tags = header.split(' ');
          logger.error(
            { err, url, attempt, tags: tags.slice(0, 20), tagCount: tags.length },
            'CDN purge failed; cached pages may stay stale until they expire',
          );
          return;
        }
        logger.warn({ err, url, attempt }, 'CDN purge failed, retrying');
        await new Promise((resolve) => setTimeout(resolve, retryDelayMs * 2 ** (attempt - 1)));
      }
    }
  }

  function sendQueued(): void {
    timer = undefined;
    const tags = [...queued];
    queued = new Set();
    if (tags.length === 0) return;
    sendTags(tags);
    if (repurgeMs > 0) {
      const again = setTimeout(() => {
        repurges.delete(again);
        sendTags(tags);
      }, repurgeMs);
      again.unref();
      repurges.set(again, tags);
    }
  }

  function sendTags(tags: string[]): void {
    for (const url of config.urls) {
      for (const header of tagHeaderValues(tags)) {
        const p = sendWithRetries(url, header);
        inFlight.add(p);
        void p.finally(() => inFlight.delete(p));
      }
    }
  }

  return {
    purge(tags) {
      if (config.urls.length === 0 || tags.length === 0) return;
      for (const tag of tags) queued.add(tag);
      timer ??= setTimeout(sendQueued, batchMs);
    },
    async flush() {
      if (timer) clearTimeout(timer);
      sendQueued();
      // Second purges go out now too: flushing is for shutdown and tests, which must not wait.
      for (const [again, tags] of repurges) {
        clearTimeout(again);
        sendTags(tags);
      }
      repurges.clear();
      await Promise.all([...inFlight]);
    },
  };
}

/**
 * Starts purging the CDN for this node's changes (nothing when no purge URL is configured).
 * The returned `stop` unsubscribes and sends what is still queued.
 */
export function startCdnPurger(
  bus: Pick<ChangeBus, 'subscribe'>,
  config: CdnPurgeConfig,
  logger: PurgeLogger,
  options?: CdnPurgerOptions,
): CdnPurger & { stop(): Promise<void> } {
  const purger = createCdnPurger(config, logger, options);
  const unsubscribe =
    config.urls.length === 0
      ? () => {}
      : bus.subscribe((change, origin) => {
          // A clear (demo or bulk load, a change too large to name) purges everything at the edge
          // too; a node's own lost or restored channel says nothing about the edge's copies.
          if (origin === 'remote' && change.cause.startsWith('fanout.')) return;
          purger.purge(change.clear ? [PURGE_EVERYTHING] : change.tags);
        });
  return {
    ...purger,
    async stop() {
      unsubscribe();
      await purger.flush();
    },
  };
}
