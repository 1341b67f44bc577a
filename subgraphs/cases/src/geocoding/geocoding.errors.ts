import type { GeocodingProviderName } from './geocoding.types';

/**
 * A provider could not answer (network failure, timeout, HTTP error, quota, denied key,
 * malformed response). The chain treats it as "try the next provider", never as "not found".
 */
export class GeocodingProviderError extends Error {
  override readonly name = 'GeocodingProviderError';

  constructor(
    /** The provider that failed. */
    readonly provider: GeocodingProviderName,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${provider} geocoding failed: ${message}`, options);
  }
}

/**
 * Every provider in the chain failed with an error, so nothing can be said about the place.
 * `failures` holds each provider's error, in chain order.
 */
export class GeocodingUnavailableError extends Error {
  override readonly name = 'GeocodingUnavailableError';

  constructor(
    readonly place: string,
    readonly failures: readonly Error[],
  ) {
    super(`Geocoding is unavailable for "${place}": ${failures.map((failure) => failure.message).join('; ')}`);
  }
}

/** The geocoder configuration is invalid; the message names the offending setting. */
export class GeocoderConfigError extends Error {
  override readonly name = 'GeocoderConfigError';
}
