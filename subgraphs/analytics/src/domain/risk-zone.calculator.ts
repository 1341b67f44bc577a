import { createHash } from 'node:crypto';
import { DEG_TO_RAD, distanceKm, EARTH_RADIUS_KM, hav, isValidPoint, meanPoint, type GeoPoint } from '@supergraph/kit';
import type { CaseFact, RiskZone } from './analytics.types';
import { DisjointSet } from './disjoint-set.structure';
import { GeoGrid } from './geo-grid.index';
import { riskLevelOf, riskScoreOf, type RiskScoreOptions } from './risk-score.formula';
import { roundTo } from './statistics.math';

/** Default linking distance: two open cases this close (or closer) belong to one zone. */
export const DEFAULT_LINK_KM = 2;
/** Default smallest published zone radius, so a one-case zone still shows as an area. */
export const DEFAULT_MIN_RADIUS_KM = 0.5;

/** Inputs of `computeRiskZones` besides the cases. */
export interface RiskZoneOptions extends RiskScoreOptions {
  /** The reference time of recency weighting (never read from the clock). */
  now: Date;
  /** Linking distance in km (default 2). */
  linkKm?: number;
  /** Smallest published radius in km (default 0.5). */
  minRadiusKm?: number;
}

/**
 * Single-linkage clustering of points: the connected components of the graph joining every
 * two points at most `linkKm` apart (haversine). Returns the components as lists of point
 * indices (ascending within a component; components ordered by their smallest index).
 *
 * Uses a `GeoGrid` with cells of linkKm/√2, small enough that all points of one cell are
 * within linkKm of each other (checked per row with a haversine bound): a cell is linked
 * internally without measuring pairs, and two cells are linked as soon as one pair across
 * them is close enough. Only cells that may hold points within linkKm of each other are ever
 * compared, so the cost grows with the number of points and their local density, never with
 * the number of all pairs. Correct across the antimeridian and near the poles.
 */
export function clusterPoints(points: readonly GeoPoint[], linkKm = DEFAULT_LINK_KM): number[][] {
  if (!(linkKm > 0)) throw new RangeError(`linkKm must be positive, got ${linkKm}`);
  const n = points.length;
  // 0.999: margin so the per-cell bound stays below the link distance despite rounding.
  const grid = new GeoGrid((linkKm / Math.SQRT2) * 0.999);
  const phi = new Float64Array(n);
  const lambda = new Float64Array(n);
  const cosPhi = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const p = points[i];
    if (!isValidPoint(p)) throw new RangeError(`point ${i} is not a valid coordinate: ${JSON.stringify(p)}`);
    phi[i] = p.lat * DEG_TO_RAD;
    lambda[i] = p.lng * DEG_TO_RAD;
    cosPhi[i] = Math.cos(phi[i]);
    grid.insert(i, p.lat, p.lng);
  }
  const limit = hav(linkKm / EARTH_RADIUS_KM);
  const close = (i: number, j: number): boolean =>
    hav(phi[j] - phi[i]) + cosPhi[i] * cosPhi[j] * hav(lambda[j] - lambda[i]) <= limit;

  const sets = new DisjointSet(n);
  const compact = new Map<number, boolean>();
  for (const [key, members] of grid.cells) {
    const isCompact = grid.maxHavWithinCell(key) <= limit;
    compact.set(key, isCompact);
    if (isCompact) {
      for (let k = 1; k < members.length; k++) sets.union(members[0], members[k]);
    } else {
      linkPairs(members, members, sets, close);
    }
  }

  for (const [key, members] of grid.cells) {
    for (const otherKey of grid.cellsNear(key, linkKm)) {
      if (otherKey <= key) continue; // each unordered pair of cells once
      const others = grid.cells.get(otherKey);
      if (!others) continue;
      if (compact.get(key) && compact.get(otherKey)) {
        if (sets.find(members[0]) === sets.find(others[0])) continue;
        linkFirstPair(members, others, sets, close);
      } else {
        linkPairs(members, others, sets, close);
      }
    }
  }

  const byRoot = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const root = sets.find(i);
    const group = byRoot.get(root);
    if (group) group.push(i);
    else byRoot.set(root, [i]);
  }
  return [...byRoot.values()];
}

/** Unions the two (internally connected) cells at the first close pair found. */
function linkFirstPair(a: number[], b: number[], sets: DisjointSet, close: (i: number, j: number) => boolean): void {
  for (const i of a) {
    for (const j of b) {
      if (close(i, j)) {
        sets.union(i, j);
        return;
      }
    }
  }
}

/** Unions every close pair across `a` × `b` not yet in one set (cells that are not compact). */
function linkPairs(a: number[], b: number[], sets: DisjointSet, close: (i: number, j: number) => boolean): void {
  for (const i of a) {
    for (const j of b) {
      if (i !== j && sets.find(i) !== sets.find(j) && close(i, j)) sets.union(i, j);
    }
  }
}

/**
 * Deterministic id of a zone: "rz_" + the first 16 hex digits of SHA-256 of the zone's
 * anchor case id, the anchor being the member reported first (ties: smallest case id).
 *
 * Why the anchor and not a hash of all member ids or of the rounded centroid: both of those
 * change whenever a case joins the zone — exactly when its risk rises and a client wants to
 * follow it — and a centroid also jumps across rounding borders. The anchor stays the same
 * while the zone grows; when two zones merge, the older zone's id survives. The id changes
 * only when the anchor case itself leaves (it was found or closed) or the zone splits.
 * Hashing keeps ids opaque and of fixed length. Throws on an empty member list.
 */
export function zoneIdFor(members: readonly Pick<CaseFact, 'caseId' | 'reportedAt'>[]): string {
  if (members.length === 0) throw new RangeError('a risk zone needs at least one case');
  let anchor = members[0];
  for (const m of members) {
    const dt = m.reportedAt.getTime() - anchor.reportedAt.getTime();
    if (dt < 0 || (dt === 0 && m.caseId < anchor.caseId)) anchor = m;
  }
  return 'rz_' + createHash('sha256').update(anchor.caseId).digest('hex').slice(0, 16);
}

/** What the zone calculator reads of a case (a `CaseFact` is one). */
export type ZoneCase = Pick<CaseFact, 'caseId' | 'reportedAt' | 'lastSeenAt' | 'age' | 'location' | 'status'>;

/**
 * Risk zones of the open cases.
 *
 * Only `MISSING` cases take part: a zone says where children are missing *now*; found or
 * closed cases are history (they still feed the spike baseline in `insight.generator.ts`).
 * Cases without a location, or with an invalid one, are skipped. Case ids must be unique.
 *
 * Each zone: `center` = mean of member coordinates (6 decimals), `radiusKm` = largest
 * haversine distance from the center to a member, rounded up to metres and at least
 * `minRadiusKm`; `riskScore`/`riskLevel` from `riskScoreOf`/`riskLevelOf`; `caseIds` sorted.
 * Zones are ordered by riskScore descending, then id ascending.
 */
export function computeRiskZones(cases: readonly ZoneCase[], options: RiskZoneOptions): RiskZone[] {
  const linkKm = options.linkKm ?? DEFAULT_LINK_KM;
  const minRadiusKm = options.minRadiusKm ?? DEFAULT_MIN_RADIUS_KM;
  const open = cases.filter((c) => c.status === 'MISSING' && isValidPoint(c.location));
  const groups = clusterPoints(
    open.map((c) => c.location as GeoPoint),
    linkKm,
  );
  const zones = groups.map((group) =>
    buildZone(
      group.map((i) => open[i]),
      minRadiusKm,
      options,
    ),
  );
  return zones.sort((a, b) => b.riskScore - a.riskScore || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

function buildZone(members: ZoneCase[], minRadiusKm: number, options: RiskZoneOptions): RiskZone {
  const points = members.map((m) => m.location as GeoPoint);
  const mean = meanPoint(points);
  const center = { lat: roundTo(mean.lat, 6), lng: roundTo(mean.lng, 6) };
  let farthest = 0;
  for (const p of points) farthest = Math.max(farthest, distanceKm(center, p));
  const riskScore = riskScoreOf(members, options.now, options);
  return {
    id: zoneIdFor(members),
    center,
    radiusKm: Math.max(minRadiusKm, Math.ceil(farthest * 1000) / 1000),
    caseCount: members.length,
    caseIds: members.map((m) => m.caseId).sort(),
    riskScore,
    riskLevel: riskLevelOf(riskScore),
  };
}

/** Index of zones by member case id, e.g. to resolve `Case.riskZone`. */
export function zonesByCaseId(zones: readonly RiskZone[]): Map<string, RiskZone> {
  const index = new Map<string, RiskZone>();
  for (const zone of zones) for (const id of zone.caseIds) index.set(id, zone);
  return index;
}
