/**
 * Median of a list of numbers: the middle value for an odd count, the mean of the two middle
 * values for an even count, `null` for an empty list. Does not modify its input.
 */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = Float64Array.from(values).sort();
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Arithmetic mean; `null` for an empty list. */
export function mean(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

/**
 * Population standard deviation (divides by n, not n − 1); `null` for an empty list.
 * Population rather than sample: the weeks compared are the whole baseline, not a sample of one.
 */
export function populationStdDev(values: readonly number[]): number | null {
  const m = mean(values);
  if (m === null) return null;
  let sq = 0;
  for (const v of values) sq += (v - m) * (v - m);
  return Math.sqrt(sq / values.length);
}

/** `part / whole`, or `null` when `whole` is 0 (a rate of nothing is unknown, not 0). */
export function rateOf(part: number, whole: number): number | null {
  return whole === 0 ? null : part / whole;
}

/** Rounds to a fixed number of decimals (half away from zero), for stable published numbers. */
export function roundTo(value: number, decimals: number): number {
  const f = 10 ** decimals;
  return (Math.sign(value) * Math.round(Math.abs(value) * f)) / f;
}
