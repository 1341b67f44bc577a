import type { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { EventBus, EventSubscription } from './event.bus';
import type { EventEnvelope, EventType } from './event.types';
import { withLogScope } from '../logging/logger';
import type { ServiceMetrics } from '../metrics/metrics';

/** How a delivery to a consumer ended (`events_handled_total`'s `outcome`). */
export type HandledOutcome = 'ok' | 'duplicate' | 'error';

/** What a consuming service plugs into {@link consume}. */
export interface ConsumeOptions<T extends EventType> {
  /** Consuming service's name: the `processed_event.consumer` value, and the bus group unless `group` is set. */
  consumer: string;
  /**
   * Bus consumer group, when a service reads some event types in a lane of their own (default:
   * `consumer`). Lanes of one service share `consumer`, so an event is applied once whichever
   * lane delivers it (e.g. when a lane is added and its new group catches up on the history).
   */
  group?: string;
  /** Event types to receive (all when omitted). */
  types?: readonly T[];
  /**
   * Applies one event using `em`, which is inside the transaction that also records the event
   * as processed. Throwing rolls both back and lets the bus redeliver.
   */
  handle: (em: EntityManager, envelope: EventEnvelope<T>) => Promise<void>;
  /** Deliveries before the bus dead-letters an event (bus default otherwise). */
  maxDeliveries?: number;
  /** Called after an event was applied and committed (metrics: event lag). */
  onHandled?: (envelope: EventEnvelope<T>) => void;
  /** Where every delivery's outcome is counted (`events_handled_total`); the kit passes the service's. */
  metrics?: Pick<ServiceMetrics, 'eventsHandled'>;
}

/**
 * Subscribes an idempotent handler: for each delivered event it opens a transaction on a fresh
 * fork of `orm.em`, inserts `processed_event(event_id, consumer)` with ON CONFLICT DO NOTHING,
 * and, only if that row is new, runs `handle(em, envelope)` in the same transaction before
 * committing. A redelivered event therefore changes nothing the second time. Each delivery is
 * counted in `options.metrics` as `ok`, `duplicate` or `error` (then rethrown for the bus).
 */
export function consume<T extends EventType>(
  orm: MikroORM,
  bus: EventBus,
  options: ConsumeOptions<T>,
): Promise<EventSubscription> {
  const { consumer, handle } = options;
  return bus.subscribe<T>(
    options.group ?? consumer,
    // The event's correlation id travels into every log line the handler writes.
    (envelope) =>
      withLogScope({ correlationId: envelope.correlationId, origin: 'event' }, async () => {
        const count = (outcome: HandledOutcome) =>
          options.metrics?.eventsHandled.inc({ consumer, type: envelope.type, outcome });
        // Detached from any caller context: its own connection and transaction, never a surrounding one.
        const em = orm.em.fork({ disableContextResolution: true }) as EntityManager;
        let outcome: HandledOutcome = 'ok';
        try {
          await em.transactional(async (tx) => {
            const inserted = await tx.execute<{ event_id: string }[]>(
              `insert into "processed_event" ("event_id", "consumer", "processed_at") values (?, ?, now())
           on conflict do nothing returning "event_id"`,
              [envelope.id, consumer],
            );
            if (inserted.length === 0) {
              outcome = 'duplicate';
              return;
            }
            await handle(tx, envelope);
          });
        } catch (err) {
          count('error');
          throw err;
        }
        count(outcome);
        options.onHandled?.(envelope);
      }),
    // A service's consumer catches up on what was published before it first joined (idempotent).
    { types: options.types, maxDeliveries: options.maxDeliveries, startFrom: 'beginning' },
  );
}

/**
 * An event consumer as a subgraph declares it (`<noun>.consumer.ts`, listed under the
 * declaration's `consumers`): what {@link consume} takes, with the service's name as default.
 */
export interface ConsumerDefinition<T extends EventType> extends Omit<
  ConsumeOptions<T>,
  'consumer' | 'types' | 'metrics'
> {
  /** The `processed_event.consumer` value (and default bus group); default: the service's name. */
  consumer?: string;
  /** Event types to receive. */
  types: readonly T[];
}

/** A declared consumer; the kit subscribes it once the service listens and closes it on stop. */
export interface Consumer {
  /**
   * Subscribes to `bus` on behalf of `service` (the default consumer name), counting deliveries in
   * `metrics` when given; closing the subscription stops it.
   */
  subscribe(to: {
    orm: MikroORM;
    bus: EventBus;
    service: string;
    metrics?: Pick<ServiceMetrics, 'eventsHandled'>;
  }): Promise<EventSubscription>;
}

/** Declares a consumer; nothing is subscribed until the kit (or a test) calls `subscribe`. */
export function defineConsumer<T extends EventType>(definition: ConsumerDefinition<T>): Consumer {
  return {
    subscribe: ({ orm, bus, service, metrics }) =>
      consume(orm, bus, { ...definition, consumer: definition.consumer ?? service, metrics }),
  };
}
