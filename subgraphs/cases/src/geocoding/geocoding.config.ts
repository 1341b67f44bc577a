import { GeocoderConfigError } from './geocoding.errors';

/**
 * Settings of the geocoder's provider chain.
 * Google is in the chain only when `googleApiKey` is set; Nominatim only when `nominatimEnabled`;
 * the offline gazetteer is always the last link.
 */
export interface GeocoderConfig {
  /** Google Geocoding API key; absent or empty leaves Google out of the chain. */
  googleApiKey?: string;
  /** Origin of the Google Maps web services, e.g. `https://maps.googleapis.com`. */
  googleBaseUrl: string;
  /** Whether Nominatim (OpenStreetMap) is in the chain. */
  nominatimEnabled: boolean;
  /** Base URL of a Nominatim server; `/search` is appended. */
  nominatimBaseUrl: string;
  /** User-Agent identifying this application, as the Nominatim usage policy requires. */
  nominatimUserAgent: string;
  /** Optional contact address sent as the `email` parameter, recommended for bulk users. */
  nominatimEmail?: string;
  /** Minimum pause between consecutive Nominatim requests (forced to >= 1000 for the public server). */
  nominatimMinIntervalMs: number;
  /** Maximum number of normalised queries kept in the LRU cache; 0 disables caching. */
  cacheSize: number;
  /** Per-request timeout for HTTP providers, in milliseconds. */
  timeoutMs: number;
}

/** The public OpenStreetMap Nominatim host, whose policy allows at most one request per second. */
export const PUBLIC_NOMINATIM_HOST = 'nominatim.openstreetmap.org';

/** Defaults: offline gazetteer only (no key, Nominatim off), 1 req/s, 5000 cached queries, 5 s timeout. */
export const DEFAULT_GEOCODER_CONFIG: Readonly<GeocoderConfig> = Object.freeze({
  googleBaseUrl: 'https://maps.googleapis.com',
  nominatimEnabled: false,
  nominatimBaseUrl: `https://${PUBLIC_NOMINATIM_HOST}`,
  nominatimUserAgent: 'supergraph-cases-geocoder/0.1 (missing-child alert service)',
  nominatimMinIntervalMs: 1000,
  cacheSize: 5000,
  timeoutMs: 5000,
});

function requireUrl(setting: string, value: string): string {
  try {
    const url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http(s)');
  } catch {
    throw new GeocoderConfigError(`${setting} must be an http(s) URL, got "${value}"`);
  }
  return value.replace(/\/+$/, '');
}

function requireNonNegativeInteger(setting: string, value: number): number {
  if (!Number.isInteger(value) || value < 0) {
    throw new GeocoderConfigError(`${setting} must be a non-negative integer, got ${value}`);
  }
  return value;
}

/**
 * Fills missing settings from `DEFAULT_GEOCODER_CONFIG` and validates the result.
 * Trailing slashes are stripped from base URLs; the Nominatim interval is raised to 1000 ms
 * when the public OpenStreetMap server is used. Throws `GeocoderConfigError` on invalid values.
 */
export function resolveGeocoderConfig(overrides: Partial<GeocoderConfig> = {}): GeocoderConfig {
  const merged: GeocoderConfig = { ...DEFAULT_GEOCODER_CONFIG, ...stripUndefined(overrides) };
  const googleApiKey = merged.googleApiKey?.trim() || undefined;
  const nominatimBaseUrl = requireUrl('nominatimBaseUrl', merged.nominatimBaseUrl);
  const userAgent = merged.nominatimUserAgent.trim();
  if (merged.nominatimEnabled && userAgent === '') {
    throw new GeocoderConfigError('nominatimUserAgent must identify the application when Nominatim is enabled');
  }
  let interval = requireNonNegativeInteger('nominatimMinIntervalMs', merged.nominatimMinIntervalMs);
  if (new URL(nominatimBaseUrl).hostname === PUBLIC_NOMINATIM_HOST) interval = Math.max(interval, 1000);
  const timeoutMs = requireNonNegativeInteger('timeoutMs', merged.timeoutMs);
  if (timeoutMs === 0) throw new GeocoderConfigError('timeoutMs must be greater than 0');
  return {
    googleApiKey,
    googleBaseUrl: requireUrl('googleBaseUrl', merged.googleBaseUrl),
    nominatimEnabled: merged.nominatimEnabled,
    nominatimBaseUrl,
    nominatimUserAgent: userAgent,
    nominatimEmail: merged.nominatimEmail?.trim() || undefined,
    nominatimMinIntervalMs: interval,
    cacheSize: requireNonNegativeInteger('cacheSize', merged.cacheSize),
    timeoutMs,
  };
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function parseBoolean(name: string, raw: string): boolean {
  const value = raw.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(value)) return true;
  if (['0', 'false', 'no', 'off', ''].includes(value)) return false;
  throw new GeocoderConfigError(`${name} must be true or false, got "${raw}"`);
}

function parseInteger(name: string, raw: string): number {
  const value = Number(raw.trim());
  if (!Number.isInteger(value)) throw new GeocoderConfigError(`${name} must be an integer, got "${raw}"`);
  return value;
}

/**
 * Reads the geocoder settings from environment variables (unset ones keep their defaults):
 * GEOCODING_GOOGLE_API_KEY, GEOCODING_GOOGLE_BASE_URL, GEOCODING_NOMINATIM_ENABLED,
 * GEOCODING_NOMINATIM_BASE_URL, GEOCODING_NOMINATIM_USER_AGENT, GEOCODING_NOMINATIM_EMAIL,
 * GEOCODING_NOMINATIM_MIN_INTERVAL_MS, GEOCODING_CACHE_SIZE, GEOCODING_TIMEOUT_MS.
 * Throws `GeocoderConfigError` naming the variable when a value cannot be parsed.
 */
export function geocoderConfigFromEnv(env: NodeJS.ProcessEnv = process.env): GeocoderConfig {
  const read = (name: string): string | undefined => env[name];
  const bool = (name: string) => (read(name) === undefined ? undefined : parseBoolean(name, read(name)!));
  const int = (name: string) => (read(name) === undefined ? undefined : parseInteger(name, read(name)!));
  return resolveGeocoderConfig({
    googleApiKey: read('GEOCODING_GOOGLE_API_KEY'),
    googleBaseUrl: read('GEOCODING_GOOGLE_BASE_URL'),
    nominatimEnabled: bool('GEOCODING_NOMINATIM_ENABLED'),
    nominatimBaseUrl: read('GEOCODING_NOMINATIM_BASE_URL'),
    nominatimUserAgent: read('GEOCODING_NOMINATIM_USER_AGENT'),
    nominatimEmail: read('GEOCODING_NOMINATIM_EMAIL'),
    nominatimMinIntervalMs: int('GEOCODING_NOMINATIM_MIN_INTERVAL_MS'),
    cacheSize: int('GEOCODING_CACHE_SIZE'),
    timeoutMs: int('GEOCODING_TIMEOUT_MS'),
  });
}
