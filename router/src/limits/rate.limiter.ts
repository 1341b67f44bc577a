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

/** One key's fixed window as this replica sees it. */
interface SharedWindow {
  /** Which window (`floor(now / windowMs)`): windows are aligned to the clock, so replicas agree on them. */
  id: number;
  resetAt: number;
  /** Hits counted here in this window, and how many of them Redis has been told about. */
  local: number;
  flushed: number;
  /** The last count Redis answered (every replica's hits), and `flushed` at the time it answered. */
  shared: number;
  sharedAt: number;
  /** The first reading of this window, which the first hits wait for. */
  first?: Promise<void>;
}

/**
 * Counts in Redis, so every router replica shares the counts, without a Redis round trip per request:
 * a key's first hit in a window waits for Redis (so a new client is limited from its first request),
 * later hits are decided from the last shared count plus this replica's own hits since, and the
 * hits are sent to Redis in one pipeline every `flushMs`. Another replica's hits are seen within
 * `flushMs`, so across N replicas a client may overshoot its limit by what N − 1 replicas count in
 * that time; one replica counts exactly. When Redis is unreachable it counts in this process alone
 * (and says so once in the log): the API stays up, the limit holds per replica.
 */
export class RedisRateLimiter implements RateLimiter {
  private readonly redis: Redis;
  private readonly windows = new Map<string, SharedWindow>();
  private readonly flusher: NodeJS.Timeout;
  private warned = false;

  constructor(
    url: string,
    private readonly prefix: string,
    private readonly warn: (msg: string) => void,
    flushMs = 100,
  ) {
    this.redis = new Redis(url, { maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: false });
    this.redis.on('error', () => undefined);
    this.redis.on('ready', () => (this.warned = false));
    this.flusher = setInterval(() => void this.flush(), flushMs).unref();
  }

  async hit(key: string, limit: number, windowMs: number): Promise<RateDecision> {
    const now = Date.now();
    const id = Math.floor(now / windowMs);
    const name = `${key}\u0000${windowMs}`;
    let w = this.windows.get(name);
    if (!w || w.id !== id) {
      w = { id, resetAt: (id + 1) * windowMs, local: 0, flushed: 0, shared: 0, sharedAt: 0 };
      this.windows.set(name, w);
      const created = w;
      w.first = this.send([[name, created]]).finally(() => (created.first = undefined));
    }
    const ordinal = ++w.local;
    if (w.first) await w.first;
    // This hit's place in the window: everyone's hits Redis knew of, plus ours it did not yet.
    const count = w.shared + (ordinal - w.sharedAt);
    return { allowed: count <= limit, retryAfterSeconds: Math.max(1, Math.ceil((w.resetAt - now) / 1000)) };
  }

  /** Sends every window's unsent hits in one pipeline and forgets windows that ended. */
  private async flush(): Promise<void> {
    const now = Date.now();
    const due: Array<[string, SharedWindow]> = [];
    for (const [name, w] of this.windows) {
      if (w.resetAt <= now) this.windows.delete(name);
      else if (w.local > w.flushed && !w.first) due.push([name, w]);
    }
    if (due.length) await this.send(due);
  }

  private async send(windows: Array<[string, SharedWindow]>): Promise<void> {
    const batch = this.redis.multi();
    const sent = windows.map(([name, w]) => {
      const key = `${this.prefix}:ratelimit:${name.split('\u0000')[0]}:${w.id}`;
      const delta = w.local - w.flushed;
      w.flushed = w.local;
      batch.incrby(key, delta).pexpireat(key, w.resetAt + 1_000);
      return { w, at: w.flushed, delta };
    });
    try {
      if (this.redis.status !== 'ready') await this.ready();
      const replies = (await batch.exec()) as Array<[Error | null, number]>;
      sent.forEach(({ w, at }, i) => {
        const reply = replies[2 * i];
        if (!reply || reply[0]) return;
        w.shared = reply[1];
        w.sharedAt = at;
      });
    } catch (err) {
      if (!this.warned)
        this.warn(`rate limits count per replica while Redis is unreachable: ${(err as Error).message}`);
      this.warned = true;
      // Counted here alone until Redis answers again: the hits stay unsent, to be sent then.
      for (const { w, delta } of sent) w.flushed -= delta;
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
    clearInterval(this.flusher);
    await this.flush().catch(() => undefined);
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
