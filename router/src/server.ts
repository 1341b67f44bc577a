import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import express, { type NextFunction, type Request, type Response } from 'express';
import { Gauge, Histogram } from 'prom-client';
import { WebSocketServer } from 'ws';
import {
  CORRELATION_HEADER,
  checkDocumentInput,
  closeServer,
  createLogger,
  createServiceMetrics,
  formatError,
  isGraphqlPath,
  jsonErrors,
  inputCheckPlugin,
  listen,
  newInstanceId,
  openRevocationStore,
  startTracing,
  withLogScope,
} from '@supergraph/kit';
import { AccessTokenVerifier, type VerifiedToken } from './access-token.verifier';
import { RevocationList } from './auth/revocation.list';
import { SocketSessions } from './auth/socket.sessions';
import { loadConfig, type RouterConfig } from './config';
import { dashboardPage } from './dashboard.page';
import { createFetchSharing } from './cache/fetch.sharing';
import { createGateway } from './gateway';
import { probeSubgraphs } from './health';
import { correlationIdOf, graphqlRoute } from './http/graphql.route';
import { jsonStatusPlugin } from './http/json-status.plugin';
import { subscriptionOverHttpPlugin } from './http/subscription-over-http.plugin';
import { ipRateLimit, operationCostPlugin } from './limits/limits.plugin';
import { enforceCost, measureOperation, operationShapeRule } from './limits/operation.limits';
import { assertSafelisted, loadSafelist, safelistPlugin } from './limits/safelist';
import { MemoryRateLimiter, RedisRateLimiter } from './limits/rate.limiter';
import { casePageProxy } from './case-page.proxy';
import { mediaProxy } from './media.proxy';
import { RedisKeyValueCache } from './cache/redis.kv-cache';
import { responseCache } from './cache/response.cache';
import { valueCompletionPlugin } from './resilience/value-completion.plugin';
import { SignedDataSource } from './signed.datasource';
import { SubscriptionEngine, attachSubscriptionEngine } from './subscriptions';
import type { RouterContext } from './signed.datasource';

/** A running router. */
export interface RunningRouter {
  url: string;
  port: number;
  /** This router's instance id, also answered by `/health` and `/ready`. */
  instance: string;
  server: Server;
  subgraphUrls: Record<string, string>;
  /** Federated subscriptions over graphql-ws on `/graphql` (stats for tests and metrics). */
  subscriptions: SubscriptionEngine<VerifiedToken>;
  stop(): Promise<void>;
}

/**
 * Starts the router: the composed supergraph behind `/graphql` (queries and mutations), access
 * tokens verified against the users JWKS, identity forwarded signed to subgraphs, subscriptions
 * (and queries) over graphql-ws on the same path, `/media/*` forwarded to the media owner, Apollo
 * Sandbox at `/` in development, `/health`, `/ready` and `/metrics`.
 */
export async function start(config: RouterConfig = loadConfig()): Promise<RunningRouter> {
  const log = createLogger('router', config.logLevel);
  const metrics = createServiceMetrics('router');
  const fetchSeconds = new Histogram({
    name: 'subgraph_fetch_duration_seconds',
    help: 'Router to subgraph fetch latency',
    labelNames: ['subgraph', 'outcome'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [metrics.registry],
  });
  const tracing = config.otlpEndpoint ? startTracing('router', config.otlpEndpoint) : undefined;
  const instance = newInstanceId();
  const fetchSharing = await createFetchSharing(config, metrics, instance, log);
  const { gateway, subgraphUrls } = createGateway(config, fetchSeconds, fetchSharing.sharing);
  // Logged-out sessions, ended sessions and re-issued accounts: refused on every request (README, security model).
  const revocationStore = openRevocationStore({ redisUrl: config.redisUrl, redisPrefix: config.redisPrefix, log });
  const revocations = new RevocationList(revocationStore, log);
  await revocations.start();
  const verifier = new AccessTokenVerifier(config.jwksUrl, config.jwtIssuer, revocations);
  const safelist = config.safelistDir ? loadSafelist(config.safelistDir) : undefined;
  const sockets = new SocketSessions(verifier, revocations, config.signingSecret);
  const subscriptions = new SubscriptionEngine<VerifiedToken>({
    gateway,
    ...sockets.engineOptions, // tokens verified at connection_init, sockets closed when they expire or are revoked
    // The supergraph's URLs are the documented defaults; <NAME>_URL overrides win, over HTTP and WS alike.
    buildService: (name, url) =>
      new SignedDataSource(
        name,
        subgraphUrls[name] ?? url,
        config.signingSecret,
        config.resilience,
        fetchSeconds,
        fetchSharing.sharing,
      ),
    subgraphWsUrl: (name, url) => (subgraphUrls[name] ?? url).replace(/^http/, 'ws'),
    logger: { warn: (message) => log.warn(message) },
    // The same limits and safelist over the socket as over HTTP.
    maxTokens: config.limits.maxTokens,
    validationRules: [operationShapeRule(config.limits)],
    checkOperation: ({ document, operationName, variables }) => {
      enforceCost(measureOperation(document, operationName, variables), config.limits);
      if (safelist) assertSafelisted(safelist, document, operationName);
      if (gateway.schema) checkDocumentInput(gateway.schema, document, operationName, variables); // as inputCheckPlugin over HTTP
    },
  });
  const unfollowRevocations = sockets.follow(subscriptions);
  new Gauge({
    name: 'subscriptions_open',
    help: 'Open subscriptions: client sockets, client subscriptions and upstream subscriptions',
    labelNames: ['kind'],
    registers: [metrics.registry],
    collect() {
      const stats = subscriptions.stats();
      this.set({ kind: 'clients' }, stats.clients);
      this.set({ kind: 'client_subscriptions' }, stats.clientSubscriptions);
      this.set({ kind: 'upstreams' }, stats.upstreams);
    },
  });

  const limiter = config.redisUrl
    ? new RedisRateLimiter(config.redisUrl, config.redisPrefix, (msg) => log.warn(msg))
    : new MemoryRateLimiter();
  // APQ: shared by every replica through Redis in production; Apollo Server's in-memory LRU otherwise.
  const persistedQueries = config.redisUrl
    ? new RedisKeyValueCache(config.redisUrl, config.redisPrefix, 'apq')
    : undefined;
  const responses =
    config.redisUrl && config.responseCache
      ? new RedisKeyValueCache(config.redisUrl, config.redisPrefix, 'responses')
      : undefined;
  const apollo = new ApolloServer<RouterContext>({
    gateway,
    persistedQueries: persistedQueries ? { cache: persistedQueries, ttl: 86_400 } : undefined,
    csrfPrevention: true,
    introspection: config.introspection,
    includeStacktraceInErrorResponses: false,
    stopOnTerminationSignals: false, // our own shutdown drains everything in order (runUntilSignalled)
    parseOptions: { maxTokens: config.limits.maxTokens },
    validationRules: [operationShapeRule(config.limits)],
    formatError: formatError((err) => log.error({ err }, 'unexpected error in the router'), {
      hideSuggestions: config.nodeEnv === 'production',
    }),
    plugins: [
      valueCompletionPlugin(log),
      ...(config.responseCache ? [responseCache(responses)] : []),
      inputCheckPlugin(),
      jsonStatusPlugin(),
      subscriptionOverHttpPlugin(),
      operationCostPlugin(config.limits),
      ...(safelist ? [safelistPlugin(safelist)] : []),
      config.sandbox
        ? ApolloServerPluginLandingPageLocalDefault({ embed: true, includeCookies: false })
        : ApolloServerPluginLandingPageDisabled(),
      {
        async requestDidStart() {
          const end = metrics.operationSeconds.startTimer();
          return {
            async willSendResponse(rc) {
              const operation = rc.operationName ?? 'anonymous';
              end({ operation });
              metrics.operations.inc({
                operation,
                outcome:
                  rc.errors?.length ||
                  rc.response.body.kind !== 'single' ||
                  rc.response.body.singleResult.errors?.length
                    ? 'error'
                    : 'ok',
              });
            },
          };
        },
      },
    ],
  });
  await apollo.start();

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.get('/', (_req, res) => res.redirect(302, '/graphql'));
  app.get('/health', async (_req, res) => {
    const subgraphs = await probeSubgraphs(subgraphUrls, '/health');
    const allUp = subgraphs.every((s) => s.status === 'up');
    res.status(200).json({ status: allUp ? 'ok' : 'degraded', service: 'router', instance, subgraphs });
  });
  app.get('/ready', async (_req, res) => {
    const subgraphs = await probeSubgraphs(subgraphUrls, '/ready');
    const ready = subgraphs.every((s) => s.status === 'up');
    res
      .status(ready ? 200 : 503)
      .json({ status: ready ? 'ready' : 'not ready', service: 'router', instance, subgraphs });
  });
  app.use('/dashboard', dashboardPage(config.dashboard));
  app.get(
    '/metrics',
    async (_req, res) => void res.type(metrics.registry.contentType).send(await metrics.registry.metrics()),
  );

  const ipLimit = ipRateLimit(limiter, config.rateLimits);
  app.use(
    '/media',
    correlation,
    ipLimit,
    mediaProxy({
      targetUrl: subgraphUrls.cases,
      verifier,
      secret: config.signingSecret,
      timeoutMs: config.resilience.timeoutMs,
    }),
  );
  app.use(
    '/cases',
    correlation,
    casePageProxy({
      targetUrl: subgraphUrls.cases,
      verifier,
      secret: config.signingSecret,
      timeoutMs: config.resilience.timeoutMs,
      limiter,
      rateLimits: config.rateLimits,
      allowedOrigins: config.corsOrigins,
    }),
  );
  app.use(jsonErrors(log));

  const graphql = graphqlRoute({
    apollo,
    verifier,
    limiter,
    rateLimits: config.rateLimits,
    corsOrigins: config.corsOrigins,
    bodyLimit: config.limits.bodyLimit,
    metrics,
  });
  const { server, port } = await listen(
    (req: IncomingMessage, res: ServerResponse) => (isGraphqlPath(req.url) ? graphql(req, res) : app(req, res)),
    config.port,
    config.host,
  );
  const wsHandle = attachSubscriptionEngine(subscriptions, new WebSocketServer({ server, path: '/graphql' }));
  const url = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}/graphql`;
  log.info({ url }, 'router listening');
  return {
    url,
    port,
    instance,
    server,
    subgraphUrls,
    subscriptions,
    async stop() {
      unfollowRevocations();
      await wsHandle.dispose();
      await closeServer(server);
      await apollo.stop();
      await limiter.close();
      await persistedQueries?.close();
      await responses?.close();
      await revocations.stop();
      await fetchSharing.close();
      await tracing?.shutdown();
    },
  };
}

/** Uses the client's correlation id when it sends a sane one, else a new one; echoes it back. */
function correlation(req: Request, res: Response, next: NextFunction): void {
  const correlationId = correlationIdOf(req.headers[CORRELATION_HEADER]);
  res.locals.correlationId = correlationId;
  res.setHeader(CORRELATION_HEADER, correlationId);
  withLogScope({ correlationId }, next);
}
