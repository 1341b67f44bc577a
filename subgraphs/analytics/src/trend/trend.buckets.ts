import { BadUserInputError } from '@supergraph/kit';

/** The lengths of trend buckets. */
export type TrendStep = 'DAY' | 'WEEK';

/** At most this many buckets per trend. */
export const MAX_TREND_BUCKETS = 366;

const DAY_MS = 86_400_000;

/** The length of one bucket in milliseconds. */
export const stepMs = (step: TrendStep): number => (step === 'DAY' ? DAY_MS : 7 * DAY_MS);

/**
 * The start of the bucket holding `at`: its UTC midnight for DAY, the UTC midnight of its ISO
 * week's Monday for WEEK.
 */
export function bucketStart(step: TrendStep, at: Date): Date {
  const day = Math.floor(at.getTime() / DAY_MS) * DAY_MS;
  if (step === 'DAY') return new Date(day);
  // 1970-01-01 was a Thursday: (getUTCDay() + 6) % 7 counts the days since Monday.
  const sinceMonday = (new Date(day).getUTCDay() + 6) % 7;
  return new Date(day - sinceMonday * DAY_MS);
}

/** The buckets of a trend: the first one's start and how many there are. */
export interface TrendRange {
  first: Date;
  count: number;
}

/**
 * The buckets from the one holding `from` to the one holding `to` (both included). BAD_USER_INPUT
 * on `to` when `to` is before `from` or the range needs more than {@link MAX_TREND_BUCKETS} buckets.
 */
export function trendRange(step: TrendStep, from: Date, to: Date): TrendRange {
  for (const [value, field] of [
    [from, 'from'],
    [to, 'to'],
  ] as const) {
    if (!(value instanceof Date) || Number.isNaN(value.getTime()))
      throw new BadUserInputError(`${field} is not a valid date.`, field);
  }
  if (to.getTime() < from.getTime()) throw new BadUserInputError('to must not be before from.', 'to');
  const first = bucketStart(step, from);
  const count = Math.round((bucketStart(step, to).getTime() - first.getTime()) / stepMs(step)) + 1;
  if (count > MAX_TREND_BUCKETS) {
    const unit = step === 'DAY' ? 'days' : 'weeks';
    throw new BadUserInputError(
      `from and to span ${count} ${unit}; a trend has at most ${MAX_TREND_BUCKETS} buckets.`,
      'to',
    );
  }
  return { first, count };
}
