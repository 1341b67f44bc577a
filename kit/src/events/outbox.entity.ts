import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * One event waiting in (or already sent from) a subgraph's transactional outbox.
 *
 * Written by {@link emitEvent} in the same unit of work as the change it describes; read and
 * marked as published by the OutboxRelay. Unpublished rows are found through a partial index.
 */
@Entity({ tableName: 'outbox_event' })
@Index({
  name: 'outbox_event_unpublished_idx',
  expression:
    'create index if not exists "outbox_event_unpublished_idx" on "outbox_event" ("occurred_at", "id") where "published_at" is null',
})
export class OutboxEvent {
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'text' })
  type!: string;

  @Property({ type: 'integer' })
  version!: number;

  @Property({ type: 'text' })
  producer!: string;

  @Property({ type: 'json', columnType: 'jsonb' })
  payload!: Record<string, unknown>;

  @Property({ type: 'text', fieldName: 'correlation_id' })
  correlationId!: string;

  @Property({ type: 'datetime', columnType: 'timestamptz', fieldName: 'occurred_at' })
  occurredAt!: Date;

  @Property({ type: 'datetime', columnType: 'timestamptz', fieldName: 'published_at', nullable: true })
  publishedAt: Date | null = null;

  /** Failed publish attempts so far. */
  @Property({ type: 'integer', default: 0 })
  attempts: number = 0;

  @Property({ type: 'text', fieldName: 'last_error', nullable: true })
  lastError: string | null = null;
}
