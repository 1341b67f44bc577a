import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { UUID, findByIds, hydrateRows } from '@supergraph/kit';
import { Case } from '../entities/case.entity';
import { SightingStatus } from '../entities/case.enums';
import { CaseStatusChange } from '../entities/case-status-change.entity';
import { Sighting } from '../entities/sighting.entity';

/** Per-request loaders of the cases subgraph: each costs one SQL statement per batch. */
export interface CasesLoaders {
  /** Cases by id in key order, null for unknown or malformed ids. */
  caseById: DataLoader<string, Case | null>;
  /** Sightings by id in key order, null for unknown or malformed ids. */
  sightingById: DataLoader<string, Sighting | null>;
  /**
   * The newest `first` sightings of each case (one windowed query for all cases of a batch);
   * without `withDismissed`, DISMISSED ones are left out.
   */
  sightingsByCase(first: number, withDismissed: boolean): DataLoader<string, Sighting[]>;
  /** The newest `first` cases each user reported (one windowed query per batch). */
  casesByReporter(first: number): DataLoader<string, Case[]>;
  /** Each case's status history, oldest first. */
  historyByCase: DataLoader<string, CaseStatusChange[]>;
}

/** Fresh loaders bound to one request's EntityManager. */
export function createLoaders({ em }: { em: EntityManager }): CasesLoaders {
  const sightingLoaders = new Map<string, DataLoader<string, Sighting[]>>();
  const reporterLoaders = new Map<number, DataLoader<string, Case[]>>();
  return {
    caseById: new DataLoader((ids) => byIds(em, Case, ids)),
    sightingById: new DataLoader((ids) => byIds(em, Sighting, ids)),
    sightingsByCase(first, withDismissed) {
      const key = `${first}:${withDismissed}`;
      let loader = sightingLoaders.get(key);
      if (!loader) {
        const where = withDismissed ? undefined : `t."status" <> '${SightingStatus.DISMISSED}'`;
        loader = new DataLoader((caseIds) =>
          newestPerParent(em, Sighting, 'sighting', 'case_id', 'seen_at', caseIds, first, (s) => s.caseId, where),
        );
        sightingLoaders.set(key, loader);
      }
      return loader;
    },
    casesByReporter(first) {
      let loader = reporterLoaders.get(first);
      if (!loader) {
        loader = new DataLoader((userIds) =>
          newestPerParent(em, Case, 'missing_case', 'reporter_id', 'created_at', userIds, first, (c) => c.reporterId),
        );
        reporterLoaders.set(first, loader);
      }
      return loader;
    },
    historyByCase: new DataLoader(async (caseIds) => {
      const valid = caseIds.filter((id) => UUID.test(id));
      const rows = valid.length
        ? await em.find(CaseStatusChange, { caseId: { $in: valid } }, { orderBy: { changedAt: 'asc', id: 'asc' } })
        : [];
      return group(caseIds, rows, (r) => r.caseId);
    }),
  };
}

async function byIds<T extends { id: string }>(
  em: EntityManager,
  entity: new () => T,
  ids: readonly string[],
): Promise<(T | null)[]> {
  // A malformed id cannot match a uuid column; asking Postgres would only raise a cast error.
  const valid = [...new Set(ids.filter((id) => UUID.test(id)).map((id) => id.toLowerCase()))];
  const rows = await findByIds(em, entity, valid);
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => byId.get(id.toLowerCase()) ?? null);
}

/**
 * The newest `first` rows of `table` per parent id, for every parent of the batch in ONE statement:
 * `row_number()` over each parent's rows, newest first, keeps at most `first` of each.
 */
async function newestPerParent<T extends object>(
  em: EntityManager,
  entity: new () => T,
  table: string,
  parentColumn: string,
  orderColumn: string,
  parentIds: readonly string[],
  first: number,
  parentOf: (row: T) => string,
  /** A fixed extra condition on the rows of `t` (never user input). */
  where?: string,
): Promise<T[][]> {
  const valid = [...new Set(parentIds.filter((id) => UUID.test(id)))];
  if (valid.length === 0) return parentIds.map(() => []);
  const sql =
    `select * from (select t.*, row_number() over (partition by t."${parentColumn}" order by t."${orderColumn}" desc, t."id" desc) as "rn" ` +
    `from "${table}" t where t."${parentColumn}" in (${valid.map(() => '?').join(', ')})${where ? ` and ${where}` : ''}) ranked ` +
    `where ranked."rn" <= ? order by ranked."${orderColumn}" desc, ranked."id" desc`;
  const raw = await em.execute<Record<string, unknown>[]>(sql, [...valid, first]);
  const rows = hydrateRows(
    em,
    entity,
    raw.map(({ rn: _rank, ...columns }) => columns),
  );
  return group(parentIds, rows, parentOf);
}

function group<T>(keys: readonly string[], rows: T[], keyOf: (row: T) => string): T[][] {
  const byKey = new Map<string, T[]>();
  for (const row of rows) {
    const k = keyOf(row);
    const list = byKey.get(k);
    if (list) list.push(row);
    else byKey.set(k, [row]);
  }
  return keys.map((k) => byKey.get(k) ?? []);
}
