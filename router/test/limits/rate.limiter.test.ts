import { createServer } from 'node:net';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { RedisRateLimiter } from '../../src/limits/rate.limiter';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const FLUSH_MS = 50;

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const allowedOf = async (hits: Array<Promise<{ allowed: boolean }>>) =>
  (await Promise.all(hits)).filter((d) => d.allowed).length;

describe('rate limits counted in Redis', () => {
  const prefix = `test:rl:${randomUUID()}`;
  const warnings: string[] = [];
  const one = new RedisRateLimiter(REDIS_URL, prefix, (m) => warnings.push(m), FLUSH_MS);
  const two = new RedisRateLimiter(REDIS_URL, prefix, (m) => warnings.push(m), FLUSH_MS); // another replica
  const redis = new Redis(REDIS_URL);
  afterAll(async () => {
    await Promise.all([one.close(), two.close()]);
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  });

  it('counts exactly on one replica, including hits that arrive together before Redis first answered', async () => {
    const key = `ip:${randomUUID()}`;
    expect(await allowedOf(Array.from({ length: 12 }, () => one.hit(key, 5, 60_000)))).toBe(5);
    const denied = await one.hit(key, 5, 60_000);
    expect(denied.allowed).toBe(false);
    expect(denied.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(denied.retryAfterSeconds).toBeLessThanOrEqual(60);
  });

  it("shares the count with the other replicas: one replica's hits are seen by another after a flush", async () => {
    const key = `user:${randomUUID()}`;
    // All hits must fall in one minute's window: start in a fresh one when the current ends soon.
    const left = 60_000 - (Date.now() % 60_000);
    if (left < 2_000) await sleep(left + 20);
    const window = Math.floor(Date.now() / 60_000);
    for (let i = 0; i < 3; i++) expect((await one.hit(key, 5, 60_000)).allowed).toBe(true);
    await sleep(FLUSH_MS * 3);
    // The first hit on the other replica reads the shared count (3) and adds itself: 4, then 5, then over.
    expect((await two.hit(key, 5, 60_000)).allowed).toBe(true);
    expect((await two.hit(key, 5, 60_000)).allowed).toBe(true);
    expect((await two.hit(key, 5, 60_000)).allowed).toBe(false);
    await sleep(FLUSH_MS * 3);
    expect(Number(await redis.get(`${prefix}:ratelimit:${key}:${window}`))).toBe(6);
    expect(warnings).toEqual([]);
  });

  it('starts a new count in the next window', async () => {
    const key = `ip:${randomUUID()}`;
    expect(await allowedOf(Array.from({ length: 4 }, () => one.hit(key, 2, 300)))).toBe(2);
    await sleep(350);
    expect((await one.hit(key, 2, 300)).allowed).toBe(true);
  });

  it('counts per replica, and says so once, while Redis is unreachable', async () => {
    const notes: string[] = [];
    const offline = new RedisRateLimiter(`redis://127.0.0.1:${await closedPort()}`, prefix, (m) => notes.push(m), 20);
    try {
      const key = `ip:${randomUUID()}`;
      const decisions = [];
      for (let i = 0; i < 4; i++) decisions.push((await offline.hit(key, 3, 60_000)).allowed);
      expect(decisions).toEqual([true, true, true, false]);
      await sleep(100);
      expect(notes).toHaveLength(1);
      expect(notes[0]).toMatch(/per replica while Redis is unreachable/);
    } finally {
      await offline.close();
    }
  });
});
