import { AppError, BadUserInputError, check } from '@supergraph/kit';
import { GeocodingUnavailableError, type Geocoder } from '../geocoding';

/** Largest age of a case (children only). */
export const MAX_AGE = 17;

/** Checks a child's name: trimmed, 1–100 characters. */
export const childName = (v: string, field: string) => check.text(v, field, { max: 100 });
/** Checks an age in years: a whole number from 0 to 17. */
export const age = (v: number, field: string) => check.int(v, field, 0, MAX_AGE);
/** Checks a free-text place: trimmed, 1–300 characters. */
export const place = (v: string, field: string) => check.text(v, field, { max: 300 });
/** Checks a point in time that has already happened and is not absurdly old (before 1900). */
export function pastInstant(v: Date, field: string): Date {
  check.pastDate(v, field);
  if (v.getFullYear() < 1900) throw new BadUserInputError(`${field} is too far in the past.`, field);
  return v;
}

/**
 * Where a place is: the given location when there is one, else the geocoder's answer. With
 * `required`, a place nobody can find is BAD_USER_INPUT naming `placeField`; without it, null.
 * When every provider is down the error says so (SUBGRAPH_UNAVAILABLE) rather than blaming the input.
 */
export async function locate(
  geocoder: Geocoder,
  text: string,
  location: { lat: number; lng: number } | null | undefined,
  fields: { place: string; location: string },
  required: boolean,
): Promise<{ lat: number; lng: number } | null> {
  if (location) return check.location(location, fields.location);
  let found;
  try {
    found = await geocoder.geocode(text);
  } catch (err) {
    if (!(err instanceof GeocodingUnavailableError)) throw err;
    if (!required) return null;
    throw new AppError(
      `No geocoding service could be reached to find "${text}"; give ${fields.location} or try again shortly.`,
      'SUBGRAPH_UNAVAILABLE',
    );
  }
  if (found) return found.location;
  if (!required) return null;
  throw new BadUserInputError(
    `${fields.place} "${text}" could not be found on the map; name a town or city (e.g. "Central Park, New York") or give ${fields.location}.`,
    fields.place,
  );
}
