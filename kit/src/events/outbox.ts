import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import { EVENT_VERSIONS, type EventEnvelope, type EventPayloads, type EventType } from './event.types';
import { OutboxEvent } from './outbox.entity';

/** Who emits an event and in which causal chain. */
export interface EmitOptions {
  /** Id of the request or upstream event that caused this one; defaults to the new event's id. */
  correlationId?: string;
  /** Service name of the emitter, e.g. `cases`. */
  producer: string;
}

let lastOccurredMs = 0;

/**
 * A strictly increasing timestamp for this process: events emitted within one millisecond
 * still get distinct `occurred_at` values, so the relay publishes them in emission order.
 */
function nextOccurredAt(): Date {
  lastOccurredMs = Math.max(Date.now(), lastOccurredMs + 1);
  return new Date(lastOccurredMs);
}

/** Converts an outbox row into the envelope that travels on the bus. */
export function toEnvelope(row: OutboxEvent): EventEnvelope {
  return {
    id: row.id,
    type: row.type,
    version: row.version,
    occurredAt: row.occurredAt.toISOString(),
    correlationId: row.correlationId,
    producer: row.producer,
    payload: row.payload,
  } as EventEnvelope;
}

/**
 * Records an event in the caller's unit of work (transactional outbox). The row is only
 * `persist`ed: it is written by the caller's next flush / the commit of the caller's
 * `em.transactional(...)`, atomically with the change it describes, and vanishes if that
 * transaction rolls back. It never flushes and never opens a connection.
 *
 * @returns the envelope as it will be published.
 */
export function emitEvent<T extends EventType>(
  em: EntityManager,
  type: T,
  payload: EventPayloads[T],
  options: EmitOptions,
): EventEnvelope<T> {
  if (!options.producer) throw new Error(`emitEvent(${type}): producer (the emitting service's name) is required`);
  const row = new OutboxEvent();
  row.id = randomUUID();
  row.type = type;
  row.version = EVENT_VERSIONS[type];
  row.producer = options.producer;
  // A JSON round trip stores exactly what consumers will see (no Dates, no undefined).
  row.payload = JSON.parse(JSON.stringify(payload)) as Record<string, unknown>;
  row.correlationId = options.correlationId ?? row.id;
  row.occurredAt = nextOccurredAt();
  em.persist(row);
  return toEnvelope(row) as EventEnvelope<T>;
}

/**
 * {@link emitEvent} bound to one producer: how a subgraph's domain code records events. The kit
 * hands each service its own as `deps.emit`, so no code outside the kit names a producer.
 */
export type Emit = <T extends EventType>(
  em: EntityManager,
  type: T,
  payload: EventPayloads[T],
  options?: Omit<EmitOptions, 'producer'>,
) => EventEnvelope<T>;

/** The {@link Emit} of the service named `producer` (e.g. `cases`). */
export function emitterOf(producer: string): Emit {
  if (!producer) throw new Error("emitterOf: producer (the emitting service's name) is required");
  return (em, type, payload, options = {}) => emitEvent(em, type, payload, { ...options, producer });
}
