import { describe, it, expect, beforeAll, afterAll, beforeEach } from 'vitest';
import { GeocodingProviderError, NominatimGeocodingProvider } from '../../src/geocoding';
import { nominatimProtocol, startFakeServer, type FakeServer } from './provider.fakes';

const USER_AGENT = 'cases-geocoding-tests/1.0 (ops@example.org)';
const INTERVAL_MS = 50;

describe('Nominatim provider', () => {
  let server: FakeServer;
  let provider: NominatimGeocodingProvider;

  beforeAll(async () => {
    server = await startFakeServer(nominatimProtocol);
  });
  afterAll(() => server.close());
  beforeEach(() => {
    server.reset();
    server.respond = nominatimProtocol;
    provider = new NominatimGeocodingProvider({
      baseUrl: server.baseUrl,
      userAgent: USER_AGENT,
      email: 'ops@example.org',
      minIntervalMs: INTERVAL_MS,
      timeoutMs: 2000,
    });
  });

  it('sends a jsonv2 search with the User-Agent and parses the place', async () => {
    const result = await provider.lookup('Zürich Hauptbahnhof & Bahnhofstraße');
    expect(result).toEqual({
      query: 'Zürich Hauptbahnhof & Bahnhofstraße',
      location: { lat: 47.3778579, lng: 8.5403226 },
      displayName: 'Zürich, Switzerland',
      provider: 'nominatim',
      country: 'CH',
    });
    const [request] = server.requests;
    expect(request!.url.pathname).toBe('/search');
    expect(request!.headers['user-agent']).toBe(USER_AGENT);
    expect(Object.fromEntries(request!.url.searchParams)).toEqual({
      format: 'jsonv2',
      q: 'Zürich Hauptbahnhof & Bahnhofstraße',
      limit: '1',
      addressdetails: '1',
      email: 'ops@example.org',
    });
    expect(request!.rawUrl).toContain('%26');
  });

  it('returns null for an empty result list', async () => {
    expect(await provider.lookup('Nowhere at all')).toBeNull();
  });

  it('fails on 429 and on malformed bodies', async () => {
    server.respond = () => ({ status: 429, body: { error: 'Too many requests' } });
    await expect(provider.lookup('Paris')).rejects.toThrow(/HTTP 429 .*rate limited/);
    server.respond = () => ({ status: 200, body: { not: 'an array' } });
    await expect(provider.lookup('Paris')).rejects.toBeInstanceOf(GeocodingProviderError);
  });

  it('spaces concurrent requests by the minimum interval, one at a time', async () => {
    const queries = ['Paris', 'Lyon', 'Nowhere', 'Paris', 'Lyon'];
    const results = await Promise.all(queries.map((query) => provider.lookup(query)));
    expect(results.map((result) => result?.country ?? null)).toEqual(['FR', 'FR', null, 'FR', 'FR']);
    expect(server.requests).toHaveLength(queries.length);
    expect(server.maxConcurrent).toBe(1);
    const times = server.requests.map((request) => request.receivedAt);
    for (let i = 1; i < times.length; i++) {
      expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(INTERVAL_MS);
    }
    // Requests leave in call order.
    expect(server.requests.map((request) => request.url.searchParams.get('q'))).toEqual(queries);
  });

  it('shares the spacing between provider instances talking to the same server', async () => {
    const twin = new NominatimGeocodingProvider({
      baseUrl: server.baseUrl,
      userAgent: USER_AGENT,
      minIntervalMs: INTERVAL_MS,
      timeoutMs: 2000,
    });
    await Promise.all([provider.lookup('Paris'), twin.lookup('Lyon'), provider.lookup('Lyon'), twin.lookup('Paris')]);
    expect(server.maxConcurrent).toBe(1);
    const times = server.requests.map((request) => request.receivedAt);
    for (let i = 1; i < times.length; i++) {
      expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(INTERVAL_MS);
    }
  });

  it('keeps the queue moving after a failed request', async () => {
    let calls = 0;
    server.respond = (request) =>
      ++calls === 1 ? { status: 500, body: { error: 'boom' } } : nominatimProtocol(request);
    const [first, second] = await Promise.allSettled([provider.lookup('Paris'), provider.lookup('Lyon')]);
    expect(first.status).toBe('rejected');
    expect(second).toMatchObject({ status: 'fulfilled', value: { displayName: 'Lyon, France' } });
    expect(server.requests[1]!.receivedAt - server.requests[0]!.receivedAt).toBeGreaterThanOrEqual(INTERVAL_MS);
  });

  it('works under a path prefix', async () => {
    const prefixed = new NominatimGeocodingProvider({
      baseUrl: `${server.baseUrl}/nominatim/`,
      userAgent: USER_AGENT,
      minIntervalMs: 0,
      timeoutMs: 2000,
    });
    expect(await prefixed.lookup('Lyon')).toMatchObject({ provider: 'nominatim' });
    expect(server.requests[0]!.url.pathname).toBe('/nominatim/search');
  });
});
