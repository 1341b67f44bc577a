import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApolloServer } from '@apollo/server';
import {
  CLIENT_USER_AGENT_HEADER,
  CORRELATION_HEADER,
  IDENTITY_HEADER,
  UNSIGNED_REQUEST,
  verifyIdentity,
  type VerifiedIdentity,
} from '../auth/identity';
import { runInTraceContext } from '../telemetry/tracing';
import { requestContext, type RequestContext } from './context';
import { graphqlHandler } from './graphql.handler';
import { sendJsonError } from './json.errors';
import { isBatchPath, refusedBatchMethod, subgraphBatch } from './subgraph.batch';
import type { SubgraphServerOptions } from './subgraph.server';

/** Whether a request is for the GraphQL endpoint (`/graphql`, with or without a query string). */
export function isGraphqlPath(url: string | undefined): boolean {
  return url === '/graphql' || (url !== undefined && url.startsWith('/graphql?'));
}

/**
 * A subgraph's `/graphql` and `/graphql/batch` over HTTP: refuses every request without a valid
 * router signature (401 UNAUTHENTICATED), hands a signed batch to subgraphBatch, and runs the rest
 * in the caller's trace context, with a fresh EntityManager
 * fork and DataLoaders each. Identical queries of the same identity share one execution while it
 * runs (see `graphqlHandler`), so replicas of the router sending the same fetch at once cost one.
 *
 * No log scope (AsyncLocalStorage) per request: on Node 20 it would hook every promise of the
 * process (bench/optimisations.md, entry 21). What the request's work needs to know travels with
 * it instead (requestContext): its fork's logger context makes every statement count and log as the
 * request's, `ctx.log` carries the correlation id and user, and unexpected errors are logged with
 * the correlation id (requestErrorLog).
 */
export function subgraphGraphql<L>(opts: SubgraphServerOptions<L>, apollo: ApolloServer<RequestContext<L>>) {
  const serve = graphqlHandler<RequestContext<L>, { verified: VerifiedIdentity; correlationId: string }>({
    apollo,
    bodyLimit: opts.bodyLimit ?? '1mb',
    onShared: (operation) => opts.metrics.sharedOperations.inc({ operation: operation ?? 'anonymous' }),
    prepare: (req, _res, { verified, correlationId }) => ({
      shareScope: JSON.stringify(verified.identity),
      context: async () =>
        requestContext({
          db: opts.db,
          identity: verified.identity,
          correlationId,
          log: opts.log,
          createLoaders: opts.createLoaders,
          userAgent: header(req, CLIENT_USER_AGENT_HEADER),
        }),
    }),
  });
  const batch = subgraphBatch(opts, apollo);
  const headers = (req: IncomingMessage) => ({ get: (name: string) => header(req, name) });
  return (req: IncomingMessage, res: ServerResponse): void => {
    const batched = isBatchPath(req.url);
    if (batched && refusedBatchMethod(req, res)) return;
    void runInTraceContext(headers(req), async () => {
      const verified = await verifyIdentity(header(req, IDENTITY_HEADER), opts.signingSecret);
      if (!verified) {
        req.resume();
        return sendJsonError(res, 401, 'UNAUTHENTICATED', UNSIGNED_REQUEST);
      }
      if (batched) return await batch(req, res);
      const correlationId = verified.correlationId || header(req, CORRELATION_HEADER) || randomUUID();
      await serve(req, res, { verified, correlationId });
    }).catch((err: unknown) => {
      opts.log.error({ err }, 'request failed');
      if (!res.headersSent) sendJsonError(res, 500, 'INTERNAL_SERVER_ERROR', 'Internal server error.');
      else res.destroy();
    });
  };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
