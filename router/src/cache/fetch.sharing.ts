import { Counter } from 'prom-client';
import type { Logger } from '@supergraph/kit';
import type { RouterConfig } from '../config';
import type { RouterMetrics } from '../router.metrics';
import type { FetchSharing } from '../signed.datasource';
import { EntityCache } from './entity.cache';
import { followInvalidations } from './entity.invalidation';

/**
 * The router's entity cache (sized by ENTITY_CACHE_SIZE, ages capped by
 * ENTITY_CACHE_MAX_AGE_SECONDS), its metrics and its event follower, and how queries are batched
 * per subgraph (SUBGRAPH_BATCH_MAX, SUBGRAPH_BATCH_WINDOW_MS); `close` stops following.
 */
export async function createFetchSharing(
  config: RouterConfig,
  metrics: RouterMetrics,
  instance: string,
  log: Logger,
): Promise<{ sharing: FetchSharing; close(): Promise<void> }> {
  const entities = new EntityCache(config.entityCache.size, config.entityCache.maxAgeSeconds);
  const entityOutcomes = new Counter({
    name: 'entity_cache_lookups_total',
    help: 'Entities the router looked up in its entity cache, by subgraph and outcome (hit, miss)',
    labelNames: ['subgraph', 'outcome'],
    registers: [metrics.registry],
  });
  const batch = { ...config.subgraphBatch, sizes: metrics.batchedQueries };
  if (!entities.enabled) return { sharing: { batch }, close: async () => undefined };
  const following = await followInvalidations(entities, config, instance, log);
  return { sharing: { entities, entityOutcomes, batch }, close: () => following.close() };
}
