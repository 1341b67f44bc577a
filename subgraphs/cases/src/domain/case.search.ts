import type { EntityManager } from '@mikro-orm/postgresql';
import {
  BadUserInputError,
  boundingBox,
  boundingBoxSql,
  distanceParams,
  distanceSql,
  hydrateRows,
  UUID,
  type Keyset,
} from '@supergraph/kit';
import { Case } from '../entities/case.entity';
import { CaseOrder, type CaseStatus, type Gender } from '../entities/case.enums';

/** A validated case search. */
export interface CaseQuery {
  status?: CaseStatus;
  near?: { lat: number; lng: number; radiusKm: number };
  /** Words that must each appear in the name, description or place. */
  words?: string[];
  /** Age range in years, both ends included. */
  ageMin?: number;
  ageMax?: number;
  gender?: Gender;
  /** Last seen at or after this instant. */
  lastSeenAfter?: Date;
  /** Last seen strictly before this instant. */
  lastSeenBefore?: Date;
}

/** Most words of a free-text search that are used. */
export const MAX_SEARCH_WORDS = 8;

/**
 * One page of cases in `order` after `cursor`, and a function counting all matches: one statement
 * each whatever the filters and the page size, the count only when asked for. With `withTotal` (the
 * client selected the count) the page's statement carries the count too, so the page and its total cost
 * one round trip; only an empty page after a cursor then counts on its own. NEWEST (ties by id,
 * descending) and OLDEST (ascending) go by last-seen time; NEAREST by great-circle distance from
 * `query.near` (which it needs), ties by id. A radius search first narrows the rows by an indexed
 * bounding box over (lat, lng), then keeps those within the exact distance. A cursor only continues
 * the order (and, for NEAREST, the centre) it was made for; any other is BAD_USER_INPUT on `after`.
 */
export async function searchCases(
  em: EntityManager,
  query: CaseQuery,
  order: CaseOrder,
  size: number,
  cursor: Keyset | null,
  withTotal = false,
): Promise<{ rows: Case[]; total: () => Promise<number>; keyset: (c: Case) => Keyset }> {
  const { page, count, sort } = searchSql(query, order, size, cursor, withTotal);
  const raw = await em.execute<Record<string, unknown>[]>(page.sql, page.params);
  const keys = new Map<string, unknown>();
  let counted: number | undefined;
  const columns = raw.map(({ sort_key: key, total_count: totalCount, ...row }) => {
    counted = totalCount as number | undefined;
    keys.set(row.id as string, key);
    return row;
  });
  const rows = hydrateRows(em, Case, columns);
  // An empty first page means nothing matches; an empty page after a cursor says nothing of the total.
  if (withTotal && counted === undefined && !cursor) counted = 0;
  const total = async () => counted ?? (await em.execute<{ total: number }[]>(count.sql, count.params))[0]?.total ?? 0;
  return { rows, total, keyset: (c) => ({ value: sort.tag(keys.get(c.id) ?? c.lastSeenAt), id: c.id }) };
}

type Statement = { sql: string; params: unknown[] };

/**
 * The statements of a search: its page (`size + 1` rows, with the sort key, and with `withTotal` the
 * count of all matches on every row, as an uncorrelated subquery Postgres evaluates once) and its count.
 */
export function searchSql(
  query: CaseQuery,
  order: CaseOrder,
  size: number,
  cursor: Keyset | null,
  withTotal = false,
): { page: Statement; count: Statement; sort: Sort } {
  const { sql: where, params } = filterSql(query);
  const sort = sortOf(order, query);
  const position = cursor ? positionSql(sort, cursor) : null;
  const count = { sql: `select count(*)::int as "total" from "missing_case" where ${where}`, params };
  const page = {
    sql:
      `select *, ${sort.key.sql} as "sort_key"${withTotal ? `, (${count.sql}) as "total_count"` : ''} ` +
      `from "missing_case" where ${position ? `${where} and ${position.sql}` : where} ` +
      `order by ${sort.key.sql} ${sort.dir}, "id" ${sort.dir} limit ?`,
    params: [
      ...sort.key.params,
      ...(withTotal ? params : []),
      ...params,
      ...(position?.params ?? []),
      ...sort.key.params,
      size + 1,
    ],
  };
  return { page, count, sort };
}

/** How one order sorts: the key expression, its direction, and how a cursor names a position. */
export interface Sort {
  key: { sql: string; params: unknown[] };
  dir: 'asc' | 'desc';
  /** The cursor value of a row's sort key. */
  tag(key: unknown): string;
  /** The sort key named by a cursor value, or null when the cursor is not of this order. */
  untag(value: string | number): unknown;
}

function sortOf(order: CaseOrder, q: CaseQuery): Sort {
  switch (order) {
    case CaseOrder.NEWEST:
    case CaseOrder.OLDEST: {
      const prefix = `${order}:`;
      return {
        key: { sql: '"last_seen_at"', params: [] },
        dir: order === CaseOrder.NEWEST ? 'desc' : 'asc',
        tag: (key) => prefix + new Date(key as Date | string).toISOString(),
        untag: (value) => {
          const at =
            typeof value === 'string' && value.startsWith(prefix) ? new Date(value.slice(prefix.length)) : null;
          return at && !Number.isNaN(at.getTime()) ? at.toISOString() : null;
        },
      };
    }
    case CaseOrder.NEAREST: {
      if (!q.near)
        throw new BadUserInputError('orderBy NEAREST needs filter.near (the point to measure from).', 'orderBy');
      const { lat, lng } = q.near;
      // The centre is part of the cursor: a distance from another point means nothing here.
      const prefix = `NEAREST:${lat},${lng}:`;
      return {
        key: { sql: caseDistanceSql, params: distanceParams(q.near) },
        dir: 'asc',
        tag: (key) => prefix + String(Number(key)),
        untag: (value) => {
          const d =
            typeof value === 'string' && value.startsWith(prefix) ? Number(value.slice(prefix.length)) : Number.NaN;
          return Number.isFinite(d) && d >= 0 ? d : null;
        },
      };
    }
    default: {
      const never: never = order;
      throw new Error(`unknown order ${String(never)}`);
    }
  }
}

/** Great-circle distance in km from the point bound by `distanceParams` to a case. */
const caseDistanceSql = distanceSql('"lat"', '"lng"');

function filterSql(q: CaseQuery): { sql: string; params: unknown[] } {
  const parts: string[] = ['true'];
  const params: unknown[] = [];
  const add = (sql: string, ...values: unknown[]) => {
    parts.push(sql);
    params.push(...values);
  };
  if (q.status) add('"status" = ?', q.status);
  if (q.gender) add('"gender" = ?', q.gender);
  if (q.ageMin !== undefined) add('"age" >= ?', q.ageMin);
  if (q.ageMax !== undefined) add('"age" <= ?', q.ageMax);
  if (q.lastSeenAfter) add('"last_seen_at" >= ?', q.lastSeenAfter);
  if (q.lastSeenBefore) add('"last_seen_at" < ?', q.lastSeenBefore);
  if (q.near) {
    const { lat, lng, radiusKm } = q.near;
    const box = boundingBoxSql('"lat"', '"lng"', boundingBox(lat, lng, radiusKm));
    add(box.sql, ...box.params);
    add(`${caseDistanceSql} <= ?`, ...distanceParams(q.near), radiusKm);
  }
  for (const word of q.words ?? []) {
    const pattern = `%${word.replace(/[%_\\]/g, (c) => `\\${c}`)}%`;
    add(`("child_name" ilike ? or "description" ilike ? or "last_seen_place" ilike ?)`, pattern, pattern, pattern);
  }
  return { sql: parts.join(' and '), params };
}

function positionSql(sort: Sort, cursor: Keyset): { sql: string; params: unknown[] } {
  const key = sort.untag(cursor.value);
  if (key === null || !UUID.test(cursor.id))
    throw new BadUserInputError('after is not a valid cursor for this order.', 'after');
  const cast = typeof key === 'number' ? 'float8' : 'timestamptz';
  return {
    sql: `(${sort.key.sql}, "id") ${sort.dir === 'desc' ? '<' : '>'} (?::${cast}, ?::uuid)`,
    params: [...sort.key.params, key, cursor.id.toLowerCase()],
  };
}

/** Case counts by status in one statement. */
export async function caseStats(
  em: EntityManager,
): Promise<{ total: number; missing: number; found: number; closed: number }> {
  const [row] = await em.execute<{ total: number; missing: number; found: number; closed: number }[]>(
    `select count(*)::int as "total",
            count(*) filter (where "status" = 'MISSING')::int as "missing",
            count(*) filter (where "status" = 'FOUND')::int as "found",
            count(*) filter (where "status" = 'CLOSED')::int as "closed"
       from "missing_case"`,
  );
  return row ?? { total: 0, missing: 0, found: 0, closed: 0 };
}
