import type { EntityManager } from '@mikro-orm/postgresql';
import type { CaseRow, DeliveryRow, PlantRow, SightingRow, SubjectKind, WateringRow } from './event.folds';

/** Rows per INSERT statement in bulk writes: large enough to be quick, small enough for memory. */
const CHUNK = 5_000;

interface TableSpec {
  table: string;
  /** Column name → Postgres type, in insert order; keys of the row objects in camelCase. */
  columns: Array<[string, string]>;
}

const TABLES = {
  case: {
    table: 'case_fact',
    columns: [
      ['case_id', 'text'],
      ['report_id', 'text'],
      ['reported_at', 'timestamptz'],
      ['last_seen_at', 'timestamptz'],
      ['age', 'float8'],
      ['gender', 'text'],
      ['lat', 'float8'],
      ['lng', 'float8'],
      ['location_type', 'text'],
      ['status', 'text'],
      ['found_at', 'timestamptz'],
      ['closed_at', 'timestamptz'],
    ],
  },
  sighting: {
    table: 'sighting_fact',
    columns: [
      ['sighting_id', 'text'],
      ['case_id', 'text'],
      ['seen_at', 'timestamptz'],
      ['reported_at', 'timestamptz'],
      ['lat', 'float8'],
      ['lng', 'float8'],
    ],
  },
  delivery: {
    table: 'delivery_fact',
    columns: [
      ['notification_id', 'text'],
      ['channel', 'text'],
      ['category', 'text'],
      ['status', 'text'],
      ['attempts', 'int'],
      ['at', 'timestamptz'],
      ['opened', 'boolean'],
      ['acted', 'boolean'],
    ],
  },
  plant: {
    table: 'plant_fact',
    columns: [
      ['plant_id', 'text'],
      ['owner_id', 'text'],
      ['added_at', 'timestamptz'],
      ['removed_at', 'timestamptz'],
      ['next_watering_due_at', 'timestamptz'],
    ],
  },
  watering: {
    table: 'watering_fact',
    columns: [
      ['id', 'text'],
      ['plant_id', 'text'],
      ['watered_at', 'timestamptz'],
      ['due_at', 'timestamptz'],
    ],
  },
} satisfies Record<string, TableSpec>;

/** The projection tables, emptied by a rebuild. */
export const PROJECTION_TABLES = Object.values(TABLES).map((t) => t.table);

/** Rows of the projections, per table. */
export interface ProjectionRows {
  case: CaseRow[];
  sighting: SightingRow[];
  delivery: DeliveryRow[];
  plant: PlantRow[];
  watering: WateringRow[];
}

/** Empty row lists for every projection table. */
export function emptyRows(): ProjectionRows {
  return { case: [], sighting: [], delivery: [], plant: [], watering: [] };
}

const camel = (column: string): string => column.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/**
 * Inserts rows with one statement per {@link CHUNK} rows: the rows travel as one JSON parameter
 * expanded by `jsonb_to_recordset`, so the statement text does not grow with the row count.
 */
async function insertRows(em: EntityManager, spec: TableSpec, rows: readonly object[]): Promise<void> {
  const names = spec.columns.map(([c]) => `"${c}"`).join(', ');
  const record = spec.columns.map(([c, t]) => `"${c}" ${t}`).join(', ');
  for (let i = 0; i < rows.length; i += CHUNK) {
    const json = rows.slice(i, i + CHUNK).map((row) => {
      const r = row as Record<string, unknown>;
      return Object.fromEntries(spec.columns.map(([c]) => [c, r[camel(c)] ?? null]));
    });
    await em.execute(
      `insert into "${spec.table}" (${names}) select ${names} from jsonb_to_recordset(?::jsonb) as x(${record})`,
      [JSON.stringify(json)],
    );
  }
}

/** Writes all rows of a rebuild (the tables must be empty). */
export async function insertProjectionRows(em: EntityManager, rows: ProjectionRows): Promise<void> {
  for (const key of Object.keys(TABLES) as Array<keyof ProjectionRows>) await insertRows(em, TABLES[key], rows[key]);
}

/** Replaces the projected rows of one subject by `rows` (delete, then insert). */
export async function replaceSubject(
  em: EntityManager,
  kind: SubjectKind,
  id: string,
  rows: ProjectionRows,
): Promise<void> {
  switch (kind) {
    case 'case':
      await em.execute('delete from "case_fact" where "case_id" = ?', [id]);
      return insertRows(em, TABLES.case, rows.case);
    case 'sighting':
      await em.execute('delete from "sighting_fact" where "sighting_id" = ?', [id]);
      return insertRows(em, TABLES.sighting, rows.sighting);
    case 'notification':
      await em.execute('delete from "delivery_fact" where "notification_id" = ?', [id]);
      return insertRows(em, TABLES.delivery, rows.delivery);
    case 'plant':
      await em.execute('delete from "plant_fact" where "plant_id" = ?', [id]);
      await em.execute('delete from "watering_fact" where "plant_id" = ?', [id]);
      await insertRows(em, TABLES.plant, rows.plant);
      return insertRows(em, TABLES.watering, rows.watering);
    default: {
      const unknown: never = kind;
      throw new Error(`unknown subject kind ${String(unknown)}`);
    }
  }
}
