import type { EntityManager } from '@mikro-orm/postgresql';
import { BadUserInputError, UUID, type Keyset } from '@supergraph/kit';
import { Case } from '../entities/case.entity';
import type { CaseStatus } from '../entities/case.enums';
import { EARTH_RADIUS_KM, boundingBox } from './geo.math';

/** A validated case search. */
export interface CaseQuery {
  status?: CaseStatus;
  near?: { lat: number; lng: number; radiusKm: number };
  /** Words that must each appear in the name, description or place. */
  words?: string[];
}

/** Most words of a free-text search that are used. */
export const MAX_SEARCH_WORDS = 8;

/**
 * One page of cases, newest last-seen first (ties by id), after `cursor`, and a function counting
 * all matches: one statement each whatever the filters, the count only when asked for. A radius
 * search first narrows the rows by an indexed bounding box over (lat, lng), then keeps those
 * within the exact great-circle distance.
 */
export async function searchCases(
  em: EntityManager,
  query: CaseQuery,
  size: number,
  cursor: Keyset | null,
): Promise<{ rows: Case[]; total: () => Promise<number> }> {
  const { sql: where, params } = filterSql(query);
  const position = cursor ? positionSql(cursor) : null;
  const conn = em.getConnection();
  const pageSql =
    `select * from "missing_case" where ${position ? `${where} and ${position.sql}` : where} ` +
    `order by "last_seen_at" desc, "id" desc limit ?`;
  const raw = await conn.execute<Record<string, unknown>[]>(pageSql, [...params, ...(position?.params ?? []), size + 1]);
  const total = async () => {
    const counted = await conn.execute<{ total: number }[]>(`select count(*)::int as "total" from "missing_case" where ${where}`, params);
    return counted[0]?.total ?? 0;
  };
  return { rows: raw.map((r) => em.map(Case, r)), total };
}

/** The keyset of a case in the list order. */
export function caseKeyset(c: Case): Keyset {
  return { value: c.lastSeenAt.toISOString(), id: c.id };
}

function filterSql(q: CaseQuery): { sql: string; params: unknown[] } {
  const parts: string[] = ['true'];
  const params: unknown[] = [];
  if (q.status) {
    parts.push('"status" = ?');
    params.push(q.status);
  }
  if (q.near) {
    const { lat, lng, radiusKm } = q.near;
    const box = boundingBox(lat, lng, radiusKm);
    parts.push('"lat" between ? and ?');
    params.push(box.minLat, box.maxLat);
    if (box.lngRanges.length) {
      parts.push(`(${box.lngRanges.map(() => '"lng" between ? and ?').join(' or ')})`);
      params.push(...box.lngRanges.flat());
    }
    parts.push(
      `2 * ${EARTH_RADIUS_KM} * asin(least(1, sqrt(power(sin(radians("lat" - ?) / 2), 2) + ` +
        `cos(radians(?)) * cos(radians("lat")) * power(sin(radians("lng" - ?) / 2), 2)))) <= ?`,
    );
    params.push(lat, lat, lng, radiusKm);
  }
  for (const word of q.words ?? []) {
    const pattern = `%${word.replace(/[%_\\]/g, (c) => `\\${c}`)}%`;
    parts.push(`("child_name" ilike ? or "description" ilike ? or "last_seen_place" ilike ?)`);
    params.push(pattern, pattern, pattern);
  }
  return { sql: parts.join(' and '), params };
}

function positionSql(cursor: Keyset): { sql: string; params: unknown[] } {
  const at = typeof cursor.value === 'string' ? new Date(cursor.value) : new Date(Number.NaN);
  if (Number.isNaN(at.getTime()) || !UUID.test(cursor.id)) throw new BadUserInputError('after is not a valid cursor.', 'after');
  return { sql: '("last_seen_at", "id") < (?::timestamptz, ?::uuid)', params: [at.toISOString(), cursor.id] };
}

/** Case counts by status in one statement. */
export async function caseStats(em: EntityManager): Promise<{ total: number; missing: number; found: number; closed: number }> {
  const [row] = await em.getConnection().execute<{ total: number; missing: number; found: number; closed: number }[]>(
    `select count(*)::int as "total",
            count(*) filter (where "status" = 'MISSING')::int as "missing",
            count(*) filter (where "status" = 'FOUND')::int as "found",
            count(*) filter (where "status" = 'CLOSED')::int as "closed"
       from "missing_case"`,
  );
  return row ?? { total: 0, missing: 0, found: 0, closed: 0 };
}
