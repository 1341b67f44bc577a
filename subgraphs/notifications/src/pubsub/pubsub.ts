import { Redis } from 'ioredis';
import type { PubSub } from 'type-graphql';
import type { Logger } from '@supergraph/kit';
import { EventQueue } from './event.queue';

/**
 * type-graphql's PubSub plus what the subgraph needs: subscriptions that only queue matching
 * payloads (so filtering never holds an unsubscribed iterator open) and a way to close.
 * Payloads must be JSON-serialisable: across replicas they travel through Redis.
 */
export interface NotificationsPubSub extends PubSub {
  publish(routingKey: string, payload: unknown): void;
  subscribe(routingKey: string): AsyncIterableIterator<unknown>;
  /**
   * Like `subscribe`, but only payloads for which `accept` is true are delivered. Resolves once
   * the subscription is live (for Redis: SUBSCRIBE acknowledged), so nothing published after
   * that is missed.
   */
  subscribeWhere<T>(routingKey: string, accept: (payload: T) => boolean): Promise<AsyncIterableIterator<T>>;
  close(): Promise<void>;
}

type Listener = (payload: unknown) => void;

/** Local fan-out shared by both implementations. */
class Listeners {
  private readonly byKey = new Map<string, Set<Listener>>();

  add(key: string, listener: Listener): boolean {
    let set = this.byKey.get(key);
    const first = !set;
    if (!set) this.byKey.set(key, (set = new Set()));
    set.add(listener);
    return first;
  }

  /** Removes a listener; true when it was the key's last one. */
  remove(key: string, listener: Listener): boolean {
    const set = this.byKey.get(key);
    if (!set) return false;
    set.delete(listener);
    if (set.size > 0) return false;
    this.byKey.delete(key);
    return true;
  }

  emit(key: string, payload: unknown, log?: Logger): void {
    for (const listener of this.byKey.get(key) ?? []) {
      try {
        listener(payload);
      } catch (err) {
        log?.warn({ err, key }, 'pubsub listener failed');
      }
    }
  }

  clear(): void {
    this.byKey.clear();
  }
}

function makeQueue<T>(listeners: Listeners, key: string, accept: (p: T) => boolean, onFirst: () => Promise<void>, onLast: () => void, log?: Logger) {
  const listener: Listener = (payload) => {
    let ok = false;
    try {
      ok = accept(payload as T);
    } catch (err) {
      log?.warn({ err, key }, 'pubsub filter failed');
    }
    if (ok) queue.push(payload as T);
  };
  const queue = new EventQueue<T>(() => {
    if (listeners.remove(key, listener)) onLast();
  });
  const live = listeners.add(key, listener) ? onFirst() : Promise.resolve();
  return { queue, live };
}

/** In-process pub/sub: publishers and subscribers in this process only (the embedded default). */
export function createMemoryPubSub(): NotificationsPubSub {
  const listeners = new Listeners();
  const self: NotificationsPubSub = {
    publish(key, payload) {
      // A JSON round trip gives subscribers exactly what Redis would.
      const copy = JSON.parse(JSON.stringify(payload)) as unknown;
      queueMicrotask(() => listeners.emit(key, copy));
    },
    subscribe: (key) => makeQueue(listeners, key, () => true, async () => undefined, () => undefined).queue,
    subscribeWhere: async (key, accept) => makeQueue(listeners, key, accept, async () => undefined, () => undefined).queue,
    async close() {
      listeners.clear();
    },
  };
  return self;
}

/**
 * Redis pub/sub: every replica's subscribers receive what any replica publishes. Channels are
 * `<prefix>:notifications:<routingKey>`; one subscriber connection per process, subscribed to a
 * channel only while someone here listens to it.
 */
export function createRedisPubSub(url: string, prefix: string, log: Logger): NotificationsPubSub {
  const channelOf = (key: string) => `${prefix}:notifications:${key}`;
  const pub = new Redis(url, { lazyConnect: false, maxRetriesPerRequest: 2 });
  const sub = new Redis(url, { lazyConnect: false });
  pub.on('error', (err) => log.warn({ err: err.message }, 'redis pubsub (publish) error'));
  sub.on('error', (err) => log.warn({ err: err.message }, 'redis pubsub (subscribe) error'));
  const listeners = new Listeners();
  const keyOf = new Map<string, string>();
  sub.on('message', (channel: string, message: string) => {
    const key = keyOf.get(channel);
    if (!key) return;
    let payload: unknown;
    try {
      payload = JSON.parse(message);
    } catch {
      return log.warn({ channel }, 'ignored a non-JSON pubsub message');
    }
    listeners.emit(key, payload, log);
  });
  const open = <T>(key: string, accept: (p: T) => boolean) => {
    const channel = channelOf(key);
    return makeQueue(
      listeners,
      key,
      accept,
      async () => {
        keyOf.set(channel, key);
        await sub.subscribe(channel).catch((err: Error) => log.warn({ err: err.message, channel }, 'pubsub subscribe failed'));
      },
      () => {
        keyOf.delete(channel);
        sub.unsubscribe(channel).catch(() => undefined);
      },
      log,
    );
  };
  const self: NotificationsPubSub = {
    publish(key, payload) {
      pub.publish(channelOf(key), JSON.stringify(payload)).catch((err: Error) => log.warn({ err: err.message, key }, 'pubsub publish failed'));
    },
    subscribe: (key) => open(key, () => true).queue,
    async subscribeWhere(key, accept) {
      const { queue, live } = open(key, accept);
      await live;
      return queue;
    },
    async close() {
      listeners.clear();
      sub.disconnect();
      await pub.quit().catch(() => pub.disconnect());
    },
  };
  return self;
}

/** Redis pub/sub when `redisUrl` is set, else in-process. */
export function createPubSub(opts: { redisUrl?: string; redisPrefix: string; log: Logger }): NotificationsPubSub {
  return opts.redisUrl ? createRedisPubSub(opts.redisUrl, opts.redisPrefix, opts.log) : createMemoryPubSub();
}

/** Routing keys of this subgraph's live topics. */
export const TOPICS = {
  /** Payload `{ id, recipientId }` of a new notification. */
  NOTIFICATION_RECEIVED: 'notification-received',
  /** Payload `{ id, lat, lng }` of a new alert (lat/lng null when the case has no location). */
  ALERT_RAISED: 'alert-raised',
} as const;
