import type { EntityManager } from '@mikro-orm/postgresql';
import { readDashboard } from '../../src/dashboard/dashboard.counters';
import { demographicsOf, engagementOf, insightsOf, plantCareOf, recoveryOf } from '../../src/figures/analytics.figures';
import { loadDomainZones } from '../../src/zones/risk-zone.store';

/** Every figure analytics serves at `now`, in one comparable object. */
export async function allFigures(em: EntityManager, now: Date) {
  const { updatedAt: _ignored, ...dashboard } = await readDashboard(em, now);
  return {
    dashboard,
    demographics: await demographicsOf(em),
    recovery: await recoveryOf(em),
    engagement: await engagementOf(em),
    plantCare: await plantCareOf(em, now),
    zones: await loadDomainZones(em),
    insights: await insightsOf(em, now),
  };
}
