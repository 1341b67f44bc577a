import type { ApolloGateway } from '@apollo/gateway';
import { checkDocumentInput, subscriptionsGauge, type Logger } from '@supergraph/kit';
import type { VerifiedToken } from '../access-token.verifier';
import { SocketSessions } from '../auth/socket.sessions';
import type { TokenVerification } from '../auth/token.verification';
import type { RouterConfig } from '../config';
import type { LimitsPolicy } from '../limits/limits.policy';
import type { RouterMetrics } from '../router.metrics';
import { SignedDataSource, type FetchSharing } from '../signed.datasource';
import { SubscriptionEngine } from './subscription.engine';

/** What the router's subscriptions are built from. */
export interface RouterSubscriptionsOptions {
  config: RouterConfig;
  gateway: ApolloGateway;
  /** The supergraph's subgraph URLs with `<NAME>_URL` overrides applied (`createGateway`). */
  subgraphUrls: Record<string, string>;
  /** The router's token verification: sockets are authenticated and ended by the same tokens and revocations. */
  tokens: TokenVerification;
  limits: LimitsPolicy;
  /** `subgraph_fetch_duration_seconds` for the entity fetches; `subscriptions_open` is registered here. */
  metrics: RouterMetrics;
  sharing: FetchSharing;
  log: Logger;
}

/**
 * The router's subscription engine (graphql-ws on `/graphql`; attach it with
 * `attachSubscriptionEngine`): a token in the connection params is verified like a bearer token
 * (anonymous clients may subscribe to public fields), the identity goes upstream signed, and the
 * operation limits, safelist and input checks of HTTP apply to every operation over the socket.
 * A socket whose token expires or is revoked is closed with 4401 (see SocketSessions).
 * Registers `subscriptions_open` (clients, client subscriptions, upstreams) on the router's registry.
 * `stop` stops following revocations (before the engine is disposed).
 */
export function routerSubscriptions(opts: RouterSubscriptionsOptions): {
  engine: SubscriptionEngine<VerifiedToken>;
  stop(): void;
} {
  const { config, gateway, subgraphUrls, limits } = opts;
  const sockets = new SocketSessions(opts.tokens.verifier, opts.tokens.revocations, config.signingSecret);
  const engine = new SubscriptionEngine<VerifiedToken>({
    gateway,
    ...sockets.engineOptions, // tokens verified at connection_init, sockets closed when they expire or are revoked
    // The supergraph's URLs are the documented defaults; <NAME>_URL overrides win, over HTTP and WS alike.
    buildService: (name, url) =>
      new SignedDataSource(
        name,
        subgraphUrls[name] ?? url,
        config.signingSecret,
        config.resilience,
        opts.metrics.fetchSeconds,
        opts.sharing,
      ),
    subgraphWsUrl: (name, url) => (subgraphUrls[name] ?? url).replace(/^http/, 'ws'),
    logger: { warn: (message) => opts.log.warn(message) },
    maxTokens: limits.maxTokens,
    validationRules: limits.validationRules,
    checkOperation: (operation) => {
      limits.checkOperation(operation);
      const { document, operationName, variables } = operation;
      if (gateway.schema) checkDocumentInput(gateway.schema, document, operationName, variables); // as inputCheckPlugin over HTTP
    },
  });
  const help = 'Open subscriptions: client sockets, client subscriptions and upstream subscriptions';
  subscriptionsGauge(opts.metrics.registry, help, () => {
    const stats = engine.stats();
    return { clients: stats.clients, client_subscriptions: stats.clientSubscriptions, upstreams: stats.upstreams };
  });
  return { engine, stop: sockets.follow(engine) };
}
