import { BadUserInputError } from '../errors/errors';

/** The shape of entity ids. */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Small input checks that throw BAD_USER_INPUT naming the field. Each returns the cleaned value
 * (trimmed, normalised) so resolvers store exactly what was validated.
 */
export const check = {
  /** Trimmed text with a length between `min` and `max` characters. */
  text(value: string, field: string, { min = 1, max = 10_000 }: { min?: number; max?: number } = {}): string {
    const v = value.trim();
    if (v.length < min)
      throw new BadUserInputError(
        min <= 1 ? `${field} must not be empty.` : `${field} must be at least ${min} characters.`,
        field,
      );
    if (v.length > max) throw new BadUserInputError(`${field} must be at most ${max} characters.`, field);
    return v;
  },
  /** Like `text`, but undefined/null stay undefined and empty becomes null. */
  optionalText(
    value: string | null | undefined,
    field: string,
    opts: { max?: number } = {},
  ): string | null | undefined {
    if (value === undefined || value === null) return value;
    return value.trim() === '' ? null : check.text(value, field, { min: 1, ...opts });
  },
  /** A lower-cased, trimmed email address of a plausible shape. */
  email(value: string, field = 'email'): string {
    const v = value.trim().toLowerCase();
    if (v.length > 254 || !/^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/.test(v))
      throw new BadUserInputError(`${field} is not a valid email address.`, field);
    return v;
  },
  /** An integer within [min, max]. */
  int(value: number, field: string, min: number, max: number): number {
    if (!Number.isInteger(value) || value < min || value > max)
      throw new BadUserInputError(`${field} must be a whole number from ${min} to ${max}.`, field);
    return value;
  },
  /** A finite number within [min, max]. */
  number(value: number, field: string, min: number, max: number): number {
    if (!Number.isFinite(value) || value < min || value > max)
      throw new BadUserInputError(`${field} must be between ${min} and ${max}.`, field);
    return value;
  },
  /** A date that is not in the future (with a small allowance for clock skew). */
  pastDate(value: Date, field: string, skewMs = 5 * 60_000): Date {
    if (!(value instanceof Date) || Number.isNaN(value.getTime()))
      throw new BadUserInputError(`${field} is not a valid date.`, field);
    if (value.getTime() > Date.now() + skewMs)
      throw new BadUserInputError(`${field} must not be in the future.`, field);
    return value;
  },
  /** A phone number in international form (+ and 7–15 digits; spaces, dashes, dots and brackets allowed). */
  phone(value: string, field = 'phone'): string {
    const v = value.replace(/[\s\-.()]/g, '');
    if (!/^\+?[1-9]\d{6,14}$/.test(v))
      throw new BadUserInputError(`${field} must be a phone number such as +41 79 123 45 67.`, field);
    return v.startsWith('+') ? v : `+${v}`;
  },
  /** A UUID (the id format of every entity); BAD_USER_INPUT otherwise. */
  id(value: string, field: string): string {
    if (!UUID.test(value)) throw new BadUserInputError(`${field} is not a valid id.`, field);
    return value.toLowerCase();
  },
  /**
   * A latitude/longitude pair, rounded to 7 decimals (about a centimetre): finer digits mean
   * nothing on Earth, and subnormal values (5e-324) make PostgreSQL's trigonometry underflow.
   */
  location(value: { lat: number; lng: number }, field = 'location'): { lat: number; lng: number } {
    check.number(value.lat, `${field}.lat`, -90, 90);
    check.number(value.lng, `${field}.lng`, -180, 180);
    const round = (x: number) => Math.round(x * 1e7) / 1e7 + 0; // + 0 turns -0 into 0
    return { lat: round(value.lat), lng: round(value.lng) };
  },
};
