import type { PubSub } from 'type-graphql';
import type { Logger } from '../logging/logger';

/**
 * type-graphql's PubSub for a subgraph's live topics (`@Subscription`s), plus what subgraphs
 * need around it. Payloads must be JSON-serialisable: across replicas they travel through Redis,
 * and in-process they go through the same JSON round trip, so subscribers always receive what
 * `JSON.parse(JSON.stringify(payload))` gives (dates become strings). Delivery is always
 * asynchronous to `publish`, at most once, and only to subscribers that were live when the
 * payload arrived. Subscribers of a topic share the delivered value: treat it as read-only.
 */
export interface LivePubSub extends PubSub {
  /** Sends `payload` to every live subscriber of `topic` (on every replica, over Redis). Never throws. */
  publish(topic: string, payload?: unknown): void;
  /** A subscription to `topic`; it may miss what is published before it is live (see `subscribeWhere`). */
  subscribe(topic: string): AsyncIterableIterator<unknown>;
  /**
   * Like `subscribe`, but only payloads for which `accept` is true are queued (a filter that
   * throws drops the payload), so filtering never holds an unsubscribed iterator open. Resolves
   * once the subscription is live (over Redis: SUBSCRIBE acknowledged), so nothing published
   * after that is missed.
   */
  subscribeWhere<T>(topic: string, accept: (payload: T) => boolean): Promise<AsyncIterableIterator<T>>;
  /**
   * Gives every new subscriber of `topic` (in this process) `provider()`'s value first, like a
   * retained message: the topic's current value, then every change. Skipped when the provider
   * yields undefined or fails; a change published while it runs may arrive before it.
   */
  retain(topic: string, provider: () => Promise<unknown>): void;
  /** Number of live subscribers of `topic` in this process. */
  subscriberCount(topic: string): number;
  /** Ends every subscription (their iterators complete) and releases connections. */
  close(): Promise<void>;
}

/** Settings of the in-process pub/sub. */
export interface PubSubOptions {
  /** Undelivered payloads kept per subscriber before the oldest are dropped (default 1000). */
  maxQueue?: number;
  /** Where failing filters, providers and Redis errors are reported. */
  log?: Logger;
}
