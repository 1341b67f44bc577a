import { resolveGeocoderConfig, type GeocoderConfig } from './geocoding.config';
import { GeocodingUnavailableError } from './geocoding.errors';
import type { GeocodeResult, Geocoder, GeocodingProvider, GeocodingProviderName } from './geocoding.types';
import { GazetteerGeocodingProvider } from './gazetteer.provider';
import { GoogleGeocodingProvider } from './google.provider';
import { LruCache } from '@supergraph/kit';
import { NominatimGeocodingProvider } from './nominatim.provider';
import { normalizePlaceName } from './place.normalizer';

/** Optional collaborators of a geocoder. */
export interface GeocoderOptions {
  /** Replaces the chain built from the config (the cache still applies). */
  providers?: readonly GeocodingProvider[];
  /** Called for every provider failure that the chain recovered from or gave up on (e.g. to log it). */
  onProviderError?: (error: Error, provider: GeocodingProviderName, place: string) => void;
}

/**
 * The providers selected by `config`, in the order they are tried: Google (when a key is set),
 * Nominatim (when enabled), then the offline gazetteer, which is always present.
 */
export function buildProviderChain(config: GeocoderConfig): GeocodingProvider[] {
  const chain: GeocodingProvider[] = [];
  if (config.googleApiKey) {
    chain.push(
      new GoogleGeocodingProvider({
        apiKey: config.googleApiKey,
        baseUrl: config.googleBaseUrl,
        timeoutMs: config.timeoutMs,
      }),
    );
  }
  if (config.nominatimEnabled) {
    chain.push(
      new NominatimGeocodingProvider({
        baseUrl: config.nominatimBaseUrl,
        userAgent: config.nominatimUserAgent,
        email: config.nominatimEmail,
        minIntervalMs: config.nominatimMinIntervalMs,
        timeoutMs: config.timeoutMs,
      }),
    );
  }
  chain.push(new GazetteerGeocodingProvider());
  return chain;
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/**
 * A `Geocoder` over a provider chain with an LRU cache keyed by the normalised place name.
 * Providers are tried in order; a `null` ("not found") or an error moves on to the next one.
 * Hits are always cached; misses only when every provider answered cleanly, so an outage never
 * turns into a remembered "not found". Concurrent lookups of the same key share one chain run.
 */
export class GeocoderService implements Geocoder {
  private readonly cache: LruCache<string, GeocodeResult | null>;
  private readonly inflight = new Map<string, Promise<GeocodeResult | null>>();

  constructor(
    private readonly providers: readonly GeocodingProvider[],
    cacheSize: number,
    private readonly onProviderError?: GeocoderOptions['onProviderError'],
  ) {
    if (providers.length === 0) throw new RangeError('A geocoder needs at least one provider');
    this.cache = new LruCache(cacheSize);
  }

  /** Names of the chained providers, in the order they are tried. */
  get providerNames(): GeocodingProviderName[] {
    return this.providers.map((provider) => provider.name);
  }

  /**
   * Resolves `place`, or `null` when it is blank or no provider found it. The result's `query` is
   * `place` as given, even when served from the cache. Rejects with `GeocodingUnavailableError`
   * when every provider failed.
   */
  async geocode(place: string): Promise<GeocodeResult | null> {
    const key = normalizePlaceName(place);
    if (key === '') return null;
    const cached = this.cache.get(key);
    const result = cached !== undefined ? cached : await this.resolveShared(key, place.trim());
    return result && { ...result, query: place };
  }

  /**
   * Resolves every entry of `places`, looking each distinct normalised place up once;
   * result `i` belongs to `places[i]`. Rejects if any distinct place is unavailable.
   */
  async geocodeMany(places: string[]): Promise<(GeocodeResult | null)[]> {
    const distinct = new Map<string, Promise<GeocodeResult | null>>();
    for (const place of places) {
      const key = normalizePlaceName(place);
      if (!distinct.has(key)) distinct.set(key, this.geocode(place));
    }
    const resolved = new Map<string, GeocodeResult | null>();
    await Promise.all(
      [...distinct].map(async ([key, pending]) => {
        resolved.set(key, await pending);
      }),
    );
    return places.map((place) => {
      const result = resolved.get(normalizePlaceName(place)) ?? null;
      return result && { ...result, query: place };
    });
  }

  private resolveShared(key: string, place: string): Promise<GeocodeResult | null> {
    let pending = this.inflight.get(key);
    if (!pending) {
      pending = this.runChain(key, place).finally(() => this.inflight.delete(key));
      this.inflight.set(key, pending);
    }
    return pending;
  }

  private async runChain(key: string, place: string): Promise<GeocodeResult | null> {
    const failures: Error[] = [];
    for (const provider of this.providers) {
      try {
        const result = await provider.lookup(place);
        if (result) {
          this.cache.set(key, result);
          return result;
        }
      } catch (error) {
        const failure = toError(error);
        failures.push(failure);
        this.onProviderError?.(failure, provider.name, place);
      }
    }
    if (failures.length === this.providers.length) throw new GeocodingUnavailableError(place, failures);
    if (failures.length === 0) this.cache.set(key, null);
    return null;
  }
}

/**
 * Creates a geocoder from a (partial) config: defaults are filled in and validated
 * (`GeocoderConfigError` on bad values), the provider chain is built from it unless
 * `options.providers` is given, and an LRU cache of `config.cacheSize` entries is put in front.
 */
export function createGeocoder(config: Partial<GeocoderConfig> = {}, options: GeocoderOptions = {}): GeocoderService {
  const resolved = resolveGeocoderConfig(config);
  const providers = options.providers ?? buildProviderChain(resolved);
  return new GeocoderService(providers, resolved.cacheSize, options.onProviderError);
}
