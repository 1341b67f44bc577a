import { randomUUID } from 'node:crypto';
import { Entity, ManyToOne, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { Plant } from './plant.entity';

/**
 * Records that `plant.watering_due` was emitted for one due date of one plant. The unique
 * (plant, due_at) pair is what makes the reminder exactly-once: schedulers on several replicas
 * insert with ON CONFLICT DO NOTHING and only the inserting one writes the event.
 */
@Entity({ tableName: 'watering_reminder' })
@Unique({ properties: ['plant', 'dueAt'] })
export class WateringReminder {
  [OptionalProps]?: 'id' | 'sentAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Plant, { deleteRule: 'cascade' })
  plant!: Plant;

  /** The due date the reminder is for (the plant's `next_watering_at` at the time). */
  @Property({ type: 'timestamptz' })
  dueAt!: Date;

  /** When the event was written to the outbox. */
  @Property({ type: 'timestamptz' })
  sentAt: Date = new Date();
}
