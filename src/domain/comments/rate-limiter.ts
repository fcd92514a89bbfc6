import { preferShared } from '../shared-store-fallback.ts';
/*
 * A small fixed-window rate limiter for abuse defences (comments per reader and per IP,
 * sign-ups, reports). Two stores share the interface: memory (one app node) and Redis
 * (several nodes agree); `createFallbackRateLimiter` keeps limits working per node while
 * Redis is down instead of failing requests.
 */

export interface RateLimit {
  /** Events allowed per window. */
  max: number;
  windowMs: number;
}

export type RateDecision = { ok: true } | { ok: false; retryAfterMs: number };

export interface RateLimiter {
  /** Counts one event in `bucket`; refuses (without counting further) once over `limit`. */
  consume(bucket: string, limit: RateLimit): Promise<RateDecision>;
  /** Whether an event would be refused now, without counting one. */
  peek(bucket: string, limit: RateLimit): Promise<RateDecision>;
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
    async close() {
      buckets.clear();
    },
  };
}

/** Uses `shared` while it answers and `local` while it does not. */
export function createFallbackRateLimiter(shared: RateLimiter, local: RateLimiter, onError: (err: unknown) => void): RateLimiter {
  const attempt = preferShared(shared, local, onError);
  return {
    consume: (bucket, limit) => attempt((l) => l.consume(bucket, limit)),
    peek: (bucket, limit) => attempt((l) => l.peek(bucket, limit)),
    async close() {
      await Promise.allSettled([shared.close(), local.close()]);
    },
  };
}

/** Whole minutes to tell a person, at least 1. */
export function minutesToWait(ms: number): number {
  return Math.max(1, Math.ceil(ms / 60_000));
}
