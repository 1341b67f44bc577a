import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApolloServer } from '@apollo/server';
import cors from 'cors';
import {
  AppError,
  CORRELATION_HEADER,
  graphqlHandler,
  type GraphQLHandlerOptions,
  runInTraceContext,
  sendJsonError,
  type Identity,
  type ServiceMetrics,
} from '@supergraph/kit';
import type { AccessTokenVerifier } from '../access-token.verifier';
import type { RouterConfig } from '../config';
import { sendRateLimited } from '../limits/limits.plugin';
import type { RateLimiter } from '../limits/rate.limiter';
import type { RouterContext } from '../signed.datasource';

/** What the router's `/graphql` endpoint needs. */
export interface GraphqlRouteOptions {
  apollo: ApolloServer<RouterContext>;
  verifier: AccessTokenVerifier;
  limiter: RateLimiter;
  /** The rate limits, the allowed browser origins (CORS) and the body limit. */
  config: Pick<RouterConfig, 'rateLimits' | 'corsOrigins' | 'limits'>;
  metrics: ServiceMetrics;
  /** Runs what no request in flight answers, in place of Apollo Server where it can (SingleFetchFastPath). */
  execute?: GraphQLHandlerOptions<RouterContext, string>['execute'];
}

const isLoopback = (address: string) => /^(127\.|::1$|::ffff:127\.)/.test(address);

/**
 * The client's address as express's `req.ip` reads it with `trust proxy: loopback`: the socket's
 * peer, unless that is a proxy on this host, in which case the nearest `X-Forwarded-For` entry
 * that is not one.
 */
export function clientIp(req: IncomingMessage): string {
  const forwarded = String(req.headers['x-forwarded-for'] ?? '')
    .split(',')
    .map((a) => a.trim())
    .filter(Boolean)
    .reverse();
  const chain = [req.socket.remoteAddress ?? '', ...forwarded];
  for (let i = 0; i < chain.length - 1; i++) if (!isLoopback(chain[i]!)) return chain[i]!;
  return chain[chain.length - 1]!;
}

/** The client's correlation id when it sent a sane one, else a new one. */
export function correlationIdOf(given: string | string[] | undefined): string {
  const value = Array.isArray(given) ? given[0] : given;
  return value && /^[\w.:-]{8,64}$/.test(value) ? value : randomUUID();
}

/** CORS as the router answers it: listed origins only (or any with `*`), preflights cached 10 min. */
export function corsOptions(origins: string[]): cors.CorsOptions {
  if (origins.includes('*')) return { origin: true, maxAge: 600 };
  return { origin: origins.length ? origins : false, maxAge: 600, exposedHeaders: [CORRELATION_HEADER] };
}

type Middleware = (req: never, res: never, next: () => void) => void;

/**
 * The headers `middleware` (the `cors` package's, with fixed options) sets on an answer to a
 * request without `Origin` that is not a preflight, learnt by running it once on such a request:
 * they do not depend on anything else of the request. With them the router answers the requests
 * that browsers do not send (servers, apps, the bench) without running the middleware, about 3 %
 * of its CPU per request (bench/optimisations.md, entry 16).
 */
export function headersWithoutOrigin(middleware: Middleware): [string, string | number | string[]][] {
  type Value = string | number | string[];
  const set = new Map<string, [string, Value]>(); // by lowercased name, as written
  const res = {
    getHeader: (name: string) => set.get(name.toLowerCase())?.[1],
    setHeader: (name: string, value: Value) => set.set(name.toLowerCase(), [name, value]),
  };
  let passed = false;
  middleware({ method: 'POST', headers: {} } as never, res as never, () => (passed = true));
  if (!passed) throw new Error('The CORS middleware did not pass a request without Origin on at once.');
  return [...set.values()];
}

/**
 * The router's GraphQL endpoint over HTTP, served without express in between (it is the hot
 * path): CORS, the client's trace context, a correlation id (echoed back), the per-IP rate limit,
 * then the access token verified and the per-user rate limit counted for every request, and the
 * operation run through Apollo Server and the gateway. Identical queries from the same identity
 * that arrive while one of them is executing share that execution (the kit's `graphqlHandler`):
 * many clients polling one public query cost the subgraphs one fetch at a time, and a user's
 * private answers are only ever shared with that same user and session.
 */
export function graphqlRoute(opts: GraphqlRouteOptions) {
  const allowCors = cors(corsOptions(opts.config.corsOrigins));
  const withoutOrigin = headersWithoutOrigin(allowCors);
  const serve = graphqlHandler<RouterContext, string>({
    apollo: opts.apollo,
    bodyLimit: opts.config.limits.bodyLimit,
    execute: opts.execute,
    onShared: (operation) => opts.metrics.sharedOperations.inc({ operation: operation ?? 'anonymous' }),
    prepare: async (req, _res, correlationId) => {
      let identity: Identity;
      try {
        identity = await opts.verifier.fromAuthorization(header(req, 'authorization'));
        await hitUserLimit(opts, identity);
      } catch (err) {
        // Apollo Server answers a failed context with the error's code and HTTP status.
        return { context: () => Promise.reject(err) };
      }
      const context: RouterContext = { identity, correlationId, userAgent: header(req, 'user-agent'), exchange: {} };
      return { shareScope: JSON.stringify(identity), context: async () => context };
    },
  });
  const run = async (req: IncomingMessage, res: ServerResponse) => {
    const correlationId = correlationIdOf(req.headers[CORRELATION_HEADER]);
    res.setHeader(CORRELATION_HEADER, correlationId);
    // No log scope (AsyncLocalStorage) here: on Node 20 it puts a hook on every promise of the
    // process, up to a quarter of the router's CPU per request (bench/optimisations.md, entry 17). Log
    // lines of a request carry the correlation id from its context instead (requestErrorLog).
    if (!(await allowedFromIp(opts, req, res))) return;
    await serve(req, res, correlationId);
  };
  const traced = (req: IncomingMessage, res: ServerResponse) => {
    // A client's W3C trace context becomes the parent of the gateway's spans (and so of the subgraphs').
    runInTraceContext({ get: (name) => header(req, name) }, () => run(req, res)).catch(() => {
      if (!res.headersSent) sendJsonError(res, 500, 'INTERNAL_SERVER_ERROR', 'Internal server error.');
      else res.destroy();
    });
  };
  return (req: IncomingMessage, res: ServerResponse): void => {
    if (req.headers.origin !== undefined || req.method === 'OPTIONS') {
      allowCors(req as never, res as never, () => traced(req, res));
      return;
    }
    for (const [name, value] of withoutOrigin) res.setHeader(name, value);
    traced(req, res);
  };
}

/** Counts the request against its IP's limit; over it, answers 429 RATE_LIMITED with Retry-After. */
async function allowedFromIp(opts: GraphqlRouteOptions, req: IncomingMessage, res: ServerResponse): Promise<boolean> {
  const perMinute = opts.config.rateLimits.perIpPerMinute;
  if (!perMinute) return true;
  const d = await opts.limiter.hit(`ip:${clientIp(req)}`, perMinute, 60_000);
  if (d.allowed) return true;
  req.resume();
  sendRateLimited(res, d.retryAfterSeconds);
  return false;
}

async function hitUserLimit(opts: GraphqlRouteOptions, identity: Identity): Promise<void> {
  const perMinute = opts.config.rateLimits.perUserPerMinute;
  if (!identity.userId || !perMinute) return;
  const d = await opts.limiter.hit(`user:${identity.userId}`, perMinute, 60_000);
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
