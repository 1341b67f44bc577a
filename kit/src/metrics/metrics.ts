import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * One Prometheus registry per service (several services may share a process in the embedded
 * default), with the metrics every service exposes on `/metrics`.
 */
export interface ServiceMetrics {
  registry: Registry;
  /** Every SQL statement the service sent, by verb (select, insert, ...) and origin (request, event, background). */
  sqlStatements: Counter<'verb' | 'origin'>;
  /** GraphQL operations served, by operation name and outcome. */
  operations: Counter<'operation' | 'outcome'>;
  /** GraphQL operation latency in seconds, by operation name. */
  operationSeconds: Histogram<'operation'>;
  /** Requests answered with the result of an identical request that was already executing, by operation name. */
  sharedOperations: Counter<'operation'>;
  /** Seconds from an event's occurrence to its processing by this service's consumer, by type. */
  eventLagSeconds: Histogram<'type'>;
  /**
   * Deliveries of events to this service's consumers (`consume()`), by consumer, event type and
   * outcome: `ok` (applied and committed), `duplicate` (already processed: nothing done), `error`
   * (the handling threw or did not commit; the bus delivers it again).
   */
  eventsHandled: Counter<'consumer' | 'type' | 'outcome'>;
}

let defaultsCollected = false;

/** Creates the registry and standard metrics of `service`; process metrics are registered once. */
export function createServiceMetrics(service: string): ServiceMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  if (!defaultsCollected) {
    collectDefaultMetrics({ register: registry });
    defaultsCollected = true;
  }
  return {
    registry,
    sqlStatements: new Counter({
      name: 'db_statements_total',
      help: 'SQL statements sent to the database',
      labelNames: ['verb', 'origin'],
      registers: [registry],
    }),
    operations: new Counter({
      name: 'graphql_operations_total',
      help: 'GraphQL operations served',
      labelNames: ['operation', 'outcome'],
      registers: [registry],
    }),
    sharedOperations: new Counter({
      name: 'graphql_shared_responses_total',
      help: 'Requests answered with the result of an identical request already executing (not counted in graphql_operations_total)',
      labelNames: ['operation'],
      registers: [registry],
    }),
    operationSeconds: new Histogram({
      name: 'graphql_operation_duration_seconds',
      help: 'GraphQL operation latency',
      labelNames: ['operation'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    eventLagSeconds: new Histogram({
      name: 'event_lag_seconds',
      help: 'Time from an event occurring to its processing here',
      labelNames: ['type'],
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
      registers: [registry],
    }),
    eventsHandled: new Counter({
      name: 'events_handled_total',
      help: "Event deliveries to this service's consumers, by outcome: ok, duplicate (already processed), error",
      labelNames: ['consumer', 'type', 'outcome'],
      registers: [registry],
    }),
  };
}
