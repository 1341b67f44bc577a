import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/** Projection of one plant's `plant.*` events. */
@Entity({ tableName: 'plant_fact' })
export class PlantFactRow {
  @PrimaryKey({ type: 'string', length: 64 })
  plantId!: string;

  @Property({ type: 'string', length: 64 })
  ownerId!: string;

  @Property({ type: 'timestamptz' })
  addedAt!: Date;

  @Property({ type: 'timestamptz', nullable: true })
  removedAt: Date | null = null;

  /** The pending due date of the latest watering reminder not yet answered by a watering. */
  @Property({ type: 'timestamptz', nullable: true })
  nextWateringDueAt: Date | null = null;
}
