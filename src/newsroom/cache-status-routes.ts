import type { FastifyInstance } from 'fastify';
import type { NewsroomContext } from './newsroom-context.ts';

/**
 * `GET /newsroom/cache.json`: this node's page cache counters for administrators (hits,
 * misses, coalesced renders, purges, entries, bytes and the bound). Per node: each app process
 * has its own cache. `enabled: false` when MASTHEAD_PAGE_CACHE_MB is 0.
 */
export function registerCacheStatusRoutes(app: FastifyInstance, ctx: NewsroomContext): void {
  app.get('/cache.json', { config: { access: 'admin' } }, async (_req, reply) => {
    const stats = ctx.pageCacheStats();
    return reply.type('application/json; charset=utf-8').send(JSON.stringify(stats ? { enabled: true, ...stats } : { enabled: false }));
  });
}
