import { openBus, type EventEnvelope, type EventType, type Logger } from '@supergraph/kit';
import type { EntityCache } from './entity.cache';

/** The entities (type, id) each event says changed: their cached selections are dropped. */
const CHANGED: { [T in EventType]?: (payload: EventEnvelope<T>['payload']) => [string, string][] } = {
  'user.registered': (p) => [['User', p.userId]],
  'user.updated': (p) => [['User', p.userId]],
  'case.reported': (p) => [['Case', p.caseId]],
  'case.updated': (p) => [['Case', p.caseId]],
  'case.status_changed': (p) => [['Case', p.caseId]],
  'case.deleted': (p) => [['Case', p.caseId]],
  'sighting.reported': (p) => [
    ['Case', p.caseId],
    ['Sighting', p.sightingId],
  ],
  'sighting.reviewed': (p) => [
    ['Case', p.caseId],
    ['Sighting', p.sightingId],
  ],
};

/** A running follower of the event bus for the entity cache. */
export interface EntityInvalidation {
  close(): Promise<void>;
}

/**
 * Follows the services' events (Redis Streams in production, the in-process bus embedded) in a
 * consumer group of this router replica's own, so every replica hears every event, and drops what
 * its entity cache keeps of each entity an event names. A cached entity is therefore never staler
 * than the event lag, and never older than its `@cacheControl` max age.
 */
export async function followInvalidations(
  cache: EntityCache,
  bus: { redisUrl?: string; redisPrefix: string },
  instance: string,
  log: Logger,
): Promise<EntityInvalidation> {
  const handle = openBus(bus, log);
  const types = Object.keys(CHANGED) as EventType[];
  const subscription = await handle.bus.subscribe(
    `router-entities-${instance}`,
    async (envelope) => {
      const changed =
        (CHANGED[envelope.type] as ((p: unknown) => [string, string][]) | undefined)?.(envelope.payload) ?? [];
      for (const [typename, id] of changed) cache.invalidate(typename, id);
    },
    { types, startFrom: 'end' },
  );
  return {
    async close() {
      await subscription.close();
      await handle.close();
    },
  };
}
