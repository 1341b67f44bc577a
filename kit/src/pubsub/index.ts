/** Pub/sub for type-graphql subscriptions: in-process, or across replicas over Redis. */
export type { LivePubSub, PubSubOptions } from './live.pubsub';
export { InProcessPubSub } from './in-process.pubsub';
export { RedisPubSub, type RedisPubSubOptions } from './redis.pubsub';
export { TopicIterator } from './topic.iterator';
export { createPubSub, type CreatePubSubOptions } from './pubsub.factory';
