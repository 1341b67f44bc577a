import { randomUUID } from 'node:crypto';
import { Entity, Enum, Index, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Channel } from '@supergraph/kit';
import { BroadcastStatus, NotificationCategory } from './enums';

/**
 * An ADMIN's message to everyone (or everyone whose home is inside a circle), sent at
 * `scheduledAt`. A due row is claimed with `FOR UPDATE SKIP LOCKED` and fanned out into
 * notifications in one transaction, so replicas never send it twice and a restart loses nothing.
 */
@ObjectType({ description: 'An ADMIN broadcast, sent at its scheduled time.' })
@Entity({ tableName: 'broadcast' })
@Index({ properties: ['status', 'scheduledAt'] })
export class Broadcast {
  [OptionalProps]?:
    'id' | 'channels' | 'nearLat' | 'nearLng' | 'nearRadiusKm' | 'status' | 'sentAt' | 'recipientCount' | 'createdAt';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'uuid' })
  createdBy!: string;

  @Field(() => String)
  @Property({ type: 'string', length: 200 })
  title!: string;

  @Field(() => String)
  @Property({ type: 'text' })
  body!: string;

  @Field(() => NotificationCategory)
  @Enum({ items: () => NotificationCategory, type: 'string' })
  category!: NotificationCategory;

  /** Channels to use; null means each recipient's own choice. */
  @Field(() => [Channel], { nullable: true, description: "Channels used; null: each recipient's own choice." })
  @Property({ type: 'json', nullable: true })
  channels: Channel[] | null = null;

  @Property({ type: 'double', nullable: true })
  nearLat: number | null = null;

  @Property({ type: 'double', nullable: true })
  nearLng: number | null = null;

  @Property({ type: 'double', nullable: true })
  nearRadiusKm: number | null = null;

  @Field(() => Date)
  @Property({ type: 'timestamptz' })
  scheduledAt!: Date;

  @Field(() => BroadcastStatus)
  @Enum({ items: () => BroadcastStatus, type: 'string', default: BroadcastStatus.SCHEDULED })
  status: BroadcastStatus = BroadcastStatus.SCHEDULED;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  sentAt: Date | null = null;

  @Field(() => Int, { nullable: true, description: 'How many people it was sent to (once sent).' })
  @Property({ type: 'integer', nullable: true })
  recipientCount: number | null = null;

  @Field(() => Date)
  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();
}
