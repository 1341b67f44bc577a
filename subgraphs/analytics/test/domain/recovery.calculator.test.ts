import { describe, expect, it } from 'vitest';
import { computeRecovery, median } from '../../src/domain';
import { makeCase, NOW } from './case.fixture';

const hoursLater = (h: number) => new Date(NOW.getTime() + h * 3_600_000);

/*
 * By hand (all reported at NOW):
 *   f1 FOUND  age 3   after 2 h      f2 FOUND age 4 after 10 h     f3 FOUND age 12 after 30 h
 *   m1 MISSING age 3                 m2 MISSING age 16
 *   c1 CLOSED age 3 without foundAt  → left out (neither found nor missing)
 * Overall: 3 recovered of 5 → 0.6; hours [2, 10, 30] → median 10 (odd count).
 * 0-5: f1, f2, m1 → 2/3, median of [2, 10] = 6 (even count); 6-10: none → null;
 * 11-14: f3 → 1/1, 30 h; 15-17: m2 → 0/1, no median.
 */
const odd = [
  makeCase('f1', { status: 'FOUND', age: 3, foundAt: hoursLater(2) }),
  makeCase('f2', { status: 'FOUND', age: 4, foundAt: hoursLater(10) }),
  makeCase('f3', { status: 'FOUND', age: 12, foundAt: hoursLater(30) }),
  makeCase('m1', { age: 3 }),
  makeCase('m2', { age: 16 }),
  makeCase('c1', { status: 'CLOSED', age: 3 }),
];

describe('computeRecovery', () => {
  it('computes the overall rate without closed cases, and an odd-count median', () => {
    const r = computeRecovery(odd);
    expect(r).toMatchObject({ total: 5, recovered: 3, stillMissing: 2, closedWithoutRecovery: 1 });
    expect(r.overallRate).toBeCloseTo(0.6, 12);
    expect(r.medianHoursToRecovery).toBe(10);
  });

  it('computes rates and medians per age group, all four always present', () => {
    const r = computeRecovery(odd);
    expect(r.byAgeGroup.map((g) => [g.label, g.total, g.recovered, g.medianHoursToRecovery])).toEqual([
      ['0-5', 3, 2, 6],
      ['6-10', 0, 0, null],
      ['11-14', 1, 1, 30],
      ['15-17', 1, 0, null],
    ]);
    expect(r.byAgeGroup.map((g) => g.rate)).toEqual([2 / 3, null, 1, 0]);
  });

  it('counts a case closed after recovery as recovered; even-count median averages the middle pair', () => {
    // + c2 CLOSED age 8 found after 50 h: 4 recovered of 6; hours [2, 10, 30, 50] → (10 + 30) / 2 = 20.
    const r = computeRecovery([...odd, makeCase('c2', { status: 'CLOSED', age: 8, foundAt: hoursLater(50) })]);
    expect(r).toMatchObject({ total: 6, recovered: 4, closedWithoutRecovery: 1, medianHoursToRecovery: 20 });
    expect(r.overallRate).toBeCloseTo(4 / 6, 12);
    expect(r.byAgeGroup[1]).toMatchObject({
      label: '6-10',
      total: 1,
      recovered: 1,
      rate: 1,
      medianHoursToRecovery: 50,
    });
  });

  it('returns null rate and median when there is nothing to measure', () => {
    const r = computeRecovery([makeCase('c', { status: 'CLOSED' })]);
    expect(r.overallRate).toBeNull();
    expect(r.medianHoursToRecovery).toBeNull();
    expect(computeRecovery([]).byAgeGroup).toHaveLength(4);
  });

  it('floors a recovery dated before the report at 0 hours', () => {
    const r = computeRecovery([makeCase('early', { status: 'FOUND', foundAt: hoursLater(-3) })]);
    expect(r.medianHoursToRecovery).toBe(0);
  });

  it('median handles odd, even and empty lists without touching its input', () => {
    const values = [5, 1, 3];
    expect(median(values)).toBe(3);
    expect(values).toEqual([5, 1, 3]);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNull();
  });
});
