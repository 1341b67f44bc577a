/** Mean Earth radius used for distances, in kilometres. */
export const EARTH_RADIUS_KM = 6371.0088;

/** Kilometres per degree of latitude (and of longitude at the equator). */
const KM_PER_DEGREE = (Math.PI * EARTH_RADIUS_KM) / 180;

/** A latitude/longitude rectangle; `lngRanges` has two parts when it crosses the antimeridian. */
export interface BoundingBox {
  minLat: number;
  maxLat: number;
  /** Longitude intervals to accept; empty means every longitude. */
  lngRanges: Array<[number, number]>;
}

/**
 * The smallest latitude/longitude box that contains every point within `radiusKm` of the centre,
 * so an index range scan can discard most rows before the exact distance is computed. Near a
 * pole the box spans all longitudes; across ±180° it splits in two.
 */
export function boundingBox(lat: number, lng: number, radiusKm: number): BoundingBox {
  const dLat = radiusKm / KM_PER_DEGREE;
  const minLat = Math.max(-90, lat - dLat);
  const maxLat = Math.min(90, lat + dLat);
  if (minLat <= -90 || maxLat >= 90) return { minLat, maxLat, lngRanges: [] };
  // Widest at the latitude farthest from the equator inside the box.
  const widest = Math.max(Math.abs(minLat), Math.abs(maxLat));
  const dLng = radiusKm / (KM_PER_DEGREE * Math.cos((widest * Math.PI) / 180));
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

/** Great-circle distance between two points in kilometres (haversine). */
export function distanceKm(a: { lat: number; lng: number }, b: { lat: number; lng: number }): number {
  const rad = Math.PI / 180;
  const h =
    Math.sin(((b.lat - a.lat) * rad) / 2) ** 2 +
    Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(((b.lng - a.lng) * rad) / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}
