import { describe, expect, it } from 'vitest';
import { computePlantCare, type PlantFact, type WateringFact } from '../../src/domain';
import { daysAgo, NOW } from './case.fixture';

/*
 * By hand:
 *   p1 kept, due tomorrow            → counted, not overdue
 *   p2 kept, due yesterday           → counted, overdue
 *   p3 removed 2 days ago, due 5 days ago → not counted (removed), not overdue
 *   p4 added tomorrow                → not counted yet
 *   p5 kept, no schedule             → counted, not overdue
 *   p6 kept, due exactly NOW         → counted, not overdue (overdue means strictly before now)
 *   plants = 4, overdue = [p2]
 * Waterings: w1 a day early (on time), w2 exactly at due (on time), w3 two hours late,
 *   w4 without due date (not in the rate), w5 of removed p3, late (still counts)
 *   → 5 waterings, 4 with due date, 2 on time → rate 0.5
 */
const plant = (plantId: string, extra: Partial<PlantFact>): PlantFact => ({
  plantId,
  addedAt: daysAgo(100),
  removedAt: null,
  nextWateringDueAt: null,
  ...extra,
});
const plants: PlantFact[] = [
  plant('p1', { nextWateringDueAt: daysAgo(-1) }),
  plant('p2', { nextWateringDueAt: daysAgo(1) }),
  plant('p3', { removedAt: daysAgo(2), nextWateringDueAt: daysAgo(5) }),
  plant('p4', { addedAt: daysAgo(-1) }),
  plant('p5', {}),
  plant('p6', { nextWateringDueAt: NOW }),
];
const waterings: WateringFact[] = [
  { plantId: 'p1', dueAt: daysAgo(6), wateredAt: daysAgo(7) },
  { plantId: 'p2', dueAt: daysAgo(8), wateredAt: daysAgo(8) },
  { plantId: 'p2', dueAt: daysAgo(4), wateredAt: daysAgo(4 - 2 / 24) },
  { plantId: 'p5', dueAt: null, wateredAt: daysAgo(3) },
  { plantId: 'p3', dueAt: daysAgo(12), wateredAt: daysAgo(10) },
];

describe('computePlantCare', () => {
  it('counts kept plants, the on-time watering rate and overdue plants', () => {
    expect(computePlantCare(plants, waterings, NOW)).toEqual({
      plants: 4,
      waterings: 5,
      wateringsWithDueDate: 4,
      onTimeWaterings: 2,
      onTimeWateringRate: 0.5,
      overduePlants: 1,
      overduePlantIds: ['p2'],
    });
  });

  it('has no rate without scheduled waterings', () => {
    expect(computePlantCare([], [{ plantId: 'x', dueAt: null, wateredAt: NOW }], NOW).onTimeWateringRate).toBeNull();
  });
});
