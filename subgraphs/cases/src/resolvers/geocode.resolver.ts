import { Arg, Directive, Query, Resolver } from 'type-graphql';
import { AppError, check } from '@supergraph/kit';
import { GeocodingUnavailableError, type Geocoder } from '../geocoding';
import { GeocodeResult } from '../types/geo.types';

/** Free-text places to coordinates, for clients that want to show a report's point before sending it. */
@Resolver()
export class GeocodeResolver {
  constructor(private readonly geocoder: Geocoder) {}

  @Query(() => GeocodeResult, {
    nullable: true,
    description:
      'Where a place is (e.g. "Gare de Lyon, Paris"); null when no provider finds it. Public; cached up to an hour.',
  })
  // Where a named place is does not change: the router may answer it from its response cache.
  @Directive('@cacheControl(maxAge: 3600)')
  async geocode(@Arg('place', () => String) place: string): Promise<GeocodeResult | null> {
    const text = check.text(place, 'place', { max: 300 });
    try {
      const found = await this.geocoder.geocode(text);
      return found && { ...found, country: found.country ?? null };
    } catch (err) {
      if (err instanceof GeocodingUnavailableError)
        throw new AppError('No geocoding service can be reached right now; try again shortly.', 'SUBGRAPH_UNAVAILABLE');
      throw err;
    }
  }
}
