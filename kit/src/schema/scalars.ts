import { GraphQLError, GraphQLScalarType, type ValueNode } from 'graphql';
import { GraphQLDateTimeISO, GraphQLJSONObject } from 'graphql-scalars';

const MIN_YEAR = 1;
const MAX_YEAR = 9999;

/** A date PostgreSQL's `timestamptz` (through the driver) can hold: a real instant in years 1–9999 UTC. */
function storableDate(date: Date): Date {
  const year = date.getUTCFullYear();
  if (Number.isNaN(date.getTime()) || year < MIN_YEAR || year > MAX_YEAR) {
    throw new GraphQLError(`DateTimeISO must be a date-time between the years ${MIN_YEAR} and ${MAX_YEAR}.`);
  }
  return date;
}

/**
 * `DateTimeISO`: graphql-scalars' RFC 3339 date-time (the scalar type-graphql maps `Date` to),
 * narrowed to instants storage can hold, so a year-0 date is a BAD_USER_INPUT rather than a
 * refused SQL statement. Same name; the description adds the range.
 */
export const DateTimeISO = new GraphQLScalarType<Date | null, string>({
  ...GraphQLDateTimeISO.toConfig(),
  description: `${GraphQLDateTimeISO.description} Years ${MIN_YEAR}–${MAX_YEAR} (UTC).`,
  parseValue: (value) => storableDate(GraphQLDateTimeISO.parseValue(value) as Date),
  parseLiteral: (ast: ValueNode, variables?: Record<string, unknown> | null) =>
    storableDate(GraphQLDateTimeISO.parseLiteral(ast, variables) as Date),
});

/**
 * The custom scalars of the supergraph by name, with the implementations that check them. The
 * router's supergraph schema knows scalars only by name (they accept anything there), so the input
 * check (`checkOperationInput`) parses each value with these, at the edge.
 */
export const SCALARS: ReadonlyMap<string, GraphQLScalarType> = new Map<string, GraphQLScalarType>([
  [DateTimeISO.name, DateTimeISO as GraphQLScalarType],
  [GraphQLJSONObject.name, GraphQLJSONObject],
]);
