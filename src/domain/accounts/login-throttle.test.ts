import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createFallbackRateLimiter, createMemoryRateLimiter, minutesToWait, type RateLimiter } from '../rate-limits/rate-limiter.ts';
import { createRedisRateLimiter } from '../rate-limits/rate-limiter-redis.ts';
import { createLoginThrottle, type LoginThrottle, type LoginThrottleLimits } from './login-throttle.ts';

const REDIS_URL = process.env.MASTHEAD_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const LIMITS: LoginThrottleLimits = { perAccount: 3, perIp: 5, windowMs: 60_000 };

async function redisSkipReason(): Promise<string | false> {
  const { hostname, port } = new URL(REDIS_URL);
  const reachable = await new Promise<boolean>((resolve) => {
    const socket = net.connect({ host: hostname, port: Number(port || 6379) });
    socket.setTimeout(2000);
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
    socket.once('error', () => resolve(false));
  });
  if (reachable) return false;
  const reason = `Redis not reachable at ${REDIS_URL}`;
  if (process.env.CI === 'true') throw new Error(`${reason}; CI must test the Redis limiter`);
  return reason;
}

/** The behaviour both stores share. */
function sharedBehaviour(makeLimiter: () => RateLimiter): void {
  let limiter: RateLimiter;
  let t: LoginThrottle;
  before(() => {
    limiter = makeLimiter();
    t = createLoginThrottle(limiter, LIMITS);
  });
  after(() => limiter?.close());
  const key = (email: string, ip = '192.0.2.1') => ({ email, ip });

  it('allows attempts under the per-account limit and blocks at it, for that email and address only', async () => {
    const k = key('a@example.test');
    assert.equal(await t.retryAfterMs(k), 0);
    assert.equal(await t.recordFailure(k), 0);
    assert.equal(await t.recordFailure(k), 0);
    const wait = await t.recordFailure(k);
    assert.ok(wait > 55_000 && wait <= 60_000, `wait ${wait}`);
    assert.ok((await t.retryAfterMs(k)) > 0);
    assert.ok((await t.retryAfterMs(key('A@Example.test'))) > 0, 'email case does not matter');
    assert.equal(await t.retryAfterMs(key('a@example.test', '192.0.2.99')), 0, 'another address may still try');
  });

  it('blocks a whole address after the per-IP limit across emails', async () => {
    const ip = '192.0.2.2';
    for (let i = 0; i < 4; i++) assert.equal(await t.recordFailure(key(`user${i}@example.test`, ip)), 0);
    assert.ok((await t.recordFailure(key('user4@example.test', ip))) > 0);
    assert.ok((await t.retryAfterMs(key('fresh@example.test', ip))) > 0);
  });

  it('a success clears the per-account count', async () => {
    const k = key('b@example.test', '192.0.2.3');
    await t.recordFailure(k);
    await t.recordFailure(k);
    await t.recordSuccess(k);
    assert.equal(await t.recordFailure(k), 0);
    assert.equal(await t.recordFailure(k), 0);
  });
}

describe('login throttle: in memory', () => {
  sharedBehaviour(() => createMemoryRateLimiter());

  it('opens again when the window ends', async () => {
    let now = 1_000_000;
    const t = createLoginThrottle(
      createMemoryRateLimiter(() => now),
      LIMITS,
    );
    const k = { email: 'c@example.test', ip: '192.0.2.4' };
    for (let i = 0; i < 3; i++) await t.recordFailure(k);
    assert.equal(await t.retryAfterMs(k), 60_000);
    now += 59_999;
    assert.equal(await t.retryAfterMs(k), 1);
    now += 1;
    assert.equal(await t.retryAfterMs(k), 0);
    assert.equal(await t.recordFailure(k), 0, 'a new window starts from zero');
  });

  it('keeps the counts of sign-in forms that share one limiter apart', async () => {
    const limiter = createMemoryRateLimiter();
    const newsroom = createLoginThrottle(limiter, LIMITS);
    const readers = createLoginThrottle(limiter, LIMITS, 'reader-login');
    const k = { email: 'e@example.test', ip: '192.0.2.10' };
    for (let i = 0; i < 3; i++) await newsroom.recordFailure(k);
    assert.ok((await newsroom.retryAfterMs(k)) > 0);
    assert.equal(await readers.retryAfterMs(k), 0, 'a reader with the same email and address may still try');
  });

  it('rounds the wait up to whole minutes for people', () => {
    assert.equal(minutesToWait(1), 1);
    assert.equal(minutesToWait(60_000), 1);
    assert.equal(minutesToWait(60_001), 2);
    assert.equal(minutesToWait(15 * 60_000), 15);
  });
});

describe('login throttle: shared store down', () => {
  const down: RateLimiter = {
    consume: () => Promise.reject(new Error('ECONNREFUSED')),
    peek: () => Promise.reject(new Error('ECONNREFUSED')),
    reset: () => Promise.reject(new Error('ECONNREFUSED')),
    close: async () => {},
  };

  it('falls back to this node’s own limits instead of failing sign-in', async () => {
    const errors: unknown[] = [];
    const t = createLoginThrottle(
      createFallbackRateLimiter(down, createMemoryRateLimiter(), (err) => errors.push(err)),
      LIMITS,
    );
    const k = { email: 'd@example.test', ip: '192.0.2.9' };
    assert.equal(await t.retryAfterMs(k), 0);
    for (let i = 0; i < LIMITS.perAccount - 1; i++) assert.equal(await t.recordFailure(k), 0);
    assert.ok((await t.recordFailure(k)) > 0, 'the limit still applies during the outage');
    assert.ok((await t.retryAfterMs(k)) > 0);
    assert.ok(errors.length >= LIMITS.perAccount, 'each outage is reported');
  });
});

const redisSkip = await redisSkipReason();

describe('login throttle: Redis', { skip: redisSkip }, () => {
  const prefix = `masthead-test:${crypto.randomBytes(6).toString('hex')}:`;
  sharedBehaviour(() => createRedisRateLimiter({ url: REDIS_URL, prefix }));

  it('two app nodes share one count', async () => {
    const limiterA = createRedisRateLimiter({ url: REDIS_URL, prefix });
    const limiterB = createRedisRateLimiter({ url: REDIS_URL, prefix });
    const nodeA = createLoginThrottle(limiterA, LIMITS);
    const nodeB = createLoginThrottle(limiterB, LIMITS);
    try {
      const k = { email: 'shared@example.test', ip: '192.0.2.5' };
      await nodeA.recordFailure(k);
      await nodeB.recordFailure(k);
      assert.ok((await nodeA.recordFailure(k)) > 0);
      assert.ok((await nodeB.retryAfterMs(k)) > 0, 'node B sees the block node A caused');
    } finally {
      await limiterA.close();
      await limiterB.close();
    }
  });

  it('counters expire by themselves (a TTL is always set)', async () => {
    const shortLimiter = createRedisRateLimiter({ url: REDIS_URL, prefix });
    const short = createLoginThrottle(shortLimiter, { perAccount: 1, perIp: 10, windowMs: 300 });
    try {
      const k = { email: 'ttl@example.test', ip: '192.0.2.6' };
      assert.ok((await short.recordFailure(k)) > 0);
      await new Promise((r) => setTimeout(r, 450));
      assert.equal(await short.retryAfterMs(k), 0);
    } finally {
      await shortLimiter.close();
    }
  });
});
