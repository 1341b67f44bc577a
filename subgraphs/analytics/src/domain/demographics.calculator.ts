import { ageGroupOf } from './age-group.classifier';
import { AGE_GROUPS, GENDERS, type CaseFact, type LabelCount } from './analytics.types';

/** Label used for cases whose location type is unknown (null, empty or blank). */
export const UNKNOWN_LOCATION_TYPE = 'unknown';

/** The 24 hour labels "00" … "23". */
export const HOUR_LABELS: readonly string[] = Array.from({ length: 24 }, (_, h) => String(h).padStart(2, '0'));

/** Demographic breakdown of a set of cases; every list has stable labels in a stable order. */
export interface Demographics {
  total: number;
  /** "0-5", "6-10", "11-14", "15-17", always all four. */
  byAgeGroup: LabelCount[];
  /** Cases whose age fits no group (negative, not a number, or 18 and over). */
  ageOutOfRange: number;
  /** FEMALE, MALE, OTHER, UNKNOWN, always all four. */
  byGender: LabelCount[];
  /** Hour of day (UTC) of `lastSeenAt`, "00" … "23", always all 24. */
  byHourOfDay: LabelCount[];
  /**
   * Location types: first the `knownLocationTypes` in their given order (present even at 0),
   * then any other observed type alphabetically, then "unknown" (always present).
   */
  byLocationType: LabelCount[];
}

/**
 * Counts the given cases (any status — filter before calling for e.g. open cases only) by age
 * group, gender, UTC hour of the moment last seen, and location type. Location types are
 * trimmed; null or blank counts as "unknown". Labels with no case are still returned with
 * count 0 so charts keep a fixed set of bars. Linear in the number of cases.
 */
export function computeDemographics(
  cases: readonly CaseFact[],
  knownLocationTypes: readonly string[] = [],
): Demographics {
  const ages = new Map<string, number>(AGE_GROUPS.map((g) => [g, 0]));
  const genders = new Map<string, number>(GENDERS.map((g) => [g, 0]));
  const hours = new Array<number>(24).fill(0);
  const locationTypes = new Map<string, number>();
  let ageOutOfRange = 0;

  for (const c of cases) {
    const group = ageGroupOf(c.age);
    if (group === null) ageOutOfRange++;
    else ages.set(group, (ages.get(group) ?? 0) + 1);
    // An unexpected gender value from older events is counted as UNKNOWN, not dropped.
    const gender = genders.has(c.gender) ? c.gender : 'UNKNOWN';
    genders.set(gender, (genders.get(gender) ?? 0) + 1);
    const hour = c.lastSeenAt.getUTCHours();
    if (Number.isInteger(hour)) hours[hour]++;
    const type = c.locationType?.trim() || UNKNOWN_LOCATION_TYPE;
    locationTypes.set(type, (locationTypes.get(type) ?? 0) + 1);
  }

  const known = [...new Set(knownLocationTypes.map((t) => t.trim()).filter((t) => t && t !== UNKNOWN_LOCATION_TYPE))];
  const others = [...locationTypes.keys()].filter((t) => t !== UNKNOWN_LOCATION_TYPE && !known.includes(t)).sort();
  const typeLabels = [...known, ...others, UNKNOWN_LOCATION_TYPE];

  return {
    total: cases.length,
    byAgeGroup: toCounts(ages),
    ageOutOfRange,
    byGender: toCounts(genders),
    byHourOfDay: HOUR_LABELS.map((label, h) => ({ label, count: hours[h] })),
    byLocationType: typeLabels.map((label) => ({ label, count: locationTypes.get(label) ?? 0 })),
  };
}

function toCounts(counts: Map<string, number>): LabelCount[] {
  return [...counts].map(([label, count]) => ({ label, count }));
}
