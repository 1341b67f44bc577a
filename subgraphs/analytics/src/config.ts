import { z } from 'zod';
import { loadSubgraphConfig, parseEnv, type SubgraphConfig } from '@supergraph/kit';

/** The analytics subgraph's settings: the shared ones plus the pace of its background work. */
export interface AnalyticsConfig extends SubgraphConfig {
  /** Shortest time between two background risk-zone recomputes triggered by case events. */
  riskZoneDebounceMs: number;
  /** Periodic recompute, so recency decay shows without new events; 0 turns it off. */
  riskZoneRefreshMs: number;
  /** Shortest time between two `dashboardUpdated` pushes. */
  dashboardIntervalMs: number;
}

/** Default port of the analytics subgraph. */
export const ANALYTICS_PORT = 4005;

/** Reads the analytics subgraph's settings; fails fast on invalid values. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AnalyticsConfig {
  const base = loadSubgraphConfig('analytics', ANALYTICS_PORT, env);
  const own = parseEnv(
    z.object({
      RISK_ZONE_DEBOUNCE_MS: z.coerce.number().int().min(50).max(600_000).default(1_000),
      RISK_ZONE_REFRESH_MS: z.coerce.number().int().min(0).max(86_400_000).default(600_000),
      DASHBOARD_INTERVAL_MS: z.coerce.number().int().min(100).max(60_000).default(1_000),
    }),
    env,
    'analytics configuration',
  );
  return {
    ...base,
    riskZoneDebounceMs: own.RISK_ZONE_DEBOUNCE_MS,
    riskZoneRefreshMs: own.RISK_ZONE_REFRESH_MS,
    dashboardIntervalMs: own.DASHBOARD_INTERVAL_MS,
  };
}
