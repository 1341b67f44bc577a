import type { PlantFact, WateringFact } from './analytics.types';
import { rateOf } from './statistics.math';

/** Plant care figures at a moment `now`. */
export interface PlantCareStats {
  /** Plants kept at `now`: added at or before `now` and not removed by then. */
  plants: number;
  waterings: number;
  /** Waterings that answered a due date. */
  wateringsWithDueDate: number;
  /** Of those, the ones done on or before their due date. */
  onTimeWaterings: number;
  /** onTimeWaterings / wateringsWithDueDate; `null` when no watering had a due date. */
  onTimeWateringRate: number | null;
  /** Kept plants whose next watering was due strictly before `now`. */
  overduePlants: number;
  /** Their ids, sorted ascending. */
  overduePlantIds: string[];
}

/**
 * Plant care statistics. Every watering in the list counts toward the on-time rate, including
 * waterings of plants removed since (they were real care); waterings without a due date count
 * only in `waterings`. A watering exactly at its due instant is on time.
 */
export function computePlantCare(
  plants: readonly PlantFact[],
  waterings: readonly WateringFact[],
  now: Date,
): PlantCareStats {
  const t = now.getTime();
  let kept = 0;
  const overduePlantIds: string[] = [];
  for (const p of plants) {
    if (p.addedAt.getTime() > t || (p.removedAt !== null && p.removedAt.getTime() <= t)) continue;
    kept++;
    if (p.nextWateringDueAt !== null && p.nextWateringDueAt.getTime() < t) overduePlantIds.push(p.plantId);
  }

  let withDue = 0;
  let onTime = 0;
  for (const w of waterings) {
    if (w.dueAt === null) continue;
    withDue++;
    if (w.wateredAt.getTime() <= w.dueAt.getTime()) onTime++;
  }

  overduePlantIds.sort();
  return {
    plants: kept,
    waterings: waterings.length,
    wateringsWithDueDate: withDue,
    onTimeWaterings: onTime,
    onTimeWateringRate: rateOf(onTime, withDue),
    overduePlants: overduePlantIds.length,
    overduePlantIds,
  };
}
