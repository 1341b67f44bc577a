import { Redis } from 'ioredis';
import type { Logger } from '@supergraph/kit';
import { InProcessPubSub } from './in-process.pubsub';

/**
 * Pub/sub over Redis: `publish` sends to the Redis channel `<prefix><topic>`, and every
 * process subscribed to that channel hands the message to its local subscribers, so a change
 * computed on one replica reaches subscribers on all of them. A process subscribes a channel
 * in Redis while it has at least one local subscriber of the topic.
 */
export class RedisPubSub extends InProcessPubSub {
  private readonly publisher: Redis;
  private readonly subscriber: Redis;

  constructor(
    url: string,
    private readonly prefix: string,
    private readonly log?: Logger,
  ) {
    super();
    this.publisher = new Redis(url, { maxRetriesPerRequest: 2 });
    this.subscriber = new Redis(url);
    for (const client of [this.publisher, this.subscriber]) client.on('error', (err) => this.log?.warn({ err }, 'redis pub/sub error'));
    this.subscriber.on('message', (channel: string, message: string) => {
      if (channel.startsWith(this.prefix)) this.deliver(channel.slice(this.prefix.length), message);
    });
  }

  override publish(routingKey: string, ...args: unknown[]): void {
    this.publisher
      .publish(this.prefix + routingKey, JSON.stringify(args[0] ?? null))
      .catch((err) => this.log?.warn({ err, topic: routingKey }, 'redis publish failed'));
  }

  protected override onSubscribed(topic: string, count: number): void {
    if (count === 1) this.subscriber.subscribe(this.prefix + topic).catch((err) => this.log?.warn({ err, topic }, 'redis subscribe failed'));
  }

  protected override onUnsubscribed(topic: string, count: number): void {
    if (count === 0) this.subscriber.unsubscribe(this.prefix + topic).catch(() => undefined);
  }

  /** Resolves once this process's channel subscriptions are active in Redis (tests). */
  async ready(): Promise<void> {
    await this.subscriber.ping().catch(() => undefined);
  }

  override async close(): Promise<void> {
    await super.close();
    this.publisher.disconnect();
    this.subscriber.disconnect();
  }
}
