import type { RiskZone } from '../domain';
import { RiskLevelEnum, RiskZoneType } from '../types/analytics.graphql-types';
import type { StoredZone } from '../zones/risk-zone.store';

/** A zone as GraphQL returns it; `caseIds` (when known) saves the member lookup. */
export type RiskZoneResult = RiskZoneType & { caseIds?: string[] };

/** Maps a stored or freshly computed zone to its GraphQL shape. */
export function toRiskZone(zone: StoredZone | RiskZone, computedAt?: Date): RiskZoneResult {
  return {
    id: zone.id,
    center: { lat: zone.center.lat, lng: zone.center.lng },
    radiusKm: zone.radiusKm,
    caseCount: zone.caseCount,
    riskScore: zone.riskScore,
    riskLevel: zone.riskLevel as RiskLevelEnum,
    computedAt: 'computedAt' in zone ? zone.computedAt : (computedAt ?? new Date()),
    caseIds: 'caseIds' in zone ? zone.caseIds : undefined,
  };
}
