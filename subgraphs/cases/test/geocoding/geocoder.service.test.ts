import { describe, it, expect, beforeAll, afterAll, beforeEach } from 'vitest';
import {
  GeocodingUnavailableError,
  GoogleGeocodingProvider,
  NominatimGeocodingProvider,
  createGeocoder,
  type GeocoderConfig,
  type GeocodingProviderName,
} from '../../src/geocoding';
import { googleProtocol, nominatimProtocol, startFakeServer, type FakeServer } from './provider.fakes';

const KEY = 'chain-test-key';

describe('geocoder provider chain', () => {
  let google: FakeServer;
  let nominatim: FakeServer;
  let both: Partial<GeocoderConfig>;

  beforeAll(async () => {
    google = await startFakeServer(googleProtocol(KEY));
    nominatim = await startFakeServer(nominatimProtocol);
  });
  afterAll(async () => {
    await google.close();
    await nominatim.close();
  });
  beforeEach(() => {
    google.reset();
    nominatim.reset();
    google.respond = googleProtocol(KEY);
    nominatim.respond = nominatimProtocol;
    both = {
      googleApiKey: KEY,
      googleBaseUrl: google.baseUrl,
      nominatimEnabled: true,
      nominatimBaseUrl: nominatim.baseUrl,
      nominatimUserAgent: 'cases-chain-tests/1.0',
      nominatimMinIntervalMs: 10,
      timeoutMs: 2000,
    };
  });

  it('builds the chain from the config', () => {
    expect(createGeocoder().providerNames).toEqual(['gazetteer']);
    expect(createGeocoder({ googleApiKey: KEY }).providerNames).toEqual(['google', 'gazetteer']);
    expect(createGeocoder(both).providerNames).toEqual(['google', 'nominatim', 'gazetteer']);
  });

  it('answers from the offline gazetteer by default', async () => {
    const result = await createGeocoder().geocode('Lyon, France');
    expect(result).toMatchObject({ query: 'Lyon, France', provider: 'gazetteer', country: 'FR' });
  });

  it('answers from the first provider that finds the place', async () => {
    const result = await createGeocoder(both).geocode('Paris');
    expect(result).toMatchObject({ provider: 'google', location: { lat: 48.856614, lng: 2.3522219 } });
    expect(nominatim.requests).toHaveLength(0);
  });

  it('falls back from a failing (500) provider to the next and reports the failure', async () => {
    google.respond = () => ({ status: 500, body: { error: 'internal' } });
    const failures: GeocodingProviderName[] = [];
    const geocoder = createGeocoder(both, { onProviderError: (_error, provider) => failures.push(provider) });
    const result = await geocoder.geocode('Lyon');
    expect(result).toMatchObject({ provider: 'nominatim', country: 'FR', displayName: 'Lyon, France' });
    expect(google.requests).toHaveLength(1);
    expect(nominatim.requests).toHaveLength(1);
    expect(failures).toEqual(['google']);
  });

  it('falls back on "not found" and on quota errors down to the gazetteer', async () => {
    google.respond = () => ({ status: 200, body: { results: [], status: 'OVER_QUERY_LIMIT' } });
    const result = await createGeocoder(both).geocode('Graz, Austria');
    expect(result).toMatchObject({ provider: 'gazetteer', country: 'AT' });
    expect(google.requests).toHaveLength(1);
    expect(nominatim.requests).toHaveLength(1); // answered [] for a place the fake does not know
  });

  it('returns null when every provider answers "not found"', async () => {
    expect(await createGeocoder(both).geocode('qwzxv plorkt')).toBeNull();
  });

  it('rejects with GeocodingUnavailableError when every provider fails', async () => {
    google.respond = () => ({ status: 502, body: { error: 'bad gateway' } });
    nominatim.respond = () => ({ status: 503, body: { error: 'overloaded' } });
    const geocoder = createGeocoder(both, {
      providers: [
        new GoogleGeocodingProvider({ apiKey: KEY, baseUrl: google.baseUrl, timeoutMs: 2000 }),
        new NominatimGeocodingProvider({
          baseUrl: nominatim.baseUrl,
          userAgent: 'x/1',
          minIntervalMs: 0,
          timeoutMs: 2000,
        }),
      ],
    });
    const failure = geocoder.geocode('Paris');
    await expect(failure).rejects.toBeInstanceOf(GeocodingUnavailableError);
    await expect(failure).rejects.toThrow(/HTTP 502.*HTTP 503/);
  });

  it('serves a repeated (differently written) place from the cache', async () => {
    const geocoder = createGeocoder(both);
    const first = await geocoder.geocode('Paris');
    const second = await geocoder.geocode('  PARIS ');
    expect(google.requests).toHaveLength(1);
    expect(second).toEqual({ ...first, query: '  PARIS ' });
  });

  it('caches misses, but not misses caused by provider failures', async () => {
    const geocoder = createGeocoder(both);
    expect(await geocoder.geocode('qwzxv plorkt')).toBeNull();
    expect(await geocoder.geocode('qwzxv plorkt')).toBeNull();
    expect(google.requests).toHaveLength(1);

    google.respond = () => ({ status: 500, body: {} });
    expect(await geocoder.geocode('blorft zzq')).toBeNull();
    expect(await geocoder.geocode('blorft zzq')).toBeNull();
    expect(google.requests).toHaveLength(3);
  });

  it('evicts the least recently used place at capacity', async () => {
    const geocoder = createGeocoder({ ...both, cacheSize: 2 });
    const asked = () => google.requests.map((request) => request.url.searchParams.get('address'));
    await geocoder.geocode('Paris');
    await geocoder.geocode('Lyon');
    await geocoder.geocode('Paris'); // refreshes Paris; Lyon is now the oldest
    await geocoder.geocode('Zürich Hauptbahnhof & Bahnhofstraße'); // evicts Lyon
    await geocoder.geocode('Paris');
    expect(asked()).toEqual(['Paris', 'Lyon', 'Zürich Hauptbahnhof & Bahnhofstraße']);
    await geocoder.geocode('Lyon');
    expect(asked()).toEqual(['Paris', 'Lyon', 'Zürich Hauptbahnhof & Bahnhofstraße', 'Lyon']);
  });

  it('disables caching with cacheSize 0', async () => {
    const geocoder = createGeocoder({ ...both, cacheSize: 0 });
    await geocoder.geocode('Paris');
    await geocoder.geocode('Paris');
    expect(google.requests).toHaveLength(2);
  });

  it('geocodeMany keeps input order and looks each distinct place up once', async () => {
    const geocoder = createGeocoder({ ...both, googleApiKey: undefined });
    const places = ['Lyon', 'Paris', 'lyon', 'Nowhere-Xyz', ' PARIS', '', 'Lyon'];
    const results = await geocoder.geocodeMany(places);
    expect(results.map((result) => result?.query ?? null)).toEqual([
      'Lyon',
      'Paris',
      'lyon',
      null,
      ' PARIS',
      null,
      'Lyon',
    ]);
    expect(results.map((result) => result?.displayName ?? null)).toEqual([
      'Lyon, France',
      'Paris, France',
      'Lyon, France',
      null,
      'Paris, France',
      null,
      'Lyon, France',
    ]);
    expect(nominatim.requests.map((request) => request.url.searchParams.get('q')).sort()).toEqual([
      'Lyon',
      'Nowhere-Xyz',
      'Paris',
    ]);
    expect(google.requests).toHaveLength(0);
  });

  it('shares one lookup between concurrent calls for the same place', async () => {
    const geocoder = createGeocoder(both);
    const [a, b] = await Promise.all([geocoder.geocode('Lyon'), geocoder.geocode('LYON')]);
    expect(google.requests).toHaveLength(1);
    expect(a?.query).toBe('Lyon');
    expect(b?.query).toBe('LYON');
  });
});
