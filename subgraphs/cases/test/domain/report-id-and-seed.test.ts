import { describe, expect, it } from 'vitest';
import { REPORT_ID, newReportId } from '../../src/domain/report-id';
import { createGeocoder } from '../../src/geocoding';
import { DEMO_CASES } from '../../src/seed/demo-cases.data';

describe('report ids', () => {
  it('are MC + UTC date + 8 upper-case hex characters', () => {
    const id = newReportId(new Date('2025-03-14T23:59:00Z'));
    expect(id).toMatch(REPORT_ID);
    expect(id.slice(0, 10)).toBe('MC20250314');
    expect(new Set(Array.from({ length: 50 }, () => newReportId())).size).toBe(50);
  });
});

describe('demo cases', () => {
  it('name only places the offline gazetteer finds, with several statuses', async () => {
    const geocoder = createGeocoder();
    const places = DEMO_CASES.flatMap((d) => [d.lastSeenPlace, ...d.sightings.map((s) => s.place)]);
    const found = await geocoder.geocodeMany(places);
    expect(places.filter((_, i) => !found[i])).toEqual([]);
    expect(DEMO_CASES.length).toBeGreaterThanOrEqual(12);
    expect(new Set(DEMO_CASES.map((d) => d.outcome?.status ?? 'MISSING'))).toEqual(
      new Set(['MISSING', 'FOUND', 'CLOSED']),
    );
  });
});
