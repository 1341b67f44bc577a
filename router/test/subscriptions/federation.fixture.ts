import { createServer, type Server } from 'node:http';
import { WebSocketServer } from 'ws';
import { GraphQLError, parse, type GraphQLSchema } from 'graphql';
import { ApolloServer } from '@apollo/server';
import { ApolloGateway, RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { composeServices } from '@apollo/composition';
import { Supergraph } from '@apollo/federation-internals';
import {
  SubscriptionEngine,
  attachSubscriptionEngine,
  type SubscriptionEngineOptions,
  type SubscriptionServerHandle,
} from '../../src/subscriptions';
import { EventHub, apolloHandler, listen, startSubgraph, type RunningSubgraph } from './subgraph.fixture';

/** The identity the test router's `authenticate` hands out (session and expiry only where a test sets them). */
export interface TestIdentity {
  userId: string;
  session?: string;
  expiresAtMs?: number;
}

/** One alert as the alerts subgraph publishes it. */
export interface AlertEvent {
  id: string;
  caseId: string;
  message: string;
  note?: string;
}

const ALERTS_SDL = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
  type Alert { id: ID! message: String! note: String level: Int case: Case! }
  type Case @key(fields: "id", resolvable: false) { id: ID! }
  type Query { alertCount: Int! }
  type Subscription { alertRaised(caseId: ID): Alert! }
`;

/** The catalog as composed at first: without `region` (a reload adds it). */
export const CATALOG_SDL_V1 = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
  type Case @key(fields: "id") { id: ID! title: String! viewer: String! }
  type Query { case(id: ID!): Case }
`;
/** The catalog as it really serves: with `region`. */
export const CATALOG_SDL_V2 = CATALOG_SDL_V1.replace('viewer: String!', 'viewer: String! region: String');

/** Titles of the cases the catalog knows. */
export const TITLES: Record<string, string> = { c1: 'Broken pipe in building 7', c2: 'Server room overheating' };

/** Both subgraphs, the composed supergraph and the router with the engine under test. */
export interface Federation {
  alerts: RunningSubgraph;
  catalog: RunningSubgraph;
  hub: EventHub<AlertEvent>;
  /** `Case.__resolveReference` calls on the catalog. */
  entityCalls: () => number;
  /** Publishes one alert on the alerts subgraph. */
  raise: (caseId: string, message: string, note?: string) => AlertEvent;
  /** Composes a supergraph with the given catalog SDL; returns it with its API schema. */
  compose: (catalogSdl: string) => { supergraphSdl: string; apiSchema: GraphQLSchema };
  engine: SubscriptionEngine<TestIdentity>;
  handle: SubscriptionServerHandle;
  wsUrl: string;
  stop: () => Promise<void>;
}

/** Adds the header a real router would sign, from the identity in the execution context. */
class IdentityDataSource extends RemoteGraphQLDataSource<Record<string, unknown>> {
  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<Record<string, unknown>>): void {
    const identity = (context as { identity?: TestIdentity | null }).identity;
    request.http?.headers.set('x-test-identity', identity?.userId ?? 'anonymous');
  }
}

/**
 * Starts alerts + catalog subgraphs, composes them, and runs ApolloServer + ApolloGateway with the
 * subscription engine attached to a ws server, all on free loopback ports.
 */
export async function startFederation(
  overrides: Partial<SubscriptionEngineOptions<TestIdentity>> = {},
): Promise<Federation> {
  const hub = new EventHub<AlertEvent>();
  let seq = 0;
  let entityCalls = 0;
  const alerts = await startSubgraph({
    name: 'alerts',
    typeDefs: ALERTS_SDL,
    onConnect: (params) => params?.user !== 'mallory',
    resolvers: {
      Query: { alertCount: () => seq },
      Subscription: {
        alertRaised: {
          subscribe: (_: unknown, { caseId }: { caseId?: string }) =>
            hub.subscribe((e) => !caseId || e.caseId === caseId),
          resolve: (e: AlertEvent) => e,
        },
      },
      Alert: {
        case: (a: AlertEvent) => ({ __typename: 'Case', id: a.caseId }),
        level: (a: AlertEvent) => {
          if (a.message === 'bad-level')
            throw new GraphQLError('Level is unavailable for this alert', {
              extensions: { code: 'LEVEL_UNAVAILABLE' },
            });
          return 3;
        },
      },
    },
  });
  const catalog = await startSubgraph({
    name: 'catalog',
    typeDefs: CATALOG_SDL_V2,
    resolvers: {
      Query: { case: (_: unknown, { id }: { id: string }) => (TITLES[id] ? { id } : null) },
      Case: {
        __resolveReference: ({ id }: { id: string }) => {
          entityCalls++;
          if (id === 'boom')
            throw new GraphQLError('Catalog exploded on this case', { extensions: { code: 'CATALOG_FAILURE' } });
          return TITLES[id] ? { id } : null;
        },
        title: ({ id }: { id: string }) => TITLES[id],
        region: ({ id }: { id: string }) => (id === 'c1' ? 'north' : 'south'),
        viewer: (_: unknown, __: unknown, ctx: { headers: Record<string, unknown> }) =>
          String(ctx.headers['x-test-identity'] ?? 'none'),
      },
    },
  });

  const compose = (catalogSdl: string) => {
    const result = composeServices([
      { name: 'alerts', url: alerts.url, typeDefs: parse(ALERTS_SDL) },
      { name: 'catalog', url: catalog.url, typeDefs: parse(catalogSdl) },
    ]);
    if (result.errors || !result.supergraphSdl)
      throw new Error(`composition failed: ${result.errors?.map((e) => e.message).join('; ')}`);
    return {
      supergraphSdl: result.supergraphSdl,
      apiSchema: Supergraph.build(result.supergraphSdl).apiSchema().toGraphQLJSSchema(),
    };
  };

  const { supergraphSdl } = compose(CATALOG_SDL_V1);
  const gateway = new ApolloGateway({ supergraphSdl, buildService: ({ url }) => new IdentityDataSource({ url }) });
  const engine = new SubscriptionEngine<TestIdentity>({
    gateway,
    authenticate: async (params) => {
      if (params?.token === 'bad') throw Object.assign(new Error('token expired'), { code: 'UNAUTHENTICATED' });
      return typeof params?.user === 'string' ? { userId: params.user } : null;
    },
    identityKey: (identity) => identity?.userId ?? 'anonymous',
    upstreamConnectionParams: (identity) => ({
      user: identity?.userId ?? 'anonymous',
      signature: `signed:${identity?.userId ?? 'anonymous'}`,
    }),
    buildService: (_name, url) => new IdentityDataSource({ url }),
    ...overrides,
  });
  const apollo = new ApolloServer<Record<string, unknown>>({ gateway });
  await apollo.start();
  const http: Server = createServer(apolloHandler(apollo));
  const wss = new WebSocketServer({ server: http, path: '/graphql' });
  const handle = attachSubscriptionEngine(engine, wss);
  const port = await listen(http);

  return {
    alerts,
    catalog,
    hub,
    compose,
    engine,
    handle,
    entityCalls: () => entityCalls,
    raise: (caseId, message, note) => {
      const event = { id: `a${++seq}`, caseId, message, note };
      hub.publish(event);
      return event;
    },
    wsUrl: `ws://127.0.0.1:${port}/graphql`,
    stop: async () => {
      await handle.dispose();
      http.closeAllConnections();
      await new Promise<void>((r) => http.close(() => r()));
      await apollo.stop();
      await Promise.all([alerts.stop(), catalog.stop()]);
    },
  };
}
