import { Entity, Enum, Index, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';
import { randomUUID } from 'node:crypto';
import { CaseStatus, Gender, LocationType } from './case.enums';

/**
 * A missing-child report. Owned by cases; other subgraphs reference it by `id`. The location is
 * stored as two indexed columns: radius searches prefilter on a bounding box over them and then
 * compute the exact great-circle distance (no PostGIS in the embedded database).
 */
@ObjectType({ description: 'A missing-child report and its lifecycle.' })
@Directive('@key(fields: "id")')
@Entity({ tableName: 'missing_case' })
@Index({ name: 'missing_case_status_last_seen_idx', properties: ['status', 'lastSeenAt', 'id'] })
@Index({ name: 'missing_case_last_seen_idx', properties: ['lastSeenAt', 'id'] })
@Index({ name: 'missing_case_lat_lng_idx', properties: ['lat', 'lng'] })
@Index({ name: 'missing_case_reporter_idx', properties: ['reporterId', 'createdAt'] })
// The filters a client combines (status, gender, age range, last-seen range) in list order.
@Index({ name: 'missing_case_status_gender_last_seen_idx', properties: ['status', 'gender', 'lastSeenAt', 'id'] })
@Index({ name: 'missing_case_status_age_last_seen_idx', properties: ['status', 'age', 'lastSeenAt', 'id'] })
export class Case {
  [OptionalProps]?:
    'id' | 'status' | 'description' | 'locationType' | 'photoKey' | 'foundAt' | 'closedAt' | 'createdAt' | 'updatedAt';

  @Field(() => ID, { description: 'Unique id of the case.' })
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Field(() => String, {
    description: 'Public reference quoted on posters and by phone: MC + UTC date (YYYYMMDD) + 8 hex characters.',
  })
  @Property({ type: 'string', length: 18, unique: true })
  reportId!: string;

  @Field(() => CaseStatus, { description: 'Current status.' })
  @Enum({ items: () => CaseStatus, type: 'string', default: CaseStatus.MISSING })
  status: CaseStatus = CaseStatus.MISSING;

  @Field(() => String, { description: "The child's name, 1–100 characters." })
  @Property({ type: 'string', length: 100 })
  childName!: string;

  @Field(() => Int, { description: 'Age in years, 0–17.' })
  @Property({ type: 'smallint' })
  age!: number;

  @Field(() => Gender, { description: 'Gender as reported.' })
  @Enum({ items: () => Gender, type: 'string' })
  gender!: Gender;

  @Field(() => String, { nullable: true, description: 'Appearance, clothing, circumstances (up to 2000 characters).' })
  @Property({ type: 'text', nullable: true })
  description: string | null = null;

  @Field(() => Date, { description: 'When the child was last seen.' })
  @Property({ type: 'timestamptz' })
  lastSeenAt!: Date;

  @Field(() => String, { description: 'Where the child was last seen, as the reporter described it.' })
  @Property({ type: 'string', length: 300 })
  lastSeenPlace!: string;

  /** Latitude of the last-seen location (given, or geocoded from `lastSeenPlace`). */
  @Property({ type: 'double' })
  lat!: number;

  /** Longitude of the last-seen location. */
  @Property({ type: 'double' })
  lng!: number;

  @Field(() => LocationType, { nullable: true, description: 'Kind of place the child was last seen at, when known.' })
  @Enum({ items: () => LocationType, type: 'string', nullable: true })
  locationType: LocationType | null = null;

  /** Phone number to call with information; shown only to the reporter and ADMINs. */
  @Property({ type: 'string', length: 20 })
  contactPhone!: string;

  /** The user (owned by users) who reported the case. */
  @Property({ type: 'uuid' })
  reporterId!: string;

  /** Storage key of the child's photo (JPEG), when one was uploaded. */
  @Property({ type: 'string', length: 200, nullable: true })
  photoKey: string | null = null;

  @Field(() => Date, { nullable: true, description: 'When the case was last marked FOUND.' })
  @Property({ type: 'timestamptz', nullable: true })
  foundAt: Date | null = null;

  @Field(() => Date, { nullable: true, description: 'When the case was last marked CLOSED.' })
  @Property({ type: 'timestamptz', nullable: true })
  closedAt: Date | null = null;

  @Field(() => Date, { description: 'When the case was reported.' })
  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  @Field(() => Date, { description: 'When the case last changed.' })
  @Property({ type: 'timestamptz', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
