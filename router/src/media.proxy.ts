import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import { AppError, CORRELATION_HEADER, IDENTITY_HEADER, signIdentity } from '@supergraph/kit';
import type { AccessTokenVerifier } from './access-token.verifier';

/** Request headers passed on to the media service; everything else (cookies, auth) stays here. */
const FORWARDED = ['content-type', 'content-length', 'accept', 'if-none-match', 'if-modified-since', 'range'];
/** Response headers passed back to the client. */
const RETURNED = ['content-type', 'content-length', 'cache-control', 'etag', 'last-modified', 'content-disposition', 'accept-ranges', 'content-range'];

/**
 * Forwards `/media/*` (photo uploads and downloads, posters) to the subgraph that owns media, as
 * the public origin: the caller's access token is verified here and its identity goes upstream
 * signed, exactly as for GraphQL. Bodies stream through without buffering.
 */
export function mediaProxy(opts: { targetUrl: string | undefined; verifier: AccessTokenVerifier; secret: string; timeoutMs: number }) {
  return async (req: Request, res: Response, next: NextFunction) => {
    if (!opts.targetUrl) return void res.status(404).json({ errors: [{ message: 'No media service is configured.', extensions: { code: 'NOT_FOUND' } }] });
    let identity;
    try {
      identity = await opts.verifier.fromAuthorization(req.header('authorization'));
    } catch (err) {
      const e = err as AppError;
      return void res.status((e.extensions?.http as { status?: number })?.status ?? 401).json({ errors: [{ message: e.message, extensions: { code: e.extensions?.code } }] });
    }
    const correlationId = res.locals.correlationId as string;
    const target = new URL(req.originalUrl, opts.targetUrl);
    const headers: Record<string, string> = { [IDENTITY_HEADER]: await signIdentity(identity, correlationId, opts.secret), [CORRELATION_HEADER]: correlationId };
    for (const h of FORWARDED) if (req.headers[h]) headers[h] = String(req.headers[h]);
    const upstream = httpRequest(target, { method: req.method, headers, timeout: opts.timeoutMs }, (up) => {
      res.status(up.statusCode ?? 502);
      copy(up.headers, res);
      up.pipe(res);
    });
    upstream.on('timeout', () => upstream.destroy(new Error('timeout')));
    upstream.on('error', (err) => {
      if (res.headersSent) return void res.destroy(err);
      res.status(502).json({ errors: [{ message: 'The media service is unavailable. Try again shortly.', extensions: { code: 'SUBGRAPH_UNAVAILABLE' } }] });
    });
    req.pipe(upstream);
    req.on('error', next);
  };
}

function copy(from: IncomingHttpHeaders, res: Response): void {
  for (const h of RETURNED) if (from[h] !== undefined) res.setHeader(h, from[h]!);
}
