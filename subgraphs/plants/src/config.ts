import { z } from 'zod';
import { loadSubgraphConfig, parseEnv, type SubgraphConfig } from '@supergraph/kit';

/** The plants subgraph's settings: the shared ones plus the watering-reminder scheduler. */
export interface PlantsConfig extends SubgraphConfig {
  /** Milliseconds between two scans for plants whose watering came due. */
  reminderIntervalMs: number;
  /** Due plants claimed per scheduler transaction. */
  reminderBatchSize: number;
}

/** Default port of the plants subgraph. */
export const PLANTS_PORT = 4003;

/** Reads the plants subgraph's settings from the environment; fails fast on invalid values. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): PlantsConfig {
  const base = loadSubgraphConfig('plants', PLANTS_PORT, env);
  const own = parseEnv(
    z.object({
      PLANTS_REMINDER_INTERVAL_MS: z.coerce.number().int().min(100).max(86_400_000).default(60_000),
      PLANTS_REMINDER_BATCH_SIZE: z.coerce.number().int().min(1).max(1_000).default(100),
    }),
    env,
    'plants configuration',
  );
  return {
    ...base,
    reminderIntervalMs: own.PLANTS_REMINDER_INTERVAL_MS,
    reminderBatchSize: own.PLANTS_REMINDER_BATCH_SIZE,
  };
}
