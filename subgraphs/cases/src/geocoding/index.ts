/**
 * Geocoding for the cases subgraph: free-text places → coordinates through a provider chain
 * (Google when keyed, Nominatim when enabled, offline gazetteer always) behind an LRU cache.
 */
export type { GeocodeResult, Geocoder, GeocodingProvider, GeocodingProviderName } from './geocoding.types';
export { GeocoderConfigError, GeocodingProviderError, GeocodingUnavailableError } from './geocoding.errors';
export {
  DEFAULT_GEOCODER_CONFIG,
  PUBLIC_NOMINATIM_HOST,
  geocoderConfigFromEnv,
  resolveGeocoderConfig,
  type GeocoderConfig,
} from './geocoding.config';
export { GeocoderService, buildProviderChain, createGeocoder, type GeocoderOptions } from './geocoder.service';
export { GoogleGeocodingProvider, type GoogleProviderOptions } from './google.provider';
export { NominatimGeocodingProvider, type NominatimProviderOptions } from './nominatim.provider';
export { GazetteerGeocodingProvider, resolvePlace } from './gazetteer.provider';
export { loadCityIndex, buildCityIndex, type CityIndex, type CityRecord } from './cities.dataset';
export { SerialRateLimiter } from './request.limiter';
export { normalizePlaceName } from './place.normalizer';
