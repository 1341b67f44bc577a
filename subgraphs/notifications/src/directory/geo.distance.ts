/**
 * The kit's great-circle math under the names notifications has used; new code imports it from
 * `@supergraph/kit` directly.
 */
export { distanceKm, distanceParams, distanceSql, EARTH_RADIUS_KM } from '@supergraph/kit';
