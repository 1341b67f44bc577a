import type { ApolloGateway, GraphQLDataSource } from '@apollo/gateway';
import type { DocumentNode, ValidationRule } from 'graphql';

/** A client's graphql-ws `connection_init` payload. */
export type ConnectionParams = Record<string, unknown> | undefined;

/** Options of `SubscriptionEngine`. Times are in milliseconds. */
export interface SubscriptionEngineOptions<TIdentity> {
  /** The router's gateway: its schema loads feed the engine, queries/mutations over WS go to its executor. */
  gateway: ApolloGateway;
  /** Resolves a client's connection_init payload to an identity (null: anonymous); a throw closes the socket with 4401. */
  authenticate?: (connectionParams: ConnectionParams) => Promise<TIdentity | null>;
  /**
   * When an identity's credentials end (ms since the epoch, e.g. its access token's expiry): the
   * engine closes the client's socket then, as `SubscriptionEngine.endClients` does, with
   * `reason` from {@link credentialsEndReason}. Undefined: they do not end. Default: never.
   */
  credentialsEndAt?: (identity: TIdentity) => number | undefined;
  /** The reason given when credentials end at {@link credentialsEndAt} (default "credentials expired"). */
  credentialsEndReason?: string;
  /** Dedup key of an identity; default: its JSON with sorted keys. */
  identityKey?: (identity: TIdentity | null) => string;
  /** connection_init payload for upstream subgraph sockets (e.g. a signed identity token); default: none. */
  upstreamConnectionParams?: (identity: TIdentity | null) => Record<string, unknown> | Promise<Record<string, unknown>>;
  /** HTTP data source for the entity fetches of `rest`; default: a plain RemoteGraphQLDataSource. */
  buildService?: (name: string, url: string) => GraphQLDataSource;
  /** Execution context for a client (what data sources see); default `{ identity, connectionParams }`. */
  context?: (client: { identity: TIdentity | null; connectionParams: ConnectionParams }) => Record<string, unknown>;
  /** WebSocket URL of a subgraph; default: its HTTP URL with the ws(s) scheme. */
  subgraphWsUrl?: (name: string, httpUrl: string) => string;
  /** Most undelivered events one client may have before its socket is closed with 4429 (default 100). */
  maxQueuedEvents?: number;
  /** Ping interval (and pong deadline) of the router's sockets to clients (default 12 000). */
  keepAlive?: number;
  /** graphql-ws ping interval on upstream sockets (default 1 000). */
  upstreamKeepAlive?: number;
  /** Deadline for an upstream handshake, connection ack and each pong (default 1 500). */
  upstreamTimeout?: number;
  logger?: { warn(message: string): void };
  /** Most tokens a document may have before parsing stops, as over HTTP (default: no limit). */
  maxTokens?: number;
  /** Validation rules beyond graphql-js's own, as over HTTP (e.g. depth and alias limits). */
  validationRules?: readonly ValidationRule[];
  /**
   * Checks each valid operation a client sends over the socket before it runs, as the HTTP
   * pipeline does (e.g. cost limit, safelist): throw a GraphQLError with a code to refuse it.
   */
  checkOperation?: (operation: {
    document: DocumentNode;
    operationName?: string | null;
    variables: Record<string, unknown>;
  }) => void;
}

/** Counters for tests and /metrics. */
export interface SubscriptionStats {
  /** Connected, authenticated WebSocket clients. */
  clients: number;
  /** Live client subscriptions. */
  clientSubscriptions: number;
  /** Open upstream (subgraph) subscriptions after dedup. */
  upstreams: number;
}
