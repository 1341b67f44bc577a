import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { caseIdsOfZones, zonesByCaseIds, zonesById, type StoredZone } from '../zones/risk-zone.store';

/** Per-request loaders of the analytics subgraph: each batch is one SQL statement. */
export interface AnalyticsLoaders {
  /** Stored zones by id (null for unknown ids). */
  zoneById: DataLoader<string, StoredZone | null>;
  /** The stored zone of a case (null when the case is in no zone). */
  zoneByCaseId: DataLoader<string, StoredZone | null>;
  /** Member case ids of a zone, sorted. */
  caseIdsByZoneId: DataLoader<string, string[]>;
}

/** Fresh loaders bound to one request's EntityManager. */
export function createLoaders({ em }: { em: EntityManager }): AnalyticsLoaders {
  return {
    zoneById: new DataLoader((ids) => zonesById(em, ids)),
    zoneByCaseId: new DataLoader((ids) => zonesByCaseIds(em, ids)),
    caseIdsByZoneId: new DataLoader((ids) => caseIdsOfZones(em, ids)),
  };
}
