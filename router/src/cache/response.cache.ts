import type { ApolloServerPlugin } from '@apollo/server';
import responseCachePlugin from '@apollo/server-plugin-response-cache';
import type { KeyValueCache } from '@apollo/utils.keyvaluecache';
import type { RouterContext } from '../signed.datasource';

/**
 * Apollo's response cache at the router. Whether and how long an answer is kept comes from the
 * subgraphs: each answers with a `Cache-Control` header computed from its `@cacheControl` hints,
 * the gateway combines them (an answer from a subgraph without hints is not cacheable at all), and
 * a PUBLIC answer is shared by every caller while a PRIVATE one is kept for the same caller and
 * session only. Mutations are never cached. `store`: Redis shared by the replicas in production;
 * Apollo Server's in-memory cache when absent.
 */
export function responseCache(store?: KeyValueCache<string>): ApolloServerPlugin<RouterContext> {
  return responseCachePlugin<RouterContext>({
    cache: store,
    sessionId: async ({ contextValue }) =>
      contextValue.identity.userId ? JSON.stringify(contextValue.identity) : null,
  });
}
