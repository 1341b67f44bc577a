import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { UUID, findByIds } from '@supergraph/kit';
import { User } from '../entities/user.entity';

/** Per-request loaders of the users subgraph. */
export interface UsersLoaders {
  /** Users by id in key order, null for unknown ids: one `select … where id in (…)` per tick. */
  userById: DataLoader<string, User | null>;
}

/** Fresh loaders bound to one request's EntityManager. */
export function createLoaders({ em }: { em: EntityManager }): UsersLoaders {
  return {
    userById: new DataLoader(async (ids) => {
      // A malformed id cannot match a uuid column; asking Postgres would only raise a cast error.
      const valid = ids.filter((id) => UUID.test(id));
      const rows = await findByIds(em, User, valid);
      const byId = new Map(rows.map((u) => [u.id, u]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
  };
}
