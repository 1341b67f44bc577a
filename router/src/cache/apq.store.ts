import type { ApolloServerOptions } from '@apollo/server';
import type { RouterConfig } from '../config';
import type { RouterContext } from '../signed.datasource';
import { RedisKeyValueCache } from './redis.kv-cache';

/** Automatic persisted queries as Apollo Server's option, and the store to close at the end. */
export interface PersistedQueries {
  option: ApolloServerOptions<RouterContext>['persistedQueries'];
  close(): Promise<void>;
}

/**
 * APQ: registered hashes are shared by every replica through Redis (namespace `apq`, a day) when
 * REDIS_URL is set; otherwise Apollo Server's own in-memory LRU keeps them.
 */
export function persistedQueries(config: RouterConfig): PersistedQueries {
  if (!config.redisUrl) return { option: undefined, close: async () => undefined };
  const cache = new RedisKeyValueCache(config.redisUrl, config.redisPrefix, 'apq');
  return { option: { cache, ttl: 86_400 }, close: () => cache.close() };
}
