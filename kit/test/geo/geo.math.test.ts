import { describe, expect, it } from 'vitest';
import {
  boundingBox,
  boxContains,
  distanceKm,
  EARTH_RADIUS_KM,
  isValidPoint,
  meanPoint,
  normalizeLng,
  type GeoPoint,
} from '../../src/geo';

const PARIS = { lat: 48.8566, lng: 2.3522 };
const LONDON = { lat: 51.5074, lng: -0.1278 };
const NEW_YORK = { lat: 40.7128, lng: -74.006 };
const LOS_ANGELES = { lat: 34.0522, lng: -118.2437 };
const SYDNEY = { lat: -33.8688, lng: 151.2093 };
const MELBOURNE = { lat: -37.8136, lng: 144.9631 };
const TOKYO = { lat: 35.6762, lng: 139.6503 };

/** A point `km` from `from` along `bearingDeg`, walked in small steps on the sphere's tangent plane. */
function walk(from: GeoPoint, bearingDeg: number, km: number): GeoPoint {
  let p = { ...from };
  const step = km / 200;
  const b = (bearingDeg * Math.PI) / 180;
  for (let i = 0; i < 200; i++) {
    p = {
      lat: p.lat + (step / 111.195) * Math.cos(b),
      lng: p.lng + (step / (111.195 * Math.cos((p.lat * Math.PI) / 180))) * Math.sin(b),
    };
  }
  return { lat: p.lat, lng: normalizeLng(p.lng) };
}

describe('great-circle distance', () => {
  it('measures known city pairs within a kilometre of their published great-circle distances', () => {
    const pairs: Array<[GeoPoint, GeoPoint, number]> = [
      [PARIS, LONDON, 344],
      [NEW_YORK, LOS_ANGELES, 3936],
      [SYDNEY, MELBOURNE, 713],
      [LONDON, TOKYO, 9559],
    ];
    for (const [a, b, km] of pairs) {
      expect(Math.abs(distanceKm(a, b) - km)).toBeLessThan(1);
      expect(distanceKm(b, a)).toBe(distanceKm(a, b));
    }
  });

  it('is 0 for one point, half the circumference for antipodes, short across the antimeridian', () => {
    expect(distanceKm(PARIS, PARIS)).toBe(0);
    expect(distanceKm({ lat: 0, lng: 0 }, { lat: 0, lng: 180 })).toBeCloseTo(Math.PI * EARTH_RADIUS_KM, 6);
    expect(distanceKm({ lat: -17.7, lng: 179.95 }, { lat: -17.7, lng: -179.95 })).toBeCloseTo(10.59, 2);
  });
});

describe('bounding box', () => {
  it('contains every point of the circle (checked on its rim) and splits across the antimeridian', () => {
    const circles: Array<[number, number, number]> = [
      [45.76, 4.84, 30],
      [64, 25, 200],
      [-33.9, 151.2, 5],
      [-17.7, 179.95, 25],
    ];
    let checked = 0;
    for (const [lat, lng, r] of circles) {
      const box = boundingBox(lat, lng, r);
      for (let bearing = 0; bearing < 360; bearing += 5) {
        // Just inside the rim: the walk's degree length is a little off the sphere's.
        const p = walk({ lat, lng }, bearing, r * 0.995);
        expect(distanceKm({ lat, lng }, p)).toBeLessThanOrEqual(r);
        expect(boxContains(box, p)).toBe(true);
        checked++;
      }
    }
    expect(checked).toBe(4 * 72);
    expect(boundingBox(-17.7, 179.95, 25).lngRanges).toHaveLength(2);
    expect(boundingBox(89.9, 0, 50).lngRanges).toEqual([]);
  });

  it('excludes points beyond the radius in every direction', () => {
    const box = boundingBox(PARIS.lat, PARIS.lng, 50);
    for (let bearing = 0; bearing < 360; bearing += 45) expect(boxContains(box, walk(PARIS, bearing, 80))).toBe(false);
    expect(boxContains(box, LONDON)).toBe(false);
    expect(boxContains(box, PARIS)).toBe(true);
    const fiji = boundingBox(-17.7, 179.95, 25);
    expect(boxContains(fiji, { lat: -17.7, lng: -179.9 })).toBe(true);
    expect(boxContains(fiji, { lat: -17.7, lng: 0 })).toBe(false);
    expect(boxContains(fiji, { lat: -19, lng: 179.95 })).toBe(false);
  });
});

describe('points', () => {
  it('accepts only finite coordinates within range', () => {
    expect(isValidPoint(PARIS)).toBe(true);
    const invalid = [null, undefined, { lat: 91, lng: 0 }, { lat: 0, lng: -180.5 }, { lat: Number.NaN, lng: 0 }];
    expect(invalid.filter((p) => isValidPoint(p))).toEqual([]);
  });

  it('averages a cluster across the antimeridian next to it', () => {
    const centre = meanPoint([
      { lat: -17, lng: 179.9 },
      { lat: -18, lng: -179.9 },
    ]);
    expect(centre.lat).toBeCloseTo(-17.5, 9);
    expect(Math.abs(centre.lng)).toBeCloseTo(180, 9);
    expect(() => meanPoint([])).toThrow(RangeError);
    expect(normalizeLng(190)).toBe(-170);
  });
});
