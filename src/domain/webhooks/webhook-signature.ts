import crypto from 'node:crypto';

/*
 * Deliveries are signed so receivers can tell them from forgeries and replays:
 *
 *   x-masthead-timestamp: <unix seconds>
 *   x-masthead-signature: sha256=<hex HMAC-SHA256(secret, `${timestamp}.${rawBody}`)>
 *
 * The timestamp is inside the signed string, so a captured delivery cannot be replayed
 * later with a fresh timestamp; receivers should also refuse timestamps more than a few
 * minutes old. README.md ("Webhooks") shows a receiver.
 */

export const SIGNATURE_PREFIX = 'sha256=';

/** A new signing secret (shown to the admin once). */
export function newWebhookSecret(): string {
  return `whsec_${crypto.randomBytes(32).toString('base64url')}`;
}

/** The `x-masthead-signature` value for a body sent at `timestamp` (unix seconds). */
export function signPayload(secret: string, timestamp: number, rawBody: string): string {
  return SIGNATURE_PREFIX + crypto.createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex');
}

/**
 * What a receiver does: recompute and compare in constant time, and refuse stale
 * timestamps (default tolerance five minutes).
 */
export function verifySignature(
  secret: string,
  headers: { timestamp: string | undefined; signature: string | undefined },
  rawBody: string,
  options: { now?: Date; toleranceSeconds?: number } = {},
): boolean {
  const ts = Number(headers.timestamp);
  if (!headers.signature || !Number.isInteger(ts)) return false;
  const now = Math.floor((options.now ?? new Date()).getTime() / 1000);
  if (Math.abs(now - ts) > (options.toleranceSeconds ?? 300)) return false;
  const expected = Buffer.from(signPayload(secret, ts, rawBody));
  const given = Buffer.from(headers.signature);
  return expected.length === given.length && crypto.timingSafeEqual(expected, given);
}
