import type { FastifyInstance } from 'fastify';

/** How often idle connections are closed while the server drains. */
const IDLE_SWEEP_MS = 100;

/**
 * Stops accepting connections and waits for the requests in flight, for at most `graceMs`.
 * Fastify's close stops listening, answers new requests on open connections with 503 and
 * closes the connections idle at that moment; a keep-alive connection whose request finishes
 * later goes idle afterwards, so idle ones are swept until the end. At the bound every
 * connection still open is closed: a client dribbling its request (slow loris) or a request
 * that never ends must not keep a node that was told to stop alive.
 */
export async function closeServer(app: FastifyInstance, graceMs: number): Promise<void> {
  const sweep = setInterval(() => app.server.closeIdleConnections(), IDLE_SWEEP_MS);
  const force = setTimeout(() => app.server.closeAllConnections(), graceMs);
  try {
    await app.close();
  } finally {
    clearInterval(sweep);
    clearTimeout(force);
  }
}
