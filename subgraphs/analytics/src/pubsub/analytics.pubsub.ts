import type { PubSub } from 'type-graphql';

/**
 * type-graphql's PubSub plus what analytics needs around it: a current-value provider per
 * topic (a subscriber first receives the topic's current value, then every change, like a
 * retained message), and `close()`.
 */
export interface AnalyticsPubSub extends PubSub {
  /** Every new subscriber of `topic` first receives `provider()`'s value (skipped when it yields undefined). */
  retain(topic: string, provider: () => Promise<unknown>): void;
  /** Number of live subscribers of `topic` in this process. */
  subscriberCount(topic: string): number;
  close(): Promise<void>;
}
