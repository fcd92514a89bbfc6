import type { FastifyRequest } from 'fastify';
import type { Multipart } from '@fastify/multipart';
import { DomainError, ForbiddenError, PayloadTooLargeError, ValidationError } from '../domain/errors.ts';
import { tooLargeMessage } from '../domain/media/image-ingest.ts';
import { CSRF_FIELD } from '../http/form-security.ts';
import { verifyMultipartCsrf } from './newsroom-auth.ts';

/** The `accept` list of the upload input: what ingest can read. */
export const ACCEPTED_IMAGE_TYPES = 'image/jpeg,image/png,image/webp,image/avif';

export const UPLOAD_FIELD = 'file';

const UNTRUSTED = 'This upload form has expired or did not come from this site. Reload the page and try again.';
const NO_FILE = 'Choose a photo to upload (JPEG, PNG, WebP or AVIF).';

/**
 * Reads one uploaded file from a multipart request, holding at most `maxUploadMb` in memory.
 * The session's CSRF token must arrive before the file: in the `x-csrf-token` header (our
 * script) or as the first field (the plain form puts its hidden `_csrf` input first, and
 * browsers send fields in document order). A file met before a valid token is discarded
 * unread and the request refused, so a forged form never gets a file stored or decoded.
 */
export async function readUploadedFile(req: FastifyRequest, maxUploadMb: number): Promise<{ data: Buffer; filename: string }> {
  const maxBytes = Math.floor(maxUploadMb * 1024 * 1024);
  let trusted = verifyMultipartCsrf(req, undefined);
  let upload: { data: Buffer; filename: string } | undefined;
  try {
    const parts = req.parts({ limits: { fileSize: maxBytes, files: 1, fields: 5, parts: 6, fieldSize: 1024, fieldNameSize: 64 } });
    for await (const part of parts as AsyncIterableIterator<Multipart>) {
      if (part.type === 'field') {
        if (!trusted && part.fieldname === CSRF_FIELD) trusted = verifyMultipartCsrf(req, String(part.value));
        if (!trusted) throw new ForbiddenError(UNTRUSTED);
        continue;
      }
      if (!trusted) {
        part.file.resume(); // discard, so the request still ends cleanly
        throw new ForbiddenError(UNTRUSTED);
      }
      if (part.fieldname !== UPLOAD_FIELD || upload) {
        part.file.resume();
        continue;
      }
      const data = await part.toBuffer();
      // A form submitted without choosing a file still sends an empty, nameless part.
      if (data.length || part.filename) upload = { data, filename: part.filename ?? '' };
    }
  } catch (err) {
    throw translateMultipartError(err, maxUploadMb);
  }
  if (!trusted) throw new ForbiddenError(UNTRUSTED);
  if (!upload || (!upload.data.length && !upload.filename)) throw new ValidationError(NO_FILE, [{ path: UPLOAD_FIELD, message: NO_FILE }]);
  return upload;
}

/** The multipart plugin's terse errors ("reach files limit") as messages a person understands. */
function translateMultipartError(err: unknown, maxUploadMb: number): unknown {
  if (err instanceof DomainError) return err;
  const code = (err as { code?: unknown }).code;
  switch (code) {
    case 'FST_REQ_FILE_TOO_LARGE':
      return new PayloadTooLargeError(tooLargeMessage(maxUploadMb));
    case 'FST_FILES_LIMIT':
      return new ValidationError(
        'Upload one photo at a time with this form (drag several onto the page to upload them one after another).',
      );
    case 'FST_PARTS_LIMIT':
    case 'FST_FIELDS_LIMIT':
    case 'FST_PROTO_VIOLATION':
    case 'FST_INVALID_JSON_FIELD_ERROR':
      return new ValidationError('This upload has unexpected fields. Use the upload form on the media page.');
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
      return new ValidationError('Send the photo as a file upload (multipart/form-data).');
    case 'FST_MP_PREMATURE_CLOSE':
      return new ValidationError('The upload was interrupted before the whole file arrived. Try again.');
    default:
      // busboy's own parse errors ("Unexpected end of form", "Malformed part header").
      if (err instanceof Error && !(err as { statusCode?: number }).statusCode && /multipart|form|part|boundary/i.test(err.message)) {
        return new ValidationError('The upload arrived incomplete or malformed. Try again.');
      }
      return err;
  }
}
