import { OutboxEvent } from './outbox.entity';
import { ProcessedEvent } from './processed-event.entity';

/** The entity classes of the event backbone; add them to every subgraph's ORM `entities`. */
export const EVENT_ENTITIES = [OutboxEvent, ProcessedEvent] as const;

/**
 * The DDL for the two tables, statement by statement. Each subgraph's committed migration
 * runs these (they are idempotent), so the schema does not depend on the schema generator.
 */
export const EVENTS_MIGRATION_SQL: string[] = [
  `create table if not exists "outbox_event" (
  "id" uuid not null,
  "type" text not null,
  "version" integer not null,
  "producer" text not null,
  "payload" jsonb not null,
  "correlation_id" text not null,
  "occurred_at" timestamptz not null,
  "published_at" timestamptz null,
  "attempts" integer not null default 0,
  "last_error" text null,
  constraint "outbox_event_pkey" primary key ("id")
)`,
  `create index if not exists "outbox_event_unpublished_idx" on "outbox_event" ("occurred_at", "id") where "published_at" is null`,
  `create table if not exists "processed_event" (
  "event_id" uuid not null,
  "consumer" text not null,
  "processed_at" timestamptz not null default now(),
  constraint "processed_event_pkey" primary key ("event_id", "consumer")
)`,
];
