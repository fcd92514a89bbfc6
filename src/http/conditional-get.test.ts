import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FastifyRequest } from 'fastify';
import { etagFor, isNotModified } from './conditional-get.ts';

const request = (headers: Record<string, string>) => ({ headers }) as unknown as FastifyRequest;
const etag = etagFor('body');
const modified = new Date('2026-12-01T10:00:00.500Z');

test('an ETag is strong, quoted and changes with the body', () => {
  assert.match(etag, /^"[A-Za-z0-9_-]{27}"$/);
  assert.notEqual(etagFor('other body'), etag);
});

test('If-None-Match compares weakly, accepts lists and *', () => {
  assert.equal(isNotModified(request({ 'if-none-match': etag }), etag, null), true);
  assert.equal(isNotModified(request({ 'if-none-match': `W/${etag}` }), etag, null), true);
  assert.equal(isNotModified(request({ 'if-none-match': `"x", ${etag}` }), etag, null), true);
  assert.equal(isNotModified(request({ 'if-none-match': '*' }), etag, null), true);
  assert.equal(isNotModified(request({ 'if-none-match': '"stale"' }), etag, null), false);
  assert.equal(isNotModified(request({}), etag, null), false);
});

test('If-None-Match wins over If-Modified-Since, which counts whole seconds', () => {
  const since = modified.toUTCString();
  assert.equal(isNotModified(request({ 'if-modified-since': since }), etag, modified), true);
  assert.equal(isNotModified(request({ 'if-modified-since': new Date('2026-12-01T09:59:59Z').toUTCString() }), etag, modified), false);
  assert.equal(isNotModified(request({ 'if-none-match': '"stale"', 'if-modified-since': since }), etag, modified), false);
  assert.equal(isNotModified(request({ 'if-modified-since': 'not a date' }), etag, modified), false);
  assert.equal(isNotModified(request({ 'if-modified-since': since }), etag, null), false);
});
