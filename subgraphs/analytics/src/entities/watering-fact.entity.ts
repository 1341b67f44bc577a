import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';

/** Projection of one `plant.watered` event (id = the event id). */
@Entity({ tableName: 'watering_fact' })
export class WateringFactRow {
  @PrimaryKey({ type: 'string', length: 64 })
  id!: string;

  @Index()
  @Property({ type: 'string', length: 64 })
  plantId!: string;

  @Property({ type: 'timestamptz' })
  wateredAt!: Date;

  @Property({ type: 'timestamptz', nullable: true })
  dueAt: Date | null = null;
}
