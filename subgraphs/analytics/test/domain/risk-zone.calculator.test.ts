import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { distanceKm, type GeoPoint } from '@supergraph/kit';
import {
  clusterPoints,
  computeRiskZones,
  riskLevelOf,
  riskScoreOf,
  zoneIdFor,
  zonesByCaseId,
  type CaseFact,
} from '../../src/domain';
import { daysAgo, makeCase, NOW, seededRandom } from './case.fixture';

/*
 * Fixture worked out by hand (1° of latitude = 2π·6371.0088/360 = 111.195 km; a degree of
 * longitude is that times cos(lat), cos(48.857°) = 0.6582):
 *
 * Paris, all pairwise under 1 km (largest P3–P4: Δlat 0.0036° → 0.400 km, Δlng 0.0120° →
 * 0.878 km, → 0.965 km):
 *   p1 48.8566,2.3522 age 3 | p2 48.8600,2.3522 age 3 | p3 48.8566,2.3600 age 8
 *   p4 48.8530,2.3480 age 8 | p5 48.8590,2.3560 age 13, all last seen at NOW.
 *   mass = 1 + 1 + 0.8 + 0.8 + 0.6 = 4.2 → 100·(1 − e^(−4.2/5)) = 100·(1 − 0.431711) = 56.83
 *   → 56.8 HIGH. Center = (244.2852/5, 11.7684/5) = (48.85704, 2.35368); farthest member p4:
 *   Δlat 0.00404° → 0.449 km, Δlng 0.00568° → 0.416 km → radius ≈ 0.612 km.
 * Lyon (391 km away), 0.667 km apart:
 *   l1 45.7640,4.8357 age 4, seen NOW → 1.0 × 1 = 1.0
 *   l2 45.7700,4.8357 age 12, seen 30 days ago (one half-life) → 0.6 × 0.5 = 0.3
 *   mass 1.3 → 100·(1 − e^(−0.26)) = 100·(1 − 0.771052) = 22.89 → 22.9 LOW;
 *   center 45.767 → each member 0.003° = 0.334 km away → radius raised to the 0.5 km minimum.
 * Marseille, isolated: age 16 seen 60 days ago → 0.5 × 0.25 = 0.125
 *   → 100·(1 − e^(−0.025)) = 2.47 → 2.5 LOW.
 * Not in any zone: a FOUND case in Paris, a CLOSED one in Lyon, a MISSING one without location.
 */
const at = (lat: number, lng: number): GeoPoint => ({ lat, lng });
const fixture: CaseFact[] = [
  makeCase('p1', { location: at(48.8566, 2.3522), age: 3, reportedAt: daysAgo(5) }),
  makeCase('p2', { location: at(48.86, 2.3522), age: 3, reportedAt: daysAgo(4) }),
  makeCase('p3', { location: at(48.8566, 2.36), age: 8, reportedAt: daysAgo(3) }),
  makeCase('p4', { location: at(48.853, 2.348), age: 8, reportedAt: daysAgo(2) }),
  makeCase('p5', { location: at(48.859, 2.356), age: 13, reportedAt: daysAgo(1) }),
  makeCase('l1', { location: at(45.764, 4.8357), age: 4, reportedAt: daysAgo(1) }),
  makeCase('l2', { location: at(45.77, 4.8357), age: 12, lastSeenAt: daysAgo(30), reportedAt: daysAgo(29) }),
  makeCase('m1', { location: at(43.2965, 5.3698), age: 16, lastSeenAt: daysAgo(60), reportedAt: daysAgo(60) }),
  makeCase('pf', { location: at(48.8567, 2.3523), status: 'FOUND', foundAt: NOW }),
  makeCase('lc', { location: at(45.765, 4.8358), status: 'CLOSED' }),
  makeCase('nowhere', { location: null }),
];

describe('computeRiskZones', () => {
  const zones = computeRiskZones(fixture, { now: NOW });

  it('forms one zone per city from the open located cases, highest risk first', () => {
    expect(zones.map((z) => z.caseIds)).toEqual([['p1', 'p2', 'p3', 'p4', 'p5'], ['l1', 'l2'], ['m1']]);
    expect(zones.map((z) => z.caseCount)).toEqual([5, 2, 1]);
  });

  it('scores each zone exactly as computed by hand', () => {
    expect(zones.map((z) => z.riskScore)).toEqual([56.8, 22.9, 2.5]);
    expect(zones.map((z) => z.riskLevel)).toEqual(['HIGH', 'LOW', 'LOW']);
  });

  it('places the center at the mean of the members and the radius at the farthest one', () => {
    const [paris, lyon, marseille] = zones;
    expect(paris.center).toEqual({ lat: 48.85704, lng: 2.35368 });
    expect(paris.radiusKm).toBeCloseTo(0.612, 3);
    expect(lyon.center).toEqual({ lat: 45.767, lng: 4.8357 });
    expect(lyon.radiusKm).toBe(0.5);
    expect(marseille.radiusKm).toBe(0.5);
  });

  it('names a zone after its earliest reported case, so the id survives growth', () => {
    const anchorHash = (id: string) => 'rz_' + createHash('sha256').update(id).digest('hex').slice(0, 16);
    expect(zones.map((z) => z.id)).toEqual([anchorHash('p1'), anchorHash('l2'), anchorHash('m1')]);
    const grown = computeRiskZones([...fixture, makeCase('p6', { location: at(48.8575, 2.353) })], { now: NOW });
    expect(grown[0].caseIds).toContain('p6');
    expect(grown[0].id).toBe(zones[0].id);
    expect(zoneIdFor([makeCase('b', { reportedAt: NOW }), makeCase('a', { reportedAt: NOW })])).toBe(anchorHash('a'));
  });

  it('indexes zones by case id', () => {
    const index = zonesByCaseId(zones);
    expect(index.get('p4')?.id).toBe(zones[0].id);
    expect(index.get('pf')).toBeUndefined();
    expect(index.size).toBe(8);
  });

  it('returns the same zones whatever the input order', () => {
    const shuffled = [...fixture].reverse();
    expect(computeRiskZones(shuffled, { now: NOW })).toEqual(zones);
  });
});

describe('clusterPoints (single linkage within 2 km)', () => {
  // Along the equator 0.01349° of longitude = 1.500 km.
  it('chains A–B (1.5 km) and B–C (1.5 km) into one zone although A–C is 3 km', () => {
    const a = at(0, 0);
    const b = at(0, 0.01349);
    const c = at(0, 0.02698);
    const d = at(0, 0.045866); // 2.1 km beyond C
    expect(distanceKm(a, c)).toBeCloseTo(3.0, 3);
    expect(clusterPoints([a, b, c, d])).toEqual([[0, 1, 2], [3]]);
  });

  it('links at the distance limit and not beyond it', () => {
    const kmToLat = (km: number) => km / 111.19508;
    expect(clusterPoints([at(10, 20), at(10 + kmToLat(1.999), 20)])).toHaveLength(1);
    expect(clusterPoints([at(10, 20), at(10 + kmToLat(2.001), 20)])).toHaveLength(2);
  });

  it('links across the antimeridian and over the poles', () => {
    // 0.009° of longitude at 10°N = 0.986 km; 0.005° from the pole on opposite meridians = 1.112 km.
    expect(clusterPoints([at(10, 179.995), at(10, -179.996)])).toEqual([[0, 1]]);
    expect(clusterPoints([at(89.995, 0), at(89.995, 180), at(89.99, 90)])).toEqual([[0, 1, 2]]);
    expect(clusterPoints([at(-89.999, -45), at(-89.999, 135)])).toEqual([[0, 1]]);
    const zones = computeRiskZones(
      [makeCase('e', { location: at(10, 179.995) }), makeCase('w', { location: at(10, -179.996) })],
      { now: NOW },
    );
    expect(zones[0].center.lng).toBeCloseTo(179.9995, 6);
  });

  it('agrees with a brute-force all-pairs clustering on random points', () => {
    const random = seededRandom(7);
    // [lat, lng, lat spread, lng spread]: mid latitudes, the antimeridian at 72°N, the south, the pole cap.
    const sites = [
      [48.8, 2.3, 1, 2],
      [72, -179.9, 1, 4],
      [-33.9, 151.2, 1, 1.5],
      [89.6, 0, 0.8, 360],
    ];
    for (const [lat0, lng0, dLat, dLng] of sites) {
      const points = Array.from({ length: 1500 }, () =>
        at(
          Math.max(-90, Math.min(90, lat0 + (random() - 0.5) * dLat)),
          ((lng0 + (random() - 0.5) * dLng + 540) % 360) - 180,
        ),
      );
      const groups = clusterPoints(points);
      // A mix of singletons and chained groups, so the comparison means something.
      expect(groups.length).toBeGreaterThan(1);
      expect(groups.some((g) => g.length >= 5)).toBe(true);
      expect(canonical(groups)).toEqual(canonical(bruteForce(points, 2)));
    }
  });

  it('rejects invalid input with a clear message', () => {
    expect(() => clusterPoints([at(91, 0)])).toThrow(/not a valid coordinate/);
    expect(() => clusterPoints([], 0)).toThrow(/linkKm must be positive/);
  });
});

describe('risk score formula', () => {
  it('maps thresholds to levels', () => {
    expect([0, 24.9, 25, 49.9, 50, 74.9, 75, 100].map(riskLevelOf)).toEqual([
      'LOW',
      'LOW',
      'MEDIUM',
      'MEDIUM',
      'HIGH',
      'HIGH',
      'CRITICAL',
      'CRITICAL',
    ]);
  });

  it('weights younger and fresher incidents more', () => {
    // one fresh toddler: 100·(1 − e^(−0.2)) = 18.13; seven: 100·(1 − e^(−1.4)) = 75.34
    expect(riskScoreOf([{ age: 2, lastSeenAt: NOW }], NOW)).toBe(18.1);
    expect(
      riskScoreOf(
        Array.from({ length: 7 }, () => ({ age: 2, lastSeenAt: NOW })),
        NOW,
      ),
    ).toBe(75.3);
    expect(riskScoreOf([{ age: 16, lastSeenAt: NOW }], NOW)).toBeLessThan(
      riskScoreOf([{ age: 2, lastSeenAt: NOW }], NOW),
    );
    expect(riskScoreOf([{ age: 2, lastSeenAt: daysAgo(90) }], NOW)).toBeLessThan(
      riskScoreOf([{ age: 2, lastSeenAt: daysAgo(1) }], NOW),
    );
    expect(riskScoreOf([], NOW)).toBe(0);
  });
});

function bruteForce(points: GeoPoint[], km: number): number[][] {
  const label = points.map((_, i) => i);
  const find = (x: number): number => (label[x] === x ? x : (label[x] = find(label[x])));
  for (let i = 0; i < points.length; i++) {
    for (let j = i + 1; j < points.length; j++) {
      if (distanceKm(points[i], points[j]) <= km) label[find(i)] = find(j);
    }
  }
  const groups = new Map<number, number[]>();
  points.forEach((_, i) => groups.set(find(i), [...(groups.get(find(i)) ?? []), i]));
  return [...groups.values()];
}

function canonical(groups: number[][]): string[] {
  return groups.map((g) => [...g].sort((a, b) => a - b).join(',')).sort();
}
