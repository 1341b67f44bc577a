import { Directive, Field, Float, InputType, ObjectType } from 'type-graphql';

/** A WGS84 point, shared with other subgraphs that expose locations. */
@ObjectType({ description: 'A point on Earth (WGS84, decimal degrees).' })
@Directive('@shareable')
export class GeoPoint {
  @Field(() => Float, { description: 'Latitude, -90 to 90.' })
  lat!: number;

  @Field(() => Float, { description: 'Longitude, -180 to 180.' })
  lng!: number;
}

/** A point given by a client. */
@InputType({ description: 'A point on Earth (WGS84, decimal degrees).' })
export class GeoPointInput {
  @Field(() => Float, { description: 'Latitude, -90 to 90.' })
  lat!: number;

  @Field(() => Float, { description: 'Longitude, -180 to 180.' })
  lng!: number;
}

/** A circle on Earth: everything within `radiusKm` of a point. */
@InputType({ description: 'Everything within radiusKm kilometres of a point.' })
export class GeoCircleInput {
  @Field(() => Float, { description: 'Latitude of the centre, -90 to 90.' })
  lat!: number;

  @Field(() => Float, { description: 'Longitude of the centre, -180 to 180.' })
  lng!: number;

  @Field(() => Float, { description: 'Radius in kilometres, more than 0 and at most 1000.' })
  radiusKm!: number;
}

/** A place found by the geocoder. */
@ObjectType({ description: 'Where a free-text place description was found.' })
export class GeocodeResult {
  @Field(() => String, { description: 'The place as asked.' })
  query!: string;

  @Field(() => GeoPoint, { description: 'Its coordinates.' })
  location!: GeoPoint;

  @Field(() => String, { description: 'The name of what was found, e.g. "Lyon, Auvergne-Rhône-Alpes, France".' })
  displayName!: string;

  @Field(() => String, { description: 'Which provider answered: google, nominatim or gazetteer (offline).' })
  provider!: string;

  @Field(() => String, { nullable: true, description: 'ISO 3166-1 alpha-2 country code, when known.' })
  country?: string | null;
}

/** Converts stored coordinates into a GeoPoint, or null when either is missing. */
export function toGeoPoint(lat: number | null, lng: number | null): GeoPoint | null {
  return lat === null || lng === null ? null : { lat, lng };
}
