import type { RateLimit, RateLimiter } from '../rate-limits/rate-limiter.ts';

/*
 * Login throttling, for newsroom users and readers alike: failed attempts are counted per
 * (email, IP) and per IP in fixed windows that start at the first failure. Over the limit,
 * further attempts are refused without checking the password until the window ends. The
 * counting is the shared rate limiter's (memory, or Redis with a fall-back to memory).
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
}

/**
 * A throttle counting in `limiter`. `scope` keeps the buckets of different sign-in forms
 * (newsroom, readers) apart when they share one limiter.
 */
export function createLoginThrottle(
  limiter: RateLimiter,
  limits: LoginThrottleLimits = DEFAULT_LOGIN_LIMITS,
  scope = 'login',
): LoginThrottle {
  const buckets = (key: LoginAttemptKey): Array<[string, RateLimit]> => [
    [`${scope}:acct:${key.email.trim().toLowerCase()}\0${key.ip}`, { max: limits.perAccount, windowMs: limits.windowMs }],
    [`${scope}:ip:${key.ip}`, { max: limits.perIp, windowMs: limits.windowMs }],
  ];
  const wait = async (key: LoginAttemptKey) => {
    let ms = 0;
    for (const [bucket, limit] of buckets(key)) {
      const d = await limiter.peek(bucket, limit);
      if (!d.ok) ms = Math.max(ms, d.retryAfterMs);
    }
    return ms;
  };
  return {
    retryAfterMs: wait,
    async recordFailure(key) {
      // The limiter stops counting at the limit; the decision (count ≥ limit until the window
      // ends) is the same as counting every failure.
      for (const [bucket, limit] of buckets(key)) await limiter.consume(bucket, limit);
      return wait(key);
    },
    async recordSuccess(key) {
      await limiter.reset(buckets(key)[0]![0]);
    },
  };
}
