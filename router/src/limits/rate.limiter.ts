import { Redis } from 'ioredis';

/** The outcome of counting one request against a limit. */
export interface RateDecision {
  allowed: boolean;
  /** Seconds until the window resets (for `Retry-After`). */
  retryAfterSeconds: number;
}

/** Fixed-window request counting: `limit` requests per `windowMs` per key. */
export interface RateLimiter {
  hit(key: string, limit: number, windowMs: number): Promise<RateDecision>;
  close(): Promise<void>;
}

/** Counts in this process: right for one router, and for the embedded default. */
export class MemoryRateLimiter implements RateLimiter {
  private readonly windows = new Map<string, { count: number; resetAt: number }>();
  private readonly sweeper = setInterval(() => this.sweep(), 60_000).unref();

  async hit(key: string, limit: number, windowMs: number): Promise<RateDecision> {
    const now = Date.now();
    let w = this.windows.get(key);
    if (!w || w.resetAt <= now) this.windows.set(key, (w = { count: 0, resetAt: now + windowMs }));
    w.count += 1;
    return { allowed: w.count <= limit, retryAfterSeconds: Math.max(1, Math.ceil((w.resetAt - now) / 1000)) };
  }

  private sweep(): void {
    const now = Date.now();
    for (const [key, w] of this.windows) if (w.resetAt <= now) this.windows.delete(key);
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper);
  }
}

/**
 * Counts in Redis, so every router replica shares the counts. When Redis is unreachable it lets
 * requests through (and says so once in the log): the API stays up, only the limit is lifted.
 */
export class RedisRateLimiter implements RateLimiter {
  private readonly redis: Redis;
  private warned = false;

  constructor(
    url: string,
    private readonly prefix: string,
    private readonly warn: (msg: string) => void,
  ) {
    this.redis = new Redis(url, { maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: false });
    this.redis.on('error', () => undefined);
    this.redis.on('ready', () => (this.warned = false));
  }

  async hit(key: string, limit: number, windowMs: number): Promise<RateDecision> {
    const k = `${this.prefix}:ratelimit:${key}`;
    try {
      if (this.redis.status !== 'ready') await this.ready();
      const replies = (await this.redis.multi().incr(k).pexpire(k, windowMs, 'NX').pttl(k).exec()) as [
        Error | null,
        number,
      ][];
      const count = replies[0]![1];
      const remainingMs = replies[2]![1];
      return {
        allowed: count <= limit,
        retryAfterSeconds: Math.max(1, Math.ceil((remainingMs > 0 ? remainingMs : windowMs) / 1000)),
      };
    } catch (err) {
      if (!this.warned) this.warn(`rate limiting is off while Redis is unreachable: ${(err as Error).message}`);
      this.warned = true;
      return { allowed: true, retryAfterSeconds: 0 };
    }
  }

  /** Waits briefly for a (re)connecting client, so requests right after start are counted too. */
  private ready(): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.redis.off('ready', onReady);
        reject(new Error(`Redis is ${this.redis.status}`));
      }, 500);
      const onReady = () => {
        clearTimeout(timer);
        resolve();
      };
      this.redis.once('ready', onReady);
    });
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}

/** The router's rate limiter: counts shared through Redis when REDIS_URL is set, in this process otherwise. */
export function openRateLimiter(
  config: { redisUrl?: string; redisPrefix: string },
  warn: (msg: string) => void,
): RateLimiter {
  return config.redisUrl ? new RedisRateLimiter(config.redisUrl, config.redisPrefix, warn) : new MemoryRateLimiter();
}
