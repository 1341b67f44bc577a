import type { EntityManager } from '@mikro-orm/postgresql';
import { executeBound } from '@supergraph/kit';
import { computeRiskZones, type RiskZone, type RiskZoneOptions, type ZoneCase } from '../domain';
import { utcDay, type ZoneRow } from './risk-zone.store';

/** Rows per bulk statement: bounds one statement's parameter (a JSON document) to a few MB. */
const CHUNK = 10_000;

/**
 * Computes the zones of all open cases and brings the stored zones, their memberships, the
 * time of the run and the daily snapshots in line with them, in one transaction of `em`.
 * A transaction-scoped advisory lock serialises recomputes across replicas.
 *
 * Writes only what changed: zones whose figures moved, cases whose zone changed, and the rows
 * that disappeared. Between two recomputes most zones keep their members and (rounded to one
 * decimal) their score, so a recompute over 100,000 cases usually writes a few hundred rows
 * instead of replacing every zone and membership (which also left as many dead rows behind).
 * Returns the zones, highest risk first.
 */
export async function recomputeZones(em: EntityManager, options: RiskZoneOptions): Promise<RiskZone[]> {
  return em.transactional(async (tx) => {
    await tx.execute(`select pg_advisory_xact_lock(hashtext('analytics:risk_zones'))`);
    const zones = computeRiskZones(await loadOpenCases(tx), options);
    await snapshotEarlierDay(tx, options.now);
    await writeZones(tx, zones);
    await writeMemberships(tx, zones);
    await tx.execute(
      `insert into "risk_zone_run" ("id", "computed_at") values (1, ?) on conflict ("id") do update set "computed_at" = excluded."computed_at"`,
      [options.now.toISOString()],
    );
    return zones;
  });
}

/** What zones read of the open cases with a location: one narrow query, times as epoch ms. */
async function loadOpenCases(em: EntityManager): Promise<ZoneCase[]> {
  const rows = await em.execute<
    Array<{ case_id: string; reported_ms: number; last_seen_ms: number; age: number; lat: number; lng: number }>
  >(
    `select "case_id", (extract(epoch from "reported_at") * 1000)::float8 as "reported_ms",
       (extract(epoch from "last_seen_at") * 1000)::float8 as "last_seen_ms", "age", "lat", "lng"
     from "case_fact" where "status" = 'MISSING' and "lat" is not null and "lng" is not null`,
  );
  return rows.map((r) => ({
    caseId: r.case_id,
    reportedAt: new Date(Number(r.reported_ms)),
    lastSeenAt: new Date(Number(r.last_seen_ms)),
    age: Number(r.age),
    location: { lat: Number(r.lat), lng: Number(r.lng) },
    status: 'MISSING',
  }));
}

/**
 * When the stored zones were computed on an earlier UTC day than `now`, keeps them as that
 * day's snapshot (the zones as last computed on it) before they are replaced. Runs at most
 * once per day, on the server.
 */
async function snapshotEarlierDay(em: EntityManager, now: Date): Promise<void> {
  const [run] = await em.execute<Array<{ computed_at: Date }>>(
    `select "computed_at" from "risk_zone_run" where "id" = 1`,
  );
  if (!run) return;
  const day = utcDay(new Date(run.computed_at));
  if (day >= utcDay(now)) return;
  await em.execute('delete from "risk_zone_snapshot" where "day" = ?', [day]);
  await em.execute(
    `insert into "risk_zone_snapshot" ("day", "zone_id", "risk_score", "case_ids")
     select ?, z."id", z."risk_score", coalesce(
       (select jsonb_agg(m."case_id" order by m."case_id" collate "C") from "risk_zone_case" m where m."zone_id" = z."id"), '[]'::jsonb)
     from "risk_zone" z`,
    [day],
  );
}

/** Upserts the zones whose figures differ from the stored ones and deletes the zones that are gone. */
async function writeZones(em: EntityManager, zones: readonly RiskZone[]): Promise<void> {
  const stored = await em.execute<ZoneRow[]>(
    `select "id", "lat", "lng", "radius_km", "case_count", "risk_score", "risk_level" from "risk_zone"`,
  );
  const byId = new Map(stored.map((r) => [r.id, r]));
  const changed: ZoneRow[] = [];
  for (const z of zones) {
    const row: ZoneRow = {
      id: z.id,
      lat: z.center.lat,
      lng: z.center.lng,
      radius_km: z.radiusKm,
      case_count: z.caseCount,
      risk_score: z.riskScore,
      risk_level: z.riskLevel,
    };
    const old = byId.get(z.id);
    byId.delete(z.id);
    if (!old || !sameFigures(old, row)) changed.push(row);
  }
  await bulk(
    em,
    `insert into "risk_zone" ("id", "lat", "lng", "radius_km", "case_count", "risk_score", "risk_level")
     select "id", "lat", "lng", "radius_km", "case_count", "risk_score", "risk_level"
     from jsonb_to_recordset(?::jsonb) as x("id" text, "lat" float8, "lng" float8, "radius_km" float8, "case_count" int, "risk_score" float8, "risk_level" text)
     on conflict ("id") do update set "lat" = excluded."lat", "lng" = excluded."lng", "radius_km" = excluded."radius_km",
       "case_count" = excluded."case_count", "risk_score" = excluded."risk_score", "risk_level" = excluded."risk_level"`,
    changed,
  );
  await bulk(em, `delete from "risk_zone" where "id" in (select jsonb_array_elements_text(?::jsonb))`, [
    ...byId.keys(),
  ]);
}

function sameFigures(a: ZoneRow, b: ZoneRow): boolean {
  return (
    Number(a.lat) === b.lat &&
    Number(a.lng) === b.lng &&
    Number(a.radius_km) === b.radius_km &&
    Number(a.case_count) === b.case_count &&
    Number(a.risk_score) === b.risk_score &&
    a.risk_level === b.risk_level
  );
}

/** Points every member case at its zone where that changed and drops cases that left every zone. */
async function writeMemberships(em: EntityManager, zones: readonly RiskZone[]): Promise<void> {
  const stored = await em.execute<Array<{ case_id: string; zone_id: string }>>(
    'select "case_id", "zone_id" from "risk_zone_case"',
  );
  const zoneOf = new Map(stored.map((r) => [r.case_id, r.zone_id]));
  const changed: Array<{ case_id: string; zone_id: string }> = [];
  for (const z of zones) {
    for (const caseId of z.caseIds) {
      if (zoneOf.get(caseId) !== z.id) changed.push({ case_id: caseId, zone_id: z.id });
      zoneOf.delete(caseId);
    }
  }
  await bulk(
    em,
    `insert into "risk_zone_case" ("case_id", "zone_id")
     select "case_id", "zone_id" from jsonb_to_recordset(?::jsonb) as x("case_id" text, "zone_id" text)
     on conflict ("case_id") do update set "zone_id" = excluded."zone_id"`,
    changed,
  );
  await bulk(em, `delete from "risk_zone_case" where "case_id" in (select jsonb_array_elements_text(?::jsonb))`, [
    ...zoneOf.keys(),
  ]);
}

/** Runs `sql` with one bound JSON array parameter per chunk of `rows`; nothing for no rows. */
async function bulk(em: EntityManager, sql: string, rows: readonly unknown[]): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) await executeBound(em, sql, [JSON.stringify(rows.slice(i, i + CHUNK))]);
}
