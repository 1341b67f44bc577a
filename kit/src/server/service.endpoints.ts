import express, { type Router } from 'express';
import type { Registry } from 'prom-client';
import { methodNotAllowed } from './json.errors';

/** How one named check came out: up, or down with a short reason (`HTTP 503`, `timed out`). */
export interface CheckOutcome {
  status: 'up' | 'down';
  detail?: string;
}

/**
 * One named check of a service's dependency (database, Redis, a subgraph): resolves `true` or an
 * `up` outcome when the dependency works. `false`, a `down` outcome and a rejection all count as down.
 */
export type HealthCheck = () => Promise<boolean | CheckOutcome>;

/** What {@link serviceEndpoints} answers for. */
export interface ServiceEndpointsOptions {
  /** The service's name (`router`, `users`, ...), answered as `service`. */
  service: string;
  /** The process's instance id (see `newInstanceId`), answered as `instance`. */
  instance: string;
  /** The registry `/metrics` exposes. */
  registry: Registry;
  /** Checks of `/ready`: 200 `ready` when every one is up, else 503 `not ready`. */
  readiness: Record<string, HealthCheck>;
  /**
   * Checks `/health` reports without failing it: the process is alive while it answers, so
   * `/health` is always 200, `ok` or `degraded` when one of these is down. None by default.
   */
  liveness?: Record<string, HealthCheck>;
}

/** The body of `/health` and `/ready`. */
export interface HealthAnswer {
  status: 'ok' | 'degraded' | 'ready' | 'not ready';
  service: string;
  instance: string;
  checks: Record<string, CheckOutcome>;
}

/** Methods the service endpoints answer (express answers HEAD with the GET route). */
const READ_ONLY = ['GET', 'HEAD'] as const;

/**
 * The endpoints every service of the supergraph (router and subgraphs) answers the same way:
 * `/health` (liveness), `/ready` (readiness, named checks run in parallel) and `/metrics`
 * (Prometheus text). Another method on these paths answers 405 `BAD_REQUEST` with `Allow`.
 */
export function serviceEndpoints(opts: ServiceEndpointsOptions): Router {
  const router = express.Router();
  const answer = async (checks: Record<string, HealthCheck>) => {
    const outcomes = await runChecks(checks);
    const up = Object.values(outcomes).every((o) => o.status === 'up');
    return { up, body: { service: opts.service, instance: opts.instance, checks: outcomes } };
  };
  router
    .route('/health')
    .get(async (_req, res) => {
      const { up, body } = await answer(opts.liveness ?? {});
      res.status(200).json({ status: up ? 'ok' : 'degraded', ...body } satisfies HealthAnswer);
    })
    .all(methodNotAllowed(READ_ONLY));
  router
    .route('/ready')
    .get(async (_req, res) => {
      const { up, body } = await answer(opts.readiness);
      res.status(up ? 200 : 503).json({ status: up ? 'ready' : 'not ready', ...body } satisfies HealthAnswer);
    })
    .all(methodNotAllowed(READ_ONLY));
  router
    .route('/metrics')
    .get(async (_req, res) => void res.type(opts.registry.contentType).send(await opts.registry.metrics()))
    .all(methodNotAllowed(READ_ONLY));
  return router;
}

/** Runs every check at once; a rejection is a `down` outcome with the error's message. */
export async function runChecks(checks: Record<string, HealthCheck>): Promise<Record<string, CheckOutcome>> {
  const entries = Object.entries(checks);
  const outcomes = await Promise.all(
    entries.map(([, check]) =>
      check().then(
        (r): CheckOutcome => (typeof r === 'boolean' ? { status: r ? 'up' : 'down' } : r),
        (err: unknown): CheckOutcome => ({ status: 'down', detail: (err as Error)?.message ?? String(err) }),
      ),
    ),
  );
  return Object.fromEntries(entries.map(([name], i) => [name, outcomes[i]!]));
}
