import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createFallbackLoginThrottle, createMemoryLoginThrottle, minutesToWait, type LoginThrottle, type LoginThrottleLimits } from './login-throttle.ts';
import { createRedisLoginThrottle } from './login-throttle-redis.ts';

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

/** The behaviour both implementations share. */
function sharedBehaviour(make: () => LoginThrottle): void {
  let t: LoginThrottle;
  before(() => {
    t = make();
  });
  after(() => t?.close());
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
  sharedBehaviour(() => createMemoryLoginThrottle(LIMITS));

  it('opens again when the window ends', async () => {
    let now = 1_000_000;
    const t = createMemoryLoginThrottle(LIMITS, () => now);
    const k = { email: 'c@example.test', ip: '192.0.2.4' };
    for (let i = 0; i < 3; i++) await t.recordFailure(k);
    assert.equal(await t.retryAfterMs(k), 60_000);
    now += 59_999;
    assert.equal(await t.retryAfterMs(k), 1);
    now += 1;
    assert.equal(await t.retryAfterMs(k), 0);
    assert.equal(await t.recordFailure(k), 0, 'a new window starts from zero');
  });

  it('rounds the wait up to whole minutes for people', () => {
    assert.equal(minutesToWait(1), 1);
    assert.equal(minutesToWait(60_000), 1);
    assert.equal(minutesToWait(60_001), 2);
    assert.equal(minutesToWait(15 * 60_000), 15);
  });
});

describe('login throttle: shared store down', () => {
  const down: LoginThrottle = {
    retryAfterMs: () => Promise.reject(new Error('ECONNREFUSED')),
    recordFailure: () => Promise.reject(new Error('ECONNREFUSED')),
    recordSuccess: () => Promise.reject(new Error('ECONNREFUSED')),
    close: async () => {},
  };

  it('falls back to this node’s own limits instead of failing sign-in', async () => {
    const errors: unknown[] = [];
    const t = createFallbackLoginThrottle(down, createMemoryLoginThrottle(LIMITS), (err) => errors.push(err));
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
  sharedBehaviour(() => createRedisLoginThrottle({ url: REDIS_URL, limits: LIMITS, prefix }));

  it('two app nodes share one count', async () => {
    const nodeA = createRedisLoginThrottle({ url: REDIS_URL, limits: LIMITS, prefix });
    const nodeB = createRedisLoginThrottle({ url: REDIS_URL, limits: LIMITS, prefix });
    try {
      const k = { email: 'shared@example.test', ip: '192.0.2.5' };
      await nodeA.recordFailure(k);
      await nodeB.recordFailure(k);
      assert.ok((await nodeA.recordFailure(k)) > 0);
      assert.ok((await nodeB.retryAfterMs(k)) > 0, 'node B sees the block node A caused');
    } finally {
      await nodeA.close();
      await nodeB.close();
    }
  });

  it('counters expire by themselves (a TTL is always set)', async () => {
    const short = createRedisLoginThrottle({ url: REDIS_URL, limits: { perAccount: 1, perIp: 10, windowMs: 300 }, prefix });
    try {
      const k = { email: 'ttl@example.test', ip: '192.0.2.6' };
      assert.ok((await short.recordFailure(k)) > 0);
      await new Promise((r) => setTimeout(r, 450));
      assert.equal(await short.retryAfterMs(k), 0);
    } finally {
      await short.close();
    }
  });
});
