import { TopicIterator } from './topic.iterator';
import type { AnalyticsPubSub } from './analytics.pubsub';

/**
 * Pub/sub within one process (the embedded default): `publish` hands the payload to every
 * live subscriber of the topic. Payloads go through a JSON round trip so subscribers see what
 * they would see over Redis (dates become strings).
 */
export class InProcessPubSub implements AnalyticsPubSub {
  private readonly topics = new Map<string, Set<TopicIterator<unknown>>>();
  private readonly providers = new Map<string, () => Promise<unknown>>();

  publish(routingKey: string, ...args: unknown[]): void {
    this.deliver(routingKey, JSON.stringify(args[0] ?? null));
  }

  /** Hands a serialised payload to the local subscribers of a topic. */
  protected deliver(topic: string, json: string): void {
    for (const it of this.topics.get(topic) ?? []) it.push(JSON.parse(json));
  }

  subscribe(routingKey: string): AsyncIterable<unknown> {
    const set = this.topics.get(routingKey) ?? new Set();
    this.topics.set(routingKey, set);
    const it: TopicIterator<unknown> = new TopicIterator(() => {
      set.delete(it);
      this.onUnsubscribed(routingKey, set.size);
    });
    set.add(it);
    this.onSubscribed(routingKey, set.size);
    const provider = this.providers.get(routingKey);
    if (provider) {
      provider()
        .then((value) => value !== undefined && it.push(JSON.parse(JSON.stringify(value))))
        .catch(() => undefined); // the subscriber still gets every later change
    }
    return it;
  }

  retain(topic: string, provider: () => Promise<unknown>): void {
    this.providers.set(topic, provider);
  }

  subscriberCount(topic: string): number {
    return this.topics.get(topic)?.size ?? 0;
  }

  /** Hook for transports: the topic gained a local subscriber (`count` now). */
  protected onSubscribed(_topic: string, _count: number): void {}

  /** Hook for transports: the topic lost a local subscriber (`count` left). */
  protected onUnsubscribed(_topic: string, _count: number): void {}

  async close(): Promise<void> {
    for (const set of this.topics.values()) for (const it of [...set]) await it.return();
    this.topics.clear();
  }
}
