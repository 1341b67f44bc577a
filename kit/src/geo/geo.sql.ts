import type { BoundingBox } from './geo.math';
import { EARTH_RADIUS_KM } from './geo.math';
import type { GeoPoint } from './geo.types';

/**
 * The haversine distance of `distanceKm` as a Postgres expression, in km, from the columns (or any
 * expressions) `latCol`/`lngCol` to the point bound by its three `?` placeholders: pass
 * `distanceParams(point)` for them, in that order. Column names are put in as given: quote them.
 */
export function distanceSql(latCol: string, lngCol: string): string {
  // least(1, …) guards asin against rounding just above 1, as distanceKm does.
  return (
    `(2 * ${EARTH_RADIUS_KM} * asin(least(1, sqrt(power(sin(radians(${latCol} - ?::float8) / 2), 2) + ` +
    `cos(radians(?::float8)) * cos(radians(${latCol})) * power(sin(radians(${lngCol} - ?::float8) / 2), 2)))))`
  );
}

/** The parameters of one `distanceSql` expression, in placeholder order (lat, lat, lng). */
export function distanceParams(p: GeoPoint): number[] {
  return [p.lat, p.lat, p.lng];
}

/**
 * The condition "the row's point lies inside `box`" (edges included) over `latCol`/`lngCol`, with its
 * parameters: the same test as `boxContains`, written as plain range comparisons so that an index on
 * (lat, lng) serves it.
 */
export function boundingBoxSql(latCol: string, lngCol: string, box: BoundingBox): { sql: string; params: number[] } {
  const lat = `${latCol} between ? and ?`;
  if (box.lngRanges.length === 0) return { sql: lat, params: [box.minLat, box.maxLat] };
  const lng = box.lngRanges.map(() => `${lngCol} between ? and ?`).join(' or ');
  return { sql: `${lat} and (${lng})`, params: [box.minLat, box.maxLat, ...box.lngRanges.flat()] };
}
