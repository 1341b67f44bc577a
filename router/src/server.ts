import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { WebSocketServer } from 'ws';
import {
  closeServer,
  createLogger,
  inputCheckPlugin,
  operationResolutionPlugin,
  isGraphqlPath,
  listen,
  newInstanceId,
  operationMetricsPlugin,
  startTracing,
} from '@supergraph/kit';
import type { VerifiedToken } from './access-token.verifier';
import { routerApollo } from './apollo.server';
import { startTokenVerification } from './auth/token.verification';
import { persistedQueries } from './cache/apq.store';
import { createFetchSharing } from './cache/fetch.sharing';
import { responseCaching } from './cache/response-cache.store';
import { loadConfig, type RouterConfig } from './config';
import { createGateway } from './gateway';
import { graphqlRoute } from './http/graphql.route';
import { jsonStatusPlugin } from './http/json-status.plugin';
import { landingPagePlugin } from './http/landing-page.plugin';
import { routerApp } from './http/router.app';
import { subscriptionOverHttpPlugin } from './http/subscription-over-http.plugin';
import { limitsPolicy } from './limits/limits.policy';
import { openRateLimiter } from './limits/rate.limiter';
import { valueCompletionPlugin } from './resilience/value-completion.plugin';
import { createRouterMetrics } from './router.metrics';
import { SingleFetchFastPath } from './single-fetch.fast-path';
import { SingleFetchShortcut } from './single-fetch.shortcut';
import { SubscriptionEngine, attachSubscriptionEngine } from './subscriptions';
import { routerSubscriptions } from './subscriptions/router.subscriptions';

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
 * (and queries) over graphql-ws on the same path, `/media/*` and `/cases/*` forwarded to cases,
 * Apollo Sandbox at `/` in development, `/dashboard`, `/health`, `/ready` and `/metrics`.
 * `stop()` closes everything in the reverse order of opening.
 */
export async function start(config: RouterConfig = loadConfig()): Promise<RunningRouter> {
  const log = createLogger('router', config.logLevel);
  const metrics = createRouterMetrics();
  const tracing = config.otlpEndpoint ? startTracing('router', config.otlpEndpoint) : undefined;
  const instance = newInstanceId();
  const fetchSharing = await createFetchSharing(config, metrics, instance, log);
  const { sharing } = fetchSharing;
  const shortcut = config.singleFetchShortcut
    ? new SingleFetchShortcut(metrics.singleFetch, config.singleFetchMerge, metrics.mergedCopies)
    : undefined;
  const { gateway, subgraphUrls } = createGateway(config, metrics.fetchSeconds, sharing, shortcut);
  const tokens = await startTokenVerification(config, log);
  const { verifier } = tokens;
  const limits = limitsPolicy(config);
  const fastPath =
    shortcut && config.singleFetchFastPath
      ? new SingleFetchFastPath({ shortcut, limits, metrics, responseCache: config.responseCache })
      : undefined;
  fastPath?.attach(gateway); // before Apollo Server loads the gateway, so it sees the first schema
  const limiter = openRateLimiter(config, (message) => log.warn(message));
  const live = routerSubscriptions({ config, gateway, subgraphUrls, tokens, limits, metrics, sharing, log });
  const subscriptions = live.engine;
  const apq = persistedQueries(config);
  const responses = responseCaching(config);
  const apollo = routerApollo({ config, gateway, shortcut, limits, persistedQueries: apq, log }, [
    valueCompletionPlugin(log),
    ...responses.plugins,
    inputCheckPlugin(),
    operationResolutionPlugin(),
    jsonStatusPlugin(),
    subscriptionOverHttpPlugin(),
    ...limits.plugins,
    landingPagePlugin(config.sandbox),
    operationMetricsPlugin(metrics),
  ]);
  await apollo.start();

  const app = routerApp({ config, instance, subgraphUrls, verifier, limiter, registry: metrics.registry, log });
  const graphql = graphqlRoute({ apollo, verifier, limiter, config, metrics, execute: fastPath?.execute });
  const { server, port } = await listen(
    (req: IncomingMessage, res: ServerResponse) => (isGraphqlPath(req.url) ? graphql(req, res) : app(req, res)),
    config.port,
    config.host,
  );
  const ws = attachSubscriptionEngine(subscriptions, new WebSocketServer({ server, path: '/graphql' }));
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
      live.stop();
      await ws.dispose();
      await closeServer(server);
      await apollo.stop();
      await Promise.all([limiter.close(), apq.close(), responses.close()]);
      await tokens.stop();
      await fetchSharing.close();
      await tracing?.shutdown();
    },
  };
}
