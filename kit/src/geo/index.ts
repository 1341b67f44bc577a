/** Geography shared by every package: the point types of the schema and the great-circle math in JS and SQL. */
export * from './geo.math';
export * from './geo.sql';
export { GeoCircleInput, GeoPoint, GeoPointInput } from './geo.types';
