import http from 'node:http';

/** One Server-Sent Event as a browser's EventSource would see it. */
export interface ReceivedEvent {
  id: string;
  event: string;
  data: string;
}

/**
 * A live-stream client over a real socket: collects events as they arrive, knows when the
 * server ended the stream, and waits for a condition without timing assertions.
 */
export interface StreamClient {
  status: number;
  headers: http.IncomingHttpHeaders;
  events: ReceivedEvent[];
  /** Raw text received (heartbeat comments included). */
  text(): string;
  ended: Promise<void>;
  /** Resolves once `check` holds over the events received (rejects after `timeoutMs`). */
  waitFor(check: (events: ReceivedEvent[]) => boolean, timeoutMs?: number): Promise<ReceivedEvent[]>;
  close(): void;
}

export function openStream(port: number, path: string, headers: Record<string, string> = {}): Promise<StreamClient> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path, headers: { accept: 'text/event-stream', ...headers } }, (res) => {
      let raw = '';
      let buffer = '';
      const events: ReceivedEvent[] = [];
      const waiters = new Set<() => void>();
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        raw += chunk;
        buffer += chunk;
        let at: number;
        while ((at = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, at);
          buffer = buffer.slice(at + 2);
          const e: ReceivedEvent = { id: '', event: 'message', data: '' };
          let hasData = false;
          for (const line of block.split('\n')) {
            if (line.startsWith('id: ')) e.id = line.slice(4);
            else if (line.startsWith('event: ')) e.event = line.slice(7);
            else if (line.startsWith('data: ')) {
              e.data += (hasData ? '\n' : '') + line.slice(6);
              hasData = true;
            }
          }
          if (hasData) events.push(e);
        }
        for (const w of waiters) w();
      });
      const ended = new Promise<void>((done) => res.on('close', () => done()));
      resolve({
        status: res.statusCode ?? 0,
        headers: res.headers,
        events,
        text: () => raw,
        ended,
        waitFor(check, timeoutMs = 10_000) {
          if (check(events)) return Promise.resolve(events);
          return new Promise((ok, fail) => {
            const timer = setTimeout(() => {
              waiters.delete(w);
              fail(new Error(`stream condition not met; received: ${JSON.stringify(events)}`));
            }, timeoutMs);
            const w = () => {
              if (!check(events)) return;
              clearTimeout(timer);
              waiters.delete(w);
              ok(events);
            };
            waiters.add(w);
          });
        },
        close: () => req.destroy(),
      });
    });
    req.on('error', reject);
  });
}
