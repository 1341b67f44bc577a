import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request as seen by a fake provider server. */
export interface RecordedRequest {
  /** Raw request target, e.g. `/search?format=jsonv2&q=...`. */
  rawUrl: string;
  url: URL;
  headers: IncomingHttpHeaders;
  /** `performance.now()` when the handler started (same clock as the client in this process). */
  receivedAt: number;
}

/** What a fake answers: a status and a JSON body, optionally after a delay. */
export interface FakeResponse {
  status: number;
  body: unknown;
  delayMs?: number;
}

/** A running fake server; `respond` may be swapped between tests. */
export interface FakeServer {
  baseUrl: string;
  requests: RecordedRequest[];
  /** Highest number of requests the server was handling at the same time. */
  maxConcurrent: number;
  respond: (request: RecordedRequest) => FakeResponse;
  reset(): void;
  close(): Promise<void>;
}

/** Starts an HTTP server on 127.0.0.1 (free port) that records every request and answers via `respond`. */
export async function startFakeServer(respond: (request: RecordedRequest) => FakeResponse): Promise<FakeServer> {
  let active = 0;
  const fake: FakeServer = {
    baseUrl: '',
    requests: [],
    maxConcurrent: 0,
    respond,
    reset() {
      fake.requests.length = 0;
      fake.maxConcurrent = 0;
    },
    close: () => closeServer(server),
  };
  const server: Server = createServer((req, res) => {
    active++;
    fake.maxConcurrent = Math.max(fake.maxConcurrent, active);
    const recorded: RecordedRequest = {
      rawUrl: req.url ?? '/',
      url: new URL(req.url ?? '/', fake.baseUrl),
      headers: req.headers,
      receivedAt: performance.now(),
    };
    fake.requests.push(recorded);
    const answer = fake.respond(recorded);
    const send = () => {
      active--;
      if (res.destroyed) return;
      res.writeHead(answer.status, { 'content-type': 'application/json; charset=utf-8' });
      res.end(typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body));
    };
    if (answer.delayMs) setTimeout(send, answer.delayMs);
    else send();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
}

/** A place both fakes know, with the values a real provider would return for it. */
export interface KnownPlace {
  lat: number;
  lng: number;
  locality: string;
  countryName: string;
  countryCode: string;
}

/** The places the fakes can find, keyed by the lower-cased query. */
export const KNOWN_PLACES: Readonly<Record<string, KnownPlace>> = {
  paris: { lat: 48.856614, lng: 2.3522219, locality: 'Paris', countryName: 'France', countryCode: 'FR' },
  lyon: { lat: 45.764043, lng: 4.835659, locality: 'Lyon', countryName: 'France', countryCode: 'FR' },
  'zürich hauptbahnhof & bahnhofstraße': {
    lat: 47.3778579,
    lng: 8.5403226,
    locality: 'Zürich',
    countryName: 'Switzerland',
    countryCode: 'CH',
  },
};

/**
 * Google Geocoding API behaviour: `/maps/api/geocode/json`, `REQUEST_DENIED` for a wrong key,
 * `INVALID_REQUEST` without `address`, `ZERO_RESULTS` for unknown places, `OK` with results.
 */
export function googleProtocol(expectedKey: string): (request: RecordedRequest) => FakeResponse {
  return ({ url }) => {
    if (url.pathname !== '/maps/api/geocode/json') return { status: 404, body: { error: 'not found' } };
    if (url.searchParams.get('key') !== expectedKey) {
      return {
        status: 200,
        body: { error_message: 'The provided API key is invalid.', results: [], status: 'REQUEST_DENIED' },
      };
    }
    const address = url.searchParams.get('address');
    if (!address) return { status: 200, body: { results: [], status: 'INVALID_REQUEST' } };
    const place = KNOWN_PLACES[address.toLowerCase()];
    if (!place) return { status: 200, body: { results: [], status: 'ZERO_RESULTS' } };
    return {
      status: 200,
      body: {
        results: [
          {
            address_components: [
              { long_name: place.locality, short_name: place.locality, types: ['locality', 'political'] },
              { long_name: place.countryName, short_name: place.countryCode, types: ['country', 'political'] },
            ],
            formatted_address: `${place.locality}, ${place.countryName}`,
            geometry: {
              location: { lat: place.lat, lng: place.lng },
              location_type: 'APPROXIMATE',
              viewport: {
                northeast: { lat: place.lat + 0.05, lng: place.lng + 0.05 },
                southwest: { lat: place.lat - 0.05, lng: place.lng - 0.05 },
              },
            },
            place_id: `test-${place.locality.toLowerCase()}`,
            types: ['locality', 'political'],
          },
        ],
        status: 'OK',
      },
    };
  };
}

/**
 * Nominatim `/search` behaviour: 403 without a User-Agent (as the public server does), 400 for a
 * format other than jsonv2, `[]` for unknown places, a one-element jsonv2 array otherwise.
 */
export function nominatimProtocol(request: RecordedRequest): FakeResponse {
  const { url, headers } = request;
  if (!url.pathname.endsWith('/search')) return { status: 404, body: { error: 'not found' } };
  if (!headers['user-agent']) return { status: 403, body: { error: 'Access blocked: missing User-Agent' } };
  if (url.searchParams.get('format') !== 'jsonv2') return { status: 400, body: { error: 'unsupported format' } };
  const place = KNOWN_PLACES[(url.searchParams.get('q') ?? '').toLowerCase()];
  if (!place) return { status: 200, body: [] };
  return {
    status: 200,
    body: [
      {
        place_id: 88066702,
        licence: 'Data © OpenStreetMap contributors, ODbL 1.0. http://osm.org/copyright',
        osm_type: 'relation',
        osm_id: 71525,
        lat: String(place.lat),
        lon: String(place.lng),
        category: 'boundary',
        type: 'administrative',
        place_rank: 12,
        importance: 0.88,
        addresstype: 'city',
        name: place.locality,
        display_name: `${place.locality}, ${place.countryName}`,
        address: { city: place.locality, country: place.countryName, country_code: place.countryCode.toLowerCase() },
        boundingbox: [
          String(place.lat - 0.05),
          String(place.lat + 0.05),
          String(place.lng - 0.05),
          String(place.lng + 0.05),
        ],
      },
    ],
  };
}
