import { Entity, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * Cases' own copy of the accounts it has heard of through `user.registered` / `user.updated`
 * events (never read from the users database). It tells the demo seed whom to attribute cases to.
 */
@Entity({ tableName: 'known_user' })
export class KnownUser {
  [OptionalProps]?: 'role' | 'updatedAt';

  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'string', length: 254 })
  email!: string;

  @Property({ type: 'string', length: 50 })
  displayName!: string;

  /** USER or ADMIN when an event told it; null when only `user.registered` was seen. */
  @Property({ type: 'string', length: 10, nullable: true })
  role: string | null = null;

  @Property({ type: 'timestamptz' })
  updatedAt: Date = new Date();
}

/** A one-off data step that ran (e.g. the demo cases), so it never runs twice. */
@Entity({ tableName: 'seed_run' })
export class SeedRun {
  [OptionalProps]?: 'ranAt';

  @PrimaryKey({ type: 'string', length: 50 })
  name!: string;

  @Property({ type: 'timestamptz' })
  ranAt: Date = new Date();
}
