import type { Logger } from '@supergraph/kit';
import type { AnalyticsPubSub } from './analytics.pubsub';
import { InProcessPubSub } from './in-process.pubsub';
import { RedisPubSub } from './redis.pubsub';

export type { AnalyticsPubSub } from './analytics.pubsub';
export { InProcessPubSub } from './in-process.pubsub';
export { RedisPubSub } from './redis.pubsub';
export { TopicIterator } from './topic.iterator';

/**
 * The pub/sub of the analytics subgraph: Redis (channels prefixed `<REDIS_PREFIX>:analytics:`)
 * when a Redis URL is configured, else in-process.
 */
export function createPubSub(opts: { redisUrl?: string; redisPrefix: string; log?: Logger }): AnalyticsPubSub {
  return opts.redisUrl ? new RedisPubSub(opts.redisUrl, `${opts.redisPrefix}:analytics:`, opts.log) : new InProcessPubSub();
}
