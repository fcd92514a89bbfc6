import type { FastifyReply, FastifyRequest } from 'fastify';
import { NO_STORE } from './cache-policy.ts';
import { securityHeaders } from './security-headers.ts';

/*
 * Server-Sent Events plumbing: a per-node registry of open streams by key (a live blog's id),
 * bounded so a news spike cannot exhaust the node, and the runner of one stream (heartbeats,
 * resuming from Last-Event-ID, reading what is new whenever its key is nudged, ending when
 * the source says it is over). What the events say is the caller's business.
 */

/** Comments keep proxies and browsers from timing an idle stream out. */
export const HEARTBEAT_MS = 20_000;
/** How long a browser waits before reconnecting after a dropped stream. */
const RETRY_MS = 3000;

export interface StreamEvent {
  /** The event id: a cursor the source can resume after. */
  id: string;
  event: string;
  data: string;
}

export interface StreamSource {
  /**
   * What came after `cursor`, oldest first (one batch; asked again until empty), whether the
   * stream is over (once what is pending is sent), and when it will be over by time alone.
   */
  read(cursor: string | null): Promise<{ events: StreamEvent[]; done: boolean; endsAt?: string | null }>;
}

interface OpenStream {
  key: string;
  nudge(): void;
  end(): void;
}

export interface StreamHub {
  /** Open streams on this node. */
  size(): number;
  /** Tells the streams of these keys that something changed. */
  nudge(keys: readonly string[]): void;
  /** Tells every stream (a lost channel: what changed meanwhile is unknown). */
  nudgeAll(): void;
  /** Ends every stream (shutdown: browsers reconnect to another node). */
  closeAll(): void;
  /**
   * Runs `read` once for all the streams of `key` that ask for the same thing (`what`: their
   * cursor) while it runs: an entry nudges thousands of streams at the same cursor in the same
   * tick, and they share one database read and one rendering instead of one each. A nudge
   * drops the reads in flight for its keys, so a stream nudged after a read began (which may
   * have missed the change) reads afresh.
   */
  shared<T>(key: string, what: string, read: () => Promise<T>): Promise<T>;
  /** @internal used by runEventStream */
  add(stream: OpenStream): boolean;
  remove(stream: OpenStream): void;
}

export function createStreamHub(maxStreams: number): StreamHub {
  const byKey = new Map<string, Set<OpenStream>>();
  const inFlight = new Map<string, Map<string, Promise<unknown>>>();
  let count = 0;
  return {
    size: () => count,
    nudge(keys) {
      for (const key of keys) inFlight.delete(key);
      for (const key of keys) for (const s of byKey.get(key) ?? []) s.nudge();
    },
    nudgeAll() {
      inFlight.clear();
      for (const set of byKey.values()) for (const s of set) s.nudge();
    },
    shared<T>(key: string, what: string, read: () => Promise<T>): Promise<T> {
      let reads = inFlight.get(key);
      const running = reads?.get(what);
      if (running) return running as Promise<T>;
      if (!reads) inFlight.set(key, (reads = new Map()));
      const own = reads;
      const promise = read().finally(() => {
        if (own.get(what) === promise) own.delete(what);
        if (!own.size && inFlight.get(key) === own) inFlight.delete(key);
      });
      own.set(what, promise);
      return promise;
    },
    closeAll() {
      for (const set of [...byKey.values()]) for (const s of [...set]) s.end();
    },
    add(stream) {
      if (count >= maxStreams) return false;
      let set = byKey.get(stream.key);
      if (!set) byKey.set(stream.key, (set = new Set()));
      set.add(stream);
      count++;
      return true;
    },
    remove(stream) {
      const set = byKey.get(stream.key);
      if (!set?.delete(stream)) return;
      count--;
      if (!set.size) byKey.delete(stream.key);
    },
  };
}

/** Each event's wire text, built once however many streams a shared read sends it to. */
const wireText = new WeakMap<StreamEvent, string>();

function eventText(e: StreamEvent): string {
  let text = wireText.get(e);
  if (text === undefined) wireText.set(e, (text = formatEvent(e)));
  return text;
}

function formatEvent(e: StreamEvent): string {
  // Data lines must not contain newlines; JSON data never does, but be safe.
  return `id: ${e.id}\nevent: ${e.event}\n${e.data
    .split('\n')
    .map((line) => `data: ${line}`)
    .join('\n')}\n\n`;
}

/** The stream's starting point: the browser's Last-Event-ID (a reconnect) wins over `?since=`. */
export function resumeCursor(req: FastifyRequest): string | null {
  const header = req.headers['last-event-id'];
  if (typeof header === 'string' && header) return header;
  const since = (req.query as Record<string, unknown> | undefined)?.since;
  return typeof since === 'string' && since ? since : null;
}

/**
 * Answers one stream request: 503 when the node holds its maximum, 204 when there is nothing
 * left to follow (a browser's EventSource then stops reconnecting), else the stream itself,
 * never cached. `start` is where it begins (null: only what happens from now on).
 */
export async function runEventStream(
  req: FastifyRequest,
  reply: FastifyReply,
  hub: StreamHub,
  key: string,
  start: string | null,
  source: StreamSource,
  options: { heartbeatMs?: number } = {},
): Promise<FastifyReply> {
  let cursor = start;
  const first = await source.read(cursor);
  if (first.done && !first.events.length) return reply.code(204).header('cache-control', NO_STORE).send();
  let ended = false;
  // Nudges before the headers are out are covered by the read that follows them.
  let started = false;
  let pumping: Promise<void> | null = null;
  let again = false;
  let heartbeat: NodeJS.Timeout | undefined;
  let endTimer: NodeJS.Timeout | undefined;
  const raw = reply.raw;

  const stream: OpenStream = {
    key,
    nudge: () => void pump(),
    end: () => finish(false),
  };
  if (!hub.add(stream)) {
    return reply
      .code(503)
      .header('cache-control', NO_STORE)
      .header('retry-after', '30')
      .type('text/plain; charset=utf-8')
      .send('This server is following as many live readers as it can. The page still shows the latest updates when you reload it.');
  }

  function finish(over: boolean): void {
    if (ended) return;
    ended = true;
    clearInterval(heartbeat);
    clearTimeout(endTimer);
    hub.remove(stream);
    if (over && !raw.writableEnded) raw.write('event: end\ndata: {}\n\n');
    raw.end();
  }

  function write(events: StreamEvent[]): void {
    for (const e of events) {
      raw.write(eventText(e));
      cursor = e.id;
    }
  }

  function scheduleEnd(endsAt: string | null | undefined): void {
    clearTimeout(endTimer);
    if (!endsAt) return;
    // Capped so a far-off end does not overflow the timer; the stream reads again then.
    const ms = Math.min(Math.max(0, Date.parse(endsAt) - Date.now()) + 50, 2 ** 31 - 1);
    endTimer = setTimeout(() => void pump(), ms);
    endTimer.unref();
  }

  async function drain(): Promise<void> {
    for (;;) {
      const { events, done, endsAt } = await source.read(cursor);
      if (ended) return;
      write(events);
      if (events.length) continue;
      if (done) return finish(true);
      scheduleEnd(endsAt);
      return;
    }
  }

  // Reads run one at a time; a nudge during a read asks for one more.
  function pump(): Promise<void> {
    if (ended || !started) return Promise.resolve();
    if (pumping) {
      again = true;
      return pumping;
    }
    pumping = (async () => {
      try {
        do {
          again = false;
          await drain();
        } while (again && !ended);
      } catch (err) {
        req.log.warn({ err }, 'live stream read failed; the browser will reconnect');
        finish(false);
      } finally {
        pumping = null;
      }
    })();
    return pumping;
  }

  reply.hijack();
  raw.writeHead(200, {
    ...securityHeaders('text/event-stream'),
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': NO_STORE,
    // nginx and similar proxies would otherwise hold events back in a buffer.
    'x-accel-buffering': 'no',
    connection: 'keep-alive',
  });
  raw.write(`retry: ${RETRY_MS}\n\n`);
  req.raw.on('close', () => finish(false));
  write(first.events);
  started = true;
  heartbeat = setInterval(() => raw.write(': heartbeat\n\n'), options.heartbeatMs ?? HEARTBEAT_MS);
  heartbeat.unref();
  // Reads again at once: anything that arrived since the first read (before this stream was
  // registered) is sent, and a stream already over ends.
  await pump();
  return reply;
}
