import { randomUUID } from 'node:crypto';
import { Entity, Index, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';

/** A browser's Web Push subscription for one user; deleted when the push service says it is gone. */
@Entity({ tableName: 'push_subscription' })
export class PushSubscriptionRow {
  [OptionalProps]?: 'id' | 'createdAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Index()
  @Property({ type: 'uuid' })
  userId!: string;

  /** The push service URL; one subscription belongs to one user. */
  @Property({ type: 'text', unique: true })
  endpoint!: string;

  @Property({ type: 'string', length: 200 })
  p256dh!: string;

  @Property({ type: 'string', length: 100 })
  auth!: string;

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();
}
