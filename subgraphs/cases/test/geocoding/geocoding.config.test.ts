import { describe, it, expect } from 'vitest';
import {
  DEFAULT_GEOCODER_CONFIG,
  GeocoderConfigError,
  geocoderConfigFromEnv,
  resolveGeocoderConfig,
} from '../../src/geocoding';

describe('geocoder config', () => {
  it('defaults to the offline gazetteer with a cache', () => {
    const config = resolveGeocoderConfig();
    expect(config.googleApiKey).toBeUndefined();
    expect(config.nominatimEnabled).toBe(false);
    expect(config.cacheSize).toBe(DEFAULT_GEOCODER_CONFIG.cacheSize);
  });

  it('never goes below one request per second against the public Nominatim server', () => {
    expect(resolveGeocoderConfig({ nominatimMinIntervalMs: 50 }).nominatimMinIntervalMs).toBe(1000);
    expect(
      resolveGeocoderConfig({ nominatimMinIntervalMs: 50, nominatimBaseUrl: 'http://127.0.0.1:8080/' }),
    ).toMatchObject({ nominatimMinIntervalMs: 50, nominatimBaseUrl: 'http://127.0.0.1:8080' });
  });

  it('reads environment variables', () => {
    const config = geocoderConfigFromEnv({
      GEOCODING_GOOGLE_API_KEY: 'k',
      GEOCODING_NOMINATIM_ENABLED: 'true',
      GEOCODING_NOMINATIM_USER_AGENT: 'app/2 (a@b.c)',
      GEOCODING_CACHE_SIZE: '10',
      GEOCODING_TIMEOUT_MS: '1500',
    });
    expect(config).toMatchObject({
      googleApiKey: 'k',
      nominatimEnabled: true,
      nominatimUserAgent: 'app/2 (a@b.c)',
      cacheSize: 10,
      timeoutMs: 1500,
    });
  });

  it('rejects invalid values naming the setting', () => {
    expect(() => geocoderConfigFromEnv({ GEOCODING_CACHE_SIZE: 'lots' })).toThrow(/GEOCODING_CACHE_SIZE/);
    expect(() => resolveGeocoderConfig({ googleBaseUrl: 'ftp://x' })).toThrow(GeocoderConfigError);
    expect(() => resolveGeocoderConfig({ nominatimEnabled: true, nominatimUserAgent: ' ' })).toThrow(
      /nominatimUserAgent/,
    );
    expect(() => resolveGeocoderConfig({ timeoutMs: 0 })).toThrow(/timeoutMs/);
  });
});
