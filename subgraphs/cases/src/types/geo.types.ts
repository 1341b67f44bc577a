import { Field, ObjectType } from 'type-graphql';
import { GeoPoint } from '@supergraph/kit';

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
