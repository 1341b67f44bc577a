import { FigureCache } from '../figures/figure.cache';
import type { MikroORM } from '@mikro-orm/core';
import { createPubSub, type LivePubSub, type Logger } from '@supergraph/kit';
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
  /** Stops timers, waits for work in progress and closes the pub/sub. */
  stop(): Promise<void>;
}

/** Settings of {@link createRuntime}; every field has a default. */
export interface RuntimeOptions {
  now?: () => Date;
  pubsub?: LivePubSub;
  redisUrl?: string;
  redisPrefix?: string;
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
const LIVE_QUEUE = 100;

/** Wires the pub/sub (Redis when `redisUrl` is set), zone refresher and dashboard publisher. */
export function createRuntime(opts: RuntimeOptions = {}): AnalyticsRuntime {
  const now = opts.now ?? (() => new Date());
  const pubsub =
    opts.pubsub ??
    createPubSub({
      service: 'analytics',
      redisUrl: opts.redisUrl,
      redisPrefix: opts.redisPrefix ?? 'supergraph',
      maxQueue: LIVE_QUEUE,
      log: opts.log,
    });
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
      await pubsub.close();
    },
  };
}
