import { describe, expect, it } from 'vitest';
import { distanceKm, type GeoPoint } from '@supergraph/kit';
import { computeRiskZones, riskLevelOf, type CaseFact, type CaseStatus } from '../../src/domain';
import { daysAgo, gaussian, makeCase, NOW, seededRandom } from './case.fixture';

const KM_PER_DEG = 111.19508;

/**
 * 100,000 synthetic cases: 400 hotspots spread over the inhabited latitudes (some next to the
 * antimeridian), each case scattered around its hotspot with σ = 3 km, plus 5% uniform
 * background noise; 80% MISSING, 15% FOUND, 5% CLOSED; 2% without location.
 */
function syntheticCases(count: number, seed: number): CaseFact[] {
  const random = seededRandom(seed);
  const hotspots = Array.from({ length: 400 }, (_, i) => ({
    lat: -55 + random() * 125,
    lng: i % 40 === 0 ? 179.99 : -180 + random() * 360,
  }));
  const cases: CaseFact[] = [];
  for (let i = 0; i < count; i++) {
    let location: GeoPoint | null;
    if (random() < 0.02) location = null;
    else if (random() < 0.05) location = { lat: -60 + random() * 130, lng: -180 + random() * 359.999 };
    else {
      const h = hotspots[Math.floor(random() * hotspots.length)];
      const lat = Math.max(-89.9, Math.min(89.9, h.lat + (gaussian(random) * 3) / KM_PER_DEG));
      const dLng = (gaussian(random) * 3) / (KM_PER_DEG * Math.cos((lat * Math.PI) / 180));
      location = { lat, lng: ((h.lng + dLng + 540) % 360) - 180 };
    }
    const r = random();
    const status: CaseStatus = r < 0.8 ? 'MISSING' : r < 0.95 ? 'FOUND' : 'CLOSED';
    cases.push(
      makeCase(`case-${i}`, {
        location,
        status,
        age: Math.floor(random() * 18),
        lastSeenAt: daysAgo(random() * 120),
        reportedAt: daysAgo(random() * 120),
        foundAt: status === 'FOUND' ? NOW : null,
      }),
    );
  }
  return cases;
}

describe('computeRiskZones at scale', () => {
  it('clusters 100,000 cases into zones satisfying the single-linkage invariants', () => {
    const cases = syntheticCases(100_000, 2024);
    const eligible = cases.filter((c) => c.status === 'MISSING' && c.location !== null);
    const zones = computeRiskZones(cases, { now: NOW });

    // Every open located case is in exactly one zone, and nothing else is.
    const zoneOf = new Map<string, number>();
    zones.forEach((zone, z) => {
      expect(zone.caseCount).toBe(zone.caseIds.length);
      for (const id of zone.caseIds) {
        expect(zoneOf.has(id)).toBe(false);
        zoneOf.set(id, z);
      }
    });
    expect(zoneOf.size).toBe(eligible.length);
    expect(eligible.every((c) => zoneOf.has(c.caseId))).toBe(true);
    expect(new Set(zones.map((z) => z.id)).size).toBe(zones.length);
    expect(zones.some((z) => z.caseCount > 50)).toBe(true);
    expect(zones.some((z) => z.caseCount === 1)).toBe(true);

    // Scores are in range, levels match them, zones are ordered by score.
    for (let z = 0; z < zones.length; z++) {
      const zone = zones[z];
      expect(zone.riskScore).toBeGreaterThanOrEqual(0);
      expect(zone.riskScore).toBeLessThanOrEqual(100);
      expect(zone.riskLevel).toBe(riskLevelOf(zone.riskScore));
      if (z > 0) expect(zones[z - 1].riskScore).toBeGreaterThanOrEqual(zone.riskScore);
    }

    // On a sample: no case within 2 km of another case of a different zone (checked against all).
    const byId = new Map(eligible.map((c) => [c.caseId, c.location as GeoPoint]));
    const random = seededRandom(99);
    for (let s = 0; s < 300; s++) {
      const a = eligible[Math.floor(random() * eligible.length)];
      const pa = a.location as GeoPoint;
      for (const b of eligible) {
        const pb = b.location as GeoPoint;
        if (Math.abs(pb.lat - pa.lat) > 0.02) continue; // 0.02° of latitude is 2.2 km
        if (distanceKm(pa, pb) <= 2) expect(zoneOf.get(b.caseId)).toBe(zoneOf.get(a.caseId));
      }
    }

    // On a sample of zones: members are connected through ≤ 2 km links and lie within the radius.
    for (let s = 0; s < 40; s++) {
      const zone = zones[Math.floor(random() * zones.length)];
      const points = zone.caseIds.map((id) => byId.get(id) as GeoPoint);
      for (const p of points) expect(distanceKm(zone.center, p)).toBeLessThanOrEqual(zone.radiusKm);
      if (points.length > 3000) continue;
      const reached = new Set([0]);
      const queue = [0];
      while (queue.length > 0) {
        const i = queue.pop() as number;
        points.forEach((p, j) => {
          if (!reached.has(j) && distanceKm(points[i], p) <= 2) {
            reached.add(j);
            queue.push(j);
          }
        });
      }
      expect(reached.size).toBe(points.length);
    }
  });

  it('gives the same zones for the same cases in any order', () => {
    const cases = syntheticCases(10_000, 5);
    const shuffled = [...cases];
    const random = seededRandom(11);
    for (let i = shuffled.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
    }
    expect(computeRiskZones(shuffled, { now: NOW })).toEqual(computeRiskZones(cases, { now: NOW }));
  });
});
