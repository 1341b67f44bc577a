import { describe, it, expect, beforeAll, afterAll, beforeEach } from 'vitest';
import { GeocodingProviderError, GoogleGeocodingProvider } from '../../src/geocoding';
import { googleProtocol, startFakeServer, type FakeServer } from './provider.fakes';

const KEY = 'test-key-123';

describe('Google Geocoding provider', () => {
  let server: FakeServer;
  let provider: GoogleGeocodingProvider;

  beforeAll(async () => {
    server = await startFakeServer(googleProtocol(KEY));
    provider = new GoogleGeocodingProvider({ apiKey: KEY, baseUrl: server.baseUrl, timeoutMs: 2000 });
  });
  afterAll(() => server.close());
  beforeEach(() => {
    server.reset();
    server.respond = googleProtocol(KEY);
  });

  it('sends the key and the encoded address and parses the result', async () => {
    const query = 'Zürich Hauptbahnhof & Bahnhofstraße';
    const result = await provider.lookup(query);
    expect(result).toEqual({
      query,
      location: { lat: 47.3778579, lng: 8.5403226 },
      displayName: 'Zürich, Switzerland',
      provider: 'google',
      country: 'CH',
    });
    expect(server.requests).toHaveLength(1);
    const [request] = server.requests;
    expect(request!.url.pathname).toBe('/maps/api/geocode/json');
    expect(request!.url.searchParams.get('key')).toBe(KEY);
    expect(request!.url.searchParams.get('address')).toBe(query);
    // "&" and non-ASCII letters must be percent-encoded, or the address would be cut at the "&".
    expect(request!.rawUrl).toContain('Z%C3%BCrich');
    expect(request!.rawUrl).toContain('%26');
  });

  it('returns null for ZERO_RESULTS', async () => {
    expect(await provider.lookup('Nowhere at all')).toBeNull();
  });

  it('fails on REQUEST_DENIED with the API error message', async () => {
    const wrongKey = new GoogleGeocodingProvider({ apiKey: 'wrong', baseUrl: server.baseUrl, timeoutMs: 2000 });
    const failure = wrongKey.lookup('Paris');
    await expect(failure).rejects.toBeInstanceOf(GeocodingProviderError);
    await expect(failure).rejects.toThrow(/request denied: The provided API key is invalid/);
  });

  it('fails on OVER_QUERY_LIMIT as a quota error', async () => {
    server.respond = () => ({
      status: 200,
      body: {
        error_message: 'You have exceeded your rate-limit for this API.',
        results: [],
        status: 'OVER_QUERY_LIMIT',
      },
    });
    await expect(provider.lookup('Paris')).rejects.toThrow(/quota exceeded \(OVER_QUERY_LIMIT\)/);
  });

  it('fails on HTTP 5xx without leaking the key', async () => {
    server.respond = () => ({ status: 503, body: { error: 'backend unavailable' } });
    const error = await provider.lookup('Paris').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GeocodingProviderError);
    expect((error as Error).message).toMatch(/HTTP 503/);
    expect((error as Error).message).not.toContain(KEY);
  });

  it('fails when the server does not answer within the timeout', async () => {
    server.respond = () => ({ status: 200, body: { results: [], status: 'ZERO_RESULTS' }, delayMs: 1000 });
    const impatient = new GoogleGeocodingProvider({ apiKey: KEY, baseUrl: server.baseUrl, timeoutMs: 50 });
    await expect(impatient.lookup('Paris')).rejects.toThrow(/timed out after 50 ms/);
  });
});
