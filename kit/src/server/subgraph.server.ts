import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { ApolloServer } from '@apollo/server';
import {
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import express, { type Express } from 'express';
import type { GraphQLSchema } from 'graphql';
import { WebSocketServer } from 'ws';
import type { Database } from '../db/database';
import { formatError } from '../errors/errors';
import type { Logger } from '../logging/logger';
import { requestErrorLog } from '../logging/request-error.log';
import type { ServiceMetrics } from '../metrics/metrics';
import { operationSpanPlugin } from '../telemetry/tracing';
import type { CreateLoaders, RequestContext } from './context';
import { closeServer, listen, newInstanceId } from './http';
import { jsonFallbacks } from './json.errors';
import { operationMetricsPlugin } from './operation-metrics.plugin';
import { serviceEndpoints, type HealthCheck } from './service.endpoints';
import { isBatchPath } from './subgraph.batch';
import { isGraphqlPath, subgraphGraphql } from './subgraph.graphql';
import { cachePolicyPlugins } from './cache-policy.plugin';
import { inputCheckPlugin } from './input.plugin';
import { operationResolutionPlugin } from './operation-resolution.plugin';
import { queryReadsPlugin } from './query-reads.plugin';
import { attachSubscriptions, openSubscriptions } from './subscriptions.server';
import { subscriptionsGauge } from './subscriptions.gauge';

/** What a subgraph logs for an error it hides from the client. */
export const UNEXPECTED_RESOLVER_ERROR = 'unexpected error in a resolver';

/** Everything a subgraph hands the kit to be served. */
export interface SubgraphServerOptions<L> {
  name: string;
  host: string;
  port: number;
  schema: GraphQLSchema;
  db: Database;
  signingSecret: string;
  createLoaders: CreateLoaders<L>;
  log: Logger;
  metrics: ServiceMetrics;
  /** Readiness checks besides the database's (e.g. Redis), each true when healthy (see `HealthCheck`). */
  readiness?: Record<string, HealthCheck>;
  /** Extra routes mounted before GraphQL (public endpoints such as a JWKS document). */
  routes?: (app: Express) => void;
  /** Largest accepted JSON body. */
  bodyLimit?: string;
}

/** A running subgraph. `stop()` drains HTTP, closes WebSockets with 1001 and leaves the db open. */
export interface RunningSubgraph {
  name: string;
  url: string;
  port: number;
  /** This server's instance id, also answered by `/health` and `/ready` (see `newInstanceId`). */
  instance: string;
  server: Server;
  stop(): Promise<void>;
}

/**
 * Serves a subgraph: `/graphql` (HTTP and, when the schema has subscriptions, graphql-ws) and
 * `/graphql/batch` (several queries in one request, see subgraphBatch), accepting only requests
 * signed by the router, plus the service endpoints (`/health`, `/ready` with the
 * database and `readiness` checks, `/metrics`), `routes`, and JSON answers for unknown paths and errors.
 */
export async function startSubgraphServer<L>(opts: SubgraphServerOptions<L>): Promise<RunningSubgraph> {
  const app = express();
  const instance = newInstanceId();
  app.disable('x-powered-by');
  const errors = requestErrorLog<RequestContext<L>>(opts.log, UNEXPECTED_RESOLVER_ERROR);
  const apollo = new ApolloServer<RequestContext<L>>({
    schema: opts.schema,
    includeStacktraceInErrorResponses: false,
    stopOnTerminationSignals: false, // our own shutdown drains everything in order (runUntilSignalled)
    formatError: formatError(errors.log),
    plugins: [
      errors.plugin,
      ApolloServerPluginLandingPageDisabled(),
      ApolloServerPluginInlineTraceDisabled(),
      ...cachePolicyPlugins<RequestContext<L>>(),
      inputCheckPlugin(),
      operationResolutionPlugin(),
      queryReadsPlugin(),
      operationMetricsPlugin(opts.metrics),
      operationSpanPlugin(opts.name),
    ],
  });
  await apollo.start();

  app.use(
    serviceEndpoints({
      service: opts.name,
      instance,
      registry: opts.metrics.registry,
      readiness: { database: () => opts.db.ping(), ...opts.readiness },
    }),
  );
  opts.routes?.(app);
  app.use(jsonFallbacks(opts.log));

  // /graphql (and its batches) are served without express in between: the hot path (kit/src/server/graphql.handler.ts).
  const graphql = subgraphGraphql(opts, apollo);
  const listening = await listen(
    (req: IncomingMessage, res: ServerResponse) =>
      isGraphqlPath(req.url) || isBatchPath(req.url) ? graphql(req, res) : app(req, res),
    opts.port,
    opts.host,
  );
  const httpServer = listening.server;
  const wss = new WebSocketServer({ server: httpServer, path: '/graphql' });
  const subscriptions = opts.schema.getSubscriptionType() ? attachSubscriptions(wss, opts) : undefined;
  if (subscriptions) {
    const help = 'Subscriptions open on this subgraph (upstreams of the router)';
    subscriptionsGauge(opts.metrics.registry, help, () => openSubscriptions.get(opts.name) ?? 0);
  }
  if (!subscriptions) wss.on('connection', (socket) => socket.close(4400, 'This subgraph has no subscriptions'));

  const url = `http://${opts.host === '0.0.0.0' ? '127.0.0.1' : opts.host}:${listening.port}/graphql`;
  opts.log.info({ url }, `${opts.name} subgraph listening`);
  return {
    name: opts.name,
    url,
    port: listening.port,
    instance,
    server: httpServer,
    async stop() {
      for (const client of wss.clients) client.close(1001, 'Server shutting down');
      await subscriptions?.dispose();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await closeServer(httpServer);
      await apollo.stop();
    },
  };
}
