import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { BadUserInputError, UUID, decodeCursor, encodeCursor, type Keyset } from '@supergraph/kit';
import { GrowthEntry } from '../entities/growth-entry.entity';
import { Watering } from '../entities/watering.entity';

/** Which history table a loader reads and by which timestamp it orders (newest first). */
interface HistorySpec<T> {
  entity: new () => T;
  table: 'watering' | 'growth_entry';
  timeColumn: 'watered_at' | 'recorded_at';
}

const WATERINGS: HistorySpec<Watering> = { entity: Watering, table: 'watering', timeColumn: 'watered_at' };
const GROWTH: HistorySpec<GrowthEntry> = { entity: GrowthEntry, table: 'growth_entry', timeColumn: 'recorded_at' };

/**
 * The newest `first` rows per plant (after an optional cursor) for a whole batch of plants in ONE
 * windowed statement: `row_number() over (partition by plant_id order by time desc, id desc)`.
 * Table and column names come from the fixed specs above, never from input.
 */
function historyLoader<T extends object>(em: EntityManager, spec: HistorySpec<T>, first: number, after: Keyset | null) {
  return new DataLoader<string, T[]>(async (plantIds) => {
    const params: unknown[] = [plantIds];
    let position = '';
    if (after) {
      position = ` and (h."${spec.timeColumn}", h."id") < (?::timestamptz, ?::uuid)`;
      params.push(after.value, after.id);
    }
    params.push(first);
    const rows = await em.execute<Record<string, unknown>[]>(
      `select * from (
         select h.*, row_number() over (partition by h."plant_id" order by h."${spec.timeColumn}" desc, h."id" desc) as "rn"
         from "${spec.table}" h where h."plant_id" in (?)${position}
       ) t where t."rn" <= ? order by t."plant_id", t."rn"`,
      params,
    );
    const byPlant = new Map<string, T[]>();
    for (const { rn: _rn, ...row } of rows) {
      const list = byPlant.get(row.plant_id as string) ?? [];
      list.push(em.map(spec.entity, row));
      byPlant.set(row.plant_id as string, list);
    }
    return plantIds.map((id) => byPlant.get(id) ?? []);
  });
}

/**
 * Per-request cache of history loaders, one per (kind, first, after) combination, so that every
 * plant of a list asking for `waterings(first: 5)` shares one batch and one statement.
 */
export class HistoryLoaders {
  private readonly loaders = new Map<string, DataLoader<string, object[]>>();

  constructor(private readonly em: EntityManager) {}

  /** Newest waterings of a plant: `first` rows after the cursor `after` (from `Watering.cursor`). */
  waterings(plantId: string, first: number, after: string | null | undefined): Promise<Watering[]> {
    return this.get('w', WATERINGS, first, after).load(plantId) as Promise<Watering[]>;
  }

  /** Newest growth entries of a plant: `first` rows after the cursor `after` (from `GrowthEntry.cursor`). */
  growth(plantId: string, first: number, after: string | null | undefined): Promise<GrowthEntry[]> {
    return this.get('g', GROWTH, first, after).load(plantId) as Promise<GrowthEntry[]>;
  }

  private get<T extends object>(kind: string, spec: HistorySpec<T>, first: number, after: string | null | undefined) {
    const key = `${kind}|${first}|${after ?? ''}`;
    let loader = this.loaders.get(key);
    if (!loader) {
      const cursor = decodeCursor(after);
      if (
        cursor &&
        (typeof cursor.value !== 'string' || Number.isNaN(Date.parse(cursor.value)) || !UUID.test(cursor.id))
      ) {
        throw new BadUserInputError('after is not a valid cursor.', 'after');
      }
      loader = historyLoader(this.em, spec, first, cursor) as DataLoader<string, object[]>;
      this.loaders.set(key, loader);
    }
    return loader;
  }
}

/** The opaque position of a history item, to pass as `after` for the items older than it. */
export function historyCursor(at: Date, id: string): string {
  return encodeCursor({ value: at.toISOString(), id });
}
