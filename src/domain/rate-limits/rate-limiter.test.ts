import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { after, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { createFallbackRateLimiter, createMemoryRateLimiter, type RateLimiter } from './rate-limiter.ts';
import { createRedisRateLimiter } from './rate-limiter-redis.ts';

const REDIS_URL = process.env.MASTHEAD_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

async function redisSkip(): Promise<string | false> {
  const probe = new Redis(REDIS_URL, { lazyConnect: true, connectTimeout: 1500, maxRetriesPerRequest: 0, retryStrategy: () => null });
  probe.on('error', () => {});
  try {
    await probe.connect();
    await probe.ping();
    return false;
  } catch (err) {
    const reason = `Redis not reachable at ${REDIS_URL} (${(err as Error).message})`;
    if (process.env.CI === 'true') throw new Error(`${reason}; CI must test the Redis limiter`);
    return reason;
  } finally {
    probe.disconnect();
  }
}

const limit = { max: 3, windowMs: 60_000 };

async function exercise(l: RateLimiter, bucket: string): Promise<void> {
  for (let i = 0; i < 3; i++) assert.deepEqual(await l.consume(bucket, limit), { ok: true });
  const refused = await l.consume(bucket, limit);
  assert.equal(refused.ok, false);
  assert.ok(!refused.ok && refused.retryAfterMs > 0 && refused.retryAfterMs <= 60_000);
  assert.equal((await l.peek(bucket, limit)).ok, false);
  assert.deepEqual(await l.consume(`${bucket}:other`, limit), { ok: true }, 'buckets are independent');
}

describe('rate limiter', () => {
  it('memory: allows max per window, then refuses until the window ends', async () => {
    let now = 1_000_000;
    const l = createMemoryRateLimiter(() => now);
    await exercise(l, 'a');
    now += 60_001;
    assert.deepEqual(await l.consume('a', limit), { ok: true }, 'a new window starts');
  });

  it('falls back to the local limiter when the shared one fails', async () => {
    const broken: RateLimiter = {
      consume: async () => {
        throw new Error('down');
      },
      peek: async () => {
        throw new Error('down');
      },
      reset: async () => {
        throw new Error('down');
      },
      close: async () => {},
    };
    const errors: unknown[] = [];
    const l = createFallbackRateLimiter(broken, createMemoryRateLimiter(), (e) => errors.push(e));
    await exercise(l, 'b');
    assert.ok(errors.length > 0);
  });

  describe('redis', async () => {
    const skip = await redisSkip();
    const prefix = `masthead-test:${crypto.randomBytes(6).toString('hex')}:`;
    const limiters: RateLimiter[] = [];
    after(async () => {
      if (skip) return;
      const r = new Redis(REDIS_URL);
      const keys = await r.keys(`${prefix}*`);
      if (keys.length) await r.del(...keys);
      await r.quit();
      await Promise.all(limiters.map((l) => l.close()));
    });

    it('two app nodes share one count through Redis', { skip }, async () => {
      const a = createRedisRateLimiter({ url: REDIS_URL, prefix });
      const b = createRedisRateLimiter({ url: REDIS_URL, prefix });
      limiters.push(a, b);
      assert.deepEqual(await a.consume('shared', limit), { ok: true });
      assert.deepEqual(await b.consume('shared', limit), { ok: true });
      assert.deepEqual(await a.consume('shared', limit), { ok: true });
      assert.equal((await b.consume('shared', limit)).ok, false, 'the fourth event on another node is refused');
      await exercise(a, 'own');
    });
  });
});
