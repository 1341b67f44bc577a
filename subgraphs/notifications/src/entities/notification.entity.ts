import { randomUUID } from 'node:crypto';
import { Entity, Enum, Index, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { GraphQLJSONObject } from 'graphql-scalars';
import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { NotificationCategory } from './enums';

/**
 * One message for one person, with a delivery row per channel (see `Delivery`). Owned by the
 * notifications subgraph; other subgraphs reference it by `id`.
 */
@ObjectType({
  description: 'A message for one person: an alert, a reminder, a welcome, ... with its per-channel deliveries.',
})
@Directive('@key(fields: "id")')
@Entity({ tableName: 'notification' })
@Index({ properties: ['recipientId', 'createdAt', 'id'] })
export class Notification {
  [OptionalProps]?:
    | 'id'
    | 'data'
    | 'caseId'
    | 'broadcastId'
    | 'url'
    | 'photoUrl'
    | 'createdAt'
    | 'openedAt'
    | 'actedAt'
    | 'dismissedAt'
    | 'announcedAt';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  /** The user it is for (users' User id). */
  @Property({ type: 'uuid' })
  recipientId!: string;

  @Field(() => NotificationCategory)
  @Enum({ items: () => NotificationCategory, type: 'string' })
  category!: NotificationCategory;

  @Field(() => String, { description: 'Short headline.' })
  @Property({ type: 'string', length: 200 })
  title!: string;

  @Field(() => String, { description: 'Plain-text message.' })
  @Property({ type: 'text' })
  body!: string;

  @Field(() => GraphQLJSONObject, {
    nullable: true,
    description: 'Machine-readable details for the app (e.g. caseId, plantId, distanceKm).',
  })
  @Property({ type: 'json', nullable: true })
  data: Record<string, unknown> | null = null;

  /** The missing-child case it is about, if any (lets status changes reach everyone alerted). */
  @Index()
  @Property({ type: 'uuid', nullable: true })
  caseId: string | null = null;

  /** The ADMIN broadcast it came from, if any. */
  @Property({ type: 'uuid', nullable: true })
  broadcastId: string | null = null;

  /** Link into the web app; exposed through a field resolver (hidden for SECURITY messages). */
  @Property({ type: 'text', nullable: true })
  url: string | null = null;

  @Property({ type: 'text', nullable: true })
  photoUrl: string | null = null;

  @Field(() => Date)
  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  @Field(() => Date, { nullable: true, description: 'When the recipient first opened it.' })
  @Property({ type: 'timestamptz', nullable: true })
  openedAt: Date | null = null;

  @Field(() => Date, {
    nullable: true,
    description: 'When the recipient first acted on it (followed its link, reported a sighting, ...).',
  })
  @Property({ type: 'timestamptz', nullable: true })
  actedAt: Date | null = null;

  @Field(() => Date, { nullable: true, description: 'When the recipient dismissed it.' })
  @Property({ type: 'timestamptz', nullable: true })
  dismissedAt: Date | null = null;

  /** When it was published to live subscribers (`notificationReceived`); null = not yet. */
  @Index()
  @Property({ type: 'timestamptz', nullable: true })
  announcedAt: Date | null = null;
}
