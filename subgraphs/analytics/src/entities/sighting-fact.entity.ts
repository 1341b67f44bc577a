import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';

/** Projection of one `sighting.reported` event. */
@Entity({ tableName: 'sighting_fact' })
export class SightingFactRow {
  @PrimaryKey({ type: 'string', length: 64 })
  sightingId!: string;

  @Index()
  @Property({ type: 'string', length: 64 })
  caseId!: string;

  @Property({ type: 'timestamptz' })
  seenAt!: Date;

  /** When the sighting was reported (the event's time). */
  @Index()
  @Property({ type: 'timestamptz' })
  reportedAt!: Date;

  @Property({ type: 'double', nullable: true })
  lat: number | null = null;

  @Property({ type: 'double', nullable: true })
  lng: number | null = null;
}
