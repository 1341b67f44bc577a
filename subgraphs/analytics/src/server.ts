import { defineSubgraph, runSubgraph, type LiveSubgraphDeps } from '@supergraph/kit';
import { loadConfig, type AnalyticsConfig } from './config';
import { ENTITIES } from './entities';
import { readModelConsumer } from './events/read-model.consumer';
import { sightingReviewConsumer } from './events/sighting-review.consumer';
import { createLoaders } from './loaders/analytics.loader';
import { MIGRATIONS } from './migrations';
import { createRuntime, LIVE_QUEUE } from './runtime/analytics.runtime';
import { buildSchema } from './schema';

/**
 * The analytics subgraph: GraphQL (with `dashboardUpdated` over graphql-ws), the event consumers
 * that feed the read models, the debounced zone refresher and the dashboard publisher.
 */
export const analytics = defineSubgraph(
  { entities: ENTITIES, migrations: MIGRATIONS, pubsub: { maxQueue: LIVE_QUEUE } },
  ({ config, db, log, pubsub }: LiveSubgraphDeps<AnalyticsConfig>) => {
    const runtime = createRuntime({
      pubsub,
      zoneDebounceMs: config.riskZoneDebounceMs,
      zoneRefreshMs: config.riskZoneRefreshMs,
      dashboardIntervalMs: config.dashboardIntervalMs,
      log: log.child({ component: 'runtime' }),
    });
    return {
      schema: buildSchema(runtime),
      createLoaders,
      // The consumers stop first, then the timers they feed.
      workers: [{ name: 'runtime', start: () => runtime.start(db.orm), stop: () => runtime.stop() }],
      consumers: [
        readModelConsumer({ onFigures: () => runtime.dashboard.markDirty(), onCases: () => runtime.zones.request() }),
        sightingReviewConsumer(),
      ],
    };
  },
);

/** Starts the analytics subgraph. */
export const start = (config: AnalyticsConfig = loadConfig()) => runSubgraph(analytics, config);
