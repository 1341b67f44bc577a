import { Entity, Index, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import type { Channel } from '@supergraph/kit';

/**
 * The notifications subgraph's own directory of people: contact details copied from users'
 * events (`user.registered`, `user.updated`) and the person's notification preferences. One row
 * per user id; either side (an event or the user's own preferences) may create it first.
 */
@Entity({ tableName: 'recipient' })
@Index({ properties: ['homeLat', 'homeLng'] })
export class Recipient {
  [OptionalProps]?:
    | 'email'
    | 'displayName'
    | 'phone'
    | 'role'
    | 'telegramChatId'
    | 'discordWebhookUrl'
    | 'channels'
    | 'alertRadiusKm'
    | 'homeLat'
    | 'homeLng'
    | 'quietStart'
    | 'quietEnd'
    | 'quietTimezone'
    | 'createdAt'
    | 'updatedAt';

  @PrimaryKey({ type: 'uuid' })
  userId!: string;

  @Property({ type: 'string', length: 254, nullable: true })
  email: string | null = null;

  @Property({ type: 'string', length: 100, nullable: true })
  displayName: string | null = null;

  /** E.164. */
  @Property({ type: 'string', length: 20, nullable: true })
  phone: string | null = null;

  /** USER or ADMIN, as users last announced it (ADMINs get every case alert in-app). */
  @Index()
  @Property({ type: 'string', length: 20, default: 'USER' })
  role: string = 'USER';

  @Property({ type: 'string', length: 64, nullable: true })
  telegramChatId: string | null = null;

  @Property({ type: 'text', nullable: true })
  discordWebhookUrl: string | null = null;

  /** Chosen channels; null means the defaults (IN_APP, EMAIL). */
  @Property({ type: 'json', nullable: true })
  channels: Channel[] | null = null;

  @Property({ type: 'double', default: 5 })
  alertRadiusKm: number = 5;

  @Property({ type: 'double', nullable: true })
  homeLat: number | null = null;

  @Property({ type: 'double', nullable: true })
  homeLng: number | null = null;

  /** Quiet hours as local "HH:MM" in `quietTimezone`; all three set or none. */
  @Property({ type: 'string', length: 5, nullable: true })
  quietStart: string | null = null;

  @Property({ type: 'string', length: 5, nullable: true })
  quietEnd: string | null = null;

  @Property({ type: 'string', length: 64, nullable: true })
  quietTimezone: string | null = null;

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
