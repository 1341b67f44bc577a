import { createLogger, runSubgraph, type RunningService } from '@supergraph/kit';
import { loadConfig, type AnalyticsConfig } from './config';
import { ENTITIES } from './entities';
import { startAnalyticsConsumer } from './events/analytics.consumer';
import { startSightingReviewConsumer } from './events/sighting-review.consumer';
import { createLoaders } from './loaders/analytics.loader';
import { MIGRATIONS } from './migrations';
import { createRuntime, type AnalyticsRuntime } from './runtime/analytics.runtime';
import { buildSchema } from './schema';

/** A running analytics subgraph and its runtime (zones, dashboard, pub/sub). */
export interface RunningAnalytics extends RunningService {
  runtime: AnalyticsRuntime;
}

/**
 * Starts the analytics subgraph: database, GraphQL (with `dashboardUpdated` over graphql-ws),
 * the event consumer that feeds the read models, the debounced zone refresher and the
 * dashboard publisher.
 */
export async function start(config: AnalyticsConfig = loadConfig()): Promise<RunningAnalytics> {
  const runtime = createRuntime({
    redisUrl: config.redisUrl,
    redisPrefix: config.redisPrefix,
    zoneDebounceMs: config.riskZoneDebounceMs,
    zoneRefreshMs: config.riskZoneRefreshMs,
    dashboardIntervalMs: config.dashboardIntervalMs,
    log: createLogger(config.name, config.logLevel).child({ component: 'runtime' }),
  });
  try {
    const running = await runSubgraph(
      {
        entities: ENTITIES,
        migrations: MIGRATIONS,
        buildSchema: () => buildSchema(runtime),
        createLoaders,
        async background({ db, bus }) {
          runtime.start(db.orm);
          const subscription = await startAnalyticsConsumer(db.orm, bus, {
            onFigures: () => runtime.dashboard.markDirty(),
            onCases: () => runtime.zones.request(),
          });
          const reviews = await startSightingReviewConsumer(db.orm, bus);
          // Stopped in reverse: the consumers first, then the timers they feed.
          return [() => runtime.stop(), () => subscription.close(), () => reviews.close()];
        },
      },
      config,
    );
    return { ...running, runtime };
  } catch (err) {
    await runtime.stop();
    throw err;
  }
}
