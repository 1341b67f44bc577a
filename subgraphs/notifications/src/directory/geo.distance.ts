/** Mean Earth radius used by every distance here, in km. */
export const EARTH_RADIUS_KM = 6371.0088;

/** Great-circle (haversine) distance between two WGS84 points, in km. */
export function distanceKm(a: { lat: number; lng: number }, b: { lat: number; lng: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLng = (b.lng - a.lng) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/**
 * The same haversine distance as a SQL expression from columns `latCol`/`lngCol` to the point
 * bound by the two `?` placeholders (lat, lng), in km. `least(1, …)` guards asin against
 * rounding just above 1.
 */
export function distanceSql(latCol: string, lngCol: string): string {
  return `(2 * ${EARTH_RADIUS_KM} * asin(least(1, sqrt(power(sin(radians(${latCol} - ?::float8) / 2), 2) + cos(radians(?::float8)) * cos(radians(${latCol})) * power(sin(radians(${lngCol} - ?::float8) / 2), 2)))))`;
}

/** The parameters for one `distanceSql` expression, in placeholder order. */
export function distanceParams(p: { lat: number; lng: number }): number[] {
  return [p.lat, p.lat, p.lng];
}
