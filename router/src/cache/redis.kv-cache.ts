import type { KeyValueCache, KeyValueCacheSetOptions } from '@apollo/utils.keyvaluecache';
import { Redis } from 'ioredis';

/**
 * An Apollo key-value cache that every router replica shares through Redis: the automatic
 * persisted queries (namespace `apq`: a client that registered a query's hash on one replica can
 * send only the hash to any other) and the response cache (namespace `responses`). Keys are
 * `<prefix>:<namespace>:<key>`, kept for the TTL Apollo Server gives. When Redis is unreachable, a
 * read is a miss and a write is skipped: APQ clients then send the full query, and answers are
 * computed afresh.
 */
export class RedisKeyValueCache implements KeyValueCache<string> {
  private readonly redis: Redis;
  private readonly firstConnection: Promise<void>;

  constructor(
    url: string,
    private readonly prefix: string,
    private readonly namespace: 'apq' | 'responses' = 'apq',
  ) {
    // No offline queue: while Redis is away, a command fails at once instead of holding a request.
    this.redis = new Redis(url, { maxRetriesPerRequest: 1, enableOfflineQueue: false });
    this.redis.on('error', () => undefined); // a miss is the fallback; the rate limiter logs Redis trouble
    this.firstConnection = new Promise<void>((resolve) => {
      this.redis.once('ready', () => resolve());
      setTimeout(resolve, 500).unref(); // requests right after start wait for the connection, briefly
    });
  }

  async get(key: string): Promise<string | undefined> {
    await this.firstConnection;
    return (await this.redis.get(this.key(key)).catch(() => null)) ?? undefined;
  }

  async set(key: string, value: string, options?: KeyValueCacheSetOptions): Promise<void> {
    await this.firstConnection;
    const ttl = options?.ttl;
    await (
      ttl
        ? this.redis.set(this.key(key), value, 'EX', Math.max(1, Math.ceil(ttl)))
        : this.redis.set(this.key(key), value)
    ).catch(() => undefined);
  }

  async delete(key: string): Promise<boolean | void> {
    await this.firstConnection;
    await this.redis.del(this.key(key)).catch(() => undefined);
  }

  /** Closes the connection. */
  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  private key(key: string): string {
    return `${this.prefix}:${this.namespace}:${key}`;
  }
}
