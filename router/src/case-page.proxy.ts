import express, { type NextFunction, type Request, type Response } from 'express';
import type { AccessTokenVerifier } from './access-token.verifier';
import { ipRateLimit, type RateLimits } from './limits/limits.plugin';
import type { RateLimiter } from './limits/rate.limiter';
import { subgraphProxy, type Refusal } from './subgraph.proxy';

/** Request headers passed on to the case pages. */
const FORWARDED = ['content-type', 'content-length', 'accept', 'if-none-match'];
/** Response headers passed back: the page's own security headers and redirects included. */
const RETURNED = [
  'content-type',
  'content-length',
  'cache-control',
  'etag',
  'location',
  'content-security-policy',
  'x-content-type-options',
  'referrer-policy',
];

/** What the case pages need from the router. */
export interface CasePageProxyOptions {
  targetUrl: string | undefined;
  verifier: AccessTokenVerifier;
  secret: string;
  timeoutMs: number;
  limiter: RateLimiter;
  rateLimits: RateLimits;
  /** Browser origins allowed besides this one (CORS_ORIGINS) to post the sighting form. */
  allowedOrigins: readonly string[];
}

const escape = (t: string) => t.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A refusal as a small HTML page: the case pages are opened by people, not API clients. */
const htmlRefusal: Refusal = (res, status, _code, message) => {
  res.status(status).type('html').send(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Not available</title></head>
<body><main><h1>Not available</h1><p>${escape(message)}</p></main></body></html>\n`);
};

/**
 * `/cases/*`: the public case pages (poster QR codes and alert links), forwarded to the cases
 * subgraph with the same per-IP rate limit (and counter) as `/graphql`, answered as HTML when
 * refused. The sighting form may only be posted from this origin (or an allowed one): a cross-site
 * post is 403 before it reaches the service.
 */
export function casePageProxy(opts: CasePageProxyOptions): express.Router {
  const router = express.Router();
  const tooMany = (res: Response, seconds: number) =>
    htmlRefusal(res, 429, 'RATE_LIMITED', `Too many requests from your address. Try again in ${seconds} s.`);
  router.use(ipRateLimit(opts.limiter, opts.rateLimits, tooMany));
  router.post('/*rest', sameOrigin(opts.allowedOrigins));
  router.use(
    subgraphProxy({ ...opts, what: 'case page', forwarded: FORWARDED, returned: RETURNED, refuse: htmlRefusal }),
  );
  return router;
}

/** Refuses a post whose browser says it comes from another site (Origin, Sec-Fetch-Site). */
function sameOrigin(allowed: readonly string[]) {
  return (req: Request, res: Response, next: NextFunction) => {
    const site = req.header('sec-fetch-site');
    const origin = req.header('origin');
    let host: string | null = null;
    try {
      host = origin && origin !== 'null' ? new URL(origin).host : null;
    } catch {
      host = null;
    }
    const fromHere = host !== null && (host === req.header('host') || allowed.includes(origin!));
    const siteSaysOther = site !== undefined && site !== 'same-origin' && site !== 'none';
    if ((siteSaysOther || origin !== undefined) && !fromHere) {
      return htmlRefusal(res, 403, 'FORBIDDEN', 'Sightings can only be sent with the form on the case page.');
    }
    next();
  };
}
