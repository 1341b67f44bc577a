import { createServer } from 'node:net';
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { RedisKeyValueCache } from '../src/cache/redis.kv-cache';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('APQ cache in Redis', () => {
  const prefix = `test:apq:${randomUUID()}`;
  const cache = new RedisKeyValueCache(REDIS_URL, prefix);
  const other = new RedisKeyValueCache(REDIS_URL, prefix); // a second router replica
  const redis = new Redis(REDIS_URL);
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    await Promise.all([cache.close(), other.close()]);
    redis.disconnect();
  });

  it('shares a registered query with every replica, for the TTL given', async () => {
    expect(await other.get('apq:abc')).toBeUndefined();
    await cache.set('apq:abc', '{ me { id } }', { ttl: 3600 });
    expect(await other.get('apq:abc')).toBe('{ me { id } }');
    const ttl = await redis.ttl(`${prefix}:apq:apq:abc`);
    expect(ttl).toBeGreaterThan(3500);
    expect(ttl).toBeLessThanOrEqual(3600);
    await other.delete('apq:abc');
    expect(await cache.get('apq:abc')).toBeUndefined();
  });

  it('answers a miss and skips writes when Redis is unreachable', async () => {
    const down = new RedisKeyValueCache(`redis://127.0.0.1:${await closedPort()}`, prefix);
    await expect(down.set('apq:x', 'q', { ttl: 60 })).resolves.toBeUndefined();
    await expect(down.get('apq:x')).resolves.toBeUndefined();
    await down.close();
  });
});
