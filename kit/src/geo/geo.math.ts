import type { GeoPoint } from './geo.types';

/** Mean Earth radius in kilometres (IUGG), used by every distance on the platform. */
export const EARTH_RADIUS_KM = 6371.0088;

/** Degrees → radians. */
export const DEG_TO_RAD = Math.PI / 180;

/** Kilometres per degree of latitude (and of longitude at the equator). */
const KM_PER_DEGREE = EARTH_RADIUS_KM * DEG_TO_RAD;

/** The haversine function hav(θ) = sin²(θ/2), θ in radians. */
export function hav(angleRad: number): number {
  const s = Math.sin(angleRad / 2);
  return s * s;
}

/**
 * Great-circle distance in kilometres between two points (haversine formula): symmetric, 0 for
 * identical points, correct across the antimeridian. `distanceSql` computes the same in SQL.
 */
export function distanceKm(a: GeoPoint, b: GeoPoint): number {
  const phi1 = a.lat * DEG_TO_RAD;
  const phi2 = b.lat * DEG_TO_RAD;
  const h = hav(phi2 - phi1) + Math.cos(phi1) * Math.cos(phi2) * hav((b.lng - a.lng) * DEG_TO_RAD);
  // min(1, …) guards asin against rounding just above 1 for antipodal points.
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** True when `p` is a finite coordinate with |lat| ≤ 90 and |lng| ≤ 180. */
export function isValidPoint(p: GeoPoint | null | undefined): p is GeoPoint {
  return (
    p != null && Number.isFinite(p.lat) && Number.isFinite(p.lng) && Math.abs(p.lat) <= 90 && Math.abs(p.lng) <= 180
  );
}

/** A longitude in degrees brought into [-180, 180). */
export function normalizeLng(lng: number): number {
  const x = (((lng + 180) % 360) + 360) % 360;
  return x - 180;
}

/**
 * Mean position of points that lie close together (a cluster), in degrees. Longitudes are unwrapped
 * relative to the first point before averaging, so a cluster that straddles the antimeridian gets a
 * centre next to it rather than near Greenwich. Throws a RangeError on an empty list.
 */
export function meanPoint(points: readonly GeoPoint[]): GeoPoint {
  if (points.length === 0) throw new RangeError('meanPoint needs at least one point');
  const ref = points[0]!.lng;
  let sumLat = 0;
  let sumLng = 0;
  for (const p of points) {
    sumLat += p.lat;
    sumLng += ref + normalizeLng(p.lng - ref);
  }
  return { lat: sumLat / points.length, lng: normalizeLng(sumLng / points.length) };
}

/** A latitude/longitude rectangle; `lngRanges` has two parts when it crosses the antimeridian. */
export interface BoundingBox {
  minLat: number;
  maxLat: number;
  /** Longitude intervals to accept, both ends included; empty means every longitude. */
  lngRanges: Array<[number, number]>;
}

/**
 * The smallest latitude/longitude box that contains every point within `radiusKm` of the centre,
 * so an index range scan can discard most rows before the exact distance is computed. Near a pole
 * the box spans all longitudes; across ±180° it splits in two.
 */
export function boundingBox(lat: number, lng: number, radiusKm: number): BoundingBox {
  const dLat = radiusKm / KM_PER_DEGREE;
  const minLat = Math.max(-90, lat - dLat);
  const maxLat = Math.min(90, lat + dLat);
  if (minLat <= -90 || maxLat >= 90) return { minLat, maxLat, lngRanges: [] };
  // Widest at the latitude farthest from the equator inside the box.
  const widest = Math.max(Math.abs(minLat), Math.abs(maxLat));
  const dLng = radiusKm / (KM_PER_DEGREE * Math.cos(widest * DEG_TO_RAD));
  if (dLng >= 180) return { minLat, maxLat, lngRanges: [] };
  const west = lng - dLng;
  const east = lng + dLng;
  if (west < -180)
    return {
      minLat,
      maxLat,
      lngRanges: [
        [west + 360, 180],
        [-180, east],
      ],
    };
  if (east > 180)
    return {
      minLat,
      maxLat,
      lngRanges: [
        [west, 180],
        [-180, east - 360],
      ],
    };
  return { minLat, maxLat, lngRanges: [[west, east]] };
}

/** Whether `p` lies inside `box` (edges included); `boundingBoxSql` is the same test in SQL. */
export function boxContains(box: BoundingBox, p: GeoPoint): boolean {
  if (p.lat < box.minLat || p.lat > box.maxLat) return false;
  return box.lngRanges.length === 0 || box.lngRanges.some(([west, east]) => p.lng >= west && p.lng <= east);
}
