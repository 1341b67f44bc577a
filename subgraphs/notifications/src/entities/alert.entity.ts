import { randomUUID } from 'node:crypto';
import { Entity, Index, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { Field, ID, ObjectType } from 'type-graphql';

/** A missing-child alert raised when a case is reported: one per case. */
@ObjectType({ description: 'A missing-child alert, raised once when a case is reported.' })
@Entity({ tableName: 'alert' })
export class Alert {
  [OptionalProps]?: 'id' | 'lat' | 'lng' | 'raisedAt' | 'announcedAt';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  /** The cases subgraph's Case id. */
  @Property({ type: 'uuid', unique: true })
  caseId!: string;

  @Field(() => String, { description: 'One line saying who is missing and where they were last seen.' })
  @Property({ type: 'text' })
  message!: string;

  /** Where the child was last seen, when known (for `alertRaised(near:)`). */
  @Property({ type: 'double', nullable: true })
  lat: number | null = null;

  @Property({ type: 'double', nullable: true })
  lng: number | null = null;

  /** Indexed: `recentAlerts` reads the newest first. */
  @Field(() => Date)
  @Index()
  @Property({ type: 'timestamptz' })
  raisedAt: Date = new Date();

  /** When it was published to `alertRaised` subscribers; null = not yet. */
  @Index()
  @Property({ type: 'timestamptz', nullable: true })
  announcedAt: Date | null = null;
}
