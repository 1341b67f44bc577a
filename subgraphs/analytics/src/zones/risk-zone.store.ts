import type { EntityManager } from '@mikro-orm/postgresql';
import { computeRiskZones, type RiskLevel, type RiskZone, type RiskZoneOptions, type ZoneSnapshot } from '../domain';
import { loadCaseFacts } from '../readmodel/fact.reader';

/** A zone as stored (the members are loaded separately, see the loaders). */
export interface StoredZone {
  id: string;
  center: { lat: number; lng: number };
  radiusKm: number;
  caseCount: number;
  riskScore: number;
  riskLevel: RiskLevel;
  computedAt: Date;
}

interface ZoneRecord {
  id: string;
  lat: number;
  lng: number;
  radius_km: number;
  case_count: number;
  risk_score: number;
  risk_level: string;
  computed_at: Date;
}

/** UTC day of an instant, YYYY-MM-DD. */
export const utcDay = (at: Date): string => at.toISOString().slice(0, 10);

/**
 * Computes the zones of all open cases with the domain calculator and replaces the stored
 * zones, their memberships and today's snapshot with them, in one transaction of `em`.
 * A transaction-scoped advisory lock serialises recomputes across replicas, so two of them
 * never interleave their delete/insert. Returns the zones, highest risk first.
 */
export async function recomputeZones(em: EntityManager, options: RiskZoneOptions): Promise<RiskZone[]> {
  return em.transactional(async (tx) => {
    await tx.execute(`select pg_advisory_xact_lock(hashtext('analytics:risk_zones'))`);
    const cases = await loadCaseFacts(tx, { openWithLocation: true });
    const zones = computeRiskZones(cases, options);
    const computedAt = options.now;
    await tx.execute('delete from "risk_zone_case"');
    await tx.execute('delete from "risk_zone"');
    await tx.execute('delete from "risk_zone_snapshot" where "day" = ?', [utcDay(computedAt)]);
    await bulk(
      tx,
      `insert into "risk_zone" ("id", "lat", "lng", "radius_km", "case_count", "risk_score", "risk_level", "computed_at")
       select "id", "lat", "lng", "radius_km", "case_count", "risk_score", "risk_level", "computed_at"
       from jsonb_to_recordset(?::jsonb) as x("id" text, "lat" float8, "lng" float8, "radius_km" float8, "case_count" int,
         "risk_score" float8, "risk_level" text, "computed_at" timestamptz)`,
      zones.map((z) => ({
        id: z.id, lat: z.center.lat, lng: z.center.lng, radius_km: z.radiusKm, case_count: z.caseCount,
        risk_score: z.riskScore, risk_level: z.riskLevel, computed_at: computedAt.toISOString(),
      })),
    );
    await bulk(
      tx,
      `insert into "risk_zone_case" ("case_id", "zone_id")
       select "case_id", "zone_id" from jsonb_to_recordset(?::jsonb) as x("case_id" text, "zone_id" text)`,
      zones.flatMap((z) => z.caseIds.map((caseId) => ({ case_id: caseId, zone_id: z.id }))),
    );
    await bulk(
      tx,
      `insert into "risk_zone_snapshot" ("day", "zone_id", "risk_score", "case_ids")
       select "day", "zone_id", "risk_score", "case_ids" from jsonb_to_recordset(?::jsonb) as x("day" text, "zone_id" text, "risk_score" float8, "case_ids" jsonb)`,
      zones.map((z) => ({ day: utcDay(computedAt), zone_id: z.id, risk_score: z.riskScore, case_ids: z.caseIds })),
    );
    return zones;
  });
}

async function bulk(em: EntityManager, sql: string, rows: object[], chunk = 10_000): Promise<void> {
  for (let i = 0; i < rows.length; i += chunk) await em.execute(sql, [JSON.stringify(rows.slice(i, i + chunk))]);
}

/** Stored zones with a score of at least `minScore` (all when null), highest risk first, then by id. */
export async function findZones(em: EntityManager, minScore?: number | null): Promise<StoredZone[]> {
  const rows = await em.execute<ZoneRecord[]>(
    `select * from "risk_zone" ${minScore == null ? '' : 'where "risk_score" >= ?'} order by "risk_score" desc, "id" asc`,
    minScore == null ? [] : [minScore],
  );
  return rows.map(toZone);
}

/** Stored zones by id, in key order, null for unknown ids (one query). */
export async function zonesById(em: EntityManager, ids: readonly string[]): Promise<Array<StoredZone | null>> {
  if (ids.length === 0) return [];
  const rows = await em.execute<ZoneRecord[]>(`select * from "risk_zone" where "id" in (${ids.map(() => '?').join(', ')})`, [...ids]);
  const byId = new Map(rows.map((r) => [r.id, toZone(r)]));
  return ids.map((id) => byId.get(id) ?? null);
}

/** The zone of each case, in key order, null for a case in no zone (one query). */
export async function zonesByCaseIds(em: EntityManager, caseIds: readonly string[]): Promise<Array<StoredZone | null>> {
  if (caseIds.length === 0) return [];
  const rows = await em.execute<Array<ZoneRecord & { case_id: string }>>(
    `select z.*, m."case_id" from "risk_zone_case" m join "risk_zone" z on z."id" = m."zone_id"
     where m."case_id" in (${caseIds.map(() => '?').join(', ')})`,
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
  const members = await caseIdsOfZones(em, zones.map((z) => z.id));
  return zones.map((z, i) => ({ ...z, caseIds: members[i] }));
}

/** The latest snapshot taken before the UTC day of `now`, or null when there is none. */
export async function previousSnapshot(em: EntityManager, now: Date): Promise<ZoneSnapshot[] | null> {
  const rows = await em.execute<Array<{ zone_id: string; risk_score: number; case_ids: string[] }>>(
    `select "zone_id", "risk_score", "case_ids" from "risk_zone_snapshot"
     where "day" = (select max("day") from "risk_zone_snapshot" where "day" < ?)`,
    [utcDay(now)],
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
