import type { MultipartFile } from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Deps } from '../deps.ts';
import { recordApiWrite } from '../domain/api-tokens/api-token-service.ts';
import { ValidationError } from '../domain/errors.ts';
import { ingestImage, type ImageMetadataInput } from '../domain/media/image-ingest.ts';
import { imageJsonSchema, one } from './api-json.ts';
import { presentImage } from './api-presenters.ts';
import { parsePart, type ApiRouter } from './api-route.ts';

/** Raw image types accepted as the whole request body (ingest checks the bytes again). */
export const IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'image/avif'];

/** Credits and alt text given with an upload; left out, they come from the photo's own metadata. */
export const imageMetadataSchema = z.strictObject({
  altText: z.string().max(1000).optional().meta({ description: 'Text alternative; default: from the photo (XMP/IPTC)' }),
  caption: z.string().max(2000).optional(),
  credit: z.string().max(300).optional(),
  copyrightNotice: z.string().max(300).optional(),
  creator: z.string().max(300).optional(),
});

/** The file and metadata fields of a multipart upload (one file, fields in any order). */
async function readMultipart(req: FastifyRequest): Promise<{ data: Buffer; fields: Record<string, string> }> {
  const fields: Record<string, string> = {};
  let data: Buffer | undefined;
  for await (const part of req.parts()) {
    if (part.type === 'file') {
      const file = part as MultipartFile;
      if (data !== undefined)
        throw new ValidationError('Send one image per request.', [{ path: 'body.file', message: 'more than one file' }]);
      data = await file.toBuffer();
    } else if (typeof part.value === 'string') {
      fields[part.fieldname] = part.value;
    }
  }
  if (!data)
    throw new ValidationError('The form has no file: send the image in a field named "file".', [{ path: 'body.file', message: 'missing' }]);
  return { data, fields };
}

export function registerAdminImageRoutes(router: ApiRouter, deps: Deps): void {
  const maxMb = deps.config.maxUploadMb;

  router.route({
    method: 'POST',
    url: '/v1/admin/images',
    operationId: 'adminUploadImage',
    summary: 'Upload a photo',
    description:
      `Send the image itself as the body (Content-Type image/jpeg, png, webp or avif; metadata as query parameters) or as multipart/form-data ` +
      `(field "file", metadata as fields). Caption, credit, creator, copyright and alt text not given are read from the photo's XMP/IPTC/EXIF. ` +
      `At most ${maxMb} MB (MASTHEAD_MAX_UPLOAD_MB).`,
    tags: ['admin'],
    auth: 'admin',
    query: imageMetadataSchema,
    body: {
      contentTypes: [...IMAGE_TYPES, 'multipart/form-data'],
      binaryDescription: `A JPEG, PNG, WebP or AVIF photo, at most ${maxMb} MB`,
    },
    responses: {
      201: {
        description: 'The stored image with its renditions',
        schema: one(imageJsonSchema),
        headers: { location: 'The image’s Content API URL' },
      },
      413: { description: `Larger than ${maxMb} MB` },
    },
    async handler({ req, reply, query, principal }) {
      let data: Buffer;
      let meta: ImageMetadataInput = query;
      if (req.isMultipart()) {
        const upload = await readMultipart(req);
        data = upload.data;
        meta = { ...query, ...parsePart('body', imageMetadataSchema, upload.fields) };
      } else {
        data = req.body as Buffer;
      }
      const now = deps.clock();
      // The audit entry goes in the transaction that inserts the image's row.
      const image = await ingestImage({ db: deps.db, mediaStore: deps.mediaStore, now }, data, meta, {
        maxUploadMb: maxMb,
        afterInsert: (trx, img) =>
          recordApiWrite(trx, now, principal!, {
            action: 'image.uploaded',
            subjectType: 'image',
            subjectId: img.id,
            details: { bytes: data.length },
          }),
      });
      reply.code(201).header('location', `/api/v1/images/${image.id}`).header('cache-control', 'no-store');
      return { data: presentImage(deps.config.siteUrl, image) };
    },
  });
}
