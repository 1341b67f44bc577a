import { normalizePlaceName } from './place.normalizer';

/** Locales whose country names are recognised in queries ("Lyon, France", "Graz, Österreich"). */
const NAME_LOCALES = ['en', 'fr', 'de', 'es', 'it', 'pt', 'nl', 'pl'] as const;

/** Everyday names that differ from the CLDR display names but clearly denote one country. */
const COMMON_COUNTRY_ALIASES: Readonly<Record<string, string>> = {
  usa: 'US',
  'u s a': 'US',
  'u s': 'US',
  'united states of america': 'US',
  america: 'US',
  uk: 'GB',
  'great britain': 'GB',
  britain: 'GB',
  england: 'GB',
  scotland: 'GB',
  wales: 'GB',
  'northern ireland': 'GB',
  holland: 'NL',
  uae: 'AE',
};

const englishNames = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'code' });

/**
 * The English name of an ISO 3166-1 alpha-2 code as known to the runtime's ICU data
 * (e.g. "FR" → "France"); the code itself when ICU does not know it.
 */
export function countryDisplayName(code: string): string {
  try {
    return englishNames.of(code.toUpperCase()) ?? code;
  } catch {
    return code;
  }
}

/**
 * Builds a map from normalised country names to alpha-2 codes for the given codes, using the
 * runtime's ICU (CLDR) region names in several languages plus a few everyday aliases (USA, UK…).
 * Names shared by two countries in different languages are dropped rather than guessed.
 */
export function buildCountryNameIndex(codes: Iterable<string>): Map<string, string> {
  const index = new Map<string, string>();
  const ambiguous = new Set<string>();
  const add = (name: string, code: string) => {
    const key = normalizePlaceName(name);
    if (key === '' || ambiguous.has(key)) return;
    const existing = index.get(key);
    if (existing !== undefined && existing !== code) {
      index.delete(key);
      ambiguous.add(key);
      return;
    }
    index.set(key, code);
  };
  const displays = NAME_LOCALES.map((locale) => new Intl.DisplayNames([locale], { type: 'region', fallback: 'none' }));
  for (const code of new Set(codes)) {
    for (const display of displays) {
      let name: string | undefined;
      try {
        name = display.of(code);
      } catch {
        name = undefined;
      }
      if (name) add(name, code);
    }
  }
  const known = new Set(index.values());
  for (const [alias, code] of Object.entries(COMMON_COUNTRY_ALIASES)) {
    if (known.has(code)) add(alias, code);
  }
  return index;
}
