import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/** Projection of one notification's delivery on one channel (`notification.*` events). */
@Entity({ tableName: 'delivery_fact' })
export class DeliveryFactRow {
  @PrimaryKey({ type: 'string', length: 64 })
  notificationId!: string;

  /** One of the six channels, upper case. */
  @PrimaryKey({ type: 'string', length: 16 })
  channel!: string;

  @Property({ type: 'string', length: 64 })
  category!: string;

  /** SENT or FAILED: the outcome of the latest attempt. */
  @Property({ type: 'string', length: 16 })
  status!: string;

  @Property({ type: 'integer' })
  attempts!: number;

  /** When the latest attempt's outcome was reported. */
  @Property({ type: 'timestamptz' })
  at!: Date;

  @Property({ type: 'boolean' })
  opened!: boolean;

  @Property({ type: 'boolean' })
  acted!: boolean;
}
