import { distanceKm, isValidPoint, type GeoPoint } from '@supergraph/kit';
import type { CaseFact, RiskZone } from './analytics.types';
import { GeoGrid } from './geo-grid.index';
import { mean, populationStdDev } from './statistics.math';

const MS_PER_WEEK = 7 * 86_400_000;
/** Cell size of the lookup grid for the cases of the baseline window. */
const LOOKUP_CELL_KM = 5;

/**
 * Which week before `now` the instant `at` falls in: 0 when `at` is less than 7 days old
 * (0 ≤ now − at < 7 days, "this week"), 1 for 7 to under 14 days, and so on; `null` when `at`
 * is after `now`. Weeks are rolling 7-day windows, not calendar weeks.
 */
export function weekIndexOf(at: Date, now: Date): number | null {
  const age = now.getTime() - at.getTime();
  return age < 0 ? null : Math.floor(age / MS_PER_WEEK);
}

/** Tunables of spike detection. */
export interface SpikeOptions {
  /** Reference time: "this week" is the 7 days before it. */
  now: Date;
  /** Previous weeks forming the baseline (default 8). */
  baselineWeeks?: number;
  /** Standard deviations above the baseline mean a week must exceed (default 3). */
  sigmas?: number;
  /** Fewest cases this week for a spike (default 3), so one case in a quiet place is no spike. */
  minCases?: number;
}

/** A zone whose cases this week are far above its usual weekly count. */
export interface ZoneSpike {
  zoneId: string;
  center: GeoPoint;
  thisWeek: number;
  /** Weekly counts of the baseline, most recent week first. */
  previousWeeks: number[];
  baselineMean: number;
  baselineStdDev: number;
  /** baselineMean + sigmas × baselineStdDev; `thisWeek` is strictly above it. */
  threshold: number;
}

/**
 * Finds zones with a spike of reported cases.
 *
 * A zone's incidents are all cases, of any status, located within the zone's disc (`center`,
 * `radiusKm`, inclusive): found or closed cases are part of the place's history even though
 * they no longer belong to the open zone. Weeks are counted back from `now` by `weekIndexOf`
 * on `reportedAt`. A spike is
 * thisWeek > mean + sigmas × σ over weeks 1 … baselineWeeks (population σ) and
 * thisWeek ≥ minCases. Result ordered by zone id.
 */
export function detectZoneSpikes(
  zones: readonly RiskZone[],
  cases: readonly CaseFact[],
  options: SpikeOptions,
): ZoneSpike[] {
  const baselineWeeks = options.baselineWeeks ?? 8;
  const sigmas = options.sigmas ?? 3;
  const minCases = options.minCases ?? 3;
  if (!Number.isInteger(baselineWeeks) || baselineWeeks < 1) {
    throw new RangeError(`baselineWeeks must be a positive integer, got ${baselineWeeks}`);
  }
  const now = options.now;

  // Only cases inside the window matter; index them once instead of scanning per zone.
  const recent = cases.filter((c) => {
    const week = weekIndexOf(c.reportedAt, now);
    return week !== null && week <= baselineWeeks && isValidPoint(c.location);
  });
  const grid = new GeoGrid(LOOKUP_CELL_KM);
  recent.forEach((c, i) => grid.insert(i, (c.location as GeoPoint).lat, (c.location as GeoPoint).lng));

  const spikes: ZoneSpike[] = [];
  for (const zone of zones) {
    const weeks = new Array<number>(baselineWeeks + 1).fill(0);
    const reach = zone.radiusKm * (1 + 1e-9);
    for (const key of grid.cellsNearPoint(zone.center.lat, zone.center.lng, zone.radiusKm)) {
      for (const i of grid.cells.get(key) ?? []) {
        const c = recent[i];
        if (distanceKm(zone.center, c.location as GeoPoint) > reach) continue;
        weeks[weekIndexOf(c.reportedAt, now) as number]++;
      }
    }
    const [thisWeek, ...previousWeeks] = weeks;
    const baselineMean = mean(previousWeeks) ?? 0;
    const baselineStdDev = populationStdDev(previousWeeks) ?? 0;
    const threshold = baselineMean + sigmas * baselineStdDev;
    if (thisWeek >= minCases && thisWeek > threshold) {
      spikes.push({
        zoneId: zone.id,
        center: zone.center,
        thisWeek,
        previousWeeks,
        baselineMean,
        baselineStdDev,
        threshold,
      });
    }
  }
  return spikes.sort((a, b) => (a.zoneId < b.zoneId ? -1 : a.zoneId > b.zoneId ? 1 : 0));
}
