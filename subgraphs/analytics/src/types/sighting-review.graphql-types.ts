import { Field, Int, ObjectType } from 'type-graphql';

/** How the sightings stand after review. */
@ObjectType({ description: 'Sightings by review outcome, all known cases.' })
export class SightingReviewStats {
  @Field(() => Int, { description: "Sightings the case's reporter or an ADMIN verified." })
  verified!: number;

  @Field(() => Int, { description: 'Sightings dismissed (hidden from the public).' })
  dismissed!: number;

  @Field(() => Int, { description: 'Sightings reported and not reviewed yet (or set back to NEW).' })
  unreviewed!: number;
}
