import { Gauge } from 'prom-client';
import { openDatabase } from '../db/database';
import { emitterOf, type EventBus, type EventSubscription, type OutboxRelay } from '../events';
import { createLogger, currentLogScope } from '../logging/logger';
import { createServiceMetrics, type ServiceMetrics } from '../metrics/metrics';
import { createPubSub, type LivePubSub } from '../pubsub';
import { startSubgraphServer, type RunningSubgraph } from '../server/subgraph.server';
import { startTracing } from '../telemetry/tracing';
import { openBus, startRelay, type BusHandle } from './event-backbone';
import { releaseIdleAsyncStorage } from './idle-async-storage';
import type { SubgraphConfig } from './subgraph.config';
import type { LiveSubgraphDeps, SubgraphDefinition, SubgraphDeps, Worker } from './subgraph.definition';

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

/** A started subgraph with the deps the kit opened for it; `stop()` closes it all in reverse order. */
export interface RunningService extends RunningSubgraph {
  deps: SubgraphDeps;
}

/**
 * Starts a declared subgraph the same way for every service, in one straight line: idle
 * AsyncLocalStorages released (see releaseIdleAsyncStorage), logger,
 * metrics, database with migrations, tracing, bus, relay and emitter, pub/sub when declared; then
 * the declaration (called once), its reference data and (with `config.seed`) demo data; the
 * HTTP/WS server; its workers, then its consumers. `stop()` closes consumers, workers (in reverse),
 * pub/sub, server, relay, bus, tracing, and the database last. A failed start closes whatever it
 * had opened the same way, workers of the declaration included, and rethrows.
 */
export async function runSubgraph<C extends SubgraphConfig, L>(
  definition: SubgraphDefinition<C, L>,
  config: C,
): Promise<RunningService> {
  const { parts } = definition;
  releaseIdleAsyncStorage();
  const log = createLogger(config.name, config.logLevel);
  const metrics = createServiceMetrics(config.name);
  const db = await openDatabase({
    service: config.name,
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    entities: parts.entities,
    migrations: parts.migrations,
    log,
    // Statements of GraphQL requests, of consumed events and of background work (relays,
    // schedulers) count apart, so per-request figures are not inflated by event handling. A
    // request's EntityManager names its origin (ServiceEntityManager); consumed events run in a log scope.
    onStatement: (sql, origin) =>
      metrics.sqlStatements.inc({
        verb: sql.trimStart().split(/\s/, 1)[0]!.toLowerCase(),
        origin: origin ?? currentLogScope()?.origin ?? 'background',
      }),
  });
  // What is open so far. The pub/sub closes before the server, so live subscriptions end before
  // their sockets do.
  const opened: {
    tracing?: { shutdown(): Promise<void> };
    bus?: BusHandle;
    relay?: OutboxRelay;
    pubsub?: LivePubSub;
    server?: RunningSubgraph;
    workers: Worker[];
    subscriptions: EventSubscription[];
  } = { workers: [], subscriptions: [] };
  const closeAll = async (onError: (err: unknown, part: string) => void) => {
    const step = (part: string, stop?: () => Promise<void>) => stop?.().catch((err: unknown) => onError(err, part));
    for (const s of opened.subscriptions.reverse()) await step('consumer', () => s.close());
    for (const w of opened.workers.reverse()) await step(w.name, () => w.stop());
    await step('pubsub', opened.pubsub && (() => opened.pubsub!.close()));
    await step('server', opened.server && (() => opened.server!.stop()));
    await step('relay', opened.relay && (() => opened.relay!.stop()));
    await step('bus', opened.bus && (() => opened.bus!.close()));
    await step('tracing', opened.tracing && (() => opened.tracing!.shutdown()));
    await db.close();
  };
  try {
    if (config.otlpEndpoint) opened.tracing = startTracing(config.name, config.otlpEndpoint);
    const busHandle = (opened.bus = openBus(config, log));
    const relay = (opened.relay = startRelay(db.orm, busHandle.bus, log));
    new Gauge({
      name: 'outbox_backlog',
      help: 'Committed events not yet published to the bus',
      registers: [metrics.registry],
      async collect() {
        this.set(await relay.backlog().catch(() => -1));
      },
    });
    const bus = measuredBus(busHandle.bus, metrics);
    const deps: SubgraphDeps<C> = { config, log, metrics, db, bus, emit: emitterOf(config.name) };
    if (parts.pubsub) {
      opened.pubsub = createPubSub({
        ...parts.pubsub,
        service: config.name,
        redisUrl: config.redisUrl,
        redisPrefix: config.redisPrefix,
        log: log.child({ component: 'pubsub' }),
      });
    }
    // Without `parts.pubsub` the declaration was typed against SubgraphDeps, which has no `pubsub`.
    const declared = await definition.declare({ ...deps, pubsub: opened.pubsub } as LiveSubgraphDeps<C>);
    opened.workers = [...(declared.workers ?? [])];
    const schema = await declared.schema;
    await declared.prepare?.();
    if (config.seed) await declared.seed?.();
    opened.server = await startSubgraphServer({
      name: config.name,
      host: config.host,
      port: config.port,
      schema,
      db,
      signingSecret: config.signingSecret,
      createLoaders: (scope) => declared.createLoaders(scope),
      log,
      metrics,
      routes: declared.routes ? (app) => declared.routes!(app) : undefined,
      readiness: busHandle.kind === 'redis' ? { redis: () => busHandle.ping() } : undefined,
    });
    for (const worker of opened.workers) await worker.start?.();
    for (const consumer of declared.consumers ?? []) {
      opened.subscriptions.push(await consumer.subscribe({ orm: db.orm, bus, service: config.name, metrics }));
    }
    return {
      ...opened.server,
      deps,
      async stop() {
        await closeAll((err, part) => log.error({ err, part }, 'error while stopping'));
        log.info(`${config.name} stopped`);
      },
    };
  } catch (err) {
    await closeAll(() => undefined);
    throw err;
  }
}
