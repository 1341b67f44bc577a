import { z } from 'zod';
import { parseEnv, port, sharedEnv } from '../config/env';

/** The settings every subgraph process runs with. */
export interface SubgraphConfig {
  name: string;
  nodeEnv: 'development' | 'production' | 'test';
  host: string;
  port: number;
  logLevel: string;
  /** Embedded data lives under `<dataDir>/<name>/`; ':memory:' keeps nothing (tests). */
  dataDir: string;
  /** Postgres URL of this service's own database; absent → embedded PGlite. */
  databaseUrl?: string;
  /** Redis URL for the event bus and pub/sub; absent → in-process. */
  redisUrl?: string;
  redisPrefix: string;
  /** OTLP/HTTP endpoint (e.g. http://collector:4318) to send traces to; absent → no tracing. */
  otlpEndpoint?: string;
  signingSecret: string;
  /** Seed demo data on an empty database (default in development). */
  seed: boolean;
}

/**
 * Reads a subgraph's settings from the environment (`PORT`, `HOST`, `DATABASE_URL`, `REDIS_URL`,
 * `ROUTER_SIGNING_SECRET`, ...) and fails fast on anything invalid or missing in production.
 */
export function loadSubgraphConfig(
  name: string,
  defaultPort: number,
  env: NodeJS.ProcessEnv = process.env,
): SubgraphConfig {
  const shared = parseEnv(sharedEnv, env, `${name} configuration`);
  const own = parseEnv(
    z.object({
      PORT: port(defaultPort),
      HOST: z.string().default('127.0.0.1'),
      SEED: z.enum(['true', 'false']).optional(),
    }),
    env,
    `${name} configuration`,
  );
  return {
    name,
    nodeEnv: shared.NODE_ENV,
    host: own.HOST,
    port: own.PORT,
    logLevel: shared.LOG_LEVEL,
    dataDir: shared.DATA_DIR,
    databaseUrl: shared.DATABASE_URL,
    redisUrl: shared.REDIS_URL,
    redisPrefix: shared.REDIS_PREFIX,
    otlpEndpoint: shared.OTEL_EXPORTER_OTLP_ENDPOINT,
    signingSecret: shared.ROUTER_SIGNING_SECRET,
    seed: own.SEED ? own.SEED === 'true' : shared.NODE_ENV === 'development',
  };
}
