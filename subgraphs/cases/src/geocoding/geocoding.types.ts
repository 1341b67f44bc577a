import type { GeoPoint } from '@supergraph/kit';

/** Names of the providers a geocoder can chain, in the order they are usually tried. */
export type GeocodingProviderName = 'google' | 'nominatim' | 'gazetteer';

/**
 * One resolved place.
 * `query` echoes the caller's input verbatim; `provider` says which provider answered;
 * `country` is an ISO 3166-1 alpha-2 code (upper case) when the provider knows it.
 */
export interface GeocodeResult {
  query: string;
  location: GeoPoint;
  displayName: string;
  provider: GeocodingProviderName;
  country?: string;
}

/**
 * Turns free-text place descriptions into coordinates.
 * `geocode` resolves to `null` when no provider could find the place (the input is the problem);
 * it rejects with a `GeocodingUnavailableError` only when every provider failed with an error.
 * `geocodeMany` resolves each distinct place once and returns results in input order.
 */
export interface Geocoder {
  geocode(place: string): Promise<GeocodeResult | null>;
  geocodeMany(places: string[]): Promise<(GeocodeResult | null)[]>;
}

/**
 * One link of the provider chain.
 * `lookup` resolves to `null` for "this provider does not know the place" and rejects
 * (preferably with a `GeocodingProviderError`) for failures such as timeouts, 5xx or quota,
 * so the chain can tell a miss from an outage.
 */
export interface GeocodingProvider {
  readonly name: GeocodingProviderName;
  lookup(query: string): Promise<GeocodeResult | null>;
}
