import { resolve } from 'node:path';
import { z } from 'zod';
import {
  ACCESS_TOKEN_ISSUER,
  DEVELOPMENT_SIGNING_SECRET,
  flag,
  logFormatEnv,
  logFormatProblem,
  MAX_BATCH_REQUESTS,
  nodeEnv,
  parseEnv,
  port,
} from '@supergraph/kit';
import type { DashboardConfig } from './dashboard.page';
import type { RateLimits } from './limits/limits.plugin';
import type { OperationLimits } from './limits/operation.limits';
import type { ResilienceOptions } from './signed.datasource';
import type { MergeOptions } from './single-fetch.merger';
import type { BatchOptions } from './subgraph.batcher';

/** The router's settings. */
export interface RouterConfig {
  nodeEnv: 'development' | 'production' | 'test';
  host: string;
  port: number;
  logLevel: string;
  /** The composed supergraph SDL file (from `npm run compose`). */
  supergraphPath: string;
  /** Subgraph URLs by name, overriding those in the supergraph (e.g. USERS_URL). */
  subgraphUrls: Record<string, string>;
  /** Where the users subgraph publishes its access-token keys. */
  jwksUrl: string;
  jwtIssuer: string;
  signingSecret: string;
  /** Allowed browser origins; empty → same-origin only. `*` allows any. */
  corsOrigins: string[];
  /** Apollo Sandbox at `/` (default: on outside production). */
  sandbox: boolean;
  /** Introspection (default: on outside production). */
  introspection: boolean;
  /** How the router treats failing subgraphs. */
  resilience: ResilienceOptions;
  /** Operation bounds (depth, aliases, cost, directives) and the parser's token limit. */
  limits: OperationLimits & { maxTokens: number; bodyLimit: string };
  /** Requests per minute per client IP and per signed-in user (0: off). */
  rateLimits: RateLimits;
  /** Shared rate-limit counters across replicas when set. */
  redisUrl?: string;
  redisPrefix: string;
  /** OTLP/HTTP endpoint (e.g. http://collector:4318) to send traces to; absent → no tracing. */
  otlpEndpoint?: string;
  /** Only the project's own client operations (operations/*.graphql) run when set. */
  safelistDir?: string;
  /** What `/dashboard/config.json` tells the page (the map's tiles). */
  dashboard: DashboardConfig;
  /** Entities kept across requests (0 entries: off), and the longest any is kept. */
  entityCache: { size: number; maxAgeSeconds: number };
  /** Whole answers kept as the subgraphs' `@cacheControl` hints allow (Redis when set). */
  responseCache: boolean;
  /** Queries whose plan is one fetch go to that subgraph as written (see SingleFetchShortcut). */
  singleFetchShortcut: boolean;
  /** Queries the shortcut answered before are answered without Apollo Server's pipeline (see SingleFetchFastPath). */
  singleFetchFastPath: boolean;
  /** How far the shortcut merges concurrent queries into one fetch (see SingleFetchMerger). */
  singleFetchMerge: MergeOptions;
  /** How far queries to one subgraph are batched into one request (see SubgraphBatcher). */
  subgraphBatch: BatchOptions;
}

/** Default router port. */
export const ROUTER_PORT = 4000;

/**
 * Reads the router's settings from the environment; `<NAME>_URL` variables (USERS_URL, CASES_URL,
 * ...) point the router at subgraphs elsewhere than the supergraph says.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): RouterConfig {
  const e = parseEnv(
    z.object({
      NODE_ENV: nodeEnv(),
      HOST: z.string().default('127.0.0.1'),
      PORT: port(ROUTER_PORT),
      LOG_LEVEL: z.string().default('info'),
      LOG_FORMAT: logFormatEnv(),
      SUPERGRAPH_PATH: z.string().default(resolve(__dirname, '..', '..', 'schema', 'supergraph.graphql')),
      JWKS_URL: z.string().url().optional(),
      JWT_ISSUER: z.string().default(ACCESS_TOKEN_ISSUER),
      ROUTER_SIGNING_SECRET: z.string().min(32).optional(),
      CORS_ORIGINS: z.string().default(''),
      SANDBOX: flag(false).optional(),
      INTROSPECTION: flag(false).optional(),
      SUBGRAPH_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
      SUBGRAPH_QUERY_RETRIES: z.coerce.number().int().min(0).max(5).default(2),
      CIRCUIT_BREAKER_FAILURES: z.coerce.number().int().min(1).default(5),
      CIRCUIT_BREAKER_OPEN_MS: z.coerce.number().int().min(100).default(10_000),
      MAX_DEPTH: z.coerce.number().int().min(1).default(15),
      MAX_ALIASES: z.coerce.number().int().min(0).default(30),
      MAX_COST: z.coerce.number().int().min(1).default(20_000),
      MAX_DIRECTIVES: z.coerce.number().int().min(0).default(50),
      MAX_TOKENS: z.coerce.number().int().min(100).default(5_000),
      BODY_LIMIT: z.string().default('1mb'),
      RATE_LIMIT_IP_PER_MINUTE: z.coerce.number().int().min(0).default(600),
      RATE_LIMIT_USER_PER_MINUTE: z.coerce.number().int().min(0).default(300),
      REDIS_URL: z
        .string()
        .url()
        .optional()
        .or(z.literal('').transform(() => undefined)),
      OTEL_EXPORTER_OTLP_ENDPOINT: z
        .string()
        .url()
        .optional()
        .or(z.literal('').transform(() => undefined)),
      REDIS_PREFIX: z.string().default('supergraph'),
      PERSISTED_OPERATIONS: z.enum(['off', 'safelist']).default('off'),
      OPERATIONS_DIR: z.string().default(resolve(__dirname, '..', '..', 'operations')),
      RESPONSE_CACHE: flag(true),
      SINGLE_FETCH_SHORTCUT: flag(true),
      SINGLE_FETCH_FAST_PATH: flag(true),
      SINGLE_FETCH_MERGE_MAX: z.coerce.number().int().min(1).max(64).default(8),
      SINGLE_FETCH_MERGE_WINDOW_MS: z.coerce.number().int().min(0).max(1_000).default(0),
      SUBGRAPH_BATCH_MAX: z.coerce.number().int().min(1).max(MAX_BATCH_REQUESTS).default(8),
      SUBGRAPH_BATCH_WINDOW_MS: z.coerce.number().int().min(0).max(1_000).default(0),
      ENTITY_CACHE_SIZE: z.coerce.number().int().min(0).default(50_000),
      ENTITY_CACHE_MAX_AGE_SECONDS: z.coerce.number().int().min(0).default(300),
      DASHBOARD_TILE_URL: z.string().optional(),
      DASHBOARD_TILE_ATTRIBUTION: z.string().optional(),
    }),
    env,
    'router configuration',
  );
  const production = e.NODE_ENV === 'production';
  if (production && !e.ROUTER_SIGNING_SECRET)
    throw new Error('Invalid router configuration:\n  ROUTER_SIGNING_SECRET: is required in production');
  const logFormat = logFormatProblem(e.NODE_ENV, e.LOG_FORMAT);
  if (logFormat) throw new Error(`Invalid router configuration:\n  LOG_FORMAT: ${logFormat}`);
  const subgraphUrls = Object.fromEntries(
    Object.entries(env)
      .filter(([k, v]) => /^[A-Z]+_URL$/.test(k) && !['JWKS_URL', 'REDIS_URL', 'DATABASE_URL'].includes(k) && v)
      .map(([k, v]) => [k.slice(0, -4).toLowerCase(), v!]),
  );
  const usersUrl = subgraphUrls.users ?? 'http://127.0.0.1:4001/graphql';
  return {
    nodeEnv: e.NODE_ENV,
    host: e.HOST,
    port: e.PORT,
    logLevel: e.LOG_LEVEL,
    supergraphPath: e.SUPERGRAPH_PATH,
    subgraphUrls,
    jwksUrl: e.JWKS_URL ?? new URL('/.well-known/jwks.json', usersUrl).toString(),
    jwtIssuer: e.JWT_ISSUER,
    signingSecret: e.ROUTER_SIGNING_SECRET ?? DEVELOPMENT_SIGNING_SECRET,
    corsOrigins: e.CORS_ORIGINS.split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    sandbox: e.SANDBOX ?? !production,
    introspection: e.INTROSPECTION ?? !production,
    resilience: {
      timeoutMs: e.SUBGRAPH_TIMEOUT_MS,
      queryRetries: e.SUBGRAPH_QUERY_RETRIES,
      retryBaseMs: 50,
      breakerFailures: e.CIRCUIT_BREAKER_FAILURES,
      breakerOpenMs: e.CIRCUIT_BREAKER_OPEN_MS,
    },
    limits: {
      maxDepth: e.MAX_DEPTH,
      maxAliases: e.MAX_ALIASES,
      maxCost: e.MAX_COST,
      maxDirectives: e.MAX_DIRECTIVES,
      maxTokens: e.MAX_TOKENS,
      bodyLimit: e.BODY_LIMIT,
    },
    rateLimits: { perIpPerMinute: e.RATE_LIMIT_IP_PER_MINUTE, perUserPerMinute: e.RATE_LIMIT_USER_PER_MINUTE },
    redisUrl: e.REDIS_URL,
    redisPrefix: e.REDIS_PREFIX,
    otlpEndpoint: e.OTEL_EXPORTER_OTLP_ENDPOINT,
    safelistDir: e.PERSISTED_OPERATIONS === 'safelist' ? e.OPERATIONS_DIR : undefined,
    entityCache: { size: e.ENTITY_CACHE_SIZE, maxAgeSeconds: e.ENTITY_CACHE_MAX_AGE_SECONDS },
    responseCache: e.RESPONSE_CACHE,
    singleFetchShortcut: e.SINGLE_FETCH_SHORTCUT,
    singleFetchFastPath: e.SINGLE_FETCH_SHORTCUT && e.SINGLE_FETCH_FAST_PATH,
    singleFetchMerge: { maxCopies: e.SINGLE_FETCH_MERGE_MAX, windowMs: e.SINGLE_FETCH_MERGE_WINDOW_MS },
    subgraphBatch: { maxRequests: e.SUBGRAPH_BATCH_MAX, windowMs: e.SUBGRAPH_BATCH_WINDOW_MS },
    // Empty (as copied from .env.example) means the default, OpenStreetMap's tiles.
    dashboard: {
      tileUrl: e.DASHBOARD_TILE_URL || 'https://tile.openstreetmap.org/{z}/{x}/{y}.png',
      tileAttribution:
        e.DASHBOARD_TILE_ATTRIBUTION ||
        '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
    },
  };
}
