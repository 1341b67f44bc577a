import { Counter, Histogram } from 'prom-client';
import { createServiceMetrics, type ServiceMetrics } from '@supergraph/kit';

/** The router's metrics: every service's (kit) and its fetches to subgraphs. */
export interface RouterMetrics extends ServiceMetrics {
  /** Router to subgraph fetch latency in seconds, by subgraph and outcome. */
  fetchSeconds: Histogram<'subgraph' | 'outcome'>;
  /**
   * Queries planned as one fetch: answered by the shortcut through Apollo Server (`served`) or
   * without it (`fast`, SingleFetchFastPath), or handed to the gateway (`fallback`).
   */
  singleFetch: Counter<'outcome'>;
  /** Client queries per merged subgraph fetch (count: merged fetches; sum: the queries they carried), by subgraph. */
  mergedCopies: Histogram<'subgraph'>;
  /** Queries per batch request to a subgraph (count: batches; sum: the queries they carried), by subgraph. */
  batchedQueries: Histogram<'subgraph'>;
}

/** Creates the router's registry and metrics (`/metrics`). */
export function createRouterMetrics(): RouterMetrics {
  const metrics = createServiceMetrics('router');
  const fetchSeconds = new Histogram({
    name: 'subgraph_fetch_duration_seconds',
    help: 'Router to subgraph fetch latency',
    labelNames: ['subgraph', 'outcome'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [metrics.registry],
  });
  const singleFetch = new Counter({
    name: 'router_single_fetch_total',
    help: 'Queries planned as one subgraph fetch, by what the shortcut did (served: its answer through Apollo Server; fast: its answer without Apollo Server; fallback: the gateway executed the plan)',
    labelNames: ['outcome'],
    registers: [metrics.registry],
  });
  const mergedCopies = new Histogram({
    name: 'router_single_fetch_merged_queries',
    help: 'Client queries sent as one merged subgraph fetch, per merged fetch, by subgraph',
    labelNames: ['subgraph'],
    buckets: [2, 3, 4, 6, 8, 16, 32, 64],
    registers: [metrics.registry],
  });
  const batchedQueries = new Histogram({
    name: 'router_subgraph_batched_queries',
    help: 'Subgraph queries sent in one batch request, per batch, by subgraph',
    labelNames: ['subgraph'],
    buckets: [2, 3, 4, 6, 8, 16, 32],
    registers: [metrics.registry],
  });
  return { ...metrics, fetchSeconds, singleFetch, mergedCopies, batchedQueries };
}
