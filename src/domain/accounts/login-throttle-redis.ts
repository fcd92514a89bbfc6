import { Redis } from 'ioredis';
import { bucketKeys, DEFAULT_LOGIN_LIMITS, type LoginAttemptKey, type LoginThrottle, type LoginThrottleLimits } from './login-throttle.ts';

// INCR and starting the window must be one step, or a crash between them leaves a
// counter that never expires. Returns the new count.
const INCREMENT_SCRIPT = `
local n = redis.call('INCR', KEYS[1])
if n == 1 or redis.call('PTTL', KEYS[1]) < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return n`;

export interface RedisLoginThrottleOptions {
  url: string;
  limits?: LoginThrottleLimits;
  /** Key prefix; tests use a private one. */
  prefix?: string;
  onError?: (err: Error) => void;
}

/** Throttle shared by every app node through Redis (MASTHEAD_REDIS_URL). */
export function createRedisLoginThrottle(options: RedisLoginThrottleOptions): LoginThrottle {
  const limits = options.limits ?? DEFAULT_LOGIN_LIMITS;
  const prefix = options.prefix ?? 'masthead:login-throttle:';
  const redis = new Redis(options.url, {
    lazyConnect: false,
    connectTimeout: 3000,
    // Fail a login attempt quickly instead of queueing it for a long outage.
    maxRetriesPerRequest: 2,
  });
  // Without a listener ioredis reports connection errors as unhandled.
  redis.on('error', (err: Error) => options.onError?.(err));

  const wait = async (key: LoginAttemptKey) => {
    const names = bucketKeys(key);
    const res = await redis
      .multi()
      .get(prefix + names.account)
      .pttl(prefix + names.account)
      .get(prefix + names.ip)
      .pttl(prefix + names.ip)
      .exec();
    if (!res) throw new Error('Redis transaction was aborted');
    for (const [err] of res) if (err) throw err;
    const [accountCount, accountTtl, ipCount, ipTtl] = res.map(([, v]) => (v === null ? 0 : Number(v)));
    let ms = 0;
    if (accountCount! >= limits.perAccount) ms = Math.max(ms, accountTtl!);
    if (ipCount! >= limits.perIp) ms = Math.max(ms, ipTtl!);
    return ms;
  };

  return {
    retryAfterMs: wait,
    async recordFailure(key) {
      const names = bucketKeys(key);
      for (const name of [names.account, names.ip]) await redis.eval(INCREMENT_SCRIPT, 1, prefix + name, String(limits.windowMs));
      return wait(key);
    },
    async recordSuccess(key) {
      await redis.del(prefix + bucketKeys(key).account);
    },
    async close() {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
