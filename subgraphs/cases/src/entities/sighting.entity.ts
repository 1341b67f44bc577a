import { Entity, Enum, Index, ManyToOne, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { randomUUID } from 'node:crypto';
import { Case } from './case.entity';
import { SightingStatus } from './case.enums';

/**
 * Someone saw the missing child. Anyone may report one, signed in or not; the case's reporter or an
 * ADMIN reviews it (VERIFIED or DISMISSED), and a DISMISSED one is hidden from everyone else.
 */
@ObjectType({ description: 'A report of having seen the missing child.' })
@Directive('@key(fields: "id")')
@Entity({ tableName: 'sighting' })
@Index({ name: 'sighting_case_seen_idx', properties: ['caseId', 'seenAt'] })
export class Sighting {
  [OptionalProps]?:
    | 'id'
    | 'lat'
    | 'lng'
    | 'description'
    | 'contact'
    | 'reporterId'
    | 'createdAt'
    | 'status'
    | 'reviewedAt'
    | 'reviewedBy'
    | 'reviewNote';

  @Field(() => ID, { description: 'Unique id of the sighting.' })
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  /** The case seen; the sighting goes with it when the case is deleted. */
  @ManyToOne(() => Case, { mapToPk: true, deleteRule: 'cascade', fieldName: 'case_id', index: false })
  caseId!: string;

  @Field(() => Date, { description: 'When the child was seen.' })
  @Property({ type: 'timestamptz' })
  seenAt!: Date;

  @Field(() => String, { description: 'Where the child was seen, as described.' })
  @Property({ type: 'string', length: 300 })
  place!: string;

  /** Latitude, when given or found by geocoding `place`. */
  @Property({ type: 'double', nullable: true })
  lat: number | null = null;

  @Property({ type: 'double', nullable: true })
  lng: number | null = null;

  @Field(() => String, { nullable: true, description: 'What was seen.' })
  @Property({ type: 'text', nullable: true })
  description: string | null = null;

  /** How to reach the person who saw the child; shown only to the case's reporter and ADMINs. */
  @Property({ type: 'string', length: 200, nullable: true })
  contact: string | null = null;

  /** The signed-in user who reported it; null for anonymous reports. */
  @Property({ type: 'uuid', nullable: true })
  reporterId: string | null = null;

  @Field(() => Date, { description: 'When the sighting was reported.' })
  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  @Field(() => SightingStatus, { description: "NEW until the case's reporter or an ADMIN reviews it." })
  @Enum({ items: () => SightingStatus, type: 'string', default: SightingStatus.NEW })
  status: SightingStatus = SightingStatus.NEW;

  @Field(() => Date, { nullable: true, description: 'When the sighting was last reviewed; null while NEW.' })
  @Property({ type: 'timestamptz', nullable: true })
  reviewedAt: Date | null = null;

  /** Who last reviewed it (the case's reporter or an ADMIN); null while NEW. */
  @Property({ type: 'uuid', nullable: true })
  reviewedBy: string | null = null;

  /** The reviewer's note; shown only to the case's reporter and ADMINs. */
  @Property({ type: 'text', nullable: true })
  reviewNote: string | null = null;
}
