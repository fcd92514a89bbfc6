import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { metricsTokenMatches, type AppMetrics } from './metrics.ts';

/**
 * `/metrics` on a port of its own (MASTHEAD_METRICS_PORT), for a network only Prometheus
 * reaches; with MASTHEAD_METRICS_TOKEN set it still asks for the token. Nothing else is served.
 */
export async function startMetricsServer(options: {
  host: string;
  port: number;
  metrics: AppMetrics;
  token?: string | undefined;
}): Promise<{ port: number; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (path !== '/metrics' || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found: only /metrics is served here.\n');
      return;
    }
    if (options.token !== undefined && !metricsTokenMatches(req.headers.authorization, options.token)) {
      res
        .writeHead(401, { 'content-type': 'text/plain; charset=utf-8', 'www-authenticate': 'Bearer realm="metrics"' })
        .end('Send the metrics token.\n');
      return;
    }
    options.metrics.render().then(
      ({ contentType, body }) =>
        res.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store' }).end(req.method === 'HEAD' ? '' : body),
      () => res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end('Metrics could not be collected.\n'),
    );
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
