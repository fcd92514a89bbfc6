import type { FastifyInstance } from 'fastify';
import { checkDatabase } from '../db/database.ts';
import type { Deps } from '../deps.ts';
import { errorReply, publicErrorFor } from './errors.ts';

/**
 * `GET /health`: 200 while the database answers and (SQLite) is still the file the server
 * opened; otherwise 503 with the reason in the one mapping's words (never the driver's, which
 * name hosts, files and databases), so a load balancer takes the node out.
 */
export function registerHealthRoute(app: FastifyInstance, deps: Pick<Deps, 'db' | 'dialect'>): void {
  app.get('/health', async (req, reply) => {
    try {
      await checkDatabase(deps.db);
    } catch (err) {
      const { message } = publicErrorFor(req, err);
      return errorReply(reply, { status: 503 })
        .type('application/json; charset=utf-8')
        .send({ status: 'unavailable', database: deps.dialect, reason: message });
    }
    return reply.header('cache-control', 'no-store').send({ status: 'ok', database: deps.dialect });
  });
}
