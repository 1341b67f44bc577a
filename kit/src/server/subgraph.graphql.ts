import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApolloServer } from '@apollo/server';
import {
  CLIENT_USER_AGENT_HEADER,
  CORRELATION_HEADER,
  IDENTITY_HEADER,
  verifyIdentity,
  type Identity,
  type VerifiedIdentity,
} from '../auth/identity';
import type { Logger } from '../logging/logger';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { StatementContext } from '../db/statement.origin';
import { runInTraceContext } from '../telemetry/tracing';
import type { RequestContext } from './context';
import { graphqlHandler } from './graphql.handler';
import { sendJsonError } from './json.errors';
import type { SubgraphServerOptions } from './subgraph.server';

/** Whether a request is for the GraphQL endpoint (`/graphql`, with or without a query string). */
export function isGraphqlPath(url: string | undefined): boolean {
  return url === '/graphql' || (url !== undefined && url.startsWith('/graphql?'));
}

/**
 * A subgraph's `/graphql` over HTTP: refuses every request without a valid router signature
 * (401 UNAUTHENTICATED), runs the rest in the caller's trace context, with a fresh EntityManager
 * fork and DataLoaders each. Identical queries of the same identity share one execution while it
 * runs (see `graphqlHandler`), so replicas of the router sending the same fetch at once cost one.
 *
 * No log scope (AsyncLocalStorage) per request: on Node 20 it would hook every promise of the
 * process (bench/optimisations.md, entry 21). What the request's work needs to know travels with
 * it instead: its fork's logger context makes every statement count and log as the request's
 * (ServiceEntityManager), `ctx.log` carries the correlation id and user, and unexpected errors are
 * logged with the correlation id (requestErrorLog).
 */
export function subgraphGraphql<L>(opts: SubgraphServerOptions<L>, apollo: ApolloServer<RequestContext<L>>) {
  const serve = graphqlHandler<RequestContext<L>, { verified: VerifiedIdentity; correlationId: string }>({
    apollo,
    bodyLimit: opts.bodyLimit ?? '1mb',
    onShared: (operation) => opts.metrics.sharedOperations.inc({ operation: operation ?? 'anonymous' }),
    prepare: (req, _res, { verified, correlationId }) => ({
      shareScope: JSON.stringify(verified.identity),
      context: async () => {
        const loggerContext: StatementContext = { origin: 'request', correlationId };
        const em = opts.db.orm.em.fork({ loggerContext });
        const context = new SubgraphRequest<L>(em, verified.identity, correlationId, opts.log);
        const userAgent = header(req, CLIENT_USER_AGENT_HEADER);
        if (userAgent) context.userAgent = userAgent;
        context.loaders = opts.createLoaders(context);
        return context;
      },
    }),
  });
  const headers = (req: IncomingMessage) => ({ get: (name: string) => header(req, name) });
  return (req: IncomingMessage, res: ServerResponse): void => {
    void runInTraceContext(headers(req), async () => {
      const verified = await verifyIdentity(header(req, IDENTITY_HEADER), opts.signingSecret);
      if (!verified) {
        req.resume();
        return sendJsonError(res, 401, 'UNAUTHENTICATED', 'This subgraph only answers requests signed by the router.');
      }
      const correlationId = verified.correlationId || header(req, CORRELATION_HEADER) || randomUUID();
      await serve(req, res, { verified, correlationId });
    }).catch((err: unknown) => {
      opts.log.error({ err }, 'request failed');
      if (!res.headersSent) sendJsonError(res, 500, 'INTERNAL_SERVER_ERROR', 'Internal server error.');
      else res.destroy();
    });
  };
}

/**
 * One request's context. `log` is a child logger with the correlation id and user, made on first
 * use (most requests log nothing); the getter is on the prototype, so Apollo Server's copy of the
 * context (`Object.assign` onto an object of the same prototype) keeps it lazy.
 */
class SubgraphRequest<L> implements RequestContext<L> {
  loaders!: L;
  userAgent?: string;
  private child?: Logger;

  constructor(
    readonly em: EntityManager,
    readonly identity: Identity,
    readonly correlationId: string,
    private readonly serviceLog: Logger,
  ) {}

  get log(): Logger {
    const { userId } = this.identity;
    return (this.child ??= this.serviceLog.child({ correlationId: this.correlationId, ...(userId ? { userId } : {}) }));
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
