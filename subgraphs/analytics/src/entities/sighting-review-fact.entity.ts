import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * The latest review of one sighting (`sighting.reviewed`): NEW, VERIFIED or DISMISSED, as of
 * `reviewedAt` (the event's time; an older event never overwrites a newer one).
 */
@Entity({ tableName: 'sighting_review_fact' })
@Index({ name: 'sighting_review_fact_status_idx', properties: ['status', 'reviewedAt'] })
export class SightingReviewFactRow {
  @PrimaryKey({ type: 'string', length: 64 })
  sightingId!: string;

  @Index({ name: 'sighting_review_fact_case_idx' })
  @Property({ type: 'string', length: 64 })
  caseId!: string;

  @Property({ type: 'string', length: 16 })
  status!: string;

  @Property({ type: 'timestamptz' })
  reviewedAt!: Date;
}
