import { Redis } from 'ioredis';

/** The Redis the tests use (MASTHEAD_TEST_REDIS_URL, else the local default). */
export const TEST_REDIS_URL = process.env.MASTHEAD_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A reason to skip when Redis is not reachable; under CI=true its absence fails instead. */
export async function redisSkip(): Promise<string | false> {
  const probe = new Redis(TEST_REDIS_URL, { lazyConnect: true, connectTimeout: 1500, maxRetriesPerRequest: 0, retryStrategy: () => null });
  probe.on('error', () => {});
  try {
    await probe.connect();
    await probe.ping();
    return false;
  } catch (err) {
    const reason = `Redis not reachable at ${TEST_REDIS_URL} (${(err as Error).message})`;
    if (process.env.CI === 'true') throw new Error(`${reason}; CI must test Redis`);
    return reason;
  } finally {
    probe.disconnect();
  }
}
