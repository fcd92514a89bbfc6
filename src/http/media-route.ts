import type { FastifyInstance } from 'fastify';
import { isSafeMediaPart, type MediaStore } from '../domain/media/media-store.ts';
import { isOriginalFile, MEDIA_CACHE_CONTROL, mediaContentType } from '../domain/media/media-url.ts';
import { etagFor, isNotModified } from './conditional-get.ts';

/**
 * `/media/<key>/<file>` read through the media store, for stores that are not a local folder
 * (the local store is served by @fastify/static straight from disk). Every node answers for
 * every upload, since they all read the same bucket. Same answers as the static route:
 * immutable caching, 404 for what is not there, and originals never (newsroom only).
 */
export function registerStoreMediaRoute(app: FastifyInstance, store: MediaStore): void {
  app.get<{ Params: { key: string; file: string } }>('/media/:key/:file', async (req, reply) => {
    const { key, file } = req.params;
    // Checked before the store is asked: a name that could leave its key is simply not there.
    if (!isSafeMediaPart(key) || !isSafeMediaPart(file) || isOriginalFile(file)) return reply.callNotFound();
    const data = await store.read(key, file);
    if (!data) return reply.callNotFound();
    // The content is the validator: nodes agree on it without sharing any state.
    const etag = etagFor(data);
    reply.header('cache-control', MEDIA_CACHE_CONTROL).header('etag', etag).type(mediaContentType(file));
    if (isNotModified(req, etag, null)) return reply.code(304).send();
    return reply.send(data);
  });
}
