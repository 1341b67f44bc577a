import { ageGroupOf } from './age-group.classifier';
import { AGE_GROUPS, type AgeGroup, type CaseFact } from './analytics.types';
import { median, rateOf } from './statistics.math';

const MS_PER_HOUR = 3_600_000;

/** Recovery figures of one set of cases. */
export interface RecoveryFigures {
  /** Cases that count: recovered plus still missing (see `computeRecovery`). */
  total: number;
  recovered: number;
  stillMissing: number;
  /** recovered / total; `null` when total is 0. */
  rate: number | null;
  /** Median hours from report to recovery among recovered cases; `null` when none. */
  medianHoursToRecovery: number | null;
}

/** Recovery statistics, overall and per age group. */
export interface RecoveryStats extends RecoveryFigures {
  /** `overallRate` is `rate` of all cases (kept under the name dashboards use). */
  overallRate: number | null;
  /** CLOSED cases without a recovery: left out of every rate. */
  closedWithoutRecovery: number;
  /** Always the four groups "0-5", "6-10", "11-14", "15-17", in that order. */
  byAgeGroup: Array<RecoveryFigures & { label: AgeGroup }>;
}

/**
 * Recovery statistics.
 *
 * A case is *recovered* when its status is FOUND, or CLOSED with a `foundAt` (closed after the
 * child was found). A CLOSED case without `foundAt` (withdrawn, duplicate, false report) is
 * neither a success nor a failure, so it is left out of numerator and denominator:
 * rate = recovered / (recovered + MISSING). Counting it as a failure would understate how
 * often children are found.
 *
 * Hours to recovery = (foundAt − reportedAt) in hours, floored at 0 (a child found before the
 * report was filed was recovered at once); a recovered case without `foundAt` counts toward the
 * rate but not toward the median. Median: middle value, or mean of the two middle values for
 * an even count. Ages outside 0–17 count overall but in no age group.
 */
export function computeRecovery(cases: readonly CaseFact[]): RecoveryStats {
  const all = new Accumulator();
  const groups = new Map<AgeGroup, Accumulator>(AGE_GROUPS.map((g) => [g, new Accumulator()]));
  let closedWithoutRecovery = 0;

  for (const c of cases) {
    const recovered = c.status === 'FOUND' || (c.status === 'CLOSED' && c.foundAt !== null);
    if (!recovered && c.status === 'CLOSED') {
      closedWithoutRecovery++;
      continue;
    }
    const hours =
      recovered && c.foundAt ? Math.max(0, (c.foundAt.getTime() - c.reportedAt.getTime()) / MS_PER_HOUR) : null;
    all.add(recovered, hours);
    const group = ageGroupOf(c.age);
    if (group) groups.get(group)?.add(recovered, hours);
  }

  const overall = all.figures();
  return {
    ...overall,
    overallRate: overall.rate,
    closedWithoutRecovery,
    byAgeGroup: AGE_GROUPS.map((label) => ({ label, ...(groups.get(label) as Accumulator).figures() })),
  };
}

class Accumulator {
  private total = 0;
  private recovered = 0;
  private readonly hours: number[] = [];

  add(recovered: boolean, hours: number | null): void {
    this.total++;
    if (recovered) this.recovered++;
    if (hours !== null) this.hours.push(hours);
  }

  figures(): RecoveryFigures {
    return {
      total: this.total,
      recovered: this.recovered,
      stillMissing: this.total - this.recovered,
      rate: rateOf(this.recovered, this.total),
      medianHoursToRecovery: median(this.hours),
    };
  }
}
