import type { EventEnvelope, EventType } from './event.types';

/**
 * Handles one delivered event. Resolving acknowledges it; throwing (or rejecting) leaves it
 * unacknowledged so the bus delivers it again later (at-least-once).
 */
export type EventHandler<T extends EventType = EventType> = (envelope: EventEnvelope<T>) => Promise<void>;

/** Per-subscription options. */
export interface SubscribeOptions<T extends EventType = EventType> {
  /**
   * Only these event types reach the handler; others are acknowledged without calling it.
   * All subscriptions of one group must use the same filter (members of a group share the
   * group's messages).
   */
  types?: readonly T[];
  /** Deliveries after which a still-failing event goes to the dead letters (bus default otherwise). */
  maxDeliveries?: number;
  /** Name of this member within the group (Redis consumer name); defaults to a unique one. */
  consumerName?: string;
  /**
   * Where a NEW group starts: 'end' (default) receives events published from now on; 'beginning'
   * first receives the events the bus still retains, so a service that starts after others have
   * published catches up (its consumer must be idempotent). An existing group resumes where it was.
   */
  startFrom?: 'beginning' | 'end';
}

/** A live subscription. */
export interface EventSubscription {
  /** The consumer group it belongs to. */
  readonly group: string;
  /** Stops receiving; resolves once the handler call in progress (if any) has finished. */
  close(): Promise<void>;
}

/** An event that exhausted its deliveries for a group. */
export interface DeadLetter {
  group: string;
  envelope: EventEnvelope | null;
  /** The raw message when it could not be parsed into an envelope. */
  raw?: string;
  deliveries: number;
  error: string;
  deadAt: string;
}

/**
 * The event bus contract shared by the in-process and Redis Streams implementations.
 *
 * - `publish` resolves once the event is durably handed to the bus (for Redis: XADD done);
 *   it rejects when the bus is unreachable, so the outbox relay keeps the row for later.
 * - Every consumer group receives every published event (events published while the group
 *   does not exist yet are not replayed to it); within a group each event goes to one member.
 * - Delivery is at-least-once: an event is redelivered until its handler resolves, and after
 *   `maxDeliveries` failed deliveries it becomes a {@link DeadLetter} and is acknowledged.
 *   Handlers must therefore be idempotent (see `consume()`).
 */
export interface EventBus {
  publish(envelope: EventEnvelope): Promise<void>;
  subscribe<T extends EventType = EventType>(
    group: string,
    handler: EventHandler<T>,
    opts?: SubscribeOptions<T>,
  ): Promise<EventSubscription>;
  /** Closes every subscription and connection of this bus. */
  close(): Promise<void>;
}

/** A bus that can list its dead letters (both implementations). */
export interface DeadLetterSource {
  /** Dead letters, oldest first, optionally for one group only. */
  deadLetters(group?: string): Promise<DeadLetter[]>;
}

/** Delay before retry number `attempt` (1-based): exponential from `baseMs`, capped at `maxMs`. */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
}

/** True when `type` passes a subscription's type filter. */
export function acceptsType(types: readonly EventType[] | undefined, type: string): boolean {
  return !types || types.length === 0 || (types as readonly string[]).includes(type);
}
