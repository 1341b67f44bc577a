import { GeocodingProviderError } from './geocoding.errors';
import type { GeocodeResult, GeocodingProvider } from './geocoding.types';
import { fetchJson, toCoordinate } from './http.fetcher';

/** Settings of the Google Geocoding API provider. */
export interface GoogleProviderOptions {
  /** API key sent as the `key` parameter. */
  apiKey: string;
  /** Origin (optionally with a path prefix) of the Maps web services, e.g. `https://maps.googleapis.com`. */
  baseUrl: string;
  /** Per-request timeout in milliseconds. */
  timeoutMs: number;
}

interface GoogleAddressComponent {
  long_name?: unknown;
  short_name?: unknown;
  types?: unknown;
}

interface GoogleGeocodeResponse {
  status?: unknown;
  error_message?: unknown;
  results?: unknown;
}

/** Statuses meaning the key's quota or rate is exhausted; the next provider should answer. */
const QUOTA_STATUSES = new Set(['OVER_QUERY_LIMIT', 'OVER_DAILY_LIMIT']);

/**
 * Geocodes with the Google Geocoding API (`GET {baseUrl}/maps/api/geocode/json?address=…&key=…`).
 * Resolves `null` for `ZERO_RESULTS` (or an `OK` without results); rejects with a
 * `GeocodingProviderError` for quota statuses, `REQUEST_DENIED`, `INVALID_REQUEST`, `UNKNOWN_ERROR`,
 * HTTP errors, timeouts and malformed bodies. The result's `country` is the ISO alpha-2 code of the
 * result's `country` address component.
 */
export class GoogleGeocodingProvider implements GeocodingProvider {
  readonly name = 'google' as const;
  private readonly endpoint: URL;

  constructor(private readonly options: GoogleProviderOptions) {
    if (!options.apiKey) throw new RangeError('The Google geocoding provider needs an API key');
    this.endpoint = new URL('maps/api/geocode/json', `${options.baseUrl.replace(/\/+$/, '')}/`);
  }

  async lookup(query: string): Promise<GeocodeResult | null> {
    const url = new URL(this.endpoint);
    url.searchParams.set('address', query);
    url.searchParams.set('key', this.options.apiKey);
    const body = (await fetchJson(this.name, url, { timeoutMs: this.options.timeoutMs })) as GoogleGeocodeResponse;
    if (typeof body !== 'object' || body === null || typeof body.status !== 'string') {
      throw new GeocodingProviderError(this.name, 'response has no status field');
    }
    const status = body.status;
    const detail = typeof body.error_message === 'string' ? `: ${body.error_message}` : '';
    if (status === 'ZERO_RESULTS') return null;
    if (QUOTA_STATUSES.has(status)) throw new GeocodingProviderError(this.name, `quota exceeded (${status})${detail}`);
    if (status === 'REQUEST_DENIED') throw new GeocodingProviderError(this.name, `request denied${detail}`);
    if (status !== 'OK') throw new GeocodingProviderError(this.name, `status ${status}${detail}`);
    if (!Array.isArray(body.results) || body.results.length === 0) return null;
    return this.toResult(query, body.results[0]);
  }

  private toResult(query: string, raw: unknown): GeocodeResult {
    const result = (raw ?? {}) as {
      formatted_address?: unknown;
      geometry?: { location?: { lat?: unknown; lng?: unknown } };
      address_components?: unknown;
    };
    const lat = toCoordinate(result.geometry?.location?.lat);
    const lng = toCoordinate(result.geometry?.location?.lng);
    if (lat === undefined || lng === undefined) {
      throw new GeocodingProviderError(this.name, 'result has no geometry.location');
    }
    const components = Array.isArray(result.address_components)
      ? (result.address_components as GoogleAddressComponent[])
      : [];
    const countryComponent = components.find(
      (component) => Array.isArray(component.types) && component.types.includes('country'),
    );
    const country =
      typeof countryComponent?.short_name === 'string' ? countryComponent.short_name.toUpperCase() : undefined;
    const displayName = typeof result.formatted_address === 'string' ? result.formatted_address : query;
    return { query, location: { lat, lng }, displayName, provider: this.name, ...(country ? { country } : {}) };
  }
}
