import { randomUUID } from 'node:crypto';
import type { GeoPoint } from '../geo/geo.types';

/**
 * The closed catalogue of cross-service events (DESIGN §3).
 *
 * Every event a subgraph may emit is named here together with its payload type and its
 * current schema version. Adding an event means adding it to {@link EventPayloads} and
 * {@link EVENT_VERSIONS}; changing a payload incompatibly means bumping its version.
 * Dates travel as ISO-8601 strings because envelopes are serialised to JSON on the bus.
 */

/** Fields shared by `notification.delivered` and `notification.failed`. */
export interface NotificationDeliveryPayload {
  notificationId: string;
  recipientId: string;
  /** Channel name, e.g. `email`, `telegram`, `push`. */
  channel: string;
  category: string;
  /** Delivery attempts made so far, including this one. */
  attempts: number;
  /** Provider error text for a failed (or retried) delivery. */
  error?: string;
}

/** Fields shared by `notification.opened` and `notification.acted`. */
export interface NotificationInteractionPayload {
  notificationId: string;
  recipientId: string;
  category: string;
}

/**
 * Payload type per event name (version 1 of each). `emitEvent(em, 'case.reported', p)` checks
 * `p` against `EventPayloads['case.reported']`.
 */
export interface EventPayloads {
  'user.registered': { userId: string; email: string; displayName: string };
  'user.password_reset_requested': { userId: string; email: string; resetToken: string; expiresAt: string };
  /** The account's contact details, role or disabled state changed (consumers keep their own copy current). */
  'user.updated': {
    userId: string;
    email: string;
    displayName: string;
    phone: string | null;
    role: string;
    /** Absent in events from before accounts could be disabled: false. */
    disabled?: boolean;
  };
  'case.reported': {
    caseId: string;
    reportId: string;
    reporterId: string;
    childName: string;
    age: number;
    gender: string;
    lastSeenAt: string;
    lastSeenPlace: string;
    location: GeoPoint | null;
    locationType: string | null;
    photoUrl: string | null;
    status: string;
  };
  'case.updated': { caseId: string; /** Names of the fields that changed. */ changes: string[] };
  /** An ADMIN deleted the case: consumers drop what they keep of it. */
  'case.deleted': { caseId: string; reportId: string; deletedBy: string };
  'case.status_changed': {
    caseId: string;
    reportId: string;
    reporterId: string;
    from: string;
    to: string;
    note: string | null;
    changedBy: string;
  };
  'sighting.reported': {
    sightingId: string;
    caseId: string;
    reportId: string;
    caseReporterId: string;
    seenAt: string;
    place: string;
    location: GeoPoint | null;
  };
  /** The case's reporter or an ADMIN changed a sighting's review status (NEW, VERIFIED, DISMISSED). */
  'sighting.reviewed': {
    sightingId: string;
    caseId: string;
    reportId: string;
    caseReporterId: string;
    from: string;
    to: string;
    note: string | null;
    reviewedBy: string;
    seenAt: string;
    place: string;
  };
  'plant.added': { plantId: string; ownerId: string; speciesId: string };
  'plant.watered': { plantId: string; ownerId: string; wateredAt: string; dueAt: string | null };
  'plant.removed': { plantId: string; ownerId: string };
  'plant.watering_due': { plantId: string; ownerId: string; nickname: string; dueAt: string };
  'notification.delivered': NotificationDeliveryPayload;
  'notification.failed': NotificationDeliveryPayload;
  'notification.opened': NotificationInteractionPayload;
  'notification.acted': NotificationInteractionPayload;
}

/** Name of a catalogued event. */
export type EventType = keyof EventPayloads;

/** Current schema version of each event; producers always emit this version. */
export const EVENT_VERSIONS: { readonly [K in EventType]: number } = Object.freeze({
  'user.registered': 1,
  'user.password_reset_requested': 1,
  'user.updated': 1,
  'case.reported': 1,
  'case.updated': 1,
  'case.deleted': 1,
  'case.status_changed': 1,
  'sighting.reported': 1,
  'sighting.reviewed': 1,
  'plant.added': 1,
  'plant.watered': 1,
  'plant.removed': 1,
  'plant.watering_due': 1,
  'notification.delivered': 1,
  'notification.failed': 1,
  'notification.opened': 1,
  'notification.acted': 1,
});

/** Every catalogued event name, in catalogue order. */
export const EVENT_TYPES: readonly EventType[] = Object.freeze(Object.keys(EVENT_VERSIONS) as EventType[]);

/**
 * The envelope every event travels in. With no type argument it is the discriminated union of
 * all events, so `switch (envelope.type)` narrows `payload`.
 */
export type EventEnvelope<T extends EventType = EventType> = T extends EventType
  ? {
      /** Unique event id (uuid); consumers deduplicate on it. */
      id: string;
      type: T;
      version: number;
      /** When the fact happened, ISO-8601 UTC. */
      occurredAt: string;
      /** Id of the request or chain of events that caused this one. */
      correlationId: string;
      /** Service name of the emitting subgraph, e.g. `cases`. */
      producer: string;
      payload: EventPayloads[T];
    }
  : never;

/** True when `type` names a catalogued event. */
export function isEventType(type: unknown): type is EventType {
  return typeof type === 'string' && Object.prototype.hasOwnProperty.call(EVENT_VERSIONS, type);
}

/**
 * Checks the envelope structure of a value read off the wire (not the payload's fields:
 * those are typed at the producer). Returns a reason string when it is not an envelope,
 * `null` when it is.
 */
export function envelopeProblem(value: unknown): string | null {
  if (typeof value !== 'object' || value === null) return 'envelope is not an object';
  const e = value as Record<string, unknown>;
  if (typeof e.id !== 'string' || e.id.length === 0) return 'envelope has no id';
  if (!isEventType(e.type)) return `unknown event type ${JSON.stringify(e.type)}`;
  if (typeof e.version !== 'number' || !Number.isInteger(e.version)) return 'envelope has no integer version';
  if (typeof e.occurredAt !== 'string' || Number.isNaN(Date.parse(e.occurredAt)))
    return 'envelope has no valid occurredAt';
  if (typeof e.correlationId !== 'string') return 'envelope has no correlationId';
  if (typeof e.producer !== 'string') return 'envelope has no producer';
  if (typeof e.payload !== 'object' || e.payload === null) return 'envelope has no payload object';
  return null;
}

/** Parses a JSON-serialised envelope, throwing an Error that says what is wrong with it. */
export function parseEnvelope(json: string): EventEnvelope {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (err) {
    throw new Error(`event is not valid JSON: ${(err as Error).message}`);
  }
  const problem = envelopeProblem(value);
  if (problem) throw new Error(`malformed event: ${problem}`);
  return value as EventEnvelope;
}

/** The service that emits each family of events (the part of the type before the dot). */
const PRODUCERS: Readonly<Record<string, string>> = Object.freeze({
  user: 'users',
  case: 'cases',
  sighting: 'cases',
  plant: 'plants',
  notification: 'notifications',
});

/**
 * A complete envelope of `type` at its current version, as its producing service would send it, for code
 * that feeds consumers directly (tests, replays). `id` and `correlationId` default to fresh uuids,
 * `occurredAt` to now.
 */
export function envelopeOf<T extends EventType>(
  type: T,
  payload: EventPayloads[T],
  options: { id?: string; occurredAt?: string; correlationId?: string } = {},
): EventEnvelope<T> {
  const id = options.id ?? randomUUID();
  return {
    id,
    type,
    version: EVENT_VERSIONS[type],
    occurredAt: options.occurredAt ?? new Date().toISOString(),
    correlationId: options.correlationId ?? randomUUID(),
    producer: PRODUCERS[type.split('.')[0]],
    payload,
  } as EventEnvelope<T>;
}
