import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import {
  AppError,
  CORRELATION_HEADER,
  IDENTITY_HEADER,
  sendJsonError,
  signIdentity,
  type ErrorCode,
} from '@supergraph/kit';
import type { AccessTokenVerifier } from './access-token.verifier';

/** How a proxy answers what it refuses itself (no service, bad token, service down). */
export type Refusal = (res: Response, status: number, code: ErrorCode, message: string) => void;

/** Refusals in the GraphQL error shape, for API clients. */
export const jsonRefusal: Refusal = (res, status, code, message) => sendJsonError(res, status, code, message);

/** What one forwarded path needs. */
export interface SubgraphProxyOptions {
  /** Base URL of the owning subgraph; undefined answers 404. */
  targetUrl: string | undefined;
  verifier: AccessTokenVerifier;
  secret: string;
  timeoutMs: number;
  /** What the service is called in refusals ("media", "case page"). */
  what: string;
  /** Request headers passed on; everything else (cookies, auth) stays here. */
  forwarded: readonly string[];
  /** Response headers passed back to the client. */
  returned: readonly string[];
  refuse: Refusal;
}

/**
 * Forwards a path to the subgraph that owns it, as the public origin: the caller's access token is
 * verified here and its identity goes upstream signed, exactly as for GraphQL, with the request's
 * correlation id. Bodies stream through both ways without buffering; only the listed headers pass.
 */
export function subgraphProxy(opts: SubgraphProxyOptions) {
  return async (req: Request, res: Response, next: NextFunction) => {
    if (!opts.targetUrl) return opts.refuse(res, 404, 'NOT_FOUND', `No ${opts.what} service is configured.`);
    let identity;
    try {
      identity = await opts.verifier.fromAuthorization(req.header('authorization'));
    } catch (err) {
      const e = err as AppError;
      const status = (e.extensions?.http as { status?: number })?.status ?? 401;
      return opts.refuse(res, status, (e.extensions?.code ?? 'UNAUTHENTICATED') as ErrorCode, e.message);
    }
    const correlationId = res.locals.correlationId as string;
    const target = new URL(req.originalUrl, opts.targetUrl);
    const headers: Record<string, string> = {
      [IDENTITY_HEADER]: await signIdentity(identity, correlationId, opts.secret),
      [CORRELATION_HEADER]: correlationId,
    };
    for (const h of opts.forwarded) if (req.headers[h]) headers[h] = String(req.headers[h]);
    const upstream = httpRequest(target, { method: req.method, headers, timeout: opts.timeoutMs }, (up) => {
      res.status(up.statusCode ?? 502);
      copy(up.headers, opts.returned, res);
      up.pipe(res);
    });
    upstream.on('timeout', () => upstream.destroy(new Error('timeout')));
    upstream.on('error', (err) => {
      if (res.headersSent) return void res.destroy(err);
      opts.refuse(res, 502, 'SUBGRAPH_UNAVAILABLE', `The ${opts.what} service is unavailable. Try again shortly.`);
    });
    req.pipe(upstream);
    req.on('error', next);
  };
}

function copy(from: IncomingHttpHeaders, names: readonly string[], res: Response): void {
  for (const h of names) if (from[h] !== undefined) res.setHeader(h, from[h]!);
}
