import type { Logger } from '../logging/logger';
import type { LivePubSub, PubSubOptions } from './live.pubsub';
import { TopicIterator } from './topic.iterator';

/** One local subscription: its filter and its queue. */
interface Subscriber {
  accept: (payload: unknown) => boolean;
  queue: TopicIterator<unknown>;
}

/**
 * Pub/sub within one process (the embedded default), and the local fan-out of `RedisPubSub`:
 * `publish` hands the payload, after a JSON round trip, to every live subscriber of the topic in
 * a later microtask. Transports override the protected hooks.
 */
export class InProcessPubSub implements LivePubSub {
  private readonly topics = new Map<string, Set<Subscriber>>();
  private readonly providers = new Map<string, () => Promise<unknown>>();
  private readonly maxQueue: number;
  protected readonly log?: Logger;

  constructor(options: PubSubOptions = {}) {
    this.maxQueue = options.maxQueue ?? 1_000;
    this.log = options.log;
  }

  publish(topic: string, payload?: unknown): void {
    const json = JSON.stringify(payload ?? null);
    queueMicrotask(() => this.deliver(topic, json));
  }

  subscribe(topic: string): AsyncIterableIterator<unknown> {
    return this.open(topic, () => true).queue;
  }

  async subscribeWhere<T>(topic: string, accept: (payload: T) => boolean): Promise<AsyncIterableIterator<T>> {
    const { queue, live } = this.open(topic, accept as (payload: unknown) => boolean);
    await live;
    return queue as AsyncIterableIterator<T>;
  }

  retain(topic: string, provider: () => Promise<unknown>): void {
    this.providers.set(topic, provider);
  }

  subscriberCount(topic: string): number {
    return this.topics.get(topic)?.size ?? 0;
  }

  async close(): Promise<void> {
    for (const subscribers of [...this.topics.values()]) for (const s of [...subscribers]) await s.queue.return();
  }

  /** Hands a serialised payload to the local subscribers of `topic` (each one's filter decides). */
  protected deliver(topic: string, json: string): void {
    const subscribers = this.topics.get(topic);
    if (!subscribers?.size) return;
    let payload: unknown;
    try {
      payload = JSON.parse(json);
    } catch {
      return this.log?.warn({ topic }, 'ignored a non-JSON pubsub message');
    }
    for (const s of subscribers) this.offer(s, topic, payload);
  }

  /**
   * Hook for transports: `topic` now has `count` local subscribers (after one was added).
   * Resolves once the topic receives what is published from now on.
   */
  protected subscribed(_topic: string, _count: number): Promise<void> {
    return Promise.resolve();
  }

  /** Hook for transports: `topic` now has `count` local subscribers (after one left). */
  protected unsubscribed(_topic: string, _count: number): void {}

  private open(
    topic: string,
    accept: (payload: unknown) => boolean,
  ): { queue: TopicIterator<unknown>; live: Promise<void> } {
    let subscribers = this.topics.get(topic);
    if (!subscribers) this.topics.set(topic, (subscribers = new Set()));
    const set = subscribers;
    const subscriber: Subscriber = {
      accept,
      queue: new TopicIterator<unknown>(() => {
        set.delete(subscriber);
        if (set.size === 0) this.topics.delete(topic);
        this.unsubscribed(topic, set.size);
      }, this.maxQueue),
    };
    set.add(subscriber);
    const live = this.subscribed(topic, set.size);
    const provider = this.providers.get(topic);
    if (provider) {
      provider()
        .then((value) => value !== undefined && this.offer(subscriber, topic, JSON.parse(JSON.stringify(value))))
        .catch((err: unknown) => this.log?.warn({ err, topic }, 'pubsub current-value provider failed'));
    }
    return { queue: subscriber.queue, live };
  }

  private offer(subscriber: Subscriber, topic: string, payload: unknown): void {
    let accepted = false;
    try {
      accepted = subscriber.accept(payload);
    } catch (err) {
      this.log?.warn({ err, topic }, 'pubsub filter failed');
    }
    if (accepted) subscriber.queue.push(payload);
  }
}
