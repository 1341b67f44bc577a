import type { MikroORM } from '@mikro-orm/core';
import { consume, type EventBus, type EventSubscription } from '@supergraph/kit';
import { PROJECTED_TYPES } from '../readmodel/event.folds';
import { recordEvent } from '../readmodel/read-model.projector';

/** Consumer group (and `processed_event.consumer`) of analytics. */
export const ANALYTICS_CONSUMER = 'analytics';

/** What the consumer tells after applying an event. */
export interface ConsumerHooks {
  /** Any projected event: dashboard figures may have changed. */
  onFigures?: () => void;
  /** A case event: risk zones may have changed. */
  onCases?: () => void;
}

/**
 * Consumes `case.*`, `sighting.*`, `notification.*` and `plant.*` events idempotently (the
 * kit's `consume`: one transaction per event, deduplicated by event id), records each in
 * `event_log` and updates the projection of the subject it is about.
 */
export function startAnalyticsConsumer(
  orm: MikroORM,
  bus: EventBus,
  hooks: ConsumerHooks = {},
): Promise<EventSubscription> {
  return consume(orm, bus, {
    consumer: ANALYTICS_CONSUMER,
    types: PROJECTED_TYPES,
    handle: async (em, envelope) => {
      const recorded = await recordEvent(em, envelope);
      if (!recorded) return;
      hooks.onFigures?.();
      if (recorded.kind === 'case') hooks.onCases?.();
    },
  });
}
