import fastifyMultipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { roleAtLeast } from '../domain/accounts/access.ts';
import {
  deleteLibraryImage,
  getLibraryImage,
  listLibraryImages,
  readOriginal,
  updateImageMetadata,
  uploadLibraryImage,
  type ImageMetadataUpdate,
} from '../domain/media/media-library.ts';
import { versionedAsset } from '../http/assets.ts';
import { errorReply, formRefusalOrThrow, publicErrorFor, toPublicError } from '../http/errors.ts';
import { setFlash } from './flash.ts';
import { pickerItem } from './media-json.ts';
import { ACCEPTED_IMAGE_TYPES, readUploadedFile } from './media-upload.ts';
import { actorOf } from './newsroom-auth.ts';
import { formFields } from '../http/form-security.ts';
import type { NewsroomContext } from './newsroom-context.ts';
import { mediaEditView } from './views/media-edit-view.ts';
import { mediaLibraryView } from './views/media-library-view.ts';

type IdParams = { Params: { id: string } };
type ListQuery = { Querystring: { q?: unknown; cursor?: unknown } };

/** The original's file extension, as ingest names it. */
const METADATA_FIELDS = ['caption', 'credit', 'creator', 'copyrightNotice', 'altText'] as const;

/** JSON answers (and errors) for our script and the story editor's picker; HTML otherwise. */
function wantsJson(req: FastifyRequest): boolean {
  return req.routeOptions.url?.endsWith('.json') === true || /\bapplication\/json\b/.test(req.headers.accept ?? '');
}

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

/**
 * The media library under `/newsroom/media`: grid, search, upload (plain form or our
 * script's JSON requests), edit and delete. An encapsulated plugin, so the multipart parser
 * exists only for these routes. Register with `app.register(mediaRoutes(ctx))`.
 */
export function mediaRoutes(ctx: NewsroomContext) {
  return async (app: FastifyInstance) => {
    const { deps } = ctx;
    const maxUploadMb = deps.config.maxUploadMb;
    // Files are read in the handler, as a stream, after the access guard; limits are set per request.
    await app.register(fastifyMultipart, { limits: { fileSize: Math.floor(maxUploadMb * 1024 * 1024), files: 1 } });
    const scriptSrc = versionedAsset('newsroom-media.js');

    async function renderLibrary(
      req: FastifyRequest,
      reply: FastifyReply,
      q: string,
      cursor: string | undefined,
      status = 200,
      error?: string,
    ) {
      const page = await listLibraryImages(deps, actorOf(req), { q, ...(cursor ? { cursor } : {}) });
      const props = {
        ...page,
        q,
        paged: Boolean(cursor),
        csrfToken: req.newsroomSession!.csrfToken,
        maxUploadMb,
        accept: ACCEPTED_IMAGE_TYPES,
        scriptSrc,
        ...(error ? { error } : {}),
      };
      return ctx.send(reply, mediaLibraryView(ctx.chrome(req, reply), props), status);
    }

    async function renderEdit(
      req: FastifyRequest,
      reply: FastifyReply,
      id: string,
      opts: { status?: number; error?: string; values?: ImageMetadataUpdate } = {},
    ) {
      const actor = actorOf(req);
      const { image, usage } = await getLibraryImage(deps, actor, id);
      const values = opts.values ?? {
        caption: image.caption,
        credit: image.credit,
        creator: image.creator,
        copyrightNotice: image.copyrightNotice,
        altText: image.altText,
      };
      const props = {
        image,
        usage,
        values,
        csrfToken: req.newsroomSession!.csrfToken,
        canDelete: roleAtLeast(actor.role, 'editor'),
        originalUrl: `/newsroom/media/${image.id}/original`,
        ...(opts.error ? { error: opts.error } : {}),
      };
      return ctx.send(reply, mediaEditView(ctx.chrome(req, reply), props), opts.status ?? 200);
    }

    app.get<ListQuery>('/media', { config: { access: 'contributor' } }, async (req, reply) => {
      try {
        return await renderLibrary(req, reply, str(req.query.q) ?? '', str(req.query.cursor) || undefined);
      } catch (err) {
        // A stale or edited page link: show the newest images with the reason.
        const { status, message } = formRefusalOrThrow(err, ['validation_failed']);
        return renderLibrary(req, reply, '', undefined, status, message);
      }
    });

    app.get<ListQuery>('/media.json', { config: { access: 'contributor' } }, async (req) => {
      const cursor = str(req.query.cursor);
      const page = await listLibraryImages(deps, actorOf(req), { q: str(req.query.q) ?? '', ...(cursor ? { cursor } : {}) });
      return { items: page.items.map((i) => pickerItem(deps.mediaStore, i)), next: page.next };
    });

    app.post('/media', { config: { access: 'contributor', csrf: 'multipart-field' } }, async (req, reply) => {
      const file = await readUploadedFile(req, maxUploadMb);
      const image = await uploadLibraryImage(deps, actorOf(req), file.data, { filename: file.filename, maxUploadMb });
      if (wantsJson(req)) return reply.code(201).send({ image: pickerItem(deps.mediaStore, image) });
      setFlash(reply, deps.config, 'image-uploaded');
      return reply.redirect(`/newsroom/media/${image.id}`, 303);
    });

    app.get<IdParams>('/media/:id', { config: { access: 'contributor' } }, async (req, reply) => renderEdit(req, reply, req.params.id));

    // Originals keep their embedded metadata (GPS too), so only the newsroom may fetch them.
    app.get<IdParams>('/media/:id/original', { config: { access: 'contributor' } }, async (req, reply) => {
      const original = await readOriginal(deps, actorOf(req), req.params.id);
      const asciiName = original.filename.replace(/[^A-Za-z0-9._-]/g, '_');
      return reply
        .type(original.mimeType)
        .header('content-disposition', `attachment; filename="${asciiName}"; filename*=UTF-8''${encodeURIComponent(original.filename)}`)
        .send(original.data);
    });

    app.post<IdParams>('/media/:id', { config: { access: 'contributor' } }, async (req, reply) => {
      const fields = formFields(req);
      const values = Object.fromEntries(METADATA_FIELDS.map((k) => [k, fields[k] ?? ''])) as ImageMetadataUpdate;
      try {
        await updateImageMetadata(deps, actorOf(req), req.params.id, values);
      } catch (err) {
        if (wantsJson(req)) throw err;
        const { status, message } = formRefusalOrThrow(err, ['validation_failed']);
        return renderEdit(req, reply, req.params.id, { status, error: message, values });
      }
      setFlash(reply, deps.config, 'image-saved');
      return reply.redirect(`/newsroom/media/${req.params.id}`, 303);
    });

    app.post<IdParams>('/media/:id/delete', { config: { access: 'editor' } }, async (req, reply) => {
      try {
        await deleteLibraryImage(deps, actorOf(req), req.params.id);
      } catch (err) {
        if (wantsJson(req)) throw err;
        const { status, message } = formRefusalOrThrow(err, ['conflict']);
        return renderEdit(req, reply, req.params.id, { status, error: message });
      }
      setFlash(reply, deps.config, 'image-deleted');
      return reply.redirect('/newsroom/media', 303);
    });

    app.setErrorHandler(async (err, req, reply) => {
      if (wantsJson(req)) {
        const { code, message, ...e } = publicErrorFor(req, err);
        return errorReply(reply, e).send({ error: { code, message } });
      }
      // A refused plain-form upload shows the library again, with the reason above the form.
      const { status, message } = toPublicError(err);
      if (req.method === 'POST' && req.routeOptions.url === '/newsroom/media' && status < 500 && status !== 403 && req.newsroomSession) {
        return renderLibrary(req, reply, '', undefined, status, message);
      }
      throw err; // the newsroom's error page
    });
  };
}
