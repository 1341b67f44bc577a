import type { EntityManager } from '@mikro-orm/postgresql';
import {
  computeDemographics,
  computeEngagement,
  computePlantCare,
  computeRecovery,
  generateInsights,
  type Demographics,
  type EngagementStats,
  type Insight,
  type InsightOptions,
  type PlantCareStats,
  type RecoveryStats,
} from '../domain';
import { loadCaseFacts, loadDeliveryFacts, loadPlantCareFacts } from '../readmodel/fact.reader';
import { loadDomainZones, previousSnapshot } from '../zones/risk-zone.store';

/**
 * The figures analytics serves, each read from the projections and computed by the pure
 * domain calculators. Every function reads with `em` and takes the reference time explicitly.
 */

/** Demographics of all known cases, of any status. */
export async function demographicsOf(em: EntityManager): Promise<Demographics> {
  return computeDemographics(await loadCaseFacts(em));
}

/** Recovery statistics of all known cases (see `computeRecovery` for what counts). */
export async function recoveryOf(em: EntityManager): Promise<RecoveryStats> {
  return computeRecovery(await loadCaseFacts(em));
}

/** Delivery and engagement counts per channel. */
export async function engagementOf(em: EntityManager): Promise<EngagementStats> {
  return computeEngagement(await loadDeliveryFacts(em));
}

/** Plant care figures at `now`. */
export async function plantCareOf(em: EntityManager, now: Date): Promise<PlantCareStats> {
  const { plants, waterings } = await loadPlantCareFacts(em);
  return computePlantCare(plants, waterings, now);
}

/**
 * Insights at `now`: weekly change, zones rising since the last snapshot of an earlier day,
 * zone spikes over the stored zones, low recovery per age group and failing channels.
 */
export async function insightsOf(em: EntityManager, now: Date, options: InsightOptions = {}): Promise<Insight[]> {
  const cases = await loadCaseFacts(em);
  const zones = await loadDomainZones(em);
  const previousZones = (await previousSnapshot(em, now)) ?? undefined;
  const engagement = await engagementOf(em);
  return generateInsights({ now, cases, zones, previousZones, engagement }, options);
}
