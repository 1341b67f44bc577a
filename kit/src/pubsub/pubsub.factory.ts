import type { LivePubSub } from './live.pubsub';
import { InProcessPubSub } from './in-process.pubsub';
import { RedisPubSub, type RedisPubSubOptions } from './redis.pubsub';

/** Settings of {@link createPubSub}: those of `RedisPubSub`, with `redisUrl` optional. */
export type CreatePubSubOptions = Omit<RedisPubSubOptions, 'redisUrl'> & {
  /** Redis to publish through; unset (the embedded default) keeps pub/sub in this process. */
  redisUrl?: string;
};

/** A subgraph's live pub/sub: Redis (channels `<redisPrefix>:<service>:<topic>`) when `redisUrl` is set, else in-process. */
export function createPubSub(options: CreatePubSubOptions): LivePubSub {
  const { redisUrl, ...rest } = options;
  return redisUrl ? new RedisPubSub({ ...rest, redisUrl }) : new InProcessPubSub(rest);
}
