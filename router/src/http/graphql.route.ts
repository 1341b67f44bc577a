import type { IncomingMessage } from 'node:http';
import type { ApolloServer } from '@apollo/server';
import type { Response } from 'express';
import { AppError, graphqlHandler, type Identity, type ServiceMetrics } from '@supergraph/kit';
import type { AccessTokenVerifier } from '../access-token.verifier';
import type { RateLimiter } from '../limits/rate.limiter';
import type { RouterContext } from '../signed.datasource';

/** What the router's `/graphql` route needs. */
export interface GraphqlRouteOptions {
  apollo: ApolloServer<RouterContext>;
  verifier: AccessTokenVerifier;
  limiter: RateLimiter;
  /** Requests per minute per signed-in user; 0 = off. */
  perUserPerMinute: number;
  bodyLimit: string;
  metrics: ServiceMetrics;
}

/**
 * The router's GraphQL endpoint over HTTP (after CORS, correlation id and the IP rate limit): the
 * access token is verified and the per-user rate limit counted for every request, then the
 * operation runs through Apollo Server and the gateway. Identical queries from the same identity
 * that arrive while one of them is executing share that execution (the kit's `graphqlHandler`):
 * many clients polling the same public query cost the subgraphs one fetch at a time, and a user's
 * private answers are only ever shared with that same user and session.
 */
export function graphqlRoute(opts: GraphqlRouteOptions) {
  const serve = graphqlHandler<RouterContext, undefined>({
    apollo: opts.apollo,
    bodyLimit: opts.bodyLimit,
    onShared: (operation) => opts.metrics.sharedOperations.inc({ operation: operation ?? 'anonymous' }),
    prepare: async (req, res) => {
      let identity: Identity;
      try {
        identity = await opts.verifier.fromAuthorization(header(req, 'authorization'));
        await hitUserLimit(opts, identity);
      } catch (err) {
        // Apollo Server answers a failed context with the error's code and HTTP status.
        return { context: () => Promise.reject(err) };
      }
      const context: RouterContext = {
        identity,
        correlationId: (res as Response).locals.correlationId as string,
        userAgent: header(req, 'user-agent'),
      };
      return { shareScope: JSON.stringify(identity), context: async () => context };
    },
  });
  return (req: IncomingMessage, res: Response) => serve(req, res, undefined);
}

async function hitUserLimit(opts: GraphqlRouteOptions, identity: Identity): Promise<void> {
  if (!identity.userId || !opts.perUserPerMinute) return;
  const d = await opts.limiter.hit(`user:${identity.userId}`, opts.perUserPerMinute, 60_000);
  if (d.allowed) return;
  throw new AppError(`Too many requests. Try again in ${d.retryAfterSeconds} s.`, 'RATE_LIMITED', {
    retryAfterSeconds: d.retryAfterSeconds,
    http: { status: 429, headers: new Map([['retry-after', String(d.retryAfterSeconds)]]) },
  });
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
