import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { UUID, findByIds } from '@supergraph/kit';
import { PlantSpecies } from '../entities/plant-species.entity';
import { Plant } from '../entities/plant.entity';
import { HistoryLoaders } from './history.loader';

/** Per-request loaders of the plants subgraph; each batch costs one SQL statement. */
export interface PlantsLoaders {
  /** Species by id in key order, null for unknown ids. */
  speciesById: DataLoader<string, PlantSpecies | null>;
  /** Plants by id in key order, null for unknown ids (no visibility check: callers apply it). */
  plantById: DataLoader<string, Plant | null>;
  /** Every plant of each owner, newest first. */
  plantsByOwner: DataLoader<string, Plant[]>;
  /** Newest waterings / growth entries per plant, windowed. */
  history: HistoryLoaders;
}

/** Loads rows by uuid, returning them in key order with null for missing (or malformed) ids. */
function byIdLoader<T extends { id: string }>(em: EntityManager, entity: new () => T) {
  return new DataLoader<string, T | null>(async (ids) => {
    // A malformed id cannot match a uuid column; asking Postgres would only raise a cast error.
    const valid = ids.filter((id) => UUID.test(id));
    const rows = await findByIds(em, entity, valid);
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => byId.get(id) ?? null);
  });
}

/** Fresh loaders bound to one request's EntityManager. */
export function createLoaders({ em }: { em: EntityManager }): PlantsLoaders {
  return {
    speciesById: byIdLoader(em, PlantSpecies),
    plantById: byIdLoader(em, Plant),
    plantsByOwner: new DataLoader(async (ownerIds) => {
      const valid = ownerIds.filter((id) => UUID.test(id));
      const rows = valid.length
        ? await em.find(Plant, { ownerId: { $in: valid } }, { orderBy: { createdAt: 'desc', id: 'desc' } })
        : [];
      const byOwner = new Map<string, Plant[]>();
      for (const p of rows) byOwner.set(p.ownerId, [...(byOwner.get(p.ownerId) ?? []), p]);
      return ownerIds.map((id) => byOwner.get(id) ?? []);
    }),
    history: new HistoryLoaders(em),
  };
}
