import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * Marks that a consumer has handled an event (its idempotency key). Inserted by `consume()`
 * in the same transaction as the consumer's own changes, so an event is applied at most once
 * per consumer even though the bus delivers at least once.
 */
@Entity({ tableName: 'processed_event' })
export class ProcessedEvent {
  @PrimaryKey({ type: 'uuid', fieldName: 'event_id' })
  eventId!: string;

  @PrimaryKey({ type: 'text' })
  consumer!: string;

  @Property({ type: 'datetime', columnType: 'timestamptz', fieldName: 'processed_at', defaultRaw: 'now()' })
  processedAt: Date = new Date();
}
