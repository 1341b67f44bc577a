import { Redis } from 'ioredis';
import type { PubSubOptions } from './live.pubsub';
import { InProcessPubSub } from './in-process.pubsub';

/** Settings of the Redis pub/sub. */
export interface RedisPubSubOptions extends PubSubOptions {
  redisUrl: string;
  /** The deployment's key prefix (REDIS_PREFIX). */
  redisPrefix: string;
  /** The subgraph whose topics these are; channels are `<redisPrefix>:<service>:<topic>`. */
  service: string;
}

/**
 * Pub/sub over Redis: `publish` sends to the channel `<redisPrefix>:<service>:<topic>`, and every
 * process subscribed to it hands the message to its local subscribers, so what one replica
 * publishes reaches subscribers on all of them. One subscriber connection per instance, which
 * subscribes a channel only while the topic has a local subscriber.
 */
export class RedisPubSub extends InProcessPubSub {
  private readonly publisher: Redis;
  private readonly subscriber: Redis;
  private readonly channelPrefix: string;
  /** Per subscribed topic: settles once Redis acknowledged the SUBSCRIBE. */
  private readonly live = new Map<string, Promise<void>>();

  constructor(options: RedisPubSubOptions) {
    super(options);
    this.channelPrefix = `${options.redisPrefix}:${options.service}:`;
    this.publisher = new Redis(options.redisUrl, { maxRetriesPerRequest: 2 });
    this.subscriber = new Redis(options.redisUrl);
    this.publisher.on('error', (err) => this.log?.warn({ err }, 'redis pubsub (publish) error'));
    this.subscriber.on('error', (err) => this.log?.warn({ err }, 'redis pubsub (subscribe) error'));
    this.subscriber.on('message', (channel: string, message: string) => {
      if (channel.startsWith(this.channelPrefix)) this.deliver(channel.slice(this.channelPrefix.length), message);
    });
  }

  override publish(topic: string, payload?: unknown): void {
    this.publisher
      .publish(this.channelPrefix + topic, JSON.stringify(payload ?? null))
      .catch((err: unknown) => this.log?.warn({ err, topic }, 'redis publish failed'));
  }

  override async close(): Promise<void> {
    await super.close();
    this.subscriber.disconnect();
    await this.publisher.quit().catch(() => this.publisher.disconnect());
  }

  protected override subscribed(topic: string, count: number): Promise<void> {
    if (count === 1) {
      const acknowledged = this.subscriber.subscribe(this.channelPrefix + topic).then(
        () => undefined,
        (err: unknown) => this.log?.warn({ err, topic }, 'redis subscribe failed'),
      );
      this.live.set(topic, acknowledged);
    }
    // Later subscribers wait for the same acknowledgement: the channel is not live before it.
    return this.live.get(topic) ?? Promise.resolve();
  }

  protected override unsubscribed(topic: string, count: number): void {
    if (count > 0) return;
    this.live.delete(topic);
    this.subscriber.unsubscribe(this.channelPrefix + topic).catch(() => undefined);
  }
}
