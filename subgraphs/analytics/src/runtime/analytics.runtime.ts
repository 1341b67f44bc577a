import { FigureCache } from '../figures/figure.cache';
import type { MikroORM } from '@mikro-orm/core';
import { InProcessPubSub, type LivePubSub, type Logger } from '@supergraph/kit';
import type { RiskZoneOptions } from '../domain';
import { DashboardPublisher } from '../dashboard/dashboard.publisher';
import { RiskZoneRefresher } from '../zones/risk-zone.refresher';

/** The long-lived parts of a running analytics subgraph that resolvers and consumers share. */
export interface AnalyticsRuntime {
  /** The clock (tests pin it). */
  now: () => Date;
  pubsub: LivePubSub;
  zones: RiskZoneRefresher;
  dashboard: DashboardPublisher;
  /** Computed figures, until the facts behind them change. */
  figures: FigureCache;
  /** Starts the background timers against the database. */
  start(orm: MikroORM): void;
  /** Stops timers and waits for work in progress (the pub/sub is its owner's to close). */
  stop(): Promise<void>;
}

/** Settings of {@link createRuntime}; every field has a default. */
export interface RuntimeOptions {
  now?: () => Date;
  /** The service's pub/sub (default: an idle in-process one, for composition and tests). */
  pubsub?: LivePubSub;
  /** Shortest time between background zone recomputes (default 1000 ms). */
  zoneDebounceMs?: number;
  /** Periodic zone recompute (default 10 min; 0 = off). */
  zoneRefreshMs?: number;
  /** Shortest time between dashboard pushes (default 1000 ms). */
  dashboardIntervalMs?: number;
  zoneOptions?: Omit<RiskZoneOptions, 'now'>;
  log?: Logger;
}

/** Undelivered dashboard pushes kept per subscriber: a slow one only needs the newest figures. */
export const LIVE_QUEUE = 100;

/** Wires the zone refresher and the dashboard publisher to the pub/sub. */
export function createRuntime(opts: RuntimeOptions = {}): AnalyticsRuntime {
  const now = opts.now ?? (() => new Date());
  const pubsub = opts.pubsub ?? new InProcessPubSub({ maxQueue: LIVE_QUEUE });
  const zones = new RiskZoneRefresher({
    now,
    debounceMs: opts.zoneDebounceMs ?? 1_000,
    refreshMs: opts.zoneRefreshMs ?? 600_000,
    zoneOptions: opts.zoneOptions,
    log: opts.log,
  });
  const dashboard = new DashboardPublisher(pubsub, {
    now,
    intervalMs: opts.dashboardIntervalMs ?? 1_000,
    log: opts.log,
  });
  return {
    now,
    pubsub,
    zones,
    dashboard,
    figures: new FigureCache(),
    start(orm) {
      zones.start(orm);
      dashboard.start(orm);
    },
    async stop() {
      await zones.stop();
      await dashboard.stop();
    },
  };
}
