import type { EntityManager } from '@mikro-orm/postgresql';
import type { RiskZone } from '../domain';
import { rebuildProjections } from './read-model.projector';

/** What `rebuildReadModels` did. */
export interface RebuildResult {
  replayedEvents: number;
  riskZones: number;
}

/**
 * Rebuilds the analytics read models from `event_log`: truncates the projections and replays
 * every logged event in one transaction, then recomputes the risk zones with `recompute`.
 * Rebuilding any number of times yields the same figures as the live projection.
 */
export async function rebuildReadModels(
  em: EntityManager,
  recompute: (em: EntityManager) => Promise<RiskZone[]>,
): Promise<RebuildResult> {
  const replayedEvents = await em.transactional((tx) => rebuildProjections(tx));
  const zones = await recompute(em);
  return { replayedEvents, riskZones: zones.length };
}
