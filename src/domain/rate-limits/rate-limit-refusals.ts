import type { RateLimiter } from './rate-limiter.ts';

/*
 * Refusals seen by operators (the metrics' `masthead_rate_limit_refusals_total`). Counted here,
 * around the one limiter, so every limit (sign-ins, comments, reports, sign-ups, the APIs) is
 * counted without each caller remembering to.
 */

/**
 * A bucket's limit name: its first segment (`login:ip:…` → `login`, `comment:reader:…` →
 * `comment`). Bucket names start with a fixed word chosen in code, so the metric's label
 * values stay few whatever addresses and ids follow.
 */
export function limitName(bucket: string): string {
  const name = bucket.slice(0, bucket.indexOf(':') >>> 0);
  return /^[a-z][a-z0-9-]{0,31}$/.test(name) ? name : 'other';
}

/**
 * `limiter`, telling `onRefused` the limit's name each time a check refuses (a `consume` over
 * the limit, or a `peek` that finds it reached: a throttled sign-in is refused by a peek).
 */
export function countingRefusals(limiter: RateLimiter, onRefused: (limit: string) => void): RateLimiter {
  return {
    async consume(bucket, limit) {
      const d = await limiter.consume(bucket, limit);
      if (!d.ok) onRefused(limitName(bucket));
      return d;
    },
    async peek(bucket, limit) {
      const d = await limiter.peek(bucket, limit);
      if (!d.ok) onRefused(limitName(bucket));
      return d;
    },
    reset: (bucket) => limiter.reset(bucket),
    close: () => limiter.close(),
  };
}
