import { randomUUID } from 'node:crypto';
import { Entity, Enum, Index, ManyToOne, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { Field, Int, ObjectType } from 'type-graphql';
import { Channel } from '@supergraph/kit';
import { DeliveryStatus } from './enums';
import { Notification } from './notification.entity';

/**
 * One channel's delivery of one notification. Written PENDING in the same transaction as the
 * notification; the delivery worker claims due rows (`notBefore` passed, no live lease) with
 * `FOR UPDATE SKIP LOCKED`, sends, and records the outcome.
 */
@ObjectType({ description: 'How one channel delivered a notification.' })
@Entity({ tableName: 'notification_delivery' })
@Unique({ properties: ['notification', 'channel'] })
@Index({ properties: ['status', 'notBefore'] })
export class Delivery {
  [OptionalProps]?:
    'id' | 'status' | 'attempts' | 'lastError' | 'sentAt' | 'notBefore' | 'leaseUntil' | 'createdAt' | 'updatedAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Notification, { deleteRule: 'cascade' })
  notification!: Notification;

  @Field(() => Channel)
  @Enum({ items: () => Channel, type: 'string' })
  channel!: Channel;

  @Field(() => DeliveryStatus)
  @Enum({ items: () => DeliveryStatus, type: 'string', default: DeliveryStatus.PENDING })
  status: DeliveryStatus = DeliveryStatus.PENDING;

  @Field(() => Int, { description: 'Calls made to the provider so far.' })
  @Property({ type: 'integer', default: 0 })
  attempts: number = 0;

  @Field(() => String, {
    nullable: true,
    description: "Why it failed or was skipped (the provider's last error, or the missing configuration/address).",
  })
  @Property({ type: 'text', nullable: true })
  lastError: string | null = null;

  @Field(() => Date, { nullable: true, description: 'When the provider accepted it.' })
  @Property({ type: 'timestamptz', nullable: true })
  sentAt: Date | null = null;

  @Field(() => Date, { description: 'Not sent before this time (end of quiet hours, provider-requested retry).' })
  @Property({ type: 'timestamptz' })
  notBefore: Date = new Date();

  /** A worker is sending it until then; an expired lease (crashed worker) makes it due again. */
  @Property({ type: 'timestamptz', nullable: true })
  leaseUntil: Date | null = null;

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
