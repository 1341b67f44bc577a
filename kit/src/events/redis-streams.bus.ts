import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import Redis, { type RedisOptions } from 'ioredis';
import type {
  DeadLetter,
  DeadLetterSource,
  EventBus,
  EventHandler,
  EventSubscription,
  SubscribeOptions,
} from './event.bus';
import { defaultEventLogger, errorMessage, type EventLogger } from './event.logger';
import { parseEnvelope, type EventEnvelope, type EventType } from './event.types';
import { fieldsOf, RedisStreamSubscription, whenReady, type StreamSettings } from './redis-stream.subscription';

/** Settings of the Redis Streams bus. */
export interface RedisStreamsBusOptions {
  /** `redis://` URL or ioredis options of the Redis server. */
  redis: string | RedisOptions;
  /** Key prefix; the bus uses `<prefix>:events` and `<prefix>:events:dead`. */
  prefix: string;
  /** Deliveries after which a failing event is dead-lettered (default 5). */
  maxDeliveries?: number;
  /**
   * A pending event idle this long is re-claimed (XAUTOCLAIM) and redelivered (default 30 s).
   * It is also the retry delay after a failure, and must exceed the longest handler run, or a
   * slow handler's event is taken over by another member while still running.
   */
  claimIdleMs?: number;
  /** How often each subscription looks for such events (default min(claimIdleMs, 5 s)). */
  claimIntervalMs?: number;
  /** XREADGROUP BLOCK time (default 2 s); also bounds how late a re-claim may run. */
  blockMs?: number;
  /** Messages read per XREADGROUP / XAUTOCLAIM call (default 20). */
  batchSize?: number;
  /** Approximate cap on stream lengths (XADD MAXLEN ~, default 100 000). */
  maxLen?: number;
  /**
   * How long subscribe, and publish before the first successful connection, wait for Redis
   * (default 2 s). After a connection loss publish fails at once until it is restored.
   */
  connectWaitMs?: number;
  logger?: EventLogger;
}

/**
 * Production bus on Redis Streams.
 *
 * Layout: ONE stream `<prefix>:events` carries every event type, so a consumer sees a
 * producer's events in publish order and a group is created once, not once per type; each
 * consuming service is one consumer group on it and filters types on its side (skipped types
 * are acknowledged at once). Each message has the fields `type`, `id` and `envelope` (JSON).
 * Dead letters go to the stream `<prefix>:events:dead` with `group`, `eventId`, `type`,
 * `deliveries`, `error`, `envelope` and `deadAt`.
 *
 * Semantics: a message is XACKed only after its handler resolved; a failed one stays pending
 * and is re-claimed with XAUTOCLAIM once idle for `claimIdleMs` (this is also how messages of
 * a crashed consumer are taken over); once its delivery count reaches `maxDeliveries` it is
 * copied to the dead-letter stream and acknowledged in one MULTI. Connections reconnect
 * forever; a group lost with the server's data (restart without persistence) is recreated
 * with MKSTREAM from the stream's start, so events published after the restart are not missed.
 */
export class RedisStreamsBus implements EventBus, DeadLetterSource {
  private readonly settings: StreamSettings;
  private readonly publisher: Redis;
  private readonly subscriptions = new Set<RedisStreamSubscription>();
  private readonly logger: EventLogger;
  private closed = false;
  private publisherWasReady = false;

  constructor(private readonly options: RedisStreamsBusOptions) {
    if (!options.prefix) throw new Error('RedisStreamsBus: a key prefix is required');
    this.logger = options.logger ?? defaultEventLogger();
    const claimIdleMs = options.claimIdleMs ?? 30_000;
    this.settings = {
      streamKey: `${options.prefix}:events`,
      deadKey: `${options.prefix}:events:dead`,
      maxDeliveries: options.maxDeliveries ?? 5,
      claimIdleMs,
      claimIntervalMs: options.claimIntervalMs ?? Math.min(claimIdleMs, 5_000),
      blockMs: options.blockMs ?? 2_000,
      batchSize: options.batchSize ?? 20,
      maxLen: options.maxLen ?? 100_000,
      connectWaitMs: options.connectWaitMs ?? 2_000,
      logger: this.logger,
    };
    this.publisher = this.connect('publisher');
  }

  /** The stream keys this bus uses. */
  get keys(): { stream: string; dead: string } {
    return { stream: this.settings.streamKey, dead: this.settings.deadKey };
  }

  /** XADDs the event; rejects (so the outbox keeps it) when Redis cannot be reached. */
  async publish(envelope: EventEnvelope): Promise<void> {
    if (this.closed) throw new Error('event bus is closed: cannot publish');
    if (this.publisherWasReady && this.publisher.status !== 'ready') {
      // Known outage: fail at once instead of holding the relay's transaction open.
      throw new Error(`redis is unavailable (connection ${this.publisher.status})`);
    }
    await whenReady(this.publisher, this.settings.connectWaitMs);
    this.publisherWasReady = true;
    const { streamKey, maxLen } = this.settings;
    await this.publisher.call(
      'XADD',
      streamKey,
      'MAXLEN',
      '~',
      maxLen,
      '*',
      'type',
      envelope.type,
      'id',
      envelope.id,
      'envelope',
      JSON.stringify(envelope),
    );
  }

  /**
   * Joins consumer group `group` (created with MKSTREAM, if new, where `startFrom` says) and
   * starts reading. Rejects when Redis cannot be reached.
   */
  async subscribe<T extends EventType = EventType>(
    group: string,
    handler: EventHandler<T>,
    opts: SubscribeOptions<T> = {},
  ): Promise<EventSubscription> {
    if (this.closed) throw new Error('event bus is closed: cannot subscribe');
    const consumer = opts.consumerName ?? `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
    const conn = this.connect(`${group}/${consumer}`);
    const sub = new RedisStreamSubscription(conn, group, consumer, handler as EventHandler, {
      ...this.settings,
      maxDeliveries: opts.maxDeliveries ?? this.settings.maxDeliveries,
      types: opts.types,
      startFrom: opts.startFrom,
    });
    try {
      await whenReady(conn, this.settings.connectWaitMs);
      await sub.start();
    } catch (err) {
      conn.disconnect();
      throw new Error(`cannot subscribe group ${group} to ${this.settings.streamKey}: ${errorMessage(err)}`);
    }
    this.subscriptions.add(sub);
    return {
      group,
      close: async () => {
        this.subscriptions.delete(sub);
        await sub.close();
      },
    };
  }

  /** Reads the dead-letter stream (oldest first, at most `limit`). */
  async deadLetters(group?: string, limit = 1000): Promise<DeadLetter[]> {
    await whenReady(this.publisher, this.settings.connectWaitMs);
    const rows = (await this.publisher.call('XRANGE', this.settings.deadKey, '-', '+', 'COUNT', limit)) as [
      string,
      string[],
    ][];
    const letters: DeadLetter[] = [];
    for (const [, flat] of rows) {
      const f = fieldsOf(flat);
      if (group !== undefined && f.group !== group) continue;
      let envelope: EventEnvelope | null = null;
      try {
        envelope = parseEnvelope(f.envelope ?? '');
      } catch {
        envelope = null; // a malformed message: kept as `raw`
      }
      letters.push({
        group: f.group ?? '',
        envelope,
        ...(envelope ? {} : { raw: f.envelope ?? '' }),
        deliveries: Number(f.deliveries ?? 0),
        error: f.error ?? '',
        deadAt: f.deadAt ?? '',
      });
    }
    return letters;
  }

  /** Closes every subscription (letting handlers in progress finish) and the publisher. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.subscriptions].map((s) => s.close()));
    this.subscriptions.clear();
    this.publisher.disconnect();
  }

  private connect(role: string): Redis {
    const base: RedisOptions = typeof this.options.redis === 'string' ? {} : this.options.redis;
    const options: RedisOptions = {
      ...base,
      protocol: 2,
      // Fail fast while disconnected: the relay must learn that a publish did not happen.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      retryStrategy: (times) => Math.min(50 * times, 1_000),
      connectionName: `events:${role}`.slice(0, 60).replace(/\s/g, '_'),
    };
    const conn = typeof this.options.redis === 'string' ? new Redis(this.options.redis, options) : new Redis(options);
    let down = false;
    conn.on('error', (err: Error) => {
      if (!down) this.logger.warn({ role, err: err.message }, 'redis connection error (reconnecting)');
      down = true;
    });
    conn.on('ready', () => {
      if (down) this.logger.info({ role }, 'redis connection restored');
      down = false;
    });
    return conn;
  }
}
