import { GeocodingProviderError } from './geocoding.errors';
import type { GeocodeResult, GeocodingProvider } from './geocoding.types';
import { fetchJson, toCoordinate } from './http.fetcher';
import { SerialRateLimiter } from './request.limiter';

/** Settings of the Nominatim (OpenStreetMap) provider. */
export interface NominatimProviderOptions {
  /** Base URL of the Nominatim server (path prefix allowed); `/search` is appended. */
  baseUrl: string;
  /** User-Agent identifying this application (required by the Nominatim usage policy). */
  userAgent: string;
  /** Optional contact address sent as the `email` parameter. */
  email?: string;
  /** Minimum pause between one request's completion and the next request. */
  minIntervalMs: number;
  /** Per-request timeout in milliseconds (the wait in the rate-limit queue is not counted). */
  timeoutMs: number;
}

/**
 * One limiter per server and interval for the whole process: the usage policy limits the
 * application, not one provider object, so two geocoders against one server share the queue.
 */
const sharedLimiters = new Map<string, SerialRateLimiter>();

function limiterFor(endpoint: URL, minIntervalMs: number): SerialRateLimiter {
  const key = `${endpoint.origin}${endpoint.pathname}|${minIntervalMs}`;
  let limiter = sharedLimiters.get(key);
  if (!limiter) {
    limiter = new SerialRateLimiter(minIntervalMs);
    sharedLimiters.set(key, limiter);
  }
  return limiter;
}

interface NominatimPlace {
  lat?: unknown;
  lon?: unknown;
  display_name?: unknown;
  address?: { country_code?: unknown };
}

/**
 * Geocodes with Nominatim's `GET /search?format=jsonv2&q=…&limit=1&addressdetails=1`.
 * All requests to one server (with the same interval) in this process go through one shared
 * `SerialRateLimiter`, so they are sent one at a time and at least `minIntervalMs` apart.
 * Resolves `null` for an empty result array; rejects with
 * a `GeocodingProviderError` for HTTP errors (including 429), timeouts and malformed bodies.
 * `country` is the upper-cased `address.country_code`.
 */
export class NominatimGeocodingProvider implements GeocodingProvider {
  readonly name = 'nominatim' as const;
  private readonly endpoint: URL;
  private readonly limiter: SerialRateLimiter;

  constructor(private readonly options: NominatimProviderOptions) {
    if (!options.userAgent.trim()) throw new RangeError('The Nominatim provider needs an identifying User-Agent');
    this.endpoint = new URL('search', `${options.baseUrl.replace(/\/+$/, '')}/`);
    this.limiter = limiterFor(this.endpoint, options.minIntervalMs);
  }

  async lookup(query: string): Promise<GeocodeResult | null> {
    const url = new URL(this.endpoint);
    url.searchParams.set('format', 'jsonv2');
    url.searchParams.set('q', query);
    url.searchParams.set('limit', '1');
    url.searchParams.set('addressdetails', '1');
    if (this.options.email) url.searchParams.set('email', this.options.email);
    const body = await this.limiter.run(() =>
      fetchJson(this.name, url, {
        timeoutMs: this.options.timeoutMs,
        headers: { 'user-agent': this.options.userAgent },
      }),
    );
    if (!Array.isArray(body)) {
      throw new GeocodingProviderError(this.name, 'response is not a JSON array of places');
    }
    if (body.length === 0) return null;
    const place = (body[0] ?? {}) as NominatimPlace;
    const lat = toCoordinate(place.lat);
    const lng = toCoordinate(place.lon);
    if (lat === undefined || lng === undefined) {
      throw new GeocodingProviderError(this.name, 'place has no lat/lon');
    }
    const code = place.address?.country_code;
    const country = typeof code === 'string' && code ? code.toUpperCase() : undefined;
    const displayName = typeof place.display_name === 'string' ? place.display_name : query;
    return { query, location: { lat, lng }, displayName, provider: this.name, ...(country ? { country } : {}) };
  }
}
