import { describe, expect, it } from 'vitest';
import { boundingBox, distanceKm } from '../../src/domain/geo.math';
import { REPORT_ID, newReportId } from '../../src/domain/report-id';
import { createGeocoder } from '../../src/geocoding';
import { DEMO_CASES } from '../../src/seed/demo-cases.data';

describe('bounding box prefilter', () => {
  it('contains every point of the circle (checked on its rim) and splits across the antimeridian', () => {
    const circles: Array<[number, number, number]> = [
      [45.76, 4.84, 30],
      [64, 25, 200],
      [-33.9, 151.2, 5],
      [-17.7, 179.95, 25],
    ];
    for (const [lat, lng, r] of circles) {
      const box = boundingBox(lat, lng, r);
      for (let bearing = 0; bearing < 360; bearing += 5) {
        // A point on the rim: walk r km from the centre along the bearing (small-step integration).
        let p = { lat, lng };
        const step = r / 200;
        for (let i = 0; i < 200; i++) {
          const b = (bearing * Math.PI) / 180;
          p = {
            lat: p.lat + (step / 111.195) * Math.cos(b),
            lng: p.lng + (step / (111.195 * Math.cos((p.lat * Math.PI) / 180))) * Math.sin(b),
          };
        }
        if (p.lng > 180) p.lng -= 360;
        if (distanceKm({ lat, lng }, p) > r * 0.999) continue; // only points inside the circle must be inside the box
        expect(p.lat).toBeGreaterThanOrEqual(box.minLat);
        expect(p.lat).toBeLessThanOrEqual(box.maxLat);
        expect(box.lngRanges.some(([w, e]) => p.lng >= w && p.lng <= e)).toBe(true);
      }
    }
    expect(boundingBox(-17.7, 179.95, 25).lngRanges).toHaveLength(2);
    expect(boundingBox(89.9, 0, 50).lngRanges).toEqual([]);
  });

  it('measures great-circle distances', () => {
    expect(distanceKm({ lat: 48.8566, lng: 2.3522 }, { lat: 51.5074, lng: -0.1278 })).toBeCloseTo(343.5, 0);
  });
});

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
