/*
 * The one fixed-window rate limiter behind every abuse defence: comments per reader and per
 * IP, sign-ups, reports, and login throttling (login-throttle.ts). Two stores share the
 * interface: memory (one app node) and Redis (several nodes agree, rate-limiter-redis.ts);
 * `createFallbackRateLimiter` keeps limits working per node while Redis is down instead of
 * failing requests.
 */

export interface RateLimit {
  /** Events allowed per window. */
  max: number;
  windowMs: number;
}

export type RateDecision = { ok: true } | { ok: false; retryAfterMs: number };

export interface RateLimiter {
  /**
   * Counts one event in `bucket`; refuses (without counting further) once over `limit`. The
   * window starts at the bucket's first event.
   */
  consume(bucket: string, limit: RateLimit): Promise<RateDecision>;
  /** Whether an event would be refused now, without counting one. */
  peek(bucket: string, limit: RateLimit): Promise<RateDecision>;
  /** Forgets the bucket's count (a successful sign-in clears its failures). */
  reset(bucket: string): Promise<void>;
  close(): Promise<void>;
}

/** In-process limiter for a single app node (the default without Redis). */
export function createMemoryRateLimiter(clock: () => number = Date.now): RateLimiter {
  const buckets = new Map<string, { count: number; resetAt: number }>();
  const live = (name: string, now: number) => {
    const b = buckets.get(name);
    if (b && b.resetAt <= now) {
      buckets.delete(name);
      return undefined;
    }
    return b;
  };
  return {
    async consume(bucket, limit) {
      const now = clock();
      // Bounded memory under a spray of addresses: drop finished windows now and then.
      if (buckets.size >= 10_000) for (const [k, b] of buckets) if (b.resetAt <= now) buckets.delete(k);
      const b = live(bucket, now);
      if (!b) {
        buckets.set(bucket, { count: 1, resetAt: now + limit.windowMs });
        return limit.max >= 1 ? { ok: true } : { ok: false, retryAfterMs: limit.windowMs };
      }
      if (b.count >= limit.max) return { ok: false, retryAfterMs: b.resetAt - now };
      b.count += 1;
      return { ok: true };
    },
    async peek(bucket, limit) {
      const now = clock();
      const b = live(bucket, now);
      return b && b.count >= limit.max ? { ok: false, retryAfterMs: b.resetAt - now } : { ok: true };
    },
    async reset(bucket) {
      buckets.delete(bucket);
    },
    async close() {
      buckets.clear();
    },
  };
}

/**
 * Uses `shared` (Redis) while it answers and `local` while it does not, so an outage of the
 * shared store degrades limits to per-node instead of locking everyone out or failing the
 * request with a server error. `onError` hears of every fallback.
 */
export function createFallbackRateLimiter(shared: RateLimiter, local: RateLimiter, onError: (err: unknown) => void): RateLimiter {
  const attempt = async <T>(fn: (l: RateLimiter) => Promise<T>): Promise<T> => {
    try {
      return await fn(shared);
    } catch (err) {
      onError(err);
      return fn(local);
    }
  };
  return {
    consume: (bucket, limit) => attempt((l) => l.consume(bucket, limit)),
    peek: (bucket, limit) => attempt((l) => l.peek(bucket, limit)),
    reset: (bucket) => attempt((l) => l.reset(bucket)),
    async close() {
      await Promise.allSettled([shared.close(), local.close()]);
    },
  };
}

/** Whole minutes to tell a person ("try again in 12 minutes"), at least 1. */
export function minutesToWait(ms: number): number {
  return Math.max(1, Math.ceil(ms / 60_000));
}

/** The refusal shown on sign-in and sign-up forms. */
export function tooManyAttemptsMessage(waitMs: number): string {
  const n = minutesToWait(waitMs);
  return `Too many attempts, try again in ${n} minute${n === 1 ? '' : 's'}.`;
}
