import { describe, it, expect } from 'vitest';
import { SPECIES } from '../../src/seed/species.data';
import { BINOMIAL_PATTERN, validateSpecies } from '../../src/seed/species.validation';
import type { SpeciesSeed } from '../../src/seed/species.types';

function byScientific(name: string): SpeciesSeed {
  const found = SPECIES.find((s) => s.scientificName === name);
  if (!found) throw new Error(`species ${name} missing from the seed catalog`);
  return found;
}

const valid: SpeciesSeed = {
  commonName: 'Test plant',
  scientificName: 'Testus plantus',
  family: 'Testaceae',
  wateringIntervalDays: 7,
  light: 'MEDIUM',
  humidity: 'MEDIUM',
  minTempC: 15,
  maxTempC: 28,
  toxicToPets: false,
  careNotes: 'Water when the soil is dry.',
};

describe('species seed catalog', () => {
  it('holds at least 45 species', () => {
    expect(SPECIES.length).toBeGreaterThanOrEqual(45);
  });

  it('has unique common and scientific names (case-insensitive)', () => {
    const common = SPECIES.map((s) => s.commonName.toLowerCase());
    const scientific = SPECIES.map((s) => s.scientificName.toLowerCase());
    expect(new Set(common).size).toBe(SPECIES.length);
    expect(new Set(scientific).size).toBe(SPECIES.length);
  });

  it('passes validateSpecies for every entry', () => {
    const failures = SPECIES.map((s) => ({ name: s.scientificName, problems: validateSpecies(s) })).filter(
      (f) => f.problems.length > 0,
    );
    expect(failures).toEqual([]);
  });

  it('uses binomial scientific names', () => {
    for (const s of SPECIES) expect(s.scientificName, s.commonName).toMatch(/^[A-Z][a-z]+ [a-z][a-z-]+$/);
  });

  it('matches known care facts', () => {
    const snake = byScientific('Dracaena trifasciata');
    expect(snake.commonName).toBe('Snake plant');
    expect(snake.wateringIntervalDays).toBeGreaterThanOrEqual(14);
    for (const s of SPECIES.filter((x) => x.scientificName.startsWith('Goeppertia '))) {
      expect(s.humidity, s.commonName).toBe('HIGH');
    }
    expect(SPECIES.filter((x) => x.scientificName.startsWith('Goeppertia ')).length).toBeGreaterThan(0);
    expect(byScientific('Aloe vera').toxicToPets).toBe(true);
    expect(byScientific('Chlorophytum comosum')).toMatchObject({ commonName: 'Spider plant', toxicToPets: false });
    expect(byScientific('Cycas revoluta').toxicToPets).toBe(true);
    expect(byScientific('Zamioculcas zamiifolia').wateringIntervalDays).toBeGreaterThanOrEqual(14);
    expect(byScientific('Adiantum raddianum')).toMatchObject({ humidity: 'HIGH' });
    expect(byScientific('Adiantum raddianum').wateringIntervalDays).toBeLessThanOrEqual(5);
    expect(byScientific('Monstera deliciosa')).toMatchObject({ family: 'Araceae', toxicToPets: true });
  });

  it('keeps succulents and cacti dry and low-humidity', () => {
    const dryFamilies = new Set(['Cactaceae', 'Crassulaceae', 'Asphodelaceae']);
    for (const s of SPECIES.filter((x) => dryFamilies.has(x.family) && x.scientificName !== 'Schlumbergera truncata')) {
      expect(s.humidity, s.commonName).toBe('LOW');
      expect(s.wateringIntervalDays, s.commonName).toBeGreaterThanOrEqual(14);
    }
  });
});

describe('validateSpecies', () => {
  it('accepts a well-formed record', () => {
    expect(validateSpecies(valid)).toEqual([]);
  });

  it('rejects names of the wrong length or shape', () => {
    const problems = validateSpecies({ ...valid, commonName: 'X', scientificName: 'monstera', family: 'Ar' });
    const fields = problems.map((p) => p.field);
    expect(fields).toContain('commonName');
    expect(fields.filter((f) => f === 'scientificName').length).toBe(1);
    expect(problems.find((p) => p.field === 'scientificName')?.message).toMatch(/binomial/);
    expect(fields).toContain('family');
    expect(validateSpecies({ ...valid, commonName: 'x'.repeat(61) })[0]?.message).toMatch(/2–60 characters/);
    expect(validateSpecies({ ...valid, commonName: ' Padded ' }).map((p) => p.field)).toEqual(['commonName']);
  });

  it('rejects watering intervals outside 2–30 whole days', () => {
    for (const days of [1, 31, 7.5, Number.NaN]) {
      const problems = validateSpecies({ ...valid, wateringIntervalDays: days });
      expect(
        problems.map((p) => p.field),
        String(days),
      ).toEqual(['wateringIntervalDays']);
    }
    expect(validateSpecies({ ...valid, wateringIntervalDays: 2 })).toEqual([]);
    expect(validateSpecies({ ...valid, wateringIntervalDays: 30 })).toEqual([]);
  });

  it('requires minTempC below maxTempC', () => {
    const equal = validateSpecies({ ...valid, minTempC: 20, maxTempC: 20 });
    expect(equal).toEqual([{ field: 'maxTempC', message: 'maxTempC (20) must be greater than minTempC (20)' }]);
    expect(validateSpecies({ ...valid, minTempC: 25, maxTempC: 18 }).map((p) => p.field)).toEqual(['maxTempC']);
    expect(validateSpecies({ ...valid, minTempC: -40 }).map((p) => p.field)).toEqual(['minTempC']);
  });

  it('rejects unknown enum values and non-boolean toxicity from untyped input', () => {
    const raw = { ...valid, light: 'SHADE', humidity: 'DAMP', toxicToPets: 'yes' } as unknown as SpeciesSeed;
    expect(validateSpecies(raw).map((p) => p.field)).toEqual(['light', 'humidity', 'toxicToPets']);
  });

  it('allows infraspecific and hybrid names', () => {
    expect(BINOMIAL_PATTERN.test('Philodendron hederaceum var. micans')).toBe(true);
    expect(BINOMIAL_PATTERN.test('Alocasia × amazonica')).toBe(true);
    expect(BINOMIAL_PATTERN.test('Monstera Deliciosa')).toBe(false);
  });
});
