/** Light levels a species prefers, from dim interiors to an unshaded sunny window. */
export const LIGHT_LEVELS = ['LOW', 'MEDIUM', 'BRIGHT_INDIRECT', 'DIRECT'] as const;

/** One of {@link LIGHT_LEVELS}. */
export type LightLevel = (typeof LIGHT_LEVELS)[number];

/** Relative air humidity a species prefers: LOW (dry rooms fine), MEDIUM (typical home), HIGH (~60 %+). */
export const HUMIDITY_LEVELS = ['LOW', 'MEDIUM', 'HIGH'] as const;

/** One of {@link HUMIDITY_LEVELS}. */
export type HumidityLevel = (typeof HUMIDITY_LEVELS)[number];

/**
 * The care profile of one house-plant species, as seeded into the catalog or created by an ADMIN.
 * Values are general guidance for an average indoor setting, not prescriptions: real needs vary
 * with pot size, season, light and the individual plant.
 */
export interface SpeciesSeed {
  /** Everyday name shown to users, e.g. 'Snake plant'. Unique in the catalog. */
  readonly commonName: string;
  /** Accepted botanical binomial, e.g. 'Monstera deliciosa'. Unique in the catalog. */
  readonly scientificName: string;
  /** Botanical family, e.g. 'Araceae'. */
  readonly family: string;
  /** Typical days between waterings indoors (integer, 2–30); drives reminder scheduling. */
  readonly wateringIntervalDays: number;
  /** Preferred light. */
  readonly light: LightLevel;
  /** Preferred air humidity. */
  readonly humidity: HumidityLevel;
  /** Lowest comfortable temperature in °C. */
  readonly minTempC: number;
  /** Highest comfortable temperature in °C (greater than minTempC). */
  readonly maxTempC: number;
  /** True when the plant is commonly listed as toxic to cats or dogs (ASPCA-style guidance). */
  readonly toxicToPets: boolean;
  /** One or two sentences of practical care advice. */
  readonly careNotes: string;
}
