import 'reflect-metadata';
import { Directive, Field, Float, InputType, ObjectType } from 'type-graphql';

/**
 * A WGS84 point in decimal degrees: the GraphQL object type of every subgraph that has places (hence
 * `@shareable`) and, as a TypeScript type, the point of event payloads and of the geo math. A plain
 * `{ lat, lng }` object is a `GeoPoint`: the class has no members besides the two fields.
 */
@ObjectType({ description: 'A point on Earth (WGS84, decimal degrees).' })
@Directive('@shareable')
@Directive('@cacheControl(inheritMaxAge: true)') // as cacheable as the answer it is part of
export class GeoPoint {
  @Field(() => Float, { description: 'Latitude, -90 to 90.' })
  lat!: number;

  @Field(() => Float, { description: 'Longitude, -180 to 180.' })
  lng!: number;
}

/** A point given by a client; resolvers validate the ranges. */
@InputType({ description: 'A point on Earth (WGS84, decimal degrees).' })
export class GeoPointInput {
  @Field(() => Float, { description: 'Latitude, -90 to 90.' })
  lat!: number;

  @Field(() => Float, { description: 'Longitude, -180 to 180.' })
  lng!: number;
}

/**
 * A circle given by a client: everything within `radiusKm` of the point. The radius text names
 * the bounds each subgraph enforces (cases: (0, 1000] km; notifications: [0.1, 1000] km).
 */
@InputType({ description: 'Everything within radiusKm kilometres of a point.' })
export class GeoCircleInput {
  @Field(() => Float, { description: 'Latitude of the centre, -90 to 90.' })
  lat!: number;

  @Field(() => Float, { description: 'Longitude of the centre, -180 to 180.' })
  lng!: number;

  @Field(() => Float, {
    description:
      'Radius in kilometres, at most 1000: more than 0 in case searches, at least 0.1 for alerts and broadcasts.',
  })
  radiusKm!: number;
}
