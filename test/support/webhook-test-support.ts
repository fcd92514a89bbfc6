import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request a test receiver got. */
export interface ReceivedRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface TestReceiver {
  url: string;
  port: number;
  received: ReceivedRequest[];
  /** Status codes to answer with, in order; once used up, 200. */
  respondWith(...statuses: number[]): void;
  close(): Promise<void>;
}

/** A real HTTP server on 127.0.0.1 that records every request (webhook tests only). */
export async function startTestReceiver(options: { delayMs?: number } = {}): Promise<TestReceiver> {
  const received: ReceivedRequest[] = [];
  const queue: number[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      const status = queue.shift() ?? 200;
      const answer = () => {
        res.writeHead(status, { 'content-type': 'text/plain', connection: 'close' });
        res.end(status < 300 ? 'thanks' : `receiver says ${status}`);
      };
      if (options.delayMs) setTimeout(answer, options.delayMs);
      else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/hooks/masthead`,
    port,
    received,
    respondWith: (...statuses) => queue.push(...statuses),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
