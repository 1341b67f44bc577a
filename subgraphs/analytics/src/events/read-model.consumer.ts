import { defineConsumer, type Consumer } from '@supergraph/kit';
import { PROJECTED_TYPES } from '../readmodel/event.folds';
import { recordEvent } from '../readmodel/read-model.projector';

/** What the read-model consumer tells after applying an event. */
export interface ReadModelConsumerDeps {
  /** Any projected event: dashboard figures may have changed. */
  onFigures?: () => void;
  /** A case event: risk zones may have changed. */
  onCases?: () => void;
}

/**
 * Consumes `case.*`, `sighting.*`, `notification.*` and `plant.*` events idempotently (the
 * kit's `consume`: one transaction per event, deduplicated by event id, as the service's own
 * consumer), records each in `event_log` and updates the projection of the subject it is about.
 */
export function readModelConsumer(deps: ReadModelConsumerDeps = {}): Consumer {
  return defineConsumer({
    types: PROJECTED_TYPES,
    handle: async (em, envelope) => {
      const recorded = await recordEvent(em, envelope);
      if (!recorded) return;
      deps.onFigures?.();
      if (recorded.kind === 'case') deps.onCases?.();
    },
  });
}
