import { startTracing } from '../telemetry/tracing';
import type { MigrationObject } from '@mikro-orm/core';
import type { Express } from 'express';
import type { GraphQLSchema } from 'graphql';
import { openDatabase, type Database } from '../db/database';
import { createLogger, currentLogScope, type Logger } from '../logging/logger';
import { createServiceMetrics, type ServiceMetrics } from '../metrics/metrics';
import type { RequestContext } from '../server/context';
import { startSubgraphServer, type RunningSubgraph } from '../server/subgraph.server';
import { Gauge } from 'prom-client';
import type { EventBus } from '../events';
import { openBus, startRelay } from './event-backbone';
import type { SubgraphConfig } from './subgraph.config';

/** What a running subgraph's parts can use. */
export interface SubgraphDeps {
  config: SubgraphConfig;
  db: Database;
  log: Logger;
  metrics: ServiceMetrics;
  /** The event bus (Redis Streams, or in-process in the embedded default). */
  bus: EventBus;
}

/**
 * The service's view of the bus: every event its consumers handle successfully is recorded in
 * `event_lag_seconds` (from the event's occurrence to the end of its handling).
 */
function measuredBus(bus: EventBus, metrics: ServiceMetrics): EventBus {
  return {
    publish: (envelope) => bus.publish(envelope),
    close: () => bus.close(),
    subscribe: (group, handler, opts) =>
      bus.subscribe(
        group,
        async (envelope) => {
          await handler(envelope);
          metrics.eventLagSeconds.observe(
            { type: envelope.type },
            Math.max(0, (Date.now() - Date.parse(envelope.occurredAt)) / 1000),
          );
        },
        opts,
      ),
  };
}

/** A subgraph described to the kit: its data model, schema, loaders and optional extras. */
export interface SubgraphModule<L> {
  entities: Function[];
  migrations: MigrationObject[];
  buildSchema(): Promise<GraphQLSchema>;
  createLoaders(ctx: Omit<RequestContext<L>, 'loaders'>): L;
  /** Public routes besides GraphQL (e.g. a JWKS document, uploads). */
  routes?(app: Express, deps: SubgraphDeps): void;
  /** Demo data for an empty embedded database; must be idempotent. */
  seed?(deps: SubgraphDeps): Promise<void>;
  /** Background work (relays, schedulers) started after the server; each returns its stopper. */
  background?(deps: SubgraphDeps): Promise<Array<() => Promise<void>>>;
}

/** A started subgraph with everything it opened; `stop()` closes it all in reverse order. */
export interface RunningService extends RunningSubgraph {
  deps: SubgraphDeps;
}

/**
 * Starts a subgraph the same way for every service: logger and metrics, database with migrations,
 * optional seed, HTTP/WS server, background work. Anything that fails during start is closed again.
 */
export async function runSubgraph<L>(mod: SubgraphModule<L>, config: SubgraphConfig): Promise<RunningService> {
  const log = createLogger(config.name, config.logLevel);
  const metrics = createServiceMetrics(config.name);
  const db = await openDatabase({
    service: config.name,
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    entities: mod.entities,
    migrations: mod.migrations,
    log,
    // Statements of GraphQL requests, of consumed events and of background work (relays,
    // schedulers) count apart, so per-request figures are not inflated by event handling.
    onStatement: (sql) =>
      metrics.sqlStatements.inc({
        verb: sql.trimStart().split(/\s/, 1)[0]!.toLowerCase(),
        origin: currentLogScope()?.origin ?? 'background',
      }),
  });
  const tracing = config.otlpEndpoint ? startTracing(config.name, config.otlpEndpoint) : undefined;
  const busHandle = openBus(config, log);
  const deps: SubgraphDeps = { config, db, log, metrics, bus: measuredBus(busHandle.bus, metrics) };
  const stoppers: Array<() => Promise<void>> = [async () => tracing?.shutdown(), () => busHandle.close()];
  try {
    const relay = startRelay(db.orm, busHandle.bus, log);
    stoppers.push(() => relay.stop());
    new Gauge({
      name: 'outbox_backlog',
      help: 'Committed events not yet published to the bus',
      registers: [metrics.registry],
      async collect() {
        this.set(await relay.backlog().catch(() => -1));
      },
    });
    if (config.seed && mod.seed) await mod.seed(deps);
    const server = await startSubgraphServer({
      name: config.name,
      host: config.host,
      port: config.port,
      schema: await mod.buildSchema(),
      db,
      signingSecret: config.signingSecret,
      createLoaders: (ctx) => mod.createLoaders(ctx),
      log,
      metrics,
      routes: mod.routes ? (app) => mod.routes!(app, deps) : undefined,
      readiness: busHandle.kind === 'redis' ? { redis: () => busHandle.ping() } : undefined,
    });
    stoppers.push(() => server.stop());
    if (mod.background) stoppers.push(...(await mod.background(deps)));
    return {
      ...server,
      deps,
      async stop() {
        for (const stop of stoppers.reverse()) await stop().catch((err) => log.error({ err }, 'error while stopping'));
        await db.close();
        log.info(`${config.name} stopped`);
      },
    };
  } catch (err) {
    for (const stop of stoppers.reverse()) await stop().catch(() => undefined);
    await db.close();
    throw err;
  }
}
