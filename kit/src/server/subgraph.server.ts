import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import type { GraphQLSchema } from 'graphql';
import { WebSocketServer } from 'ws';
import { CLIENT_USER_AGENT_HEADER, CORRELATION_HEADER, IDENTITY_HEADER, verifyIdentity } from '../auth/identity';
import type { Database } from '../db/database';
import { formatError } from '../errors/errors';
import { withLogScope, type Logger } from '../logging/logger';
import type { ServiceMetrics } from '../metrics/metrics';
import { operationSpanPlugin, runInTraceContext } from '../telemetry/tracing';
import type { RequestContext } from './context';
import { closeServer, listen, newInstanceId } from './http';
import { inputCheckPlugin } from './input.plugin';
import { attachSubscriptions, openSubscriptions } from './subscriptions.server';
import { Gauge } from 'prom-client';

/** Everything a subgraph hands the kit to be served. */
export interface SubgraphServerOptions<L> {
  name: string;
  host: string;
  port: number;
  schema: GraphQLSchema;
  db: Database;
  signingSecret: string;
  createLoaders: (ctx: Omit<RequestContext<L>, 'loaders'>) => L;
  log: Logger;
  metrics: ServiceMetrics;
  /** Extra readiness checks (e.g. Redis), each true when healthy. */
  readiness?: Record<string, () => Promise<boolean>>;
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
 * Serves a subgraph: `/graphql` (HTTP and, when the schema has subscriptions, graphql-ws) accepting
 * only requests signed by the router, plus `/health`, `/ready` and `/metrics`.
 */
export async function startSubgraphServer<L>(opts: SubgraphServerOptions<L>): Promise<RunningSubgraph> {
  const app = express();
  const instance = newInstanceId();
  app.disable('x-powered-by');
  let httpServer: Server | undefined;
  const apollo = new ApolloServer<RequestContext<L>>({
    schema: opts.schema,
    includeStacktraceInErrorResponses: false,
    stopOnTerminationSignals: false, // our own shutdown drains everything in order (runUntilSignalled)
    formatError: formatError((err) => opts.log.error({ err }, 'unexpected error in a resolver')),
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      ApolloServerPluginInlineTraceDisabled(),
      inputCheckPlugin(),
      operationMetrics(opts.metrics),
      operationSpanPlugin(opts.name),
    ],
  });
  await apollo.start();

  app.get('/health', (_req, res) => void res.json({ status: 'ok', service: opts.name, instance }));
  app.get('/ready', async (_req, res) => {
    const checks: Record<string, boolean> = { database: await opts.db.ping() };
    for (const [name, check] of Object.entries(opts.readiness ?? {})) checks[name] = await check().catch(() => false);
    const ready = Object.values(checks).every(Boolean);
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready', service: opts.name, instance, checks });
  });
  app.get('/metrics', async (_req, res) => {
    res.type(opts.metrics.registry.contentType).send(await opts.metrics.registry.metrics());
  });
  opts.routes?.(app);

  app.use(
    '/graphql',
    express.json({ limit: opts.bodyLimit ?? '1mb' }),
    // The router's trace context: log lines of this request carry its trace id.
    (req: Request, _res: Response, next: NextFunction) => runInTraceContext({ get: (name) => req.header(name) }, next),
    requireRouterSignature(opts.signingSecret),
    expressMiddleware(apollo, {
      context: async ({ req, res }) => {
        const { identity, correlationId } = res.locals as RequestScope;
        const userAgent = req.header(CLIENT_USER_AGENT_HEADER);
        const base = { em: opts.db.orm.em.fork(), identity, correlationId, log: opts.log.child({ correlationId }), ...(userAgent ? { userAgent } : {}) };
        return { ...base, loaders: opts.createLoaders(base) } as RequestContext<L>;
      },
    }),
  );
  app.use(jsonErrors(opts.log));

  const listening = await listen(app, opts.port, opts.host);
  httpServer = listening.server;
  const wss = new WebSocketServer({ server: httpServer, path: '/graphql' });
  const subscriptions = opts.schema.getSubscriptionType()
    ? attachSubscriptions(wss, opts)
    : undefined;
  if (subscriptions) {
    new Gauge({
      name: 'subscriptions_open',
      help: 'Subscriptions open on this subgraph (upstreams of the router)',
      registers: [opts.metrics.registry],
      collect() {
        this.set(openSubscriptions.get(opts.name) ?? 0);
      },
    });
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
      await closeServer(httpServer!);
      await apollo.stop();
    },
  };
}

interface RequestScope {
  identity: RequestContext['identity'];
  correlationId: string;
}

/** Refuses any GraphQL request that does not carry a valid router signature. */
function requireRouterSignature(secret: string) {
  return async (req: Request, res: Response, next: NextFunction) => {
    const verified = await verifyIdentity(req.header(IDENTITY_HEADER), secret);
    if (!verified) {
      res.status(401).json({
        errors: [{ message: 'This subgraph only answers requests signed by the router.', extensions: { code: 'UNAUTHENTICATED' } }],
      });
      return;
    }
    const correlationId = verified.correlationId || req.header(CORRELATION_HEADER) || randomUUID();
    res.locals.identity = verified.identity;
    res.locals.correlationId = correlationId;
    withLogScope({ correlationId, userId: verified.identity.userId, origin: 'request' }, next);
  };
}

/** Malformed JSON and other middleware errors become GraphQL-shaped errors, never an HTML 500. */
function jsonErrors(log: Logger) {
  return (err: { status?: number; type?: string; message?: string }, _req: Request, res: Response, _next: NextFunction) => {
    const status = err.status && err.status < 500 ? err.status : 500;
    if (status === 500) log.error({ err }, 'request failed');
    const code = status === 413 ? 'BAD_REQUEST' : status < 500 ? 'BAD_REQUEST' : 'INTERNAL_SERVER_ERROR';
    const message = status === 413 ? 'The request body is too large.' : status < 500 ? `Bad request: ${err.message}` : 'Internal server error.';
    res.status(status).json({ errors: [{ message, extensions: { code } }] });
  };
}

/** Counts operations and their latency per operation name. */
function operationMetrics(metrics: ServiceMetrics): ApolloServerPlugin {
  return {
    async requestDidStart() {
      const end = metrics.operationSeconds.startTimer();
      return {
        async willSendResponse(rc) {
          const operation = rc.operationName ?? 'anonymous';
          end({ operation });
          metrics.operations.inc({ operation, outcome: rc.errors?.length ? 'error' : 'ok' });
        },
      };
    },
  };
}
