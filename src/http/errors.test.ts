import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestDatabase, testDialects, type TestDatabase } from '../../test/support/test-db.ts';
import Fastify, { type FastifyRequest } from 'fastify';
import {
  EditConflictError,
  ERROR_CODES,
  ForbiddenError,
  NotFoundError,
  PayloadTooLargeError,
  RateLimitedError,
  UnauthorizedError,
  UnsupportedMediaTypeError,
  ValidationError,
  type DomainError,
  type ErrorCode,
} from '../domain/errors.ts';
import { DatabaseUnavailableError } from '../db/database.ts';
import { isUniqueViolation } from '../db/constraint-violations.ts';
import { formRefusalOrThrow, htmlErrorHandler, publicErrorFor, STATUS_BY_CODE, toPublicError } from './errors.ts';

/*
 * Two people saving the same slug at the same instant get past the services' own checks and
 * hit the unique index: that must be a 409 with our words, not a 500 or the database's text.
 * The errors here are real ones from each database driver.
 */

for (const { dialect, skip } of await testDialects()) {
  describe(`${dialect}: error mapping`, { skip }, () => {
    let db: TestDatabase;
    before(async () => {
      db = await createTestDatabase(dialect);
    });
    after(() => db?.destroy());

    it('maps a unique-index violation to 409 with a message that names no table or value', async () => {
      const row = {
        id: '00000000-0000-7000-8000-00000000000a',
        slug: 'world',
        name: 'World',
        description: '',
        position: 1,
        created_at: '2026-11-25T00:00:00.000Z',
      };
      await db.handle.db.insertInto('sections').values(row).execute();
      const err = await db.handle.db
        .insertInto('sections')
        .values({ ...row, id: '00000000-0000-7000-8000-00000000000b' })
        .execute()
        .then(
          () => null,
          (e: unknown) => e,
        );
      assert.ok(err, 'the duplicate slug was refused by the database');
      assert.equal(isUniqueViolation(err), true);
      assert.equal(toPublicError(err).status, 409);
      const message = toPublicError(err).message;
      assert.match(message, /Reload the page and try again/);
      assert.doesNotMatch(message, /sections|slug|constraint|world/i);
    });
  });
}

describe('error mapping without a database', () => {
  it('keeps domain errors, hides unknown ones', () => {
    assert.equal(toPublicError(new NotFoundError('No such story.')).status, 404);
    assert.equal(toPublicError(new Error('boom')).status, 500);
    assert.equal(toPublicError(new Error('SELECT * FROM secrets')).message, 'Something went wrong on our side. Please try again.');
    assert.equal(isUniqueViolation(null), false);
    assert.equal(isUniqueViolation({ code: 'SQLITE_CONSTRAINT_FOREIGNKEY' }), false);
  });
});

/** One instance of every code's class: a Record, so a new ErrorCode fails to compile here until it has one. */
const SAMPLES: Record<ErrorCode, DomainError> = {
  not_found: new NotFoundError('No such story.'),
  validation_failed: new ValidationError('headline: required', [{ path: 'headline', message: 'required' }]),
  conflict: new EditConflictError('Someone saved first.', 'copy-1', 7),
  forbidden: new ForbiddenError(),
  unauthorized: new UnauthorizedError('Send a token.', true),
  rate_limited: new RateLimitedError('Please wait.', 1500),
  payload_too_large: new PayloadTooLargeError('Too big.'),
  unsupported_media_type: new UnsupportedMediaTypeError('Not an image.'),
};

/** A request whose logger records what it is asked to log. */
function loggingRequest() {
  const logged: Array<{ obj: unknown; msg: string }> = [];
  const req = { log: { error: (obj: unknown, msg: string) => logged.push({ obj, msg }) } } as unknown as FastifyRequest;
  return { req, logged };
}

describe('one mapping from errors to responses', () => {
  it('gives every ErrorCode a 4xx status, and each error class its own code and message', () => {
    for (const code of ERROR_CODES) {
      const err = SAMPLES[code];
      assert.equal(err.code, code);
      const e = toPublicError(err);
      assert.equal(e.status, STATUS_BY_CODE[code]);
      assert.ok(e.status >= 400 && e.status < 500, `${code} → ${e.status}`);
      assert.equal(e.code, code);
      assert.equal(e.message, err.message);
    }
    assert.equal(toPublicError(SAMPLES.rate_limited).retryAfter, 2);
  });

  it('turns an unknown error into a generic 500, logged with the error itself', () => {
    const { req, logged } = loggingRequest();
    const cause = new Error('relation "articles" does not exist', { cause: new Error('socket closed') });
    assert.deepEqual(publicErrorFor(req, cause), {
      status: 500,
      code: 'internal_error',
      message: 'Something went wrong on our side. Please try again.',
    });
    assert.equal(logged.length, 1);
    assert.equal((logged[0]!.obj as { err: unknown }).err, cause);
    // Refusals are not server faults: nothing logged.
    publicErrorFor(req, SAMPLES.forbidden);
    assert.equal(logged.length, 1);
  });

  it('turns an unreachable database into a 503 in our words, by the drivers’ codes, never their text', () => {
    const samples = [
      new DatabaseUnavailableError('Cannot connect to PostgreSQL at postgres://db:5432/news: ECONNREFUSED'),
      Object.assign(new Error('database "news" does not exist'), { code: '3D000' }),
      Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }),
      Object.assign(new Error('connection failure'), { code: '08006' }),
      Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR_SHORT_READ' }),
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
    ];
    for (const err of samples) {
      const e = toPublicError(err);
      assert.equal(e.status, 503, err.message);
      assert.equal(e.code, 'service_unavailable');
      assert.ok(e.retryAfter! > 0);
      assert.doesNotMatch(e.message, /postgres|news|ECONN|I\/O|administrator/);
    }
    assert.match(toPublicError(new DatabaseUnavailableError('/srv/site.sqlite moved', { detached: true })).message, /Nothing was saved/);
    // A query's own mistake is not an outage.
    assert.equal(toPublicError(Object.assign(new Error('syntax error'), { code: '42601' })).status, 500);
  });

  it('keeps Fastify’s 4xx (named by status), and survives a thrown non-error', () => {
    const tooLarge = Object.assign(new Error('Request body is too large'), { statusCode: 413 });
    assert.deepEqual(toPublicError(tooLarge), { status: 413, code: 'payload_too_large', message: 'Request body is too large' });
    assert.equal(toPublicError(Object.assign(new Error('I am a teapot'), { statusCode: 418 })).code, 'bad_request');
    // `throw null` used to crash the old status lookup (it read `null.statusCode`).
    assert.equal(toPublicError(null).status, 500);
    assert.equal(toPublicError('a string').status, 500);
  });

  it('hands a form only the refusals it can show again, rethrowing the rest', () => {
    assert.deepEqual(formRefusalOrThrow(SAMPLES.conflict, ['validation_failed', 'conflict']), {
      status: 409,
      code: 'conflict',
      message: 'Someone saved first.',
    });
    assert.throws(
      () => formRefusalOrThrow(SAMPLES.forbidden, ['validation_failed', 'conflict']),
      (e) => e === SAMPLES.forbidden,
    );
    const unknown = new Error('boom');
    assert.throws(
      () => formRefusalOrThrow(unknown, ERROR_CODES),
      (e) => e === unknown,
    );
    // A validation failure with a more specific code is not a plain validation failure.
    assert.throws(() => formRefusalOrThrow(SAMPLES.payload_too_large, ['validation_failed']));
  });

  it('renders an HTML area’s page through the mapping, with plain text when the page itself fails', async () => {
    const app = Fastify({ logger: false });
    let pageFails = false;
    app.setErrorHandler(
      htmlErrorHandler((_req, _reply, e) => {
        if (pageFails) throw new Error('no chrome: the database is down');
        return `<h1>${e.status}</h1><p>${e.message}</p>`;
      }),
    );
    app.get('/boom', async () => {
      throw new Error('SELECT secret FROM vault');
    });
    app.get('/slow', async () => {
      throw SAMPLES.rate_limited;
    });
    const boom = await app.inject('/boom');
    assert.equal(boom.statusCode, 500);
    assert.match(String(boom.headers['content-type']), /^text\/html/);
    assert.equal(boom.headers['cache-control'], 'no-store');
    assert.match(boom.body, /Something went wrong on our side/);
    assert.doesNotMatch(boom.body, /secret|vault/);
    const slow = await app.inject('/slow');
    assert.equal(slow.statusCode, 429);
    assert.equal(slow.headers['retry-after'], '2');
    pageFails = true;
    const plain = await app.inject('/slow');
    assert.equal(plain.statusCode, 429);
    assert.match(String(plain.headers['content-type']), /^text\/plain/);
    // The request id goes along, so the report can still be found in the logs.
    assert.match(plain.body, /^Please wait\.\nReference: req-\d+$/);
    await app.close();
  });
});
