import crypto from 'node:crypto';
import { Redis } from 'ioredis';
import type { RateLimiter } from './rate-limiter.ts';

// Counting and starting the window are one step (a crash between INCR and PEXPIRE would
// leave a counter that never expires). Over the limit the count is not raised further.
// Returns {allowed 0|1, ttl ms}.
const CONSUME_SCRIPT = `
local n = tonumber(redis.call('GET', KEYS[1]) or '0')
if n >= tonumber(ARGV[2]) then return {0, redis.call('PTTL', KEYS[1])} end
n = redis.call('INCR', KEYS[1])
if n == 1 or redis.call('PTTL', KEYS[1]) < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return {1, redis.call('PTTL', KEYS[1])}`;

export interface RedisRateLimiterOptions {
  url: string;
  /** Key prefix; tests use a private one. */
  prefix?: string;
  onError?: (err: Error) => void;
}

/** Bucket names are hashed so a Redis dump shows no addresses or ids. */
function keyFor(prefix: string, bucket: string): string {
  return prefix + crypto.createHash('sha256').update(bucket).digest('base64url').slice(0, 32);
}

/** A limiter shared by every app node through Redis (MASTHEAD_REDIS_URL). */
export function createRedisRateLimiter(options: RedisRateLimiterOptions): RateLimiter {
  const prefix = options.prefix ?? 'masthead:rate:';
  const redis = new Redis(options.url, { connectTimeout: 3000, maxRetriesPerRequest: 2 });
  // Without a listener ioredis reports connection errors as unhandled.
  redis.on('error', (err: Error) => options.onError?.(err));
  return {
    async consume(bucket, limit) {
      const [allowed, ttl] = (await redis.eval(CONSUME_SCRIPT, 1, keyFor(prefix, bucket), String(limit.windowMs), String(limit.max))) as [
        number,
        number,
      ];
      return allowed === 1 ? { ok: true } : { ok: false, retryAfterMs: Math.max(ttl, 1) };
    },
    async peek(bucket, limit) {
      const key = keyFor(prefix, bucket);
      const res = await redis.multi().get(key).pttl(key).exec();
      if (!res) throw new Error('Redis transaction was aborted');
      for (const [err] of res) if (err) throw err;
      const count = Number(res[0]![1] ?? 0);
      const ttl = Number(res[1]![1]);
      return count >= limit.max ? { ok: false, retryAfterMs: Math.max(ttl, 1) } : { ok: true };
    },
    async reset(bucket) {
      await redis.del(keyFor(prefix, bucket));
    },
    async close() {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
