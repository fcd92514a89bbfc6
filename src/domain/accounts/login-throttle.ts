import crypto from 'node:crypto';
import { preferShared } from '../shared-store-fallback.ts';

/*
 * Login throttling: failed attempts are counted per (email, IP) and per IP in fixed
 * windows that start at the first failure. Over the limit, further attempts are refused
 * without checking the password until the window ends. Two implementations share this
 * interface: in memory (one app node) and Redis (several nodes that must agree).
 */

export interface LoginThrottleLimits {
  /** Failures allowed for one email from one IP address per window. */
  perAccount: number;
  /** Failures allowed from one IP address per window, across all emails. */
  perIp: number;
  windowMs: number;
}

/** 5 tries for one account, 20 for a whole office behind one address, per 15 minutes. */
export const DEFAULT_LOGIN_LIMITS: Readonly<LoginThrottleLimits> = Object.freeze({ perAccount: 5, perIp: 20, windowMs: 15 * 60 * 1000 });

export interface LoginAttemptKey {
  email: string;
  ip: string;
}

export interface LoginThrottle {
  /** Milliseconds until attempts are allowed again; 0 when an attempt may go ahead. */
  retryAfterMs(key: LoginAttemptKey): Promise<number>;
  /** Counts a failed attempt; returns the wait now in force (0 if still under the limits). */
  recordFailure(key: LoginAttemptKey): Promise<number>;
  /** A successful login clears the (email, IP) count; the per-IP count stands. */
  recordSuccess(key: LoginAttemptKey): Promise<void>;
  close(): Promise<void>;
}

/** Bucket names carry no readable email or address (hashes), so Redis dumps leak nothing. */
export function bucketKeys(key: LoginAttemptKey): { account: string; ip: string } {
  const h = (s: string) => crypto.createHash('sha256').update(s).digest('base64url').slice(0, 32);
  return { account: `acct:${h(`${key.email.trim().toLowerCase()}\0${key.ip}`)}`, ip: `ip:${h(key.ip)}` };
}

/** Whole minutes to tell a person ("try again in 12 minutes"), at least 1. */
export function minutesToWait(ms: number): number {
  return Math.max(1, Math.ceil(ms / 60_000));
}

/** In-process throttle for a single app node (the default without Redis). */
export function createMemoryLoginThrottle(limits: LoginThrottleLimits = DEFAULT_LOGIN_LIMITS, clock: () => number = Date.now): LoginThrottle {
  const buckets = new Map<string, { count: number; resetAt: number }>();
  const live = (name: string, now: number) => {
    const b = buckets.get(name);
    if (b && b.resetAt <= now) {
      buckets.delete(name);
      return undefined;
    }
    return b;
  };
  const wait = (key: LoginAttemptKey, now: number) => {
    const names = bucketKeys(key);
    let ms = 0;
    const a = live(names.account, now);
    if (a && a.count >= limits.perAccount) ms = Math.max(ms, a.resetAt - now);
    const i = live(names.ip, now);
    if (i && i.count >= limits.perIp) ms = Math.max(ms, i.resetAt - now);
    return ms;
  };
  const sweep = (now: number) => {
    // Bounded memory under a spray of addresses: drop finished windows now and then.
    if (buckets.size < 10_000) return;
    for (const [name, b] of buckets) if (b.resetAt <= now) buckets.delete(name);
  };
  return {
    async retryAfterMs(key) {
      return wait(key, clock());
    },
    async recordFailure(key) {
      const now = clock();
      sweep(now);
      for (const name of Object.values(bucketKeys(key))) {
        const b = live(name, now);
        if (b) b.count += 1;
        else buckets.set(name, { count: 1, resetAt: now + limits.windowMs });
      }
      return wait(key, now);
    },
    async recordSuccess(key) {
      buckets.delete(bucketKeys(key).account);
    },
    async close() {
      buckets.clear();
    },
  };
}

/**
 * Uses `shared` (Redis) while it answers and `local` while it does not, so an outage of
 * the shared store degrades limits to per-node instead of locking every editor out (or
 * failing sign-in with a server error).
 */
export function createFallbackLoginThrottle(shared: LoginThrottle, local: LoginThrottle, onError: (err: unknown) => void): LoginThrottle {
  const attempt = preferShared(shared, local, onError);
  return {
    retryAfterMs: (key) => attempt((t) => t.retryAfterMs(key)),
    recordFailure: (key) => attempt((t) => t.recordFailure(key)),
    recordSuccess: (key) => attempt((t) => t.recordSuccess(key)),
    async close() {
      await Promise.allSettled([shared.close(), local.close()]);
    },
  };
}
