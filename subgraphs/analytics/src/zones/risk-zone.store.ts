import type { EntityManager } from '@mikro-orm/postgresql';
import type { RiskLevel, RiskZone, ZoneSnapshot } from '../domain';

/**
 * A zone as stored (the members are loaded separately, see the loaders); `computedAt` is the
 * time of the recompute that produced the stored zones. Written by `risk-zone.writer.ts`.
 */
export interface StoredZone {
  id: string;
  center: { lat: number; lng: number };
  radiusKm: number;
  caseCount: number;
  riskScore: number;
  riskLevel: RiskLevel;
  computedAt: Date;
}

/** A `risk_zone` row as the database returns it. */
export interface ZoneRow {
  id: string;
  lat: number;
  lng: number;
  radius_km: number;
  case_count: number;
  risk_score: number;
  risk_level: string;
}

type ZoneRecord = ZoneRow & { computed_at: Date };

/** The stored zones with the time of their run (every stored zone belongs to the last run). */
const ZONES = `select z.*, r."computed_at" from "risk_zone" z cross join "risk_zone_run" r where r."id" = 1`;

/** UTC day of an instant, YYYY-MM-DD. */
export const utcDay = (at: Date): string => at.toISOString().slice(0, 10);

/** Stored zones with a score of at least `minScore` (all when null), highest risk first, then by id. */
export async function findZones(em: EntityManager, minScore?: number | null): Promise<StoredZone[]> {
  const rows = await em.execute<ZoneRecord[]>(
    `${ZONES} ${minScore == null ? '' : 'and z."risk_score" >= ?'} order by z."risk_score" desc, z."id" asc`,
    minScore == null ? [] : [minScore],
  );
  return rows.map(toZone);
}

/** Stored zones by id, in key order, null for unknown ids (one query). */
export async function zonesById(em: EntityManager, ids: readonly string[]): Promise<Array<StoredZone | null>> {
  if (ids.length === 0) return [];
  const rows = await em.execute<ZoneRecord[]>(`${ZONES} and z."id" in (${ids.map(() => '?').join(', ')})`, [...ids]);
  const byId = new Map(rows.map((r) => [r.id, toZone(r)]));
  return ids.map((id) => byId.get(id) ?? null);
}

/** The zone of each case, in key order, null for a case in no zone (one query). */
export async function zonesByCaseIds(em: EntityManager, caseIds: readonly string[]): Promise<Array<StoredZone | null>> {
  if (caseIds.length === 0) return [];
  const rows = await em.execute<Array<ZoneRecord & { case_id: string }>>(
    `select z.*, r."computed_at", m."case_id" from "risk_zone_case" m join "risk_zone" z on z."id" = m."zone_id"
     cross join "risk_zone_run" r where r."id" = 1 and m."case_id" in (${caseIds.map(() => '?').join(', ')})`,
    [...caseIds],
  );
  const byCase = new Map(rows.map((r) => [r.case_id, toZone(r)]));
  return caseIds.map((id) => byCase.get(id) ?? null);
}

/** Member case ids of each zone (sorted), in key order, empty for unknown zones (one query). */
export async function caseIdsOfZones(em: EntityManager, zoneIds: readonly string[]): Promise<string[][]> {
  if (zoneIds.length === 0) return [];
  const rows = await em.execute<Array<{ case_id: string; zone_id: string }>>(
    // Only cases still known: a case deleted since the last recompute is not offered for resolution.
    `select m."case_id", m."zone_id" from "risk_zone_case" m join "case_fact" f on f."case_id" = m."case_id"
     where m."zone_id" in (${zoneIds.map(() => '?').join(', ')}) order by m."case_id"`,
    [...zoneIds],
  );
  const byZone = new Map<string, string[]>();
  for (const r of rows) {
    const list = byZone.get(r.zone_id);
    if (list) list.push(r.case_id);
    else byZone.set(r.zone_id, [r.case_id]);
  }
  return zoneIds.map((id) => byZone.get(id) ?? []);
}

/** All stored zones with their member ids, as the domain's `RiskZone` (for insights). */
export async function loadDomainZones(em: EntityManager): Promise<RiskZone[]> {
  const zones = await findZones(em);
  const members = await caseIdsOfZones(
    em,
    zones.map((z) => z.id),
  );
  return zones.map((z, i) => ({ ...z, caseIds: members[i] }));
}

/**
 * The zones as last computed on the latest UTC day before the day of `now`, or null when there
 * is none: the stored zones themselves when they were computed on an earlier day, else the
 * latest daily snapshot before today.
 */
export async function previousSnapshot(em: EntityManager, now: Date): Promise<ZoneSnapshot[] | null> {
  const today = utcDay(now);
  const [run] = await em.execute<Array<{ computed_at: Date }>>(
    `select "computed_at" from "risk_zone_run" where "id" = 1`,
  );
  if (run && utcDay(new Date(run.computed_at)) < today) {
    const zones = await loadDomainZones(em);
    return zones.length ? zones.map((z) => ({ id: z.id, riskScore: z.riskScore, caseIds: z.caseIds })) : null;
  }
  const rows = await em.execute<Array<{ zone_id: string; risk_score: number; case_ids: string[] }>>(
    `select "zone_id", "risk_score", "case_ids" from "risk_zone_snapshot"
     where "day" = (select max("day") from "risk_zone_snapshot" where "day" < ?)`,
    [today],
  );
  if (rows.length === 0) return null;
  return rows.map((r) => ({ id: r.zone_id, riskScore: Number(r.risk_score), caseIds: r.case_ids }));
}

function toZone(r: ZoneRecord): StoredZone {
  return {
    id: r.id,
    center: { lat: Number(r.lat), lng: Number(r.lng) },
    radiusKm: Number(r.radius_km),
    caseCount: Number(r.case_count),
    riskScore: Number(r.risk_score),
    riskLevel: r.risk_level as RiskLevel,
    computedAt: new Date(r.computed_at),
  };
}
