import { useServer } from 'graphql-ws/use/ws';
import { GraphQLError, type GraphQLSchema } from 'graphql';
import type { WebSocketServer } from 'ws';
import { IDENTITY_HEADER, verifyIdentity, type VerifiedIdentity } from '../auth/identity';
import type { Database } from '../db/database';
import type { Logger } from '../logging/logger';
import { requestContext, type CreateLoaders } from './context';

interface Options<L> {
  name: string;
  schema: GraphQLSchema;
  db: Database;
  signingSecret: string;
  log: Logger;
  createLoaders: CreateLoaders<L>;
}

/** Open upstream subscriptions per subgraph, for `/metrics` and tests. */
export const openSubscriptions = new Map<string, number>();

/**
 * Serves the subgraph's Subscription fields over graphql-ws. Only the router may connect: the
 * connection params must carry its signed identity (`x-router-identity`), else the socket closes
 * with 4401.
 */
export function attachSubscriptions<L>(wss: WebSocketServer, opts: Options<L>): { dispose(): Promise<void> } {
  openSubscriptions.set(opts.name, 0);
  const bump = (delta: number) => openSubscriptions.set(opts.name, (openSubscriptions.get(opts.name) ?? 0) + delta);
  const server = useServer<Record<string, unknown> | undefined, { caller?: VerifiedIdentity }>(
    {
      schema: opts.schema,
      onConnect: async (ctx) => {
        const token = ctx.connectionParams?.[IDENTITY_HEADER];
        const verified = await verifyIdentity(typeof token === 'string' ? token : undefined, opts.signingSecret);
        if (!verified) return false; // graphql-ws closes with 4403 Forbidden
        ctx.extra.caller = verified;
        return true;
      },
      // Made as for an HTTP request: its statements count as the request's, ctx.log names the caller.
      context: (ctx) => {
        const { identity, correlationId } = ctx.extra.caller!;
        return requestContext({
          db: opts.db,
          log: opts.log,
          createLoaders: opts.createLoaders,
          identity,
          correlationId,
        });
      },
      onSubscribe: () => {
        bump(1);
      },
      onComplete: () => {
        bump(-1);
      },
      onError: (_ctx, _id, _payload, errors) => {
        opts.log.warn({ errors: errors.map((e) => e.message) }, 'subscription error');
      },
      onNext: (_ctx, _id, _payload, _args, result) => {
        // Never leak stack traces or internals through events.
        if ('errors' in result && result.errors) {
          return {
            ...result,
            errors: result.errors.map((e) =>
              e instanceof GraphQLError &&
              typeof e.extensions?.code === 'string' &&
              e.extensions.code !== 'INTERNAL_SERVER_ERROR'
                ? new GraphQLError(e.message, { path: e.path, extensions: { code: e.extensions.code } })
                : new GraphQLError('Internal server error.', {
                    path: (e as GraphQLError).path,
                    extensions: { code: 'INTERNAL_SERVER_ERROR' },
                  }),
            ),
          };
        }
        return undefined;
      },
    },
    wss,
  );
  return { dispose: async () => server.dispose() };
}
