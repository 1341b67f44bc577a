import { describe, expect, it } from 'vitest';
import { ageGroupOf, computeDemographics, HOUR_LABELS } from '../../src/domain';
import { makeCase } from './case.fixture';

const seen = (hhmm: string) => new Date(`2024-06-09T${hhmm}:00.000Z`);

/*
 * By hand:
 *   a  age 0    FEMALE  00:15  "park"
 *   b  age 5.9  MALE    23:59  "school"     (5.9 completed years → 0-5)
 *   c  age 6    FEMALE  13:00  "park"
 *   d  age 10   OTHER   13:30  null         → unknown
 *   e  age 14   UNKNOWN 07:00  "  "         → unknown (blank)
 *   f  age 17   FEMALE  23:00  "mall "      → "mall" (trimmed)
 *   g  age 18   MALE    07:45  "park"       → no age group (adult)
 * Age: 0-5 {a,b}=2, 6-10 {c,d}=2, 11-14 {e}=1, 15-17 {f}=1, out of range {g}=1.
 * Gender: FEMALE {a,c,f}=3, MALE {b,g}=2, OTHER {d}=1, UNKNOWN {e}=1.
 * Hour: 00→1, 07→2, 13→2, 23→2, the other 20 hours 0.
 * Location (known: park, school, street): park 3, school 1, street 0, then mall 1, unknown 2.
 */
const cases = [
  makeCase('a', { age: 0, gender: 'FEMALE', lastSeenAt: seen('00:15'), locationType: 'park' }),
  makeCase('b', { age: 5.9, gender: 'MALE', lastSeenAt: seen('23:59'), locationType: 'school' }),
  makeCase('c', { age: 6, gender: 'FEMALE', lastSeenAt: seen('13:00'), locationType: 'park' }),
  makeCase('d', { age: 10, gender: 'OTHER', lastSeenAt: seen('13:30'), locationType: null }),
  makeCase('e', { age: 14, gender: 'UNKNOWN', lastSeenAt: seen('07:00'), locationType: '  ' }),
  makeCase('f', { age: 17, gender: 'FEMALE', lastSeenAt: seen('23:00'), locationType: 'mall ' }),
  makeCase('g', { age: 18, gender: 'MALE', lastSeenAt: seen('07:45'), locationType: 'park' }),
];

describe('computeDemographics', () => {
  const d = computeDemographics(cases, ['park', 'school', 'street']);

  it('counts by age group with every label', () => {
    expect(d.total).toBe(7);
    expect(d.byAgeGroup).toEqual([
      { label: '0-5', count: 2 },
      { label: '6-10', count: 2 },
      { label: '11-14', count: 1 },
      { label: '15-17', count: 1 },
    ]);
    expect(d.ageOutOfRange).toBe(1);
  });

  it('counts by gender with every label', () => {
    expect(d.byGender).toEqual([
      { label: 'FEMALE', count: 3 },
      { label: 'MALE', count: 2 },
      { label: 'OTHER', count: 1 },
      { label: 'UNKNOWN', count: 1 },
    ]);
  });

  it('counts by UTC hour with all 24 labels', () => {
    expect(d.byHourOfDay.map((h) => h.label)).toEqual(HOUR_LABELS);
    expect(HOUR_LABELS[0]).toBe('00');
    expect(HOUR_LABELS[23]).toBe('23');
    const nonZero = Object.fromEntries(d.byHourOfDay.filter((h) => h.count > 0).map((h) => [h.label, h.count]));
    expect(nonZero).toEqual({ '00': 1, '07': 2, '13': 2, '23': 2 });
  });

  it('counts by location type: known types first, others, then unknown', () => {
    expect(d.byLocationType).toEqual([
      { label: 'park', count: 3 },
      { label: 'school', count: 1 },
      { label: 'street', count: 0 },
      { label: 'mall', count: 1 },
      { label: 'unknown', count: 2 },
    ]);
  });

  it('returns every fixed label with zero counts for no cases', () => {
    const empty = computeDemographics([]);
    expect(empty.byAgeGroup.map((g) => g.count)).toEqual([0, 0, 0, 0]);
    expect(empty.byGender).toHaveLength(4);
    expect(empty.byHourOfDay).toHaveLength(24);
    expect(empty.byLocationType).toEqual([{ label: 'unknown', count: 0 }]);
  });

  it('classifies ages at the group borders', () => {
    expect([0, 5, 6, 10, 11, 14, 15, 17, 17.9, 18, -1, Number.NaN].map(ageGroupOf)).toEqual([
      '0-5',
      '0-5',
      '6-10',
      '6-10',
      '11-14',
      '11-14',
      '15-17',
      '15-17',
      '15-17',
      null,
      null,
      null,
    ]);
  });
});
