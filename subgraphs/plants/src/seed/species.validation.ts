import { HUMIDITY_LEVELS, LIGHT_LEVELS, type SpeciesSeed } from './species.types';

/** One reason a species record is unacceptable, aimed at the field the user must fix. */
export interface SpeciesProblem {
  readonly field: keyof SpeciesSeed;
  readonly message: string;
}

/** Limits shared by the seed catalog and the ADMIN `createSpecies` API. */
export const SPECIES_LIMITS = {
  commonName: { min: 2, max: 60 },
  scientificName: { min: 5, max: 80 },
  family: { min: 5, max: 40 },
  careNotes: { min: 10, max: 500 },
  wateringIntervalDays: { min: 2, max: 30 },
  minTempC: { min: -10, max: 30 },
  maxTempC: { min: 10, max: 45 },
} as const;

/**
 * Genus (capitalised) + epithet (lower case), optionally followed by an infraspecific rank
 * (subsp./var./f.) and its epithet. Hybrids with '×' are allowed between genus and epithet.
 */
export const BINOMIAL_PATTERN = /^[A-Z][a-z]+ (?:× )?[a-z][a-z-]+(?: (?:subsp\.|var\.|f\.) [a-z][a-z-]+)?$/;

/** Botanical family names end in '-aceae', e.g. 'Araceae'. */
const FAMILY_PATTERN = /^[A-Z][a-z]+aceae$/;

type TextField = 'commonName' | 'scientificName' | 'family' | 'careNotes';

function checkText(seed: SpeciesSeed, field: TextField, problems: SpeciesProblem[]): string | undefined {
  const value: unknown = seed[field];
  if (typeof value !== 'string') {
    problems.push({ field, message: `${field} must be a string` });
    return undefined;
  }
  const trimmed = value.trim();
  const { min, max } = SPECIES_LIMITS[field];
  if (trimmed.length < min || trimmed.length > max) {
    problems.push({ field, message: `${field} must be ${min}–${max} characters (got ${trimmed.length})` });
  }
  if (trimmed !== value) problems.push({ field, message: `${field} must not start or end with whitespace` });
  return trimmed;
}

function checkRange(
  seed: SpeciesSeed,
  field: 'wateringIntervalDays' | 'minTempC' | 'maxTempC',
  unit: string,
  problems: SpeciesProblem[],
): boolean {
  const value: unknown = seed[field];
  const { min, max } = SPECIES_LIMITS[field];
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    problems.push({ field, message: `${field} must be a whole number of ${unit}` });
    return false;
  }
  if (value < min || value > max) {
    problems.push({ field, message: `${field} must be between ${min} and ${max} ${unit} (got ${value})` });
    return false;
  }
  return true;
}

/**
 * Checks a species record against the catalog rules: text lengths, binomial and family name shape,
 * watering interval 2–30 whole days, plausible whole-degree temperatures with minTempC < maxTempC,
 * known light/humidity levels and a boolean toxicity flag. Pure; never throws.
 * @returns every problem found, empty when the record is valid.
 */
export function validateSpecies(seed: SpeciesSeed): SpeciesProblem[] {
  const problems: SpeciesProblem[] = [];
  checkText(seed, 'commonName', problems);
  const scientific = checkText(seed, 'scientificName', problems);
  if (scientific !== undefined && !BINOMIAL_PATTERN.test(scientific)) {
    problems.push({
      field: 'scientificName',
      message: `scientificName '${scientific}' is not a binomial like 'Monstera deliciosa'`,
    });
  }
  const family = checkText(seed, 'family', problems);
  if (family !== undefined && !FAMILY_PATTERN.test(family)) {
    problems.push({ field: 'family', message: `family '${family}' is not a botanical family name like 'Araceae'` });
  }
  checkText(seed, 'careNotes', problems);
  checkRange(seed, 'wateringIntervalDays', 'days', problems);
  const minOk = checkRange(seed, 'minTempC', '°C', problems);
  const maxOk = checkRange(seed, 'maxTempC', '°C', problems);
  if (minOk && maxOk && seed.minTempC >= seed.maxTempC) {
    problems.push({
      field: 'maxTempC',
      message: `maxTempC (${seed.maxTempC}) must be greater than minTempC (${seed.minTempC})`,
    });
  }
  if (!(LIGHT_LEVELS as readonly string[]).includes(seed.light)) {
    problems.push({ field: 'light', message: `light must be one of ${LIGHT_LEVELS.join(', ')}` });
  }
  if (!(HUMIDITY_LEVELS as readonly string[]).includes(seed.humidity)) {
    problems.push({ field: 'humidity', message: `humidity must be one of ${HUMIDITY_LEVELS.join(', ')}` });
  }
  if (typeof seed.toxicToPets !== 'boolean') {
    problems.push({ field: 'toxicToPets', message: 'toxicToPets must be true or false' });
  }
  return problems;
}
