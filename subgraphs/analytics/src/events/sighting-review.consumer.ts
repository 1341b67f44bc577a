import { defineConsumer, type Consumer } from '@supergraph/kit';

/** Consumer name (`processed_event.consumer`, and bus group) of the sighting reviews, apart from the read model's. */
export const REVIEW_CONSUMER = 'analytics-reviews';

/** What the sighting-review consumer tells after applying an event. */
export interface SightingReviewConsumerDeps {
  onChange?: () => void;
}

/**
 * Keeps `sighting_review_fact` (the latest review of each sighting) from `sighting.reviewed`,
 * idempotently (the kit's `consume`) and whatever the arrival order: a review only replaces one
 * that happened no later. `case.deleted` drops the reviews of the case's sightings.
 */
export function sightingReviewConsumer(deps: SightingReviewConsumerDeps = {}): Consumer {
  return defineConsumer({
    consumer: REVIEW_CONSUMER,
    types: ['sighting.reviewed', 'case.deleted'] as const,
    handle: async (em, envelope) => {
      if (envelope.type === 'case.deleted') {
        await em.execute('delete from "sighting_review_fact" where "case_id" = ?', [envelope.payload.caseId]);
      } else {
        const p = envelope.payload;
        await em.execute(
          `insert into "sighting_review_fact" ("sighting_id", "case_id", "status", "reviewed_at") values (?, ?, ?, ?)
           on conflict ("sighting_id") do update set "status" = excluded."status", "reviewed_at" = excluded."reviewed_at"
           where "sighting_review_fact"."reviewed_at" <= excluded."reviewed_at"`,
          [p.sightingId, p.caseId, p.to, new Date(envelope.occurredAt)],
        );
      }
      deps.onChange?.();
    },
  });
}
