import type { AgeGroup } from './analytics.types';

/**
 * Age group of a child: 0–5 → "0-5", 6–10 → "6-10", 11–14 → "11-14", 15–17 → "15-17".
 * Fractional ages count by completed years (5.9 → "0-5"). Returns `null` for an age that is
 * negative, not finite, or 18 and over: such a record is not a child's and belongs in no group.
 */
export function ageGroupOf(age: number): AgeGroup | null {
  if (!Number.isFinite(age) || age < 0) return null;
  const years = Math.floor(age);
  if (years <= 5) return '0-5';
  if (years <= 10) return '6-10';
  if (years <= 14) return '11-14';
  if (years <= 17) return '15-17';
  return null;
}
