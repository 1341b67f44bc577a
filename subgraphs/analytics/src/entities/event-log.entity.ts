import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * Every event analytics consumed, as received: the source of truth its read models are
 * projected from and can be rebuilt from. `subjectId` is the id the event is about (case,
 * sighting, notification or plant), so one subject's history is one indexed lookup.
 */
@Entity({ tableName: 'event_log' })
@Index({ properties: ['subjectId', 'occurredAt'] })
export class EventLog {
  /** The event id (envelope id): a second copy of the same event is ignored. */
  @PrimaryKey({ type: 'string', length: 64 })
  id!: string;

  @Index()
  @Property({ type: 'string', length: 64 })
  type!: string;

  @Property({ type: 'string', length: 64 })
  subjectId!: string;

  @Property({ type: 'json' })
  payload!: Record<string, unknown>;

  @Property({ type: 'timestamptz' })
  occurredAt!: Date;
}
