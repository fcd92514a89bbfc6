/*
 * Live-blog readers for bench/live-fanout.bench.ts, in a process of their own (never the
 * server's or the driver's event loop): opens N Server-Sent Events streams of one live blog,
 * spread over the given ports, and reports when each stream received an entry carrying a
 * marker. Times are absolute (performance.timeOrigin + now), comparable with the driver's on
 * the same machine.
 *
 *   argv[2]: JSON { ports: number[], path: string, readers: number }
 *   messages in:  { type: 'watch', marker } — start watching for `marker`; { type: 'exit' }
 *   messages out: { type: 'connected', open, failed } once every stream answered (or failed);
 *                 { type: 'arrivals', marker, at: number[], missing } once every open stream
 *                 got the marker (or 10 s passed); { type: 'lost', open } when streams closed.
 */
import http from 'node:http';

interface Spec {
  ports: number[];
  path: string;
  readers: number;
}

type Message = { type: 'watch'; marker: string } | { type: 'exit' };

const spec = JSON.parse(process.argv[2]!) as Spec;
const now = () => performance.timeOrigin + performance.now();
/** Connections opened at once: the server's listen backlog is finite. */
const CONNECT_BATCH = 200;
const DEADLINE_MS = 10_000;

interface Stream {
  /** The tail of what arrived, enough to find a marker split across two chunks. */
  tail: string;
  seenAt: number | null;
  open: boolean;
}

const streams: Stream[] = [];
let marker: string | null = null;
let onArrival: (() => void) | null = null;
// One socket per reader, as browsers on different machines would hold.
const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });

function open(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s: Stream = { tail: '', seenAt: null, open: false };
    const req = http.get({ host: '127.0.0.1', port, path: spec.path, agent, headers: { accept: 'text/event-stream' } }, (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        return resolve(false);
      }
      s.open = true;
      streams.push(s);
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        if (marker === null || s.seenAt !== null) return;
        const text = s.tail + chunk;
        if (text.includes(marker)) {
          s.seenAt = now();
          onArrival?.();
        } else {
          s.tail = text.slice(-marker.length);
        }
      });
      res.on('close', () => (s.open = false));
      resolve(true);
    });
    req.on('error', () => resolve(false));
  });
}

async function connectAll(): Promise<void> {
  let failed = 0;
  for (let i = 0; i < spec.readers; i += CONNECT_BATCH) {
    const batch = [];
    for (let k = i; k < Math.min(spec.readers, i + CONNECT_BATCH); k++) batch.push(open(spec.ports[k % spec.ports.length]!));
    failed += (await Promise.all(batch)).filter((ok) => !ok).length;
  }
  process.send!({ type: 'connected', open: streams.length, failed });
}

function watch(next: string): void {
  marker = next;
  for (const s of streams) {
    s.seenAt = null;
    s.tail = '';
  }
  const deadline = setTimeout(report, DEADLINE_MS);
  let waiting = streams.filter((s) => s.open).length;
  onArrival = () => {
    if (--waiting === 0) report();
  };
  function report() {
    clearTimeout(deadline);
    onArrival = null;
    const at = streams.filter((s) => s.seenAt !== null).map((s) => s.seenAt!);
    process.send!({ type: 'arrivals', marker: next, at, missing: streams.length - at.length, open: streams.filter((s) => s.open).length });
  }
}

process.on('message', (m: Message) => {
  if (m.type === 'watch') watch(m.marker);
  else if (m.type === 'exit') {
    agent.destroy();
    process.exit(0);
  }
});

await connectAll();
