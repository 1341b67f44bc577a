import type { GeoPoint } from './analytics.types';

/** Mean Earth radius in kilometres (IUGG), used by every distance in analytics. */
export const EARTH_RADIUS_KM = 6371.0088;

/** Degrees → radians. */
export const DEG_TO_RAD = Math.PI / 180;

/** The haversine function hav(θ) = sin²(θ/2). */
export function hav(angleRad: number): number {
  const s = Math.sin(angleRad / 2);
  return s * s;
}

/**
 * Great-circle distance in kilometres between two points (haversine formula).
 * Symmetric, 0 for identical points, correct across the antimeridian.
 */
export function haversineKm(a: GeoPoint, b: GeoPoint): number {
  const phi1 = a.lat * DEG_TO_RAD;
  const phi2 = b.lat * DEG_TO_RAD;
  const h = hav(phi2 - phi1) + Math.cos(phi1) * Math.cos(phi2) * hav((b.lng - a.lng) * DEG_TO_RAD);
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** True when `p` is a finite coordinate with |lat| ≤ 90 and |lng| ≤ 180. */
export function isValidPoint(p: GeoPoint | null | undefined): p is GeoPoint {
  return (
    p != null && Number.isFinite(p.lat) && Number.isFinite(p.lng) && Math.abs(p.lat) <= 90 && Math.abs(p.lng) <= 180
  );
}

/** Normalises a longitude in degrees into [-180, 180). */
export function normalizeLng(lng: number): number {
  const x = (((lng + 180) % 360) + 360) % 360;
  return x - 180;
}

/**
 * Mean position of points that lie close together (a cluster), in degrees.
 * Longitudes are unwrapped relative to the first point before averaging, so a cluster that
 * straddles the antimeridian gets a center next to it rather than near Greenwich.
 * Throws on an empty list.
 */
export function meanPoint(points: readonly GeoPoint[]): GeoPoint {
  if (points.length === 0) throw new RangeError('meanPoint needs at least one point');
  const ref = points[0].lng;
  let sumLat = 0;
  let sumLng = 0;
  for (const p of points) {
    sumLat += p.lat;
    sumLng += ref + normalizeLng(p.lng - ref);
  }
  return { lat: sumLat / points.length, lng: normalizeLng(sumLng / points.length) };
}
