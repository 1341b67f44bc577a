import type { ApolloServerPlugin } from '@apollo/server';
import type { RouterConfig } from '../config';
import type { RouterContext } from '../signed.datasource';
import { RedisKeyValueCache } from './redis.kv-cache';
import { responseCache } from './response.cache';

/** The response cache's plugins (none when it is off) and the store to close at the end. */
export interface ResponseCaching {
  plugins: ApolloServerPlugin<RouterContext>[];
  close(): Promise<void>;
}

/**
 * The response cache when RESPONSE_CACHE is on: answers kept in Redis (namespace `responses`),
 * shared by every replica, when REDIS_URL is set; in Apollo Server's in-memory cache otherwise.
 */
export function responseCaching(config: RouterConfig): ResponseCaching {
  if (!config.responseCache) return { plugins: [], close: async () => undefined };
  const store = config.redisUrl ? new RedisKeyValueCache(config.redisUrl, config.redisPrefix, 'responses') : undefined;
  return { plugins: [responseCache(store)], close: async () => store?.close() };
}
