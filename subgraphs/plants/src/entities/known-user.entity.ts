import { Entity, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * A user this database has heard of through `user.registered` / `user.updated` events (the
 * plants database never reads the users database). Used to seed the demo plants of the demo
 * accounts once they become known.
 */
@Entity({ tableName: 'known_user' })
export class KnownUser {
  [OptionalProps]?: 'demoSeededAt' | 'updatedAt';

  /** The user's id in the users subgraph. */
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'string', length: 254 })
  email!: string;

  @Property({ type: 'string', length: 50 })
  displayName!: string;

  /** When the demo plants were created for this user; null when never (not a demo user, or seeding off). */
  @Property({ type: 'timestamptz', nullable: true })
  demoSeededAt: Date | null = null;

  @Property({ type: 'timestamptz' })
  updatedAt: Date = new Date();
}
