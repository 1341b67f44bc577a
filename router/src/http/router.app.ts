import express, { type Express } from 'express';
import type { Registry } from 'prom-client';
import { jsonFallbacks, serviceEndpoints, type Logger } from '@supergraph/kit';
import type { AccessTokenVerifier } from '../access-token.verifier';
import { casePageProxy } from '../case-page.proxy';
import type { RouterConfig } from '../config';
import { dashboardPage } from '../dashboard.page';
import { ipRateLimit } from '../limits/limits.plugin';
import type { RateLimiter } from '../limits/rate.limiter';
import { mediaProxy } from '../media.proxy';
import { subgraphProbes } from '../subgraph.probes';
import { correlation } from './correlation.middleware';

/** What the router's paths besides `/graphql` need. */
export interface RouterAppOptions {
  config: RouterConfig;
  instance: string;
  /** The subgraphs' URLs: probed by `/health` and `/ready`; cases serves `/media` and `/cases`. */
  subgraphUrls: Record<string, string>;
  verifier: AccessTokenVerifier;
  limiter: RateLimiter;
  registry: Registry;
  log: Logger;
}

/**
 * Everything the router serves besides `/graphql`, on express: `/` redirects to `/graphql`; the
 * kit's service endpoints, whose checks are the subgraphs' probes (`/health` reports each
 * subgraph's `/health`, `/ready` is 503 while one is not ready); `/dashboard`; `/media/*` and
 * `/cases/*` forwarded to the cases subgraph behind the per-IP rate limit; JSON 404s and errors.
 */
export function routerApp(opts: RouterAppOptions): Express {
  const { config, subgraphUrls } = opts;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.get('/', (_req, res) => res.redirect(302, '/graphql'));
  app.use(
    serviceEndpoints({
      service: 'router',
      instance: opts.instance,
      registry: opts.registry,
      liveness: subgraphProbes(subgraphUrls, '/health'),
      readiness: subgraphProbes(subgraphUrls, '/ready'),
    }),
  );
  app.use('/dashboard', dashboardPage(config.dashboard));
  const forwarding = {
    targetUrl: subgraphUrls.cases,
    verifier: opts.verifier,
    secret: config.signingSecret,
    timeoutMs: config.resilience.timeoutMs,
  };
  app.use('/media', correlation, ipRateLimit(opts.limiter, config.rateLimits), mediaProxy(forwarding));
  const casePages = { limiter: opts.limiter, rateLimits: config.rateLimits, allowedOrigins: config.corsOrigins };
  app.use('/cases', correlation, casePageProxy({ ...forwarding, ...casePages }));
  app.use(jsonFallbacks(opts.log));
  return app;
}
