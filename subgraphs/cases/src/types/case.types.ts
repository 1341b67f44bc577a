import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { GeoCircleInput, GeoPointInput } from '@supergraph/kit';
import { CaseStatus, Gender, LocationType } from '../entities/case.enums';

/** What a reporter tells about a missing child. */
@InputType({ description: 'A new missing-child report.' })
export class ReportCaseInput {
  @Field(() => String, { description: "The child's name, 1–100 characters." })
  childName!: string;

  @Field(() => Int, { description: 'Age in years, 0–17.' })
  age!: number;

  @Field(() => Gender, { description: "The child's gender." })
  gender!: Gender;

  @Field(() => String, { nullable: true, description: 'Appearance, clothing, circumstances (up to 2000 characters).' })
  description?: string | null;

  @Field(() => Date, { description: 'When the child was last seen; not in the future.' })
  lastSeenAt!: Date;

  @Field(() => String, {
    description: 'Where the child was last seen (free text, 1–300 characters). Geocoded when no location is given.',
  })
  lastSeenPlace!: string;

  @Field(() => GeoPointInput, {
    nullable: true,
    description: 'Exact last-seen point; when absent, lastSeenPlace must be a place the geocoder knows.',
  })
  location?: GeoPointInput | null;

  @Field(() => LocationType, { nullable: true, description: 'Kind of place.' })
  locationType?: LocationType | null;

  @Field(() => String, {
    description:
      'Phone number to call with information (international form, at most 40 characters). Shown only to the reporter and ADMINs.',
  })
  contactPhone!: string;
}

/** Changes to a case; absent fields stay as they are. */
@InputType({ description: 'Changes to a case; fields left out stay unchanged.' })
export class UpdateCaseInput {
  @Field(() => String, { nullable: true, description: 'New name, 1–100 characters.' })
  childName?: string | null;

  @Field(() => Int, { nullable: true, description: 'New age, 0–17.' })
  age?: number | null;

  @Field(() => Gender, { nullable: true, description: 'New gender.' })
  gender?: Gender | null;

  @Field(() => String, { nullable: true, description: 'Up to 2000 characters; empty text removes the description.' })
  description?: string | null;

  @Field(() => Date, { nullable: true, description: 'New last-seen time; not in the future.' })
  lastSeenAt?: Date | null;

  @Field(() => String, {
    nullable: true,
    description: 'Up to 300 characters; geocoded again unless a location is given too.',
  })
  lastSeenPlace?: string | null;

  @Field(() => GeoPointInput, { nullable: true, description: 'New exact last-seen point.' })
  location?: GeoPointInput | null;

  @Field(() => LocationType, { nullable: true, description: 'New kind of place; null removes it.' })
  locationType?: LocationType | null;

  @Field(() => String, {
    nullable: true,
    description: 'New contact phone (international form, at most 40 characters).',
  })
  contactPhone?: string | null;
}

/** Which cases to list. */
@InputType({ description: 'Filters for the case list; all given filters must match.' })
export class CaseFilter {
  @Field(() => CaseStatus, { nullable: true, description: 'Only cases with this status.' })
  status?: CaseStatus | null;

  @Field(() => GeoCircleInput, { nullable: true, description: 'Only cases last seen within this circle.' })
  near?: GeoCircleInput | null;

  @Field(() => String, {
    nullable: true,
    description:
      "Words found in the child's name, the description or the last-seen place (case-insensitive; at most 200 characters).",
  })
  search?: string | null;

  @Field(() => Int, { nullable: true, description: 'Only children at least this old (years, 0–17).' })
  ageMin?: number | null;

  @Field(() => Int, { nullable: true, description: 'Only children at most this old (years, 0–17; not below ageMin).' })
  ageMax?: number | null;

  @Field(() => Gender, { nullable: true, description: 'Only children of this gender.' })
  gender?: Gender | null;

  @Field(() => Date, { nullable: true, description: 'Only children last seen at or after this instant.' })
  lastSeenAfter?: Date | null;

  @Field(() => Date, {
    nullable: true,
    description: 'Only children last seen before this instant (not before lastSeenAfter).',
  })
  lastSeenBefore?: Date | null;
}

/** A sighting as reported by anyone. */
@InputType({ description: 'A report of having seen a missing child; no sign-in needed.' })
export class ReportSightingInput {
  @Field(() => ID, { description: 'Id of the case.' })
  caseId!: string;

  @Field(() => Date, { description: 'When the child was seen; not in the future.' })
  seenAt!: Date;

  @Field(() => String, { description: 'Where the child was seen (free text, 1–300 characters).' })
  place!: string;

  @Field(() => GeoPointInput, {
    nullable: true,
    description: 'Exact point; when absent the place is geocoded if possible.',
  })
  location?: GeoPointInput | null;

  @Field(() => String, { nullable: true, description: 'What was seen (up to 2000 characters).' })
  description?: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      "How to reach you (phone or email, up to 200 characters); shown only to the case's reporter and ADMINs.",
  })
  contact?: string | null;
}

/** Counts of cases by status. */
@ObjectType({ description: 'How many cases there are, by status.' })
export class CaseStats {
  @Field(() => Int, { description: 'All cases.' })
  total!: number;

  @Field(() => Int, { description: 'Cases still MISSING.' })
  missing!: number;

  @Field(() => Int, { description: 'Cases marked FOUND.' })
  found!: number;

  @Field(() => Int, { description: 'Cases CLOSED otherwise.' })
  closed!: number;
}
